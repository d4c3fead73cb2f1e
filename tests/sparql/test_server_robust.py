"""The endpoint under load and attack, against a real ``newsgraph serve`` on loopback.

Each test reproduces one way issue 15 took the server down: concurrent first queries,
a query that never ends, a query that explodes in memory, connections that never send
anything.  Sizes are kept small enough for two shared cores.
"""

from __future__ import annotations

import contextlib
import resource
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from graph.sparql.server import make_server
from tests.sparql.library_corpus import corpus_graph
from tests.sparql.serve_process import ServeProcess, wait_until, write_store

CHEAP = "SELECT ?s WHERE { ?s a ng:Country } LIMIT 1"
#: a cartesian product of the graph with itself three times: minutes in any engine
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
#: 22 nested doublings of each document's text: gigabytes per row (issue 15, item 2)
DOUBLING = ("PREFIX ng: <https://w3id.org/newsgraph/ontology#>\nSELECT (STRLEN(?t22) AS ?n) WHERE {\n"
            "  ?d ng:canonicalText ?t0 .\n"
            + "".join(f"  BIND(CONCAT(?t{i}, ?t{i}) AS ?t{i + 1})\n" for i in range(22)) + "}")


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("serve") / "graph.ttl"
    corpus_graph(hostile=True).serialize(path, format="turtle")
    return path


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_store(corpus_graph(hostile=True), tmp_path_factory.mktemp("serve") / "store")


def _status(url: str, query: str, session: requests.Session | None = None, timeout: float = 60) -> int | str:
    """The HTTP status of one query, or the name of the connection error."""
    try:
        r = (session or requests).get(url + "query", params={"query": query}, timeout=timeout)
        return r.status_code
    except requests.RequestException as err:
        return type(err).__name__


def test_burst_of_first_queries_then_200_clients(graph_file: Path) -> None:
    """A fresh server: 20 simultaneous first queries, then 1,000 requests from 200 clients.

    Every answer is 200 (or 503 over the cap); none is reset, none is 400.  On the old
    server, concurrent first parses broke rdflib's parser for good (every later query 400)
    and the backlog of 5 reset a fifth of the connections.
    """
    with ServeProcess(graph_file) as srv:
        barrier = threading.Barrier(20)

        def first(i: int) -> int | str:
            barrier.wait()
            return _status(srv.url, f"SELECT ?s ?l WHERE {{ ?s rdfs:label ?l }} LIMIT {i + 1}")

        with ThreadPoolExecutor(20) as pool:
            burst = Counter(pool.map(first, range(20)))
        assert burst == Counter({200: 20}), burst

        def client(i: int) -> list[int | str]:
            with requests.Session() as session:
                return [_status(srv.url, CHEAP if (i + j) % 2 else f"ASK {{ ?s ?p {i * 5 + j} }}", session)
                        for j in range(5)]

        with ThreadPoolExecutor(200) as pool:
            load = Counter(s for statuses in pool.map(client, range(200)) for s in statuses)
        assert sum(load.values()) == 1000
        assert set(load) <= {200, 503}, load
        assert load[200] >= 500, load  # the cap refuses some at worst, not most
        assert _status(srv.url, CHEAP) == 200
        assert srv.alive()


def test_timeout_answers_503_while_cheap_queries_go_on(graph_file: Path) -> None:
    """A query past --timeout gets 503 and its worker is freed; meanwhile a cheap query
    is answered within a second."""
    with ServeProcess(graph_file, "--timeout", "3", "--workers", "2") as srv:
        slow: dict[str, object] = {}

        def run_slow() -> None:
            began = time.monotonic()
            r = requests.get(srv.url + "query", params={"query": SLOW}, timeout=60)
            slow.update(status=r.status_code, text=r.text, seconds=time.monotonic() - began)

        thread = threading.Thread(target=run_slow)
        thread.start()
        time.sleep(0.5)  # the slow query is running now
        began = time.monotonic()
        assert _status(srv.url, CHEAP) == 200
        assert time.monotonic() - began < 1.0
        thread.join(30)
        assert slow["status"] == 503 and "timed out" in str(slow["text"]), slow
        assert 2.5 < float(slow["seconds"]) < 10, slow  # type: ignore[arg-type]
        # the stopped query's worker is replaced: two slow queries at once time out alike, then all is well
        assert _status(srv.url, CHEAP) == 200


def test_string_doubling_does_not_end_the_process(store_dir: Path) -> None:
    """Oxigraph aborts its process when an allocation fails: only a worker dies."""
    with ServeProcess(store_dir, "--memory-limit", "1024", "--timeout", "60") as srv:
        r = requests.post(srv.url + "query", data={"query": DOUBLING}, timeout=90)
        assert r.status_code == 500 and "memory" in r.text, (r.status_code, r.text)
        assert srv.alive()
        r = requests.get(srv.url + "query", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?d ng:canonicalText ?t }"},
                         timeout=60)
        assert r.status_code == 200 and int(r.json()["results"]["bindings"][0]["n"]["value"]) >= 1
        # and once more, after the worker was replaced
        assert requests.post(srv.url + "query", data={"query": DOUBLING}, timeout=90).status_code == 500
        assert srv.alive()
        assert _status(srv.url, CHEAP) == 200


