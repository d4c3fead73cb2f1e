"""Benchmark: a generated corpus of N statements (default 10,000) opens each analyst view in headless Chromium.

Builds an RDF graph in newsgraph's shape (documents with dates, countries with ISO codes,
places with coordinates, facilities located in places, reified statements with evidence:
trafficking routes, rescues, repatriations, state actions and other relations), renders
``views.html`` once per initial view (``render_views_html(view=...)``), opens each page from
``file://`` with every other request aborted (after one warm-up page), and times ``goto``
-> the view drawn (``body[data-ready]``), --repeat times per view.  Prints the extraction
and render times and one line per view; exits 1 when a view's median exceeds --limit
seconds (default 5) or the page logs a console error.

    python benchmarks/views.py [--statements 10000] [--limit 5] [--repeat 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rdflib import Graph, Literal  # noqa: E402

from graph.model import EntityType  # noqa: E402
from graph.rdf.namespaces import (  # noqa: E402
    CLASS_OF,
    DCTERMS,
    GEO,
    NG_OPEN,
    PROV,
    RDF,
    RDFS,
    SDO,
    XSD,
    bind_prefixes,  # noqa: E402
    document_iri,
    entity_iri,
    relation_iri,
    statement_iri,
)

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
COUNTRIES = ["KH", "MM", "TH", "LA", "VN", "CN", "TW", "PH", "MY", "ID", "IN", "BD", "NP", "LK", "KR", "JP",
             "US", "GB", "FR", "DE", "KE", "UG", "NG", "ET", "BR", "MX", "RU", "UA", "TR", "AE", "SG", "HK"]
ACTIONS = ["arrests", "raids", "sanctions", "closedBorderWith", "repatriates", "shutsDown", "charges", "rescuedFrom"]
OTHER = ["accuses", "runs", "leads", "worksFor", "heldIn", "operatesIn", "reportsOn", "criticizes", "locatedIn"]
T = EntityType


def generated_graph(n: int, seed: int = 1) -> Graph:
    """A corpus of about ``n`` reified statements over ``n // 20`` documents."""
    rng = random.Random(seed)
    g = bind_prefixes(Graph())

    def entity(kind: EntityType, name: str) -> object:
        e = entity_iri(f"{kind.value}/{name}")
        g.add((e, RDF.type, CLASS_OF[kind]))
        g.add((e, RDFS.label, Literal(name)))
        return e

    countries = []
    for code in COUNTRIES:
        c = entity(T.COUNTRY, f"Country {code}")
        g.add((c, NG_OPEN.iso3166, Literal(code)))
        countries.append(c)
    places = []
    for i in range(max(10, n // 40)):
        p = entity(T.PLACE, f"Town {i}")
        g.add((p, GEO.lat, Literal(f"{rng.uniform(-10, 35):.5f}", datatype=XSD.decimal)))
        g.add((p, GEO.long, Literal(f"{rng.uniform(70, 130):.5f}", datatype=XSD.decimal)))
        places.append(p)
    facilities = []
    for i in range(max(10, n // 50)):
        f = entity(T.FACILITY, f"Compound {i}")
        if i % 3:
            g.add((f, relation_iri("locatedIn"), rng.choice(places)))
        facilities.append(f)
    groups = [entity(T.GROUP, f"victims {i}") for i in range(max(10, n // 15))]
    actors = [entity(T.ORGANIZATION, f"Agency {i}") for i in range(max(10, n // 60))]
    people = [entity(T.PERSON, f"Person {i}") for i in range(max(10, n // 40))]
    docs = []
    for i in range(max(1, n // 20)):
        d = document_iri(f"bench-{i}")
        g.add((d, RDF.type, SDO.NewsArticle))
        g.add((d, DCTERMS.title, Literal(f"Article {i} on compounds and raids")))
        if i % 20:
            g.add((d, DCTERMS.date, Literal(f"{2022 + i % 4}-{1 + i % 12:02d}-{1 + i % 28:02d}", datatype=XSD.date)))
        docs.append(d)
    made = 0

    def say(s: object, rel: str, o: object) -> None:
        nonlocal made
        p = relation_iri(rel)
        doc = rng.choice(docs)
        text = f"Statement {made}: {rel} between two named things, as the article reports in a long sentence."
        st = statement_iri(str(doc), str(s), str(p), str(o), str(made))
        negated, hedged = rng.random() < 0.05, rng.random() < 0.08
        if not (negated or hedged):
            g.add((s, p, o))  # type: ignore[arg-type]
        for pred, val in ((RDF.type, RDF.Statement), (RDF.subject, s), (RDF.predicate, p), (RDF.object, o),
                          (PROV.wasDerivedFrom, doc), (NG_OPEN.evidence, Literal(text)),
                          (NG_OPEN.confidence, Literal(round(rng.uniform(0.4, 0.95), 2)))):
            g.add((st, pred, val))  # type: ignore[arg-type]
        if negated:
            g.add((st, NG_OPEN.negated, Literal(True)))
        if hedged:
            g.add((st, NG_OPEN.hedged, Literal(True)))
        made += 1

    while made < n:
        r = rng.random()
        if r < 0.3:
            grp = rng.choice(groups)
            say(grp, "traffickedFrom", rng.choice(countries + places))
            say(grp, "traffickedTo", rng.choice(countries + facilities + places))
        elif r < 0.65:
            rel = rng.choice(ACTIONS)
            if rel == "rescuedFrom":
                say(rng.choice(groups), rel, rng.choice(facilities + places))
            elif rel == "closedBorderWith":
                say(rng.choice(countries), rel, rng.choice(countries))
            elif rel == "repatriates":
                say(rng.choice(countries), rel, rng.choice(countries + groups))
            else:
                say(rng.choice(actors + countries), rel, rng.choice(people + facilities + groups))
        else:
            say(rng.choice(actors + people), rng.choice(OTHER), rng.choice(actors + countries + places + facilities))
    return g


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--statements", type=int, default=10_000, help="statements in the generated corpus")
    ap.add_argument("--limit", type=float, default=5.0, help="seconds a view may take to open")
    ap.add_argument("--repeat", type=int, default=3, help="opens per view (the median counts)")
    ap.add_argument("--keep", type=Path, help="write the pages into this folder (kept)")
    args = ap.parse_args()

    from graph.viz.views import VIEWS, extract_views, render_views

    t0 = time.perf_counter()
    g = generated_graph(args.statements)
    t1 = time.perf_counter()
    data = extract_views(g)
    t2 = time.perf_counter()
    pages = {v: render_views(data, title="benchmark", view=v) for v in VIEWS}
    t3 = time.perf_counter()
    print(f"corpus: {len(data.statements)} statements, {len(data.entities)} entities, {len(data.documents)} documents, "
          f"{len(g)} triples (generated in {t1 - t0:.1f} s)")
    print(f"extract_views (SPARQL): {t2 - t1:.2f} s; render: {(t3 - t2) / len(VIEWS):.2f} s per page; "
          f"page size {len(pages['map'].encode()) / 1e6:.1f} MB")
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing: no browser timings", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    folder = args.keep or Path(tempfile.mkdtemp(prefix="newsgraph-views-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    failed = False
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        warm = folder / "warm-up.html"  # the browser's first page pays for starting a renderer
        warm.write_text("<!DOCTYPE html><title>warm-up</title>", encoding="utf-8")
        first = browser.new_page()
        first.goto(warm.as_uri())
        first.close()
        for view, html in pages.items():
            path = folder / f"views-{view}.html"
            path.write_text(html, encoding="utf-8")
            times: list[float] = []
            errors: list[str] = []
            for run in range(args.repeat):
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
                page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
                page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
                start = time.perf_counter()
                page.goto(path.as_uri())
                page.wait_for_selector("body[data-ready=true]", state="attached", timeout=120_000)
                times.append(time.perf_counter() - start)
                if run < args.repeat - 1:
                    page.close()
            complete = ""
            if view == "table":  # the first page of rows is drawn; time "Show all rows" too
                t = time.perf_counter()
                page.click("#table-all")
                page.wait_for_function("() => document.querySelector('#table-all').hidden", timeout=120_000)
                complete = f"; Show all rows took {time.perf_counter() - t:.2f} s more"
            drawn = page.evaluate("""(v) => v === 'map' ? document.querySelectorAll('#map .route').length + ' arrows, '
                  + document.querySelectorAll('#map .point').length + ' points'
                : v === 'timeline' ? document.querySelectorAll('#timeline .action').length + ' action marks'
                : document.querySelectorAll('#statements tbody tr').length + ' rows'""", view)
            page.close()
            median = statistics.median(times)
            ok = median < args.limit and not errors
            failed |= not ok
            print(f"{view:9s} opened in {median:.2f} s (median of {len(times)}: "
                  f"{', '.join(f'{t:.2f}' for t in times)}; {drawn}{complete}){'' if ok else '  FAIL'}"
                  + (f"  errors: {errors[:3]}" if errors else ""))
        browser.close()
    print(f"target: each view < {args.limit:g} s" + (f"; pages kept in {folder}" if args.keep else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
