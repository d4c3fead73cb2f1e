"""Queries: lookup by name or path, parameters bound as RDF terms, errors."""

from __future__ import annotations

import importlib
import types
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

import graph
from graph.errors import QueryError
from graph.sparql import LIBRARY_DIR, Query, find_query, list_queries, parse_param, parse_params, run

EX = "http://example.org/"
DATA = f"""
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ng: <https://w3id.org/newsgraph/ontology#> .
<{EX}kh> rdfs:label "Cambodia" ; ng:iso3166 "KH" .
<{EX}mm> rdfs:label "Myanmar" ; ng:iso3166 "MM" .
<{EX}v> rdfs:label "victims" ; ng:traffickedFrom <{EX}mm> ; ng:count 3 .
<{EX}x> rdfs:label "Say \\"hi\\" }} ; DROP ALL" .
"""


@pytest.fixture()
def small() -> Graph:
    return Graph().parse(data=DATA, format="turtle")


def test_parse_param_kinds():
    assert parse_param("Cambodia") == Literal("Cambodia")
    assert parse_param("<https://example.org/a>") == URIRef("https://example.org/a")
    assert parse_param("42") == Literal(42)
    assert parse_param("42").datatype == XSD.integer
    assert parse_param("4.5").datatype == XSD.decimal
    assert parse_param('"Kambodscha"@de') == Literal("Kambodscha", lang="de")
    assert parse_param('"7"^^<http://www.w3.org/2001/XMLSchema#int>') == Literal("7", datatype=XSD.int)
    assert parse_param("a=b c") == Literal("a=b c")
    assert parse_param('"unterminated') == Literal('"unterminated')


@pytest.mark.parametrize("bad", ["<has space>", "<a>b>", '<x"y>'])
def test_bad_iri_param_is_rejected(bad):
    with pytest.raises(QueryError):
        parse_param(bad)


def test_parse_params_names():
    assert parse_params(["?label=Cambodia", "n=3"]) == {"label": Literal("Cambodia"), "n": Literal(3)}
    with pytest.raises(QueryError):
        parse_params(["novalue"])
    with pytest.raises(QueryError):
        parse_params(["bad name=1"])


def test_string_param_binds_a_literal(small):
    rows = list(run(small, "SELECT ?c WHERE { ?c rdfs:label ?label }", parse_params(["label=Cambodia"])))
    assert rows == [(URIRef(EX + "kh"),)]


def test_iri_and_int_params(small):
    q = "SELECT ?who WHERE { ?who ng:traffickedFrom ?place ; ng:count ?n }"
    rows = list(run(small, q, parse_params([f"place=<{EX}mm>", "n=3"])))
    assert rows == [(URIRef(EX + "v"),)]
    assert list(run(small, q, parse_params([f"place=<{EX}mm>", "n=4"]))) == []


def test_param_values_are_never_spliced_into_the_query(small):
    """A value full of SPARQL syntax matches only the literal with exactly that text."""
    evil = 'Say "hi" } ; DROP ALL'
    rows = list(run(small, "SELECT ?s WHERE { ?s rdfs:label ?label }", {"label": parse_param(evil)}))
    assert rows == [(URIRef(EX + "x"),)]
    rows = list(run(small, "SELECT ?s WHERE { ?s rdfs:label ?label }", parse_params(['label=x" } ?s ?p ?o { "'])))
    assert rows == []
    assert len(small) == 8


def test_unknown_param_name_is_an_error(small):
    with pytest.raises(QueryError, match="not a variable"):
        run(small, "SELECT ?s WHERE { ?s rdfs:label ?label }", parse_params(["lable=x"]))


def test_syntax_error_names_origin(small):
    with pytest.raises(QueryError, match="^my.rq: "):
        run(small, Query("SELEC ?x", "my.rq"))


def test_query_kind():
    assert Query("PREFIX a: <http://a/select#>\n# SELECT in a comment\nASK {}", "-").kind == "ASK"
    assert Query("construct { ?s ?p ?o } where { ?s ?p ?o }", "-").kind == "CONSTRUCT"


def test_find_query_by_path_and_name(tmp_path, monkeypatch):
    rq = tmp_path / "mine.rq"
    rq.write_text("SELECT * WHERE { ?s ?p ?o }", encoding="utf-8")
    assert find_query(str(rq)).text.startswith("SELECT")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "queries").mkdir()
    (tmp_path / "queries" / "local-one.rq").write_text("ASK {}", encoding="utf-8")
    q = find_query("local-one")
    assert q.text == "ASK {}" and q.origin.endswith("local-one.rq")
    assert "local-one" in list_queries()
    with pytest.raises(QueryError, match="no such"):
        find_query("does-not-exist")
    with pytest.raises(QueryError, match="no such query file"):
        find_query(str(tmp_path / "missing.rq"))
    with pytest.raises(QueryError):
        find_query("../etc/passwd")


def test_library_queries_found_by_name():
    library = sorted(LIBRARY_DIR.glob("*.rq")) if LIBRARY_DIR.is_dir() else []
    if not library:
        pytest.skip("no queries/*.rq yet")
    # from the repository, ./queries (a symlink to the package's library) is found first
    assert Path(find_query(library[0].stem).origin).resolve() == library[0].resolve()


def test_public_api_query(small):
    rows = list(graph.query(small, "SELECT ?c WHERE { ?c rdfs:label ?label }", label="Myanmar"))
    assert rows == [(URIRef(EX + "mm"),)]
    # the query engine lives in graph.sparql: importing it leaves the function graph.query alone
    importlib.import_module("graph.sparql.results")
    assert isinstance(graph.query, types.FunctionType)

    assert list(graph.query(small, "ASK { ?c rdfs:label ?label }", {"label": "Nowhere"})) == [False]