def test_concurrent_first_queries_on_a_store(store_dir: Path) -> None:
    with ServeProcess(store_dir) as srv:
        barrier = threading.Barrier(20)

        def first(i: int) -> int | str:
            barrier.wait()
            return _status(srv.url, f"SELECT ?s WHERE {{ ?s rdfs:label ?l }} LIMIT {i + 1}")

        with ThreadPoolExecutor(20) as pool:
            assert Counter(pool.map(first, range(20))) == Counter({200: 20})


def _peer_closed(sock: socket.socket) -> bool:
    """True once the server closed ``sock`` (EOF or reset); False while it is open."""
    try:
        return sock.recv(1024) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


def test_idle_and_half_sent_connections_are_closed(graph_file: Path) -> None:
    """500 connections that send nothing, a request line without version and a
    Content-Length with no body: queries are still answered, and every such connection is
    closed after --idle-timeout (the old server held a thread for each, forever)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 1200:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(2048, hard), hard))
    with ServeProcess(graph_file, "--idle-timeout", "2") as srv:
        socks: list[socket.socket] = []
        try:
            for _ in range(500):
                socks.append(socket.create_connection(srv.host_port, timeout=10))
            half = [b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                    b"Content-Length: 100\r\n\r\nASK", b"GET /query?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n", b"GET /qu"]
            for raw in half:
                s = socket.create_connection(srv.host_port, timeout=10)
                s.sendall(raw)
                socks.append(s)
            began = time.monotonic()
            assert _status(srv.url, CHEAP, timeout=10) == 200
            assert time.monotonic() - began < 2
            for s in socks:
                s.setblocking(False)
            assert wait_until(lambda: all(_peer_closed(s) for s in socks), 15), \
                sum(not _peer_closed(s) for s in socks)
            # a request line without an HTTP version is answered, not left hanging
            with socket.create_connection(srv.host_port, timeout=10) as s:
                s.sendall(b"GET /query?query=ASK%7B%3Fs%3Fp%3Fo%7D\r\n\r\n")
                assert s.recv(64).startswith(b"HTTP/1.")
            assert srv.alive()
        finally:
            for s in socks:
                with contextlib.suppress(OSError):
                    s.close()


@pytest.fixture()
def small_server() -> Iterator:
    srv = make_server(corpus_graph(), "127.0.0.1:0", timeout=20, workers=1, max_queries=1)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def test_over_the_cap_answers_503_and_a_gone_client_stops_its_query(small_server) -> None:  # noqa: ANN001
    """One worker, one query admitted: a second gets 503 at once; when the client of the
    running query hangs up, the query is stopped (its worker replaced), not run on."""
    host, port = small_server.server_address
    raw = socket.create_connection((host, port), timeout=10)
    body = SLOW.encode()
    raw.sendall(b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
    assert wait_until(lambda: small_server.pool.ready_workers() == 0, 5)
    began = time.monotonic()
    r = requests.get(small_server.url + "query", params={"query": CHEAP}, timeout=10)
    assert r.status_code == 503 and r.headers["Retry-After"] == "1" and "busy" in r.text
    assert time.monotonic() - began < 1
    raw.close()  # the client goes away: its query must not run on to the 20 s timeout
    assert wait_until(lambda: small_server.pool.restarts == 1, 5)
    assert wait_until(lambda: small_server.pool.ready_workers() == 1, 30)
    assert requests.get(small_server.url + "query", params={"query": CHEAP}, timeout=10).status_code == 200


def _children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_killing_the_server_stops_its_workers_even_mid_query(graph_file: Path) -> None:
    import signal

    srv = ServeProcess(graph_file, "--workers", "2", "--timeout", "120")
    try:
        workers = _children(srv.proc.pid)
        assert len(workers) == 2
        thread = threading.Thread(target=_status, args=(srv.url, SLOW, None, 5), daemon=True)
        thread.start()
        time.sleep(1.0)  # a worker is deep in the slow query now
        srv.proc.send_signal(signal.SIGKILL)
        srv.proc.wait(10)
        assert wait_until(lambda: not any(_running(pid) for pid in workers), 10), workers
    finally:
        srv.stop()


def test_a_graph_that_cannot_be_opened_is_one_line_and_exit_2(tmp_path: Path) -> None:
    import subprocess
    import sys

    bad = tmp_path / "bad.ttl"
    bad.write_text("this is { not turtle", encoding="utf-8")
    for source in (bad, tmp_path / "missing.ttl"):
        out = subprocess.run([sys.executable, "-m", "graph", "serve", str(source), "--bind", "127.0.0.1:0"],
                             capture_output=True, text=True, timeout=60, cwd=tmp_path)
        assert out.returncode == 2, out.stderr
        lines = out.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("newsgraph: error: ") and source.name in lines[0], out.stderr


def test_a_request_trickling_in_is_closed_after_the_idle_timeout() -> None:
    """A header sent a byte at a time is never idle, but must still arrive within
    --idle-timeout: a slow client cannot hold a connection for ever."""
    srv = make_server(corpus_graph(), "127.0.0.1:0", workers=1, idle_timeout=2)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        with socket.create_connection(srv.server_address, timeout=10) as s:
            began = time.monotonic()
            closed = False
            for byte in b"GET /query?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200:
                try:
                    s.sendall(bytes([byte]))
                except OSError:
                    closed = True
                    break
                s.setblocking(False)
                if _peer_closed(s):
                    closed = True
                    break
                s.setblocking(True)
                time.sleep(0.1)
            assert closed and time.monotonic() - began < 6
    finally:
        srv.shutdown()
        srv.server_close()
