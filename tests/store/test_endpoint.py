"""Remote store: build into a real `oxigraph serve` (loopback only) and query it."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from graph.pipeline import build_into, remove_documents
from graph.store import load
from graph.store.oxigraph import OxigraphDataset
from graph.store.remote import RemoteDataset
from tests.store.helpers import document_quads

OXIGRAPH = shutil.which("oxigraph")
pytestmark = pytest.mark.skipif(OXIGRAPH is None, reason="the oxigraph server (pip install oxigraph) is not installed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """`oxigraph serve` on 127.0.0.1, a free port and a temporary location; stopped after."""
    port = free_port()
    proc = subprocess.Popen(
        [str(OXIGRAPH), "serve", "--location", str(tmp_path / "oxigraph"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(url + "/query", params={"query": "ASK {}"}, timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("oxigraph serve did not start")
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_build_into_server_matches_local_store(server, corpus, nlp):
    remote = RemoteDataset(server)
    first = build_into(remote, [corpus], nlp=nlp)
    assert first.documents == 3
    local = OxigraphDataset()
    build_into(local, [corpus], nlp=nlp)
    assert remote.document_hashes() == local.document_hashes()
    # what the server holds, named graph by named graph, is what the local store holds
    dump = requests.get(server + "/store", headers={"Accept": "application/n-quads"}, timeout=30)
    back = OxigraphDataset()
    back.store.load(dump.content, format=__import__("pyoxigraph").RdfFormat.N_QUADS)
    assert document_quads(back) == document_quads(local)
    # queries through the SPARQL protocol see the merged graph (each triple once)
    g = load(server)
    assert len(g) == local.triple_count()
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert int(list(g.query(q))[0][0]) == local.triple_count()
    # idempotent: a second build skips everything, PUT again changes nothing
    assert build_into(remote, [corpus], nlp=nlp).skipped_unchanged == 3
    assert build_into(remote, [corpus], nlp=nlp, incremental=False).documents == 3
    assert len(load(server)) == local.triple_count()


def test_remove_from_server(server, corpus, nlp):
    remote = RemoteDataset(server)
    build_into(remote, [corpus], nlp=nlp)
    removed, missing = remove_documents(remote, ["b.txt"])
    assert len(removed) == 1 and not missing
    local = OxigraphDataset()
    build_into(local, [corpus], nlp=nlp)
    remove_documents(local, ["b.txt"])
    assert remote.document_hashes() == local.document_hashes()
    assert len(load(server)) == local.triple_count()


def test_unreachable_server_is_a_store_error():
    from graph.errors import StoreError

    with pytest.raises(StoreError):
        RemoteDataset(f"http://127.0.0.1:{free_port()}", timeout=2).document_hashes()


def test_export_from_server_keeps_named_graphs(server, corpus, nlp):
    """`newsgraph export URL --format nquads` gives the documents' named graphs; nt the merge."""
    import pyoxigraph as ox
    from click.testing import CliRunner

    from graph.cli import cli

    build_into(RemoteDataset(server), [corpus], nlp=nlp)
    local = OxigraphDataset()
    build_into(local, [corpus], nlp=nlp)
    res = CliRunner().invoke(cli, ["export", server, "--format", "nquads"])
    assert res.exit_code == 0, res.output
    back = OxigraphDataset()
    back.store.extend(ox.parse(res.stdout_bytes, format=ox.RdfFormat.N_QUADS))
    assert document_quads(back) == document_quads(local)
    assert len({q.graph_name for q in back.named_quads()}) >= 4
    merged = CliRunner().invoke(cli, ["export", server, "--format", "nt"])
    assert merged.exit_code == 0 and len(merged.stdout_bytes.splitlines()) == local.triple_count()
