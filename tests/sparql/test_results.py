"""Result formats: W3C SPARQL 1.1 CSV/TSV/JSON that real parsers read back."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.query import Result

from graph.errors import QueryError
from graph.sparql import run
from graph.sparql.results import format_for, format_result, nt_term
from tests.rdf.convert import to_rdflib

EX = "http://example.org/"
TRICKY = 'line1\n"quoted",\ttab\\back'
DATA = f"""
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<{EX}a> rdfs:label "Alpha" ; <{EX}n> 7 ; <{EX}d> "2.50"^^xsd:decimal .
<{EX}b> rdfs:label "Béta"@fr .
<{EX}c> rdfs:label "Gamma" .
"""
SELECT = f"""SELECT ?s ?label ?n ?d ?note WHERE {{
  ?s rdfs:label ?label .
  OPTIONAL {{ ?s <{EX}n> ?n }} OPTIONAL {{ ?s <{EX}d> ?d }} OPTIONAL {{ ?s <{EX}note> ?note }}
}} ORDER BY ?s"""


@pytest.fixture(scope="module")
def small() -> Graph:
    g = Graph().parse(data=DATA, format="turtle")
    g.add((URIRef(EX + "b"), URIRef(EX + "note"), Literal(TRICKY)))
    return g


@pytest.fixture()
def result(small) -> Result:
    return run(small, SELECT)


def expected_rows(small) -> list[tuple]:
    return [tuple(r) for r in run(small, SELECT)]


def test_csv_parses_back(small, result):
    data = format_result(result, "csv")
    assert b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert rows[0] == ["s", "label", "n", "d", "note"]
    plain = [["" if t is None else str(t) for t in row] for row in expected_rows(small)]
    assert rows[1:] == plain
    assert rows[2][4] == TRICKY


def test_tsv_parses_back_with_rdflib(small, result):
    data = format_result(result, "tsv").decode("utf-8")
    assert data.splitlines()[0] == "?s\t?label\t?n\t?d\t?note"
    back = Result.parse(io.StringIO(data), format="tsv")
    assert [str(v) for v in back.vars] == ["s", "label", "n", "d", "note"]
    assert [tuple(r) for r in back] == expected_rows(small)


def test_tsv_parses_back_with_pyoxigraph(small, result):
    data = format_result(result, "tsv")
    solutions = ox.parse_query_results(data, ox.QueryResultsFormat.TSV)
    names = [v.value for v in solutions.variables]
    back = [tuple(None if s[n] is None else to_rdflib(s[n]) for n in names) for s in solutions]
    assert back == expected_rows(small)


def test_json_is_sparql_results_json(small, result):
    data = json.loads(format_result(result, "json"))
    assert set(data) == {"head", "results"}
    assert data["head"]["vars"] == ["s", "label", "n", "d", "note"]
    bindings = data["results"]["bindings"]
    assert len(bindings) == 3
    assert bindings[0]["s"] == {"type": "uri", "value": EX + "a"}
    assert bindings[0]["label"] == {"type": "literal", "value": "Alpha"}
    assert bindings[0]["n"] == {"type": "literal", "value": "7", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    assert bindings[1]["label"] == {"type": "literal", "value": "Béta", "xml:lang": "fr"}
    assert "n" not in bindings[1]  # unbound variables are left out
    for row in bindings:
        for term in row.values():
            assert term["type"] in {"uri", "literal", "bnode"} and isinstance(term["value"], str)
    solutions = ox.parse_query_results(format_result(run(small, SELECT), "json"), ox.QueryResultsFormat.JSON)
    names = [v.value for v in solutions.variables]
    assert [tuple(None if s[n] is None else to_rdflib(s[n]) for n in names) for s in solutions] == expected_rows(small)


def test_ask_results(small):
    yes = run(small, "ASK { ?s rdfs:label 'Alpha' }")
    assert format_result(yes, "table") == b"true\n"
    assert format_result(run(small, "ASK { ?s rdfs:label 'Zeta' }"), "csv") == b"false\n"
    assert json.loads(format_result(run(small, "ASK { ?s rdfs:label 'Alpha' }"), "json")) == {"head": {}, "boolean": True}
    assert bool(ox.parse_query_results(format_result(yes, "json"), ox.QueryResultsFormat.JSON)) is True


def test_construct_gives_turtle(small):
    q = f"CONSTRUCT {{ ?s <{EX}named> ?label }} WHERE {{ ?s rdfs:label ?label }}"
    data = format_result(run(small, q), "table")
    g = Graph().parse(data=data, format="turtle")
    assert len(g) == 3
    nt = format_result(run(small, q), "nt")
    assert len(Graph().parse(data=nt, format="nt")) == 3
    with pytest.raises(QueryError):
        format_result(run(small, q), "csv")
    with pytest.raises(QueryError):
        format_result(run(small, SELECT), "turtle")


def test_table_is_aligned_with_short_iris(small):
    text = format_result(run(small, "SELECT ?s ?p WHERE { ?s ?p 'Alpha' }"), "table").decode()
    lines = text.splitlines()
    assert lines[0].split() == ["s", "p"]
    assert "rdfs:label" in text and "http://example.org/a" in text
    assert lines[-1].strip() == "1 row"


def test_nt_term_escapes():
    assert nt_term(Literal("a\tb\nc")) == '"a\\tb\\nc"'
    assert nt_term(BNode("x1")) == "_:x1"
    assert nt_term(None) == ""


def test_format_for():
    assert format_for(None, "out.csv") == "csv"
    assert format_for(None, "x.srj") == "json"
    assert format_for(None, None) == "table"
    assert format_for("TSV") == "tsv"
    with pytest.raises(QueryError):
        format_for("yaml")


def test_unknown_output_extension_is_refused():
    with pytest.raises(QueryError, match="x.xlsx: no result format has the extension '.xlsx'"):
        format_for(None, "x.xlsx")
    assert format_for("csv", "x.xlsx") == "csv"  # an explicit format wins
    assert format_for(None, "results") == "table"


def test_short_terms_are_valid_sparql_and_turtle():
    from rdflib import URIRef

    from graph.sparql.results import short_term

    ngr = "https://w3id.org/newsgraph/id/"
    assert short_term(URIRef(ngr + "country/cn")) == "ngr:country\\/cn"
    assert short_term(URIRef("https://w3id.org/newsgraph/ontology#reportsOn")) == "ng:reportsOn"
    assert short_term(URIRef(ngr + "x y")) == f"<{ngr}x y>"  # cannot be a local name
    for iri in ("country/cn", "doc/abc.", "a.b", "-x", "q?x=1#f"):
        text = short_term(URIRef(ngr + iri))
        doc = f"PREFIX ngr: <{ngr}>\nASK {{ {text} ?p ?o }}"
        ox.Store().query(doc)  # parses
        g = Graph().parse(data=f"@prefix ngr: <{ngr}> .\n{text} <http://e/p> 1 .", format="turtle")
        assert {str(s) for s in g.subjects()} == {ngr + iri}
