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
from xml.etree import ElementTree

import pytest
import requests
from rdflib import Graph

from graph.query.server import SparqlServer, make_server, negotiate
from tests.query.library_corpus import corpus_graph

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
