"""Builds on a Dask cluster: extraction spread over many machines' processes.

``ClusterRunner`` connects to a Dask scheduler (``tcp://HOST:8786``, ``DASK_SCHEDULER_ADDRESS``)
or starts a ``LocalCluster`` (``"local"``), and stands in for the local process pool of
``graph.pipeline.iter_results``: the client reads and hashes the documents (so reruns skip
what the store already holds), sends them in batches, and each worker process loads the
spaCy pipeline once (a cached loader), extracts, resolves and returns every document's
graph as N-Quads bytes.  With a SPARQL server as the target, workers PUT the graphs
themselves (Graph Store Protocol, idempotent) and return only what the build report needs.

Backpressure: at most ``window`` batches are in flight; results come back through
``as_completed`` and leave in input order, so the client holds a bounded number of
documents however large the corpus.  Faults: Dask reruns the tasks of a worker that dies;
a batch that fails anyway is split into one task per document, and a document whose own
task fails too (its second failure) is reported as a skipped input with the reason.

This is the only module of newsgraph that imports Dask (``pip install 'newsgraph[cluster]'``).
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from graph._version import __version__
from graph.errors import ClusterError, NewsgraphError
from graph.model import Document
from graph.pipeline import DocumentResult, process_extraction

log = logging.getLogger("newsgraph")

#: how to get Dask, in the one-line error users see without it
INSTALL_HINT = "pip install 'newsgraph[cluster]'"
#: the environment variable Dask reads the scheduler address from
ADDRESS_ENV = "DASK_SCHEDULER_ADDRESS"
#: documents per task (as the process pool: ~0.3 s of work, far above Dask's ~1 ms per task)
BATCH_SIZE = 8
#: seconds to wait for the first worker to join the scheduler
WORKER_WAIT = 60.0
#: seconds between two progress lines in the log (-v)
LOG_EVERY = 10.0


def _distributed() -> Any:
    """The ``distributed`` module, or a one-line error saying what to install."""
    try:
        import distributed
    except ImportError as err:
        raise ClusterError(f"--cluster needs Dask distributed, which is not installed: {INSTALL_HINT}") from err
    return distributed


def scheduler_address(address: str | None) -> str:
    """The scheduler to use: ``address``, else ``$DASK_SCHEDULER_ADDRESS``; ``local`` starts one."""
    address = (address or os.environ.get(ADDRESS_ENV) or "").strip()
    if not address:
        raise ClusterError(f"no Dask scheduler: give --cluster tcp://HOST:8786 (or local), or set {ADDRESS_ENV}")
    return address


# --- worker side ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WorkerConfig:
    """What every worker needs to build like the client would (plain picklable data).

    Rules files travel as their contents: the workers may be other machines.
    """

    model: str | None = None
    rules: tuple[tuple[str, bytes], ...] = ()  # (file name, contents)
    endpoint: Any = None  # a graph.store.remote.Endpoint: workers write the graphs there
    newsgraph_version: str = __version__
    relation_model: bytes | str | None = None  # a model file's contents, "none", or None (the shipped one)
    min_confidence: float | None = None

    @property
    def key(self) -> str:
        """Identifies the pipeline a worker loads (model and rules)."""
        h = hashlib.sha256((self.model or "").encode("utf-8"))
        for name, data in self.rules:
            h.update(b"\0" + name.encode("utf-8") + b"\0" + data)
        model = self.relation_model
        h.update(b"\0" + (model if isinstance(model, bytes) else str(model).encode("utf-8")))
        h.update(b"\0" + str(self.min_confidence).encode("utf-8"))
        return h.hexdigest()[:16]


@dataclass(slots=True)
class BatchResult:
    """A worker's answer for one batch: its results and the pipeline that made them."""

    model_name: str
    model_version: str
    newsgraph_version: str
    results: list[DocumentResult] = field(default_factory=list)


_LOCK = threading.Lock()
_LOADED: dict[str, Any] = {}  # config key -> spaCy Language: one pipeline per worker process
_SINKS: dict[Any, Any] = {}  # Endpoint -> RemoteDataset (keeps its HTTP connections)


