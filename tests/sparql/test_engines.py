"""Every library query gives the same rows on rdflib's engine and on an Oxigraph store.

``graph.sparql.run`` sends a query on a store straight to Oxigraph (parameters as
substitutions) and hands its rows to the result writers as Oxigraph terms; these tests
check the answers and the written results against rdflib's in-memory engine.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal

from graph.rdf.build import document_graph
from graph.sparql import Query, parse_params, run
from graph.sparql.results import format_result
from graph.store.oxigraph import OxigraphResult, union_graph, with_values
from tests.sparql.library_corpus import C, _resolved, corpus_graph

LIBRARY = Path(__file__).resolve().parents[2] / "graph" / "queries"
QUERIES = sorted(LIBRARY.glob("*.rq"))


def on_oxigraph(graph: Graph) -> Graph:
    """The same triples in an in-memory Oxigraph store, seen as ``graph.store.load`` sees a store."""
    store = ox.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return union_graph(store)


def example_params(path: Path) -> dict[str, str]:
    """The ``--param name=value`` pairs of a query's ``# example:`` header line."""
    line = re.search(r"^# example:(.*)$", path.read_text(encoding="utf-8"), re.M)
    return dict(re.findall(r'--param (\w+)="?([^"]*?)"?(?=\s|$)', line.group(1) if line else ""))


def cell(value: str) -> tuple[str, ...]:
    """A cell compared across engines: GROUP_CONCAT order is unspecified (parts sorted) and
    Oxigraph stores decimals canonically ("0.8" for "0.800")."""
    if re.fullmatch(r"-?\d+\.\d+", value):
        value = format(Decimal(value).normalize(), "f")
    return tuple(sorted(" ".join(sorted(part.split(" "))) for part in value.split(" | ")))


def normalized(result) -> list[tuple[tuple[str, ...], ...]]:
    return sorted(tuple(cell("" if v is None else str(v)) for v in row) for row in result)


@pytest.fixture(scope="module")
def corpus_pair() -> tuple[Graph, Graph]:
    g = corpus_graph()
    return g, on_oxigraph(g)


@pytest.fixture(scope="module")
def seeds_pair(seeds_graph: Graph) -> tuple[Graph, Graph]:
    return seeds_graph, on_oxigraph(seeds_graph)


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_same_rows_on_seeds(path: Path, seeds_pair: tuple[Graph, Graph]) -> None:
    memory, store = seeds_pair
    q = Query(path.read_text(encoding="utf-8"), str(path))
    params = parse_params(example_params(path))
    expected = run(memory, q, params, engine="rdflib")
    got = run(store, q, params)
    assert expected.vars == got.vars
    assert normalized(got) == normalized(expected), path.stem
    if path.stem == "conflicting-figures":
        assert len(got) > 0  # the seeds hold Amnesty's conflicting counts


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_same_rows_on_corpus(path: Path, corpus_pair: tuple[Graph, Graph]) -> None:
    memory, store = corpus_pair
    q = Query(path.read_text(encoding="utf-8"), str(path))
    params = parse_params(example_params(path))
    assert normalized(run(store, q, params)) == normalized(run(memory, q, params, engine="rdflib")), path.stem


def test_store_queries_run_in_oxigraph(corpus_pair: tuple[Graph, Graph]) -> None:
    _, store = corpus_pair
    q = Query((LIBRARY / "conflicting-figures.rq").read_text(encoding="utf-8"), "conflicting-figures")
    result = run(store, q)
    assert isinstance(result, OxigraphResult)
    rows = [{str(k): str(v) for k, v in row.asdict().items()} for row in result]
    assert len(rows) == 1 and rows[0]["countedNoun"] == "victim"  # survivors are counted as victims
    assert {rows[0]["figureA"], rows[0]["figureB"]} == {"423 victims", "58 survivors interviewed"}


def figures_graph(*documents: tuple[str, ...]) -> Graph:
    """One document per tuple of figures, each "Amnesty identified <figure>." (estimates)."""
    g = Graph()
    for i, figures in enumerate(documents):
        sentences = tuple(f"Amnesty identified {f}." for f in figures)
        claims = tuple(C(n, "Amnesty", "estimates", f) for n, f in enumerate(figures))
        g += document_graph(_resolved(f"{i}.txt", f"doc {i}", "2025-07-01", sentences, claims))
    return g


