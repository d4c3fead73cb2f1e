"""Builds on a Dask cluster: a real `dask scheduler` and `dask worker` processes on 127.0.0.1.

The corpus is generated here: short synthetic news items, so 120 documents parse in seconds.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.pipeline import build_into
from graph.store.oxigraph import OxigraphDataset

ROOT = Path(__file__).resolve().parents[1]
DASK = Path(sys.executable).with_name("dask")
HAVE_DASK = importlib.util.find_spec("distributed") is not None and DASK.exists()
needs_dask = pytest.mark.skipif(not HAVE_DASK, reason="needs the cluster extra: pip install 'newsgraph[cluster]'")
EPOCH = "1700000000"
DOCS = 120

PLACES = [("Myawaddy", "Myanmar"), ("Sihanoukville", "Cambodia"), ("Manila", "the Philippines"),
          ("Bangkok", "Thailand"), ("Vientiane", "Laos"), ("Jakarta", "Indonesia")]
ORGS = ["Interpol", "the United Nations", "Amnesty International", "Human Rights Watch",
        "the International Organization for Migration"]


def synthetic_corpus(folder: Path, n: int) -> Path:
    """``n`` short, distinct news items (two sentences each) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        city, country = PLACES[i % len(PLACES)]
        org = ORGS[(i // len(PLACES)) % len(ORGS)]
        text = (f"Police in {city}, {country}, rescued {20 + i} workers from a scam compound on Monday. "
                f"{org} said the victims had been lured by fake job offers.\n")
        (folder / f"item{i:03d}.txt").write_text(text, encoding="utf-8")
    return folder


@contextmanager
def dask_cluster(folder: Path, workers: int = 2) -> Iterator[tuple[str, list[subprocess.Popen]]]:
    """`dask scheduler` and ``workers`` `dask worker` processes (one thread each) on 127.0.0.1."""
    folder.mkdir(parents=True, exist_ok=True)
    info = folder / "scheduler.json"
    procs: list[subprocess.Popen] = []

    def start(args: list[str], log: str) -> subprocess.Popen:
        with open(folder / log, "wb") as fh:
            proc = subprocess.Popen([str(DASK), *args], stdout=subprocess.DEVNULL, stderr=fh, cwd=folder)
        procs.append(proc)
        return proc

    try:
        scheduler = start(["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                           "--dashboard-address", "127.0.0.1:0", "--scheduler-file", str(info)], "scheduler.log")
        deadline = time.monotonic() + 60
        while not info.is_file() or not info.read_text().strip():
            if scheduler.poll() is not None or time.monotonic() > deadline:
                pytest.fail("dask scheduler did not start: " + (folder / "scheduler.log").read_text()[-2000:])
            time.sleep(0.1)
        address = json.loads(info.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        # --preload graph.cluster: each worker loads the pipeline as it starts (dask_setup)
        workers_procs = [start(["worker", address, "--nthreads", "1", "--no-nanny", "--preload", "graph.cluster",
                                "--host", "127.0.0.1",
                                "--no-dashboard", "--dashboard-address", "127.0.0.1:0", "--name", f"w{i}"],
                               f"worker{i}.log") for i in range(workers)]
        from distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(workers, timeout=90)
            from graph.cluster import loaded_pipelines

            loaded = client.run(loaded_pipelines)
        assert sorted(loaded.values()) == [1] * workers, loaded  # the preload loaded the pipeline
        yield address, workers_procs
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture(autouse=True)
def fixed_build_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.delenv("DASK_SCHEDULER_ADDRESS", raising=False)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic_corpus(tmp_path_factory.mktemp("cluster") / "corpus", DOCS)


@pytest.fixture(scope="module")
def single(corpus: Path, nlp) -> OxigraphDataset:
    """The corpus built in this one process (no workers, no cluster)."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        ds = OxigraphDataset()
        report = build_into(ds, [corpus], nlp=nlp)
    finally:
        if old is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
    assert report.documents == DOCS and not report.problems
    return ds


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not HAVE_DASK:
        pytest.skip("needs the cluster extra: pip install 'newsgraph[cluster]'")
    with dask_cluster(tmp_path_factory.mktemp("dask")) as (address, _):
        yield address


# --- the real thing ----------------------------------------------------------------------------


@needs_dask
def test_cluster_build_is_byte_identical_to_one_process(cluster, corpus, single, tmp_path):
    out = tmp_path / "out"
    res = CliRunner().invoke(cli, ["build", str(corpus), "--out", str(out), "--no-html", "--cluster", cluster])
    assert res.exit_code == 0, res.output
    assert f"documents  {DOCS}\n" in res.output and f"cluster    {cluster}\n" in res.output
    assert (out / "graph.trig").read_bytes() == single.dump("trig")
    assert (out / "graph.ttl").read_bytes() == single.dump("turtle")
    # the address from DASK_SCHEDULER_ADDRESS, as Dask users expect; the rerun skips every document
    again = CliRunner().invoke(cli, ["build", str(corpus), "--out", str(out), "--no-html"],
                               env={"DASK_SCHEDULER_ADDRESS": cluster})
    assert again.exit_code == 0, again.output
    assert "documents  0\n" in again.output and f"unchanged  {DOCS}\n" in again.output
    assert f"cluster    {cluster}\n" in again.output
    assert (out / "graph.trig").read_bytes() == single.dump("trig")


@needs_dask
def test_a_worker_killed_mid_build_loses_nothing(corpus, single, tmp_path):
    from graph.cluster import ClusterRunner

    with dask_cluster(tmp_path / "dask") as (address, procs), ClusterRunner(address) as runner:
        pids = runner.client.run(os.getpid)  # worker address -> pid
        assert sorted(pids.values()) == sorted(p.pid for p in procs)
        killed: list[tuple[str, int]] = []
        seen = [0]

        def progress(_document) -> None:
            seen[0] += 1
            if seen[0] == 24 and not killed:  # three batches in: the others are in flight
                busy = {w: keys for w, keys in runner.client.processing().items() if keys}
                assert busy, "no worker had a batch in flight"
                victim = sorted(busy)[0]
                os.kill(pids[victim], signal.SIGKILL)
                killed.append((victim, pids[victim]))

        ds = OxigraphDataset()
        report = build_into(ds, [corpus], progress=progress, cluster=runner)
        assert killed, "the build ended before a worker could be killed"
        victim_proc = next(p for p in procs if p.pid == killed[0][1])
        assert victim_proc.wait(timeout=10) == -signal.SIGKILL
    assert report.documents == DOCS and not report.problems
    docs = ds.documents()
    assert len(docs) == DOCS and len({iri for iri, _, _ in docs}) == DOCS  # each document once
    assert ds.dump("trig") == single.dump("trig")  # and nothing twice: the same bytes


@needs_dask
def test_no_worker_left_stops_the_build_with_a_clear_error(tmp_path, monkeypatch):
    from graph import cluster as cl
    from graph.errors import ClusterError

    monkeypatch.setattr(cl, "LOG_EVERY", 0.5)  # look at the workers every half second
    corpus = synthetic_corpus(tmp_path / "corpus", 40)
    with dask_cluster(tmp_path / "dask", workers=1) as (address, procs), \
            cl.ClusterRunner(address, worker_wait=3) as runner:

        def progress(_document) -> None:
            if procs[0].poll() is None:
                procs[0].kill()

        errors: list[BaseException] = []

        def build() -> None:
            try:
                build_into(OxigraphDataset(), [corpus], progress=progress, cluster=runner)
            except BaseException as err:  # noqa: BLE001  (handed to the test thread)
                errors.append(err)

        thread = threading.Thread(target=build, daemon=True)  # without the watchdog it would wait forever
        thread.start()
        thread.join(60)
        assert not thread.is_alive(), "the build still waits for a worker after 60 s"
        assert len(errors) == 1 and isinstance(errors[0], ClusterError), errors
        assert "no Dask worker left for 3 s" in str(errors[0])


@needs_dask
def test_workers_write_to_the_sparql_server_themselves(cluster, corpus, single, tmp_path):
    """With --endpoint, the documents' graphs go from the workers to the server: the client
    only records the build (a sink that refuses put_graph proves it)."""
    import pyoxigraph as ox
    import requests

    from graph.cluster import ClusterRunner
    from graph.store.remote import RemoteDataset
    from tests.store.helpers import document_quads
    from tests.store.test_endpoint import OXIGRAPH, free_port

    if OXIGRAPH is None:
        pytest.skip("the oxigraph server (pip install oxigraph) is not installed")

    class NoClientWrites(RemoteDataset):
        def put_graph(self, name, quads):
            raise AssertionError(f"the client wrote {name}")

    port = free_port()
    server = subprocess.Popen([OXIGRAPH, "serve", "--location", str(tmp_path / "db"), "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(url + "/query", params={"query": "ASK {}"}, timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, "oxigraph serve did not start"
            time.sleep(0.1)
        sink = NoClientWrites(url)
        with ClusterRunner(cluster) as runner:
            report = build_into(sink, [corpus], cluster=runner)
            assert report.documents == DOCS and not report.problems
            assert build_into(sink, [corpus], cluster=runner).skipped_unchanged == DOCS  # rerun: nothing to do
        dump = requests.get(url + "/store", headers={"Accept": "application/n-quads"}, timeout=60)
        back = OxigraphDataset()
        back.store.load(dump.content, format=ox.RdfFormat.N_QUADS)
        assert document_quads(back) == document_quads(single)
        # the server's default graph is the merge, as when the client writes
        count = requests.post(url + "/query", data={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
                              headers={"Accept": "application/sparql-results+json"}, timeout=60).json()
        assert int(count["results"]["bindings"][0]["n"]["value"]) == single.triple_count()
        sink.close()
    finally:
        server.terminate()
        server.wait(timeout=20)


# --- faults, in process ------------------------------------------------------------------------


def poison_task(config, documents):
    """A worker task failing on every batch holding ``poison.txt``, as a crashing document would."""
    from graph.cluster import run_batch

    if any(d.key.endswith("poison.txt") for d in documents):
        raise RuntimeError("boom on poison.txt")
    return run_batch(config, documents)


@needs_dask
def test_a_document_failing_twice_is_skipped_and_the_build_goes_on(tmp_path, nlp):
    from distributed import LocalCluster

    from graph import cluster as cl

    corpus = synthetic_corpus(tmp_path / "corpus", 6)
    good = OxigraphDataset()
    build_into(good, [corpus], nlp=nlp)
    (corpus / "poison.txt").write_text("Police in Bangkok arrested two recruiters on Friday.\n", encoding="utf-8")
    cl._LOADED[cl.WorkerConfig().key] = nlp  # the in-process worker shares this session's pipeline
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address="127.0.0.1:0") as lc, \
            cl.ClusterRunner(lc.scheduler_address, task=poison_task) as runner:
        ds = OxigraphDataset()
        report = build_into(ds, [corpus], cluster=runner)
    assert report.documents == 6
    assert len(report.problems) == 1
    problem = report.problems[0]
    assert problem.endswith("poison.txt: failed twice on the cluster (RuntimeError: boom on poison.txt), skipped")
    assert ds.document_hashes() == good.document_hashes()


@needs_dask
def test_a_worker_of_another_version_stops_the_build():
    from graph.cluster import WorkerConfig, run_batch
    from graph.errors import ClusterError

    with pytest.raises(ClusterError, match="install the same newsgraph on every worker"):
        run_batch(WorkerConfig(newsgraph_version="0.0.1"), [])


@needs_dask
def test_unreachable_scheduler_is_one_clear_error():
    from graph.cluster import ClusterRunner
    from graph.errors import ClusterError
    from tests.store.test_endpoint import free_port

    address = f"tcp://127.0.0.1:{free_port()}"
    with pytest.raises(ClusterError, match="cannot reach the Dask scheduler"):
        ClusterRunner(address, connect_timeout=2)


def test_workers_with_a_remote_cluster_is_a_usage_error(tmp_path):
    res = CliRunner().invoke(cli, ["build", str(tmp_path), "--cluster", "tcp://127.0.0.1:1", "--workers", "2"])
    assert res.exit_code == 2 and "--workers sizes --cluster local" in res.output


# --- without the extra ---------------------------------------------------------------------------

BLOCK_DASK = """
import importlib.abc, sys
class NoDask(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("dask", "distributed"):
            raise ModuleNotFoundError(f"No module named {name!r}")
        return None
sys.meta_path.insert(0, NoDask())
from graph.cli import main
sys.argv = ["newsgraph", *sys.argv[1:]]
main()
"""


def run_without_dask(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", BLOCK_DASK, *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **(env or {})}, cwd=ROOT)


def test_without_the_extra_cluster_says_what_to_install(tmp_path):
    corpus = synthetic_corpus(tmp_path / "corpus", 2)
    for args, env in ((["--cluster", "tcp://127.0.0.1:8786"], None), ([], {"DASK_SCHEDULER_ADDRESS": "local"})):
        out = tmp_path / "out"
        res = run_without_dask(["build", str(corpus), "--out", str(out), *args], env)
        assert res.returncode == 2, res.stderr
        assert res.stderr.count("\n") == 1, res.stderr  # one line
        assert "pip install 'newsgraph[cluster]'" in res.stderr and "Dask" in res.stderr
        assert not out.exists()


def test_nothing_but_graph_cluster_imports_dask(tmp_path):
    for path in sorted((ROOT / "graph").rglob("*.py")):
        if path.relative_to(ROOT) == Path("graph/cluster.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n.split(".")[0] in ("dask", "distributed") for n in names), path
    # and a whole build runs with dask impossible to import
    corpus = synthetic_corpus(tmp_path / "corpus", 2)
    res = run_without_dask(["build", str(corpus), "--out", str(tmp_path / "out"), "--no-html"])
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "out" / "graph.trig").is_file()