def worker_nlp(config: WorkerConfig) -> Any:
    """The worker process's pipeline for ``config``, loaded on first use and kept."""
    with _LOCK:
        nlp = _LOADED.get(config.key)
        if nlp is None:
            from graph.extract import load_nlp

            _LOADED.clear()  # another build's pipeline: free it first
            rules: list[Path] = []
            if config.rules:
                folder = Path(tempfile.mkdtemp(prefix=f"newsgraph-rules-{config.key}-"))
                for i, (name, data) in enumerate(config.rules):
                    path = folder / f"{i:02d}-{Path(name).name}"
                    path.write_bytes(data)
                    rules.append(path)
            relation_model: str | None = None
            if isinstance(config.relation_model, bytes):
                folder = Path(tempfile.mkdtemp(prefix=f"newsgraph-model-{config.key}-"))
                (folder / "relation_model.npz").write_bytes(config.relation_model)
                relation_model = str(folder / "relation_model.npz")
            elif config.relation_model is not None:
                relation_model = config.relation_model
            log.info("worker %d: loading the pipeline", os.getpid())
            nlp = _LOADED[config.key] = load_nlp(config.model, rules=rules, relation_model=relation_model,
                                                 min_confidence=config.min_confidence)
        return nlp


def _worker_sink(endpoint: Any) -> Any:
    with _LOCK:
        sink = _SINKS.get(endpoint)
        if sink is None:
            from graph.store.remote import RemoteDataset

            sink = _SINKS[endpoint] = RemoteDataset(endpoint)
        return sink


def run_batch(config: WorkerConfig, documents: list[Document]) -> BatchResult:
    """Worker task: extract, resolve and make the graph of each document.

    Each graph goes back as N-Quads bytes, or, with ``config.endpoint``, is PUT to the
    server from here and only the report's figures go back.
    """
    from graph.extract import extract, model_info

    if config.newsgraph_version != __version__:
        raise ClusterError(
            f"worker {os.getpid()} runs newsgraph {__version__}, the client {config.newsgraph_version}: "
            "install the same newsgraph on every worker"
        )
    nlp = worker_nlp(config)
    results = [process_extraction(e) for e in extract(nlp, documents)]
    if config.endpoint is not None:
        sink = _worker_sink(config.endpoint)
        for r in results:
            if r.error is None:
                sink.put_graph(r.graph, r.quads)
                r.quads, r.written = [], True
    name, version = model_info(nlp)
    return BatchResult(name, version, __version__, [r.pack() for r in results])


def dask_setup(worker: Any = None) -> None:
    """``dask worker ... --preload graph.cluster``: load the default pipeline when the worker
    starts, so the first batch of the first build does not wait for it."""
    worker_nlp(WorkerConfig())


def loaded_pipelines() -> int:
    """How many pipelines this worker process holds (``client.run(loaded_pipelines)``)."""
    return len(_LOADED)


def probe() -> str:
    """Run on each worker when connecting: proves it can import newsgraph; its version."""
    return __version__


# --- client side ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Slot:
    """One batch in flight: its documents, and their results once back."""

    documents: list[Document]
    results: list[DocumentResult | None]
    pending: int = 0  # futures not back yet

    @property
    def done(self) -> bool:
        return self.pending == 0