@pytest.mark.parametrize(("a", "b", "noun"), [
    ("53 scam centres", "45 scam centers", "center"),  # spelling folded
    ("423 victims", "58 survivors", "victim"),  # a survivor counts as a victim
    ("1.2 million victims", "900,000 victims", "victim"),
    ("at least 19 scam compounds", "12 scam centres", "center"),  # below a lower bound
    ("18 of the 53 scam centers", "40 scam centres", "center"),  # the whole of a partitive
])
def test_conflicting_figures_count_the_same_noun(a: str, b: str, noun: str) -> None:
    g = figures_graph((a,), (b,))
    q = Query((LIBRARY / "conflicting-figures.rq").read_text(encoding="utf-8"), "conflicting-figures")
    for graph in (g, on_oxigraph(g)):
        rows = [{str(k): str(v) for k, v in row.asdict().items()} for row in run(graph, q)]
        assert [(r["countedNoun"], {r["figureA"], r["figureB"]}) for r in rows] == [(noun, {a, b})]


@pytest.mark.parametrize(("a", "b"), [
    ("53 scam centres", "45 suspicious locations"),  # "identified" in both: no shared word decides
    ("58 survivors interviewed", "12 interventions"),
    ("53 scam centres", "20 of the 53 scamming compounds"),  # the same 53
    ("53 scam centres", "at least 19 scam centers"),  # 53 is at least 19
    ("as many as 100,000 people", "80,000 people"),
    ("about 100 victims", "95 victims"),
    ("thousands of workers", "300 workers"),  # no digits: not compared
    ("53 scam centres", "53 scam centers"),
])
def test_figures_that_agree_or_count_different_things_are_no_conflict(a: str, b: str) -> None:
    g = figures_graph((a,), (b,))
    q = Query((LIBRARY / "conflicting-figures.rq").read_text(encoding="utf-8"), "conflicting-figures")
    for graph in (g, on_oxigraph(g)):
        assert list(run(graph, q)) == [], (a, b)


def test_writers_give_the_same_bytes(corpus_pair: tuple[Graph, Graph]) -> None:
    """CSV, TSV and JSON written from Oxigraph terms equal those written from rdflib terms."""
    memory, store = corpus_pair
    q = Query("SELECT ?s ?label ?n ?lang WHERE { ?s rdfs:label ?label . OPTIONAL { ?s ng:startOffset ?n } "
              'BIND(STRLANG("x\\ty", "en") AS ?lang) } ORDER BY ?s ?label', "-e")
    for fmt in ("csv", "tsv", "json", "table"):
        assert format_result(run(store, q), fmt) == format_result(run(memory, q, engine="rdflib"), fmt), fmt


def test_parameters_are_terms_on_the_store(corpus_pair: tuple[Graph, Graph]) -> None:
    memory, store = corpus_pair
    path = LIBRARY / "evidence-for-relation.rq"
    q = Query(path.read_text(encoding="utf-8"), str(path))
    hostile = parse_params({"subject": 'x" } UNION { ?s ?p ?o } #'})
    assert list(run(store, q, hostile)) == []
    # a projected parameter (relation) and unprojected ones (subject, object) together
    params = parse_params({"subject": "Amnesty", "object": "Cambodia",
                           "relation": "<https://w3id.org/newsgraph/ontology#reportsOn>"})
    got = run(store, q, params)
    assert isinstance(got, OxigraphResult)
    assert normalized(got) == normalized(run(memory, q, params, engine="rdflib")) and len(got) == 1
    same = run(store, "SELECT ?c WHERE { ?c rdfs:label ?label }", {"label": Literal("Cambodia")})
    assert [str(r[0]) for r in same] == ["https://w3id.org/newsgraph/id/country/kh"]


def test_paths_between_on_the_store(corpus_pair: tuple[Graph, Graph]) -> None:
    """paths-between tests BOUND(?from): Oxigraph's substitutions are never bound inside a
    query, so a store answers it with rdflib's engine, and the same as a file."""
    memory, store = corpus_pair
    path = LIBRARY / "paths-between.rq"
    q = Query(path.read_text(encoding="utf-8"), str(path))
    params = parse_params({"from": "Wang Xing", "to": "Myawaddy"})
    got = run(store, q, params)
    assert normalized(got) == normalized(run(memory, q, params, engine="rdflib"))
    assert [(str(r.hops), str(r.via1Label)) for r in got] == [("2", "KK Park")]


def test_values_block_goes_in_the_outermost_where_group() -> None:
    text = ('PREFIX x: <http://e/#select>\n# SELECT { in a comment\n'
            'SELECT (IF(?a, "{", 1) AS ?where) ?b WHERE { ?a ?b "SELECT {" { ?a ?b ?c } }')
    out = with_values(text, {"b": Literal('say "hi" } DROP ALL')})
    assert out is not None
    assert out.endswith('?b WHERE { VALUES (?b) { ("say \\"hi\\" } DROP ALL") }  ?a ?b "SELECT {" { ?a ?b ?c } }')
    ox.Store().query(out)  # well-formed
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert with_values(construct, {"s": Literal(1)}) == (
        'CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?s) { ("1"^^<http://www.w3.org/2001/XMLSchema#integer>) }  ?s ?p ?o }')
    assert with_values("DESCRIBE ?s", {"s": Literal(1)}) is None
