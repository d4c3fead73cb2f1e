"""Export, query-result and stats speed on a generated graph (no spaCy needed).

Generates a graph shaped like a newsgraph build (entities, direct relations, one
rdf:Statement with evidence per relation, documents) with N relations, then times
``serialize`` for every export format, the SPARQL result formats and ``stats``.

    python benchmarks/export_query.py [--relations 2000 20000]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

from rdflib import RDF, RDFS, Graph, Literal  # noqa: E402

from graph.analysis import stats  # noqa: E402
from graph.formats import FORMATS, serialize  # noqa: E402
from graph.rdf.namespaces import (  # noqa: E402
    NG,
    NG_OPEN,
    NGR,
    PROV,
    SDO,
    XSD,
    bind_prefixes,  # noqa: E402
    statement_iri,
)
from graph.sparql import run  # noqa: E402
from graph.sparql.results import format_result  # noqa: E402

RELATIONS = ["accuses", "traffickedFrom", "heldIn", "locatedIn", "leads", "sanctions", "runs", "reportsOn"]
TYPES = ["Organization", "Person", "Country", "Place", "Facility", "Group"]


def generate(n_relations: int, seed: int = 7) -> Graph:
    """A deterministic synthetic graph with ``n_relations`` reified relations."""
    rng = random.Random(seed)
    g = bind_prefixes(Graph())
    n_entities = max(10, n_relations // 4)
    entities = []
    for i in range(n_entities):
        iri = NGR[f"{TYPES[i % len(TYPES)].lower()}/e{i}"]
        g.add((iri, RDF.type, NG_OPEN[TYPES[i % len(TYPES)]]))
        g.add((iri, RDFS.label, Literal(f"Entity {i}")))
        entities.append(iri)
    docs = [NGR[f"doc/{i}"] for i in range(max(1, n_relations // 20))]
    for doc in docs:
        g.add((doc, RDF.type, SDO.NewsArticle))
    for i in range(n_relations):
        s, o = rng.sample(entities, 2)
        p = NG_OPEN[RELATIONS[i % len(RELATIONS)]]
        doc = docs[i % len(docs)]
        g.add((s, p, o))
        g.add((s, NG.mentionedIn, doc))
        st = statement_iri(str(i))
        g.add((st, RDF.type, RDF.Statement))
        g.add((st, RDF.subject, s))
        g.add((st, RDF.predicate, p))
        g.add((st, RDF.object, o))
        g.add((st, PROV.wasDerivedFrom, doc))
        g.add((st, NG.evidence, Literal(f"Sentence number {i} says that one entity relates to another.")))
        g.add((st, NG.startOffset, Literal(i * 80, datatype=XSD.integer)))
        g.add((st, NG.endOffset, Literal(i * 80 + 60, datatype=XSD.integer)))
    return g


def timed(fn):  # noqa: ANN001, ANN201 - tiny timing helper
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


QUERY = (
    "SELECT ?s ?p ?o ?evidence WHERE { ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; "
    "ng:evidence ?evidence } ORDER BY ?s ?p ?o"
)


def report(n: int) -> None:
    """Print the figures for a graph of ``n`` relations."""
    g = generate(n)
    print(f"relations {n}: {len(g)} triples")
    for fmt in FORMATS:
        data, secs = timed(lambda fmt=fmt: serialize(g, fmt))
        print(f"  export {fmt:<8} {secs:7.2f} s  {len(data) / 1e6:7.2f} MB")
    result, secs = timed(lambda: list(run(g, QUERY)))
    print(f"  query (evidence of every relation) {secs:7.2f} s  {len(result)} rows")
    for fmt in ("csv", "tsv", "json", "table"):
        data, secs = timed(lambda fmt=fmt: format_result(run(g, QUERY), fmt))
        print(f"  query + {fmt:<5} {secs:7.2f} s  {len(data) / 1e6:7.2f} MB")
    _, secs = timed(lambda: stats(g))
    print(f"  stats          {secs:7.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--relations", type=int, nargs="+", default=[2000, 20000])
    args = parser.parse_args()
    for n in args.relations:
        report(n)


if __name__ == "__main__":
    main()
