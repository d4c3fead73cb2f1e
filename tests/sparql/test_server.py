"""The read-only SPARQL endpoint, tested with a real HTTP client against a real server on loopback."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
import requests
from rdflib import Graph

from graph.errors import QueryError
from graph.sparql.server import SparqlServer, make_server, negotiate
from tests.sparql.library_corpus import corpus_graph
from tests.sparql.serve_process import ServeProcess, write_store

LABELS = "SELECT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY ?label LIMIT 3"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def server() -> Iterator[SparqlServer]:
    srv = make_server(corpus_graph(hostile=True), "127.0.0.1:0")
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def get(server: SparqlServer, query: str, accept: str | None = None) -> requests.Response:
    headers = {"Accept": accept} if accept else {}
    return requests.get(server.url + "query", params={"query": query}, headers=headers, timeout=30)


def test_select_json_by_default(server: SparqlServer) -> None:
    r = get(server, LABELS)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/sparql-results+json")
    data = r.json()
    assert data["head"]["vars"] == ["s", "label"]
    assert len(data["results"]["bindings"]) == 3
    assert data["results"]["bindings"][0]["s"]["type"] == "uri"


def test_select_xml_csv_tsv(server: SparqlServer) -> None:
    xml = get(server, LABELS, "application/sparql-results+xml")
    assert xml.status_code == 200 and xml.headers["Content-Type"].startswith("application/sparql-results+xml")
    ns = "{http://www.w3.org/2005/sparql-results#}"
    assert len(ElementTree.fromstring(xml.content).findall(f"{ns}results/{ns}result")) == 3
    c = get(server, LABELS, "text/csv")
    assert c.headers["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(c.text)))
    assert table[0] == ["s", "label"] and len(table) == 4
    t = get(server, LABELS, "text/tab-separated-values")
    assert t.text.splitlines()[0] == "?s\t?label"
    assert t.text.splitlines()[1].startswith("<https://")


def test_accept_quality_values(server: SparqlServer) -> None:
    r = get(server, LABELS, "text/csv;q=0.5, application/sparql-results+xml;q=0.9, */*;q=0.1")
    assert r.headers["Content-Type"].startswith("application/sparql-results+xml")


def test_ask(server: SparqlServer) -> None:
    r = get(server, "ASK { ?s a ng:Country }")
    assert r.json() == {"head": {}, "boolean": True}


def test_construct_as_turtle_and_jsonld(server: SparqlServer) -> None:
    q = "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a ng:Country ; rdfs:label ?l }"
    ttl = get(server, q, "text/turtle")
    assert ttl.status_code == 200 and ttl.headers["Content-Type"].startswith("text/turtle")
    g = Graph().parse(data=ttl.text, format="turtle")
    assert len(g) == 8
    jl = requests.post(server.url + "query", data=q.encode(), timeout=30,
                       headers={"Content-Type": "application/sparql-query", "Accept": "application/ld+json"})
    assert jl.headers["Content-Type"].startswith("application/ld+json")
    assert len(Graph().parse(data=jl.text, format="json-ld")) == 8


def test_post_form_and_direct(server: SparqlServer) -> None:
    form = requests.post(server.url + "query", data={"query": LABELS}, timeout=30)
    direct = requests.post(server.url + "query", data=LABELS.encode(), timeout=30,
                           headers={"Content-Type": "application/sparql-query; charset=utf-8"})
    assert form.status_code == direct.status_code == 200
    assert form.json() == direct.json()


def test_not_acceptable(server: SparqlServer) -> None:
    assert get(server, LABELS, "image/png").status_code == 406
    assert get(server, "CONSTRUCT WHERE { ?s ?p ?o }", "text/csv").status_code == 406


@pytest.mark.parametrize("how", ["form-update", "sparql-update", "insert-as-query", "get-update", "update-path", "put"])
def test_updates_refused(server: SparqlServer, how: str) -> None:
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    url = server.url + "query"
    if how == "form-update":
        r = requests.post(url, data={"update": update}, timeout=30)
    elif how == "sparql-update":
        r = requests.post(url, data=update.encode(), headers={"Content-Type": "application/sparql-update"}, timeout=30)
    elif how == "insert-as-query":
        r = requests.post(url, data={"query": "PREFIX x: <urn:x#>\n" + update}, timeout=30)
    elif how == "get-update":
        r = requests.get(url, params={"update": update}, timeout=30)
    elif how == "update-path":
        r = requests.post(server.url + "update", data={"update": update}, timeout=30)
    else:
        r = requests.put(url, data=b"<urn:a> <urn:b> <urn:c> .", timeout=30)
    assert r.status_code in (403, 405), r.text
    assert get(server, "ASK { <urn:a> ?p ?o }").json()["boolean"] is False


def test_service_and_from_refused(server: SparqlServer) -> None:
    r = get(server, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert r.status_code == 403 and "SERVICE" in r.text
    r = get(server, "SELECT * FROM <http://127.0.0.1:9/x.ttl> WHERE { ?s ?p ?o }")
    assert r.status_code == 403 and "FROM" in r.text


def test_errors(server: SparqlServer) -> None:
    assert get(server, "SELEC ?x").status_code == 400
    assert requests.get(server.url + "query", timeout=30).status_code == 400
    assert requests.get(server.url + "nothing", timeout=30).status_code == 404
    r = requests.post(server.url + "query", data=b"x", headers={"Content-Type": "text/plain"}, timeout=30)
    assert r.status_code == 415


def test_html_page_has_no_network_resources(server: SparqlServer) -> None:
    r = requests.get(server.url, timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    assert "<textarea" in r.text
    for marker in ('src="http', "src='http", 'href="http', "url(http", "//cdn"):
        assert marker not in r.text
    assert "default-src 'none'" in r.headers["Content-Security-Policy"]


def test_hostile_text_is_data(server: SparqlServer) -> None:
    r = get(server, "SELECT ?t WHERE { ?d a schema:NewsArticle ; dcterms:title ?t FILTER(CONTAINS(?t, 'onerror')) }")
    assert "<img" in r.json()["results"]["bindings"][0]["t"]["value"]  # served as JSON data, never as HTML
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_negotiate() -> None:
    offers = {"a/x": "x", "b/y": "y"}
    assert negotiate(None, offers) == ("a/x", "x")
    assert negotiate("b/*", offers) == ("b/y", "y")
    assert negotiate("b/y;q=0, a/x", offers) == ("a/x", "x")
    assert negotiate("c/z", offers) is None


def test_serve_command(tmp_path: Path) -> None:
    """``newsgraph serve`` in a subprocess, on a free port, answers queries."""
    graph_file = tmp_path / "graph.ttl"
    corpus_graph().serialize(graph_file, format="turtle")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "graph", "serve", str(graph_file), "--bind", "127.0.0.1:0"],
                            stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
    try:
        line = proc.stderr.readline() if proc.stderr else ""
        assert "serving SPARQL on http://127.0.0.1:" in line, line
        url = line.split(" on ", 1)[1].split()[0]
        r = requests.get(url, params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s a ng:Country }"}, timeout=30)
        assert json.loads(r.text)["results"]["bindings"][0]["n"]["value"] == "8"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# --- the library through a real `newsgraph serve`; query vs update by the grammar (issue 12.4) ---

LIBRARY = sorted((ROOT / "queries").glob("*.rq"))


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[Path, ServeProcess]]]:
    """The corpus as a Turtle file and as an on-disk store, each behind `newsgraph serve`."""
    base = tmp_path_factory.mktemp("library")
    graph_file = base / "graph.ttl"
    corpus_graph().serialize(graph_file, format="turtle")
    store = write_store(corpus_graph(), base / "store")
    procs = {"file": (graph_file, ServeProcess(graph_file, "--workers", "2")),
             "store": (store, ServeProcess(store, "--workers", "2"))}
    yield procs
    for _, proc in procs.values():
        proc.stop()


def _cli(*args: str, catch: bool = False) -> Any:
    """``newsgraph ARGS`` in this process (``main`` would turn errors into one line and exit 2)."""
    from click.testing import CliRunner

    from graph.cli import cli

    return CliRunner().invoke(cli, list(args), catch_exceptions=catch)


@pytest.mark.parametrize("kind", ["file", "store"])
@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_library_query_through_serve_gives_the_rows_of_newsgraph_query(
        served: dict[str, tuple[Path, ServeProcess]], path: Path, kind: str) -> None:
    source, proc = served[kind]
    text = path.read_text(encoding="utf-8")
    r = requests.post(proc.url + "query", data=text.encode("utf-8"), timeout=60,
                      headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    assert r.status_code == 200, (path.stem, r.status_code, r.text)
    local = _cli("query", str(source), str(path), "--format", "json")
    assert local.exit_code == 0, local.output
    expected = json.loads(local.output)
    assert r.json()["head"] == expected["head"]
    assert r.json()["results"]["bindings"] == expected["results"]["bindings"], path.stem
    assert expected["results"]["bindings"] or path.stem in {"conflicting-figures"}, "a library query with no rows"


@pytest.mark.parametrize("text", [
    "# victims with their origin: no insert, delete or load here\nSELECT ?s WHERE { ?s a ng:Country } LIMIT 1",
    "SELECT ?s WHERE { ?s rdfs:label ?l FILTER(?l != \"DROP GRAPH <urn:x>; INSERT DATA {}\") } LIMIT 1",
    "PREFIX with: <urn:with#>\nSELECT ?s WHERE { ?s a ng:Country } LIMIT 1",
    "PREFIX ng: <https://w3id.org/newsgraph/ontology#>\n# CLEAR ALL\nASK { ?s a ng:Country }",
])
def test_keywords_in_comments_strings_and_prefixes_are_not_updates(server: SparqlServer, text: str) -> None:
    r = requests.post(server.url + "query", data={"query": text}, timeout=30)
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("text", [
    "DELETE WHERE { ?s ?p ?o }",
    "# a comment first\nPREFIX x: <urn:x#>\nINSERT { ?s x:p 1 } WHERE { ?s ?p ?o }",
    "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "CLEAR ALL",
    "LOAD <http://127.0.0.1:9/x.ttl>",
    "DROP SILENT GRAPH <urn:x> ; CREATE GRAPH <urn:y>",
])
def test_updates_are_refused_whatever_their_shape(server: SparqlServer, text: str) -> None:
    r = requests.post(server.url + "query", data={"query": text}, timeout=30)
    assert r.status_code == 403 and "read-only" in r.text, r.text


def test_dataset_parameters_refused_as_the_readme_says(server: SparqlServer) -> None:
    r = requests.get(server.url + "query", params={"query": LABELS, "default-graph-uri": "urn:x"}, timeout=30)
    assert r.status_code == 403
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### SPARQL endpoint (`serve`)", 1)[1].split("\n### ", 1)[0]
    assert "`SERVICE` and `FROM`" in section and "(403)" in section


def test_graph_queries_on_a_file_are_answered(server: SparqlServer, served: dict[str, tuple[Path, ServeProcess]]) -> None:
    """A Turtle file has no named graphs: GRAPH matches nothing (it answered 500 before);
    a store has one named graph per document."""
    q = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    r = get(server, q)
    assert r.status_code == 200 and r.json()["results"]["bindings"] == []
    r = requests.get(served["file"][1].url + "query", params={"query": q}, timeout=30)
    assert r.status_code == 200 and r.json()["results"]["bindings"] == []
    r = requests.get(served["store"][1].url + "query", params={"query": q}, timeout=30)
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 1
    r = get(server, "ASK { GRAPH <urn:nothing> { ?s ?p ?o } }")
    assert r.status_code == 200 and r.json()["boolean"] is False


@pytest.mark.parametrize(("text", "status", "message"), [
    ("SELEC ?x", "HTTP 400 Bad Request", "malformed query"),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "HTTP 403 Forbidden", "read-only"),
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/s> { ?s ?p ?o } }", "HTTP 403 Forbidden", "SERVICE"),
])
def test_query_on_a_server_url_shows_its_status_and_message(server: SparqlServer, text: str, status: str,
                                                             message: str) -> None:
    result = _cli("query", server.url, "-e", text, catch=True)
    assert isinstance(result.exception, QueryError) and result.exception.exit_code == 2
    assert status in str(result.exception) and message in str(result.exception), result.exception
    assert "You did something wrong" not in str(result.exception)


def test_query_on_a_server_url_gives_rows(server: SparqlServer, tmp_path: Path) -> None:
    result = _cli("query", server.url, "-e", LABELS, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "s,label" and len(result.output.splitlines()) == 4


@pytest.mark.parametrize("kind", ["memory-store", "trig-dataset", "stdin"])
def test_every_kind_of_graph_is_served_with_its_named_graphs(kind: str, tmp_path: Path) -> None:
    """The workers open what they are given: an in-memory Oxigraph store (handed over as
    N-Quads), a TriG file's dataset, or Turtle on standard input."""
    from graph.rdf.terms import graph_quads
    from graph.store import load
    from graph.store.oxigraph import OxigraphDataset

    ds = OxigraphDataset()
    ds.put_graph("urn:doc:1", graph_quads(corpus_graph(), "urn:doc:1"))
    (tmp_path / "graph.trig").write_bytes(ds.dump("trig"))
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    graphs = "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    if kind == "stdin":
        corpus_graph().serialize(tmp_path / "graph.ttl", format="turtle")
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        with (tmp_path / "graph.ttl").open("rb") as stdin:
            proc = subprocess.Popen([sys.executable, "-m", "graph", "serve", "-", "--bind", "127.0.0.1:0", "--workers", "1"],
                                    stdin=stdin, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
        try:
            url = (proc.stderr.readline() if proc.stderr else "").split(" on ", 1)[1].split()[0]
            r = requests.get(url, params={"query": count}, timeout=30)
            assert r.json()["results"]["bindings"][0]["n"]["value"] == str(len(corpus_graph()))
            assert requests.get(url, params={"query": graphs}, timeout=30).json()["results"]["bindings"] == []
        finally:
            proc.terminate()
            proc.wait(10)
        return
    source = ds.union_graph() if kind == "memory-store" else load(tmp_path / "graph.trig")
    srv = make_server(source, "127.0.0.1:0", workers=1)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        r = requests.get(srv.url + "query", params={"query": count}, timeout=30)
        assert r.json()["results"]["bindings"][0]["n"]["value"] == str(len(corpus_graph()))
        rows = requests.get(srv.url + "query", params={"query": graphs}, timeout=30).json()["results"]["bindings"]
        assert [row["g"]["value"] for row in rows] == ["urn:doc:1"]
    finally:
        srv.shutdown()
        srv.server_close()
