"""Benchmark: a generated graph of N entities (default 5,000) opens and stabilises in headless Chromium.

Builds an RDF graph in newsgraph's shape (entities, direct relation triples, reified
statements with evidence), renders it with ``render_html(max_nodes=N)``, opens the page
from ``file://`` with every network request aborted, and times ``goto`` -> physics
stabilised and frozen (``body[data-stabilized]``).  Prints the figures; target < 10 s.

    python benchmarks/viz.py [--nodes 5000] [--edges-per-node 1.5]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rdflib import Graph, Literal  # noqa: E402

from graph.model import EntityType  # noqa: E402
from graph.rdf.namespaces import (  # noqa: E402
    CLASS_OF,
    NG,
    PROV,
    RDF,
    RDFS,
    SDO,
    bind_prefixes,  # noqa: E402
    document_iri,
    entity_iri,
    relation_iri,
    statement_iri,
)
from graph.viz import render_html  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
RELATIONS = ["traffickedFrom", "traffickedTo", "runs", "locatedIn", "accuses", "leads", "worksFor", "reportsOn"]


def generated_graph(n: int, edges_per_node: float, seed: int = 1) -> Graph:
    """A scale-free-ish graph of ``n`` entities with evidence statements."""
    rng = random.Random(seed)
    g = bind_prefixes(Graph())
    types = list(EntityType)
    docs = [document_iri(f"bench-{i}") for i in range(max(1, n // 50))]
    for d in docs:
        g.add((d, RDF.type, SDO.NewsArticle))
        g.add((d, RDFS.label, Literal(f"Article {d[-6:]}")))
    nodes = [entity_iri(f"Thing/entity {i}") for i in range(n)]
    for i, e in enumerate(nodes):
        g.add((e, RDF.type, CLASS_OF[types[i % len(types)]]))
        g.add((e, RDFS.label, Literal(f"Entity {i}")))
        g.add((e, NG.mentionedIn, rng.choice(docs)))
    targets = [nodes[0]]
    for i in range(1, n):
        for _ in range(1 if rng.random() > edges_per_node - 1 else 2):
            s, o = nodes[i], rng.choice(targets)  # preferential attachment
            p = relation_iri(rng.choice(RELATIONS))
            g.add((s, p, o))
            st = statement_iri(str(s), str(p), str(o))
            g.add((st, RDF.type, RDF.Statement))
            g.add((st, RDF.subject, s))
            g.add((st, RDF.predicate, p))
            g.add((st, RDF.object, o))
            g.add((st, PROV.wasDerivedFrom, rng.choice(docs)))
            g.add((st, NG.evidence, Literal(f"Sentence stating that entity {i} relates to {o[-8:]}.")))
            targets += [s, o]
    return g


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nodes", type=int, default=5000)
    ap.add_argument("--edges-per-node", type=float, default=1.5)
    args = ap.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    t0 = time.perf_counter()
    g = generated_graph(args.nodes, args.edges_per_node)
    t1 = time.perf_counter()
    page_html = render_html(g, max_nodes=args.nodes)
    t2 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.html"
        path.write_text(page_html, encoding="utf-8")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            attempted: list[str] = []
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://")
                       else (attempted.append(r.request.url), r.abort()))
            t3 = time.perf_counter()
            page.goto(path.as_uri())
            page.wait_for_selector("body[data-stabilized=true]", state="attached", timeout=120_000)
            t4 = time.perf_counter()
            drawn = page.evaluate("() => window.newsgraph.nodes.length")
            edges = page.evaluate("() => window.newsgraph.edges.length")
            browser.close()
    seconds = t4 - t3
    print(f"command: python benchmarks/viz.py --nodes {args.nodes} --edges-per-node {args.edges_per_node}")
    print(f"graph: {args.nodes} entities, {len(g)} triples (generated in {t1 - t0:.1f} s)")
    print(f"render_html: {t2 - t1:.1f} s, page {len(page_html) / 1e6:.1f} MB, {drawn} nodes and {edges} edges drawn")
    print(f"open + stabilise in headless Chromium: {seconds:.1f} s (target < 10 s) "
          f"{'OK' if seconds < 10 else 'TOO SLOW'}; network requests attempted: {len(attempted)}")
    return 0 if seconds < 10 and not attempted else 1


if __name__ == "__main__":
    sys.exit(main())
