"""A real ``newsgraph serve`` in a subprocess on loopback, for the endpoint tests."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from rdflib import Graph

from graph.rdf.terms import graph_quads
from graph.store.oxigraph import OxigraphDataset

ROOT = Path(__file__).resolve().parents[2]


class ServeProcess:
    """``python -m graph serve SOURCE --bind 127.0.0.1:0 ARGS...``; ``url`` once it listens.

    stderr is drained in a thread (``log``), so the server never blocks on a full pipe.
    """

    def __init__(self, source: str | Path, *args: str, cwd: Path | None = None, startup: float = 60.0) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "graph", "serve", str(source), "--bind", "127.0.0.1:0", *args],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env, cwd=cwd,
        )
        self.log: list[str] = []
        self._ready = threading.Event()
        self.url = ""
        threading.Thread(target=self._drain, daemon=True).start()
        if not self._ready.wait(startup) or not self.url:
            self.stop()
            raise AssertionError("serve did not start: " + "".join(self.log))

    def _drain(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.log.append(line)
            if "serving SPARQL on " in line and not self.url:
                self.url = line.split(" on ", 1)[1].split()[0].removesuffix("query")
                self._ready.set()
        self._ready.set()

    @property
    def host_port(self) -> tuple[str, int]:
        host, port = self.url.split("//", 1)[1].rstrip("/").rsplit(":", 1)
        return host, int(port)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> int | None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        return self.proc.returncode

    def __enter__(self) -> ServeProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def write_store(graph: Graph, path: Path) -> Path:
    """An on-disk Oxigraph store holding ``graph`` as one document's named graph (and the merge)."""
    ds = OxigraphDataset(path)
    ds.put_graph("https://w3id.org/newsgraph/id/doc/test", graph_quads(graph, "https://w3id.org/newsgraph/id/doc/test"))
    ds.close()
    del ds
    return path


def wait_until(check, seconds: float) -> bool:  # noqa: ANN001 - any callable
    """Poll ``check()`` until it is true or ``seconds`` pass."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.05)
    return bool(check())
