"""Query worker processes for the SPARQL endpoint: bounded in time, memory and number.

Each worker is a separate process (a fresh interpreter, so nothing of the server's
threads is inherited) that opens the served graph itself and answers one query at a time; it parses
with rdflib's grammar (not thread-safe, hence one process per concurrent query), runs the
query and serialises the result.  Because the query runs in another process, the server
can always stop it:

- a query past the deadline (``serve --timeout``) is answered 503 and its worker is killed
  and replaced, so the slot is free again;
- a query whose client went away is killed the same way;
- each worker's address space is capped (``RLIMIT_AS``, ``serve --memory-limit``): a query
  that explodes (strings doubled 22 times, a huge cartesian product) fails an allocation
  in the worker, Oxigraph aborts *that* process, the request is answered 500 and a fresh
  worker takes its place; the server goes on;
- at most ``max_queries`` queries are admitted (running or waiting for a worker); the
  next one is answered 503 at once.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from graph.errors import GraphLoadError

log = logging.getLogger("newsgraph")

_TEXT = "text/plain; charset=utf-8"
#: time to wait for a killed worker to be reaped
_REAP = 5.0
#: between two checks of a running query's client and worker
_TICK = 0.1


@dataclass(frozen=True, slots=True)
class GraphSpec:
    """How a worker opens the served graph: ``load`` = ``graph.store.load(source)`` (a file,
    build folder, store folder or server URL); ``nquads-store`` = an N-Quads dump loaded
    into an in-memory Oxigraph store (SPARQL then runs in Oxigraph)."""

    kind: str
    source: str


@dataclass(frozen=True, slots=True)
class Reply:
    """An HTTP answer: status, content type and body."""

    status: int
    content_type: str
    body: bytes

    @classmethod
    def text(cls, status: HTTPStatus | int, message: str) -> Reply:
        return cls(int(status), _TEXT, (message + "\n").encode("utf-8"))


def open_spec(spec: GraphSpec) -> Any:
    """The rdflib Graph a worker serves."""
    if spec.kind == "nquads-store":
        import pyoxigraph as ox

        from graph.store.oxigraph import union_graph

        store = ox.Store()
        store.load(path=spec.source, format=ox.RdfFormat.N_QUADS)
        return union_graph(store)
    from graph.store import load

    return load(spec.source)


def _worker_main(conn: Connection, spec: GraphSpec, memory_mb: int) -> None:
    """A worker process: open the graph, say ready, then answer queries until EOF."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    if memory_mb > 0:
        import resource

        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    parent = os.getppid()

    def orphaned() -> None:  # the server was killed (even -9): stop, even mid-query
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=orphaned, name="watchdog", daemon=True).start()
    from graph.sparql.endpoint import ProtocolError, execute

    try:
        graph = open_spec(spec)
        execute(graph, "ASK { ?s ?p ?o }", None)  # warm up: the parser and engine load lazily
    except MemoryError:
        conn.send(("failed", f"the graph does not fit in the worker's memory limit ({memory_mb} MB; "
                             "raise serve --memory-limit)"))
        return
    except Exception as err:  # a bad graph is reported by the server, in one line
        conn.send(("failed", " ".join(str(err).split()) or type(err).__name__))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        text, accept = request
        retire, note = False, None
        try:
            ctype, body = execute(graph, text, accept)
            status = 200
        except ProtocolError as err:
            status, ctype, body = int(err.status), _TEXT, (str(err) + "\n").encode("utf-8")
        except MemoryError:
            retire = True  # a fresh process is cheaper than trusting this one's heap
            status, ctype = 500, _TEXT
            body = (f"query aborted: it needs more memory than a query may use ({memory_mb} MB, "
                    "serve --memory-limit)\n").encode()
        except RecursionError:
            status, ctype, body = 400, _TEXT, b"query nested too deeply\n"
        except Exception as err:  # a bug must be answered and logged, not kill the worker
            status, ctype = 500, _TEXT
            body = f"internal error: {type(err).__name__}\n".encode()
            note = traceback.format_exc()
        try:
            conn.send((status, ctype, retire, note))
            conn.send_bytes(body)
        except (OSError, MemoryError):
            return
        del body
        if retire:
            return


class _Worker:
    """One worker process (``python -m graph.sparql.workers``) and the server's end of the
    socket pair it talks over.  A fresh interpreter, not ``multiprocessing``: it inherits
    neither the server's threads nor its ``__main__`` module."""

    def __init__(self, spec: GraphSpec, memory_mb: int) -> None:
        ours, theirs = socket.socketpair()
        env = dict(os.environ)
        root = str(Path(__file__).resolve().parents[2])  # the folder holding graph/
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
        env["RUST_BACKTRACE"] = "0"  # an aborted query logs one line, not a page of frames
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "graph.sparql.workers", str(theirs.fileno()), spec.kind, spec.source,
                 str(memory_mb)],
                pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, env=env,
            )
        finally:
            theirs.close()
        self.conn = Connection(ours.detach())

    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_ready(self) -> str | None:
        """Block until the worker has opened the graph; None when ready, else why not."""
        try:
            kind, detail = self.conn.recv()
            if kind == "ready":
                return None
            self.stop()
            return str(detail)
        except (EOFError, OSError):
            pass
        self.stop()
        return f"query worker exited while opening the graph ({_death(self.process.returncode)})"

    def stop(self) -> None:
        """Kill the process (it may be mid-query) and reap it."""
        with contextlib.suppress(Exception):
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(_REAP)
        with contextlib.suppress(Exception):
            self.conn.close()


def _death(code: int | None) -> str:
    if code is None:
        return "still running"
    if code < 0:
        with contextlib.suppress(ValueError):
            return f"killed by {signal.Signals(-code).name}"
    return f"exit code {code}"


