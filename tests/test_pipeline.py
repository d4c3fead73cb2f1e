"""End to end: building seeds/ gives a graph with evidence for every relation."""

from __future__ import annotations

import pytest
from rdflib import RDF

from graph.rdf.namespaces import NG, PROV
from tests.store.test_endpoint import OXIGRAPH, server  # noqa: F401  (a real `oxigraph serve` on loopback)


def test_seeds_build_has_documents(seeds_dataset):
    dataset, report = seeds_dataset
    assert report.documents == 2
    assert report.problems == []


def test_every_statement_has_evidence(seeds_graph):
    statements = list(seeds_graph.subjects(RDF.type, RDF.Statement))
    assert statements
    for st in statements:
        assert seeds_graph.value(st, PROV.wasDerivedFrom) is not None
        evidence = str(seeds_graph.value(st, NG.evidence))
        assert len(evidence) >= 20


def test_one_named_graph_per_document_plus_builds(seeds_dataset):
    from graph.rdf.build import BUILD_GRAPH
    from graph.rdf.namespaces import SDO

    dataset, report = seeds_dataset
    names = {g.identifier for g in dataset.graphs() if len(g)}
    docs = set(dataset.subjects(RDF.type, SDO.NewsArticle))
    assert len(docs) == report.documents
    assert docs | {BUILD_GRAPH} == names
    build = next(dataset.graph(BUILD_GRAPH).subjects(RDF.type, NG.Build))
    assert set(dataset.objects(build, PROV.used)) == docs


def test_report_counts_match_the_graph(seeds_dataset, seeds_graph):
    from graph.rdf.build import relation_of

    dataset, report = seeds_dataset
    assert report.triples == len(dataset)
    statements = set(seeds_graph.subjects(RDF.type, RDF.Statement))
    asserted = [st for st in statements if not set(seeds_graph.objects(st, NG.negated)) | set(seeds_graph.objects(st, NG.hedged))]
    direct = {t for t in seeds_graph if relation_of(t[1])}
    assert len(direct) <= len(asserted) <= report.relations


def test_build_time_comes_from_source_date_epoch(monkeypatch):
    from graph.rdf.build import build_graph

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = build_graph(["b", "a"], "0.1.0", "m", "1")
    second = build_graph(["a", "b"], "0.1.0", "m", "1")
    assert set(first) == set(second)
    assert "2023-11-14T22:13:20+00:00" in first.serialize(format="turtle")


# --- issue 15 item 10, issue 12 item 12: workers end with their build; --endpoint counts ---

STORY = (
    "Thai police rescued 40 workers from a scam compound in Myawaddy, Myanmar, on Tuesday. "
    "Amnesty International criticized the government of Cambodia for failing to act.\n"
)


def _children(pid: int) -> set[int]:
    """Live (not zombie) processes whose parent is ``pid``."""
    import os

    found = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not __import__("os").path.isdir("/proc/self"), reason="needs /proc")
def test_kill_9_of_a_build_with_workers_leaves_no_worker_running(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(200):
        (corpus / f"{n:03d}.txt").write_text(STORY.replace("40", str(n + 2)), encoding="utf-8")
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "graph", "build", str(corpus), "--out", str(tmp_path / "out"), "--workers", "2", "--no-html"],
        cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while len(workers) < 2 and proc.poll() is None and time.monotonic() < deadline:
            workers = _children(proc.pid)
            time.sleep(0.1)
        assert len(workers) >= 2, "the build never started its workers"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [w for w in workers if _alive(w)], "worker processes outlived their build"
    finally:
        for w in workers:  # only the processes this test's build started
            if _alive(w):
                os.kill(w, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_parent_watch_ends_a_worker_whose_parent_is_gone():
    import multiprocessing
    import os
    import time

    from graph import pipeline

    def worker() -> None:
        try:  # told that its parent is some other process, it sees a different parent: it exits
            pipeline._exit_with_parent(os.getppid() + 10_000_000)
        except Exception:
            os._exit(5)
        time.sleep(30)
        os._exit(0)

    child = multiprocessing.get_context("fork").Process(target=worker)
    started = time.monotonic()
    child.start()
    child.join(10)
    assert child.exitcode == 1 and time.monotonic() - started < 5


@pytest.mark.skipif(OXIGRAPH is None, reason="the oxigraph server (pip install oxigraph) is not installed")
def test_endpoint_build_reports_the_triples_on_the_server(server, nlp, tmp_path, monkeypatch):  # noqa: F811
    from click.testing import CliRunner

    import graph.pipeline
    from graph.cli import cli
    from graph.store.remote import RemoteDataset

    monkeypatch.setattr(graph.pipeline, "load_nlp", lambda *a, **k: nlp)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(STORY, encoding="utf-8")
    result = CliRunner().invoke(cli, ["-q", "build", str(tmp_path / "in"), "--endpoint", server])
    assert result.exit_code == 0, result.output
    lines = dict(line.split(None, 1) for line in result.stdout.splitlines())
    remote = RemoteDataset(server)
    try:
        on_server = remote.triple_count()
    finally:
        remote.close()
    assert on_server > 50 and int(lines["triples"]) == on_server


def test_spawned_workers_load_the_same_pipeline_options():
    """Workers that load their own pipeline (spawn) get --relation-model/--rules too."""
    from graph.model import Document
    from graph.pipeline import iter_results

    docs = [Document(key=f"{i}.txt", text="Amnesty International accused Cambodia of ignoring abuses.", source=f"{i}.txt")
            for i in range(3)]

    def extractors(results) -> set[str]:
        return {str(q.object.value) for _, r in results for q in r.quads if str(q.predicate.value).endswith("#extractor")}

    rules_only = extractors(iter_results(docs, workers=2, start_method="spawn", load_options={"relation_model": "none"}))
    assert rules_only and not any(e.startswith("model") for e in rules_only)
    with_model = extractors(iter_results(docs, workers=2, start_method="spawn"))
    assert any(e.startswith("model") for e in with_model)