class ClusterRunner:
    """Extraction on a Dask cluster, for ``graph.pipeline.build_into(..., cluster=runner)``.

    ``address`` is ``tcp://HOST:PORT`` (or any Dask address), ``"local"`` for a
    ``LocalCluster`` of ``workers`` processes on this machine, or None for
    ``$DASK_SCHEDULER_ADDRESS``.  ``window`` batches at most are in flight (default: two
    per worker thread).  ``write_from_workers``: with a SPARQL server as the sink, the
    workers PUT the documents' graphs themselves.  Use it as a context manager.
    """

    def __init__(
        self,
        address: str | None = None,
        workers: int | None = None,
        batch_size: int = BATCH_SIZE,
        window: int | None = None,
        write_from_workers: bool = True,
        task: Callable[[WorkerConfig, list[Document]], BatchResult] = run_batch,
        worker_wait: float = WORKER_WAIT,
        connect_timeout: float = 20.0,
    ) -> None:
        distributed = _distributed()
        self.address = scheduler_address(address)
        self.batch_size = max(1, batch_size)
        self.window = window
        self.write_from_workers = write_from_workers
        self.task = task
        self.worker_wait = worker_wait
        self.model: tuple[str, str] | None = None
        self._cluster: Any = None
        self._run = uuid.uuid4().hex[:8]
        self._seq = 0
        try:
            if self.address == "local":
                self._cluster = distributed.LocalCluster(
                    n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                    host="127.0.0.1", dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR,
                )
                self.client = distributed.Client(self._cluster)
            else:
                self.client = distributed.Client(self.address, timeout=f"{connect_timeout}s")
        except (OSError, TimeoutError, ValueError) as err:
            self.close()
            raise ClusterError(f"{self.address}: cannot reach the Dask scheduler ({_first_line(err)})") from err
        try:
            self.client.wait_for_workers(1, timeout=worker_wait)
        except TimeoutError as err:
            self.close()
            raise ClusterError(f"{self.address}: no Dask worker joined within {worker_wait:.0f} s") from err
        self._check_workers()

    def __enter__(self) -> ClusterRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"ClusterRunner({self.address})"

    def close(self) -> None:
        """Disconnect (and stop the LocalCluster this runner started)."""
        client = getattr(self, "client", None)
        if client is not None:
            client.close()
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def _check_workers(self) -> None:
        """Every worker can import this newsgraph (same version), or a clear error now."""
        try:
            versions = self.client.run(probe, on_error="return")
        except Exception as err:  # noqa: BLE001  (the scheduler went away)
            raise ClusterError(f"{self.address}: {type(err).__name__}: {_first_line(err)}") from err
        for worker, version in sorted(versions.items()):
            if isinstance(version, BaseException):
                raise ClusterError(
                    f"Dask worker {worker} cannot run newsgraph ({type(version).__name__}: {_first_line(version)}): "
                    "install newsgraph and its model on every worker"
                )
            if version != __version__:
                raise ClusterError(f"Dask worker {worker} runs newsgraph {version}, this client {__version__}")

    def worker_threads(self) -> int:
        """Task threads over all workers now connected."""
        return max(1, self._live_workers())

    def _live_workers(self) -> int:
        """Task threads of the workers connected now (0: none left)."""
        try:
            return sum(self.client.nthreads().values())
        except Exception as err:  # the scheduler went away (CommClosedError, OSError...)
            raise ClusterError(f"{self.address}: lost the Dask scheduler ({type(err).__name__})") from err

    @property
    def model_info(self) -> tuple[str, str]:
        """(name, version) of the model the workers ran, for the build's provenance."""
        if self.model is None:
            raise ClusterError("no document was built on the cluster yet")
        return self.model

    def results(
        self,
        documents: Iterable[Document],
        model: str | None = None,
        rules: Iterable[str | Path] | None = None,
        sink: Any = None,
        relation_model: str | Path | None = None,
        min_confidence: float | None = None,
    ) -> Iterator[tuple[Document, DocumentResult]]:
        """Each document with its result, in input order (as ``iter_results``).

        Results whose ``written`` is set were already written to ``sink`` (a SPARQL
        server) by the worker; the others carry their quads for the caller to write.
        """
        config = self._config(model, rules, sink, relation_model, min_confidence)
        window = self.window or 2 * self.worker_threads()
        distributed = _distributed()
        done = distributed.as_completed()
        owner: dict[str, tuple[_Slot, list[int], int]] = {}  # future key -> slot, indexes, attempt
        futures: dict[str, Any] = {}
        slots: deque[_Slot] = deque()
        it = iter(documents)
        exhausted = False
        started = last_log = time.monotonic()
        no_workers_since: float | None = None
        count = 0

        def submit(slot: _Slot, indexes: list[int], attempt: int) -> None:
            if self.client.status != "running":
                raise ClusterError(f"{self.address}: lost the Dask scheduler (client {self.client.status})")
            self._seq += 1
            future = self.client.submit(
                self.task, config, [slot.documents[i] for i in indexes],
                key=f"newsgraph-{self._run}-{self._seq}", pure=False,
            )
            owner[future.key] = (slot, indexes, attempt)
            futures[future.key] = future
            slot.pending += 1
            done.add(future)

        try:
            while True:
                while not exhausted and len(slots) < window:
                    batch = list(islice(it, self.batch_size))
                    if not batch:
                        exhausted = True
                        break
                    slot = _Slot(batch, [None] * len(batch))
                    slots.append(slot)
                    submit(slot, list(range(len(batch))), 1)
                while slots and slots[0].done:
                    slot = slots.popleft()
                    for document, result in zip(slot.documents, slot.results, strict=True):
                        assert result is not None
                        count += 1
                        yield document, result.unpack()
                if not slots:
                    if exhausted:
                        break
                    continue
                _wait_ready(done, LOG_EVERY)
                now = time.monotonic()
                if now - last_log >= LOG_EVERY:  # also: notice when the cluster has no worker left
                    last_log = now
                    workers = self._live_workers()
                    log.info("cluster: %d documents, %.1f docs/s, %d workers", count, count / (now - started), workers)
                    no_workers_since = (no_workers_since or now) if workers == 0 else None
                    if no_workers_since is not None and now - no_workers_since >= self.worker_wait:
                        raise ClusterError(f"{self.address}: no Dask worker left for {self.worker_wait:.0f} s")
                    if self.window is None:  # workers come and go: two batches per worker thread
                        window = 2 * max(1, workers)
                if not done.has_ready():
                    continue
                future = next(done)
                self._collect(future, owner.pop(future.key), submit)
                futures.pop(future.key, None)
        finally:
            for future in futures.values():
                future.cancel()

    def _collect(self, future: Any, where: tuple[_Slot, list[int], int],
                 submit: Callable[[_Slot, list[int], int], None]) -> None:
        """Put a finished task's results in their slot; a failed task is split or reported."""
        slot, indexes, attempt = where
        slot.pending -= 1
        reason = ""
        if future.status == "cancelled":
            if self.client.status != "running":
                raise ClusterError(f"{self.address}: lost the Dask scheduler")
            reason = "task cancelled"
        else:
            try:
                batch: BatchResult = future.result()
            except NewsgraphError:  # a model, rules, store or version problem: stop the build
                raise
            except Exception as err:  # the task raised, or its worker died too often (KilledWorker)
                reason = f"{type(err).__name__}: {_first_line(err)}"
        if not reason:
            self._check_model(batch)
            by_id = {r.doc_id: r for r in batch.results}
            for i in indexes:
                result = by_id.get(slot.documents[i].id)
                if result is None:  # cannot happen with run_batch: keep the build honest anyway
                    result = _failed(slot.documents[i], "the worker returned no result")
                slot.results[i] = result
            return
        if attempt == 1:
            log.warning("cluster: a batch of %d document(s) failed (%s); retrying one by one", len(indexes), reason)
            for i in indexes:
                submit(slot, [i], 2)
            return
        for i in indexes:
            slot.results[i] = _failed(slot.documents[i], f"failed twice on the cluster ({reason})")

    def _check_model(self, batch: BatchResult) -> None:
        model = (batch.model_name, batch.model_version)
        if self.model is None:
            self.model = model
        elif model != self.model:
            raise ClusterError(
                f"Dask workers run different models ({' '.join(self.model)} and {' '.join(model)}): "
                "install the same model on every worker"
            )

    def _config(self, model: str | None, rules: Iterable[str | Path] | None, sink: Any,
                relation_model: str | Path | None = None, min_confidence: float | None = None) -> WorkerConfig:
        from graph.errors import RulesError

        files: list[tuple[str, bytes]] = []
        for path in rules or ():
            try:
                files.append((Path(path).name, Path(path).read_bytes()))
            except OSError as err:
                raise RulesError(f"{path}: cannot read rules file: {err.strerror or err}") from err
        endpoint = None
        if self.write_from_workers and sink is not None:
            from graph.store.remote import RemoteDataset

            if isinstance(sink, RemoteDataset):
                endpoint = sink.endpoint
        shipped: bytes | str | None = None
        if relation_model is not None and str(relation_model).lower() == "none":
            shipped = "none"
        elif relation_model is not None:
            from graph.errors import ModelError

            path = Path(relation_model)
            path = path / "relation_model.npz" if path.is_dir() else path
            try:
                shipped = path.read_bytes()  # the workers may be other machines
            except OSError as err:
                raise ModelError(f"{relation_model}: relation model not found ({err.strerror or err})") from err
        return WorkerConfig(model=model, rules=tuple(files), endpoint=endpoint, relation_model=shipped,
                            min_confidence=min_confidence)


def _wait_ready(done: Any, timeout: float) -> None:
    """Block until ``done`` (an ``as_completed``) has a finished future, or ``timeout`` passed.

    Waits on its condition in short slices (a notification may come between the check and
    the wait), never spinning: the client's event loop thread needs the GIL to deliver.
    """
    deadline = time.monotonic() + timeout
    condition = getattr(done, "thread_condition", None)
    while not done.has_ready() and time.monotonic() < deadline:
        if condition is None:
            time.sleep(0.02)
            continue
        with condition:
            condition.wait(timeout=0.05)


def _failed(document: Document, reason: str) -> DocumentResult:
    from graph.rdf.namespaces import document_iri

    return DocumentResult(doc_id=document.id, source=document.source, graph=str(document_iri(document.id)),
                          error=f"{document.source}: {reason}, skipped")


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0][:300] if text else type(err).__name__