class Busy(Exception):
    """More queries than the server admits at once."""


class WorkerPool:
    """``size`` worker processes serving one graph; ``run`` answers a query in one of them."""

    def __init__(self, spec: GraphSpec, size: int = 2, memory_mb: int = 2048, max_queries: int = 64) -> None:
        if size < 1 or max_queries < 1:
            raise ValueError("need at least one worker and one query slot")
        self.spec = spec
        self.size = size
        self.memory_mb = memory_mb
        self.max_queries = max(max_queries, size)
        self.restarts = 0
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._admitted = 0
        self._closed = False

    def start(self) -> None:
        """Start every worker and wait until each has opened the graph; raise
        ``GraphLoadError`` (and stop them all) if one cannot."""
        started = [self._spawn() for _ in range(self.size)]
        errors = [err for err in (w.wait_ready() for w in started) if err]
        if errors:
            self.close()
            raise GraphLoadError(errors[0] if self.spec.source in errors[0] else f"{self.spec.source}: {errors[0]}")
        for w in started:
            self._idle.put(w)

    def _spawn(self) -> _Worker:
        w = _Worker(self.spec, self.memory_mb)
        with self._lock:
            self._all.add(w)
        return w

    def _replace(self, dead: _Worker) -> None:
        """Stop ``dead`` and start a new worker in the background (its slot comes back when
        the new one has opened the graph)."""
        dead.stop()
        with self._lock:
            self._all.discard(dead)
            self.restarts += 1
        threading.Thread(target=self._respawn, name="newsgraph-respawn", daemon=True).start()

    def _respawn(self) -> None:
        delay = 0.5
        while not self._closed:
            w = self._spawn()
            err = w.wait_ready()
            if err is None:
                if self._closed:
                    w.stop()
                else:
                    self._idle.put(w)
                return
            with self._lock:
                self._all.discard(w)
            if self._closed:  # stopped by close() while it was starting
                return
            log.error("cannot restart a query worker: %s (retrying in %.1f s)", err, delay)
            time.sleep(delay)
            delay = min(delay * 2, 30.0)

    def run(self, text: str, accept: str | None, timeout: float,
            cancelled: Callable[[], bool] | None = None) -> Reply | None:
        """Answer one query within ``timeout`` seconds (waiting for a worker included).

        Raises ``Busy`` when ``max_queries`` are already admitted; returns None when
        ``cancelled()`` turned true (the client left: the query was stopped).
        """
        with self._lock:
            if self._admitted >= self.max_queries or self._closed:
                raise Busy
            self._admitted += 1
        try:
            return self._run(text, accept, time.monotonic() + timeout, timeout, cancelled)
        finally:
            with self._lock:
                self._admitted -= 1

    def _run(self, text: str, accept: str | None, deadline: float, timeout: float,
             cancelled: Callable[[], bool] | None) -> Reply | None:
        worker = None
        while worker is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return Reply.text(HTTPStatus.SERVICE_UNAVAILABLE,
                                  f"server busy: no query worker was free within {timeout:g} s; retry later")
            with contextlib.suppress(queue.Empty):
                worker = self._idle.get(timeout=remaining)  # one wait: waiters are served first come, first served
            if worker is not None and not worker.alive():  # died while idle (OOM killer, kill)
                self._replace(worker)
                worker = None
        if cancelled is not None and cancelled():  # the client left while waiting: the worker stays idle
            self._idle.put(worker)
            return None
        healthy = False
        try:
            worker.conn.send((text, accept))
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    log.warning("query stopped after %g s (serve --timeout): %s", timeout, _head(text))
                    return Reply.text(HTTPStatus.SERVICE_UNAVAILABLE,
                                      f"query timed out after {timeout:g} s (the server's --timeout) and was stopped")
                if worker.conn.poll(min(remaining, _TICK)):
                    break
                if cancelled is not None and cancelled():
                    log.info("client went away: query stopped: %s", _head(text))
                    return None
            status, ctype, retire, note = worker.conn.recv()
            body = worker.conn.recv_bytes()
            if note:
                log.error("query failed in a worker: %s\n%s", _head(text), note)
            healthy = not retire
            if retire:
                log.warning("query worker out of memory, restarting it: %s", _head(text))
            return Reply(status, ctype, body)
        except (EOFError, OSError):  # the worker died under the query
            with contextlib.suppress(subprocess.TimeoutExpired):
                worker.process.wait(_REAP)
            why = _death(worker.process.returncode)
            log.warning("query worker died (%s), restarting it: %s", why, _head(text))
            return Reply.text(HTTPStatus.INTERNAL_SERVER_ERROR,
                              f"query aborted: its worker process died ({why}), most likely past the memory "
                              f"limit of {self.memory_mb} MB (serve --memory-limit); the server goes on")
        finally:
            if healthy:
                self._idle.put(worker)
            else:
                self._replace(worker)

    def ready_workers(self) -> int:
        """Workers idle right now (for tests and the benchmark)."""
        return self._idle.qsize()

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            with contextlib.suppress(Exception):
                w.conn.send(None)
        for w in workers:
            with contextlib.suppress(subprocess.TimeoutExpired):
                w.process.wait(1.0)
            w.stop()


def _head(text: str, n: int = 120) -> str:
    one = " ".join(text.split())
    return one if len(one) <= n else one[:n] + "…"


__all__ = ["Busy", "GraphSpec", "Reply", "WorkerPool", "open_spec"]


if __name__ == "__main__":  # a worker: python -m graph.sparql.workers FD KIND SOURCE MEMORY_MB
    _worker_main(Connection(int(sys.argv[1])), GraphSpec(sys.argv[2], sys.argv[3]), int(sys.argv[4]))
