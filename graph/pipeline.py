"""The whole build: ingest -> extract -> resolve -> rdf -> store, as one library call.

Documents stream through: each one is read, extracted (in this process or in a pool of
``workers``), turned into its named graph and written into the target store right away,
so memory stays flat however large the corpus.  ``build_into`` builds into any target
(an Oxigraph store on disk or in memory, a SPARQL server); against an existing target it
is incremental: documents whose content hash is unchanged are skipped, changed ones have
their named graph replaced.
"""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph
from spacy.language import Language

from graph._version import __version__
from graph.errors import InputError, describe
from graph.extract import extract, load_nlp, model_info
from graph.ingest import IngestOptions, read_documents
from graph.model import BuildReport, Document, Extraction
from graph.rdf.build import BUILD_GRAPH, build_graph, document_quads, new_dataset
from graph.rdf.namespaces import document_iri
from graph.resolve import resolve

log = logging.getLogger("newsgraph")

ProgressFn = Callable[[Document], None]

#: documents per task sent to a worker process
WORKER_CHUNK = 8


@dataclass(slots=True)
class DocumentResult:
    """What one document contributes, as plain picklable data (crosses process borders)."""

    doc_id: str
    source: str
    graph: str  # IRI of the document's named graph
    quads: list[Any] = field(default_factory=list)  # pyoxigraph Quads
    entity_keys: tuple[str, ...] = ()
    relations: int = 0
    error: str | None = None
    packed: bytes | None = None  # the quads as N-Quads while crossing a process border
    written: bool = False  # already in the target (a cluster worker PUT it to the server)

    def pack(self) -> DocumentResult:
        """Quads as N-Quads bytes: pickling ~500 pyoxigraph Quads per document one by one
        costs ~30x more than Oxigraph serialising and parsing them."""
        import pyoxigraph as ox

        if self.quads:
            self.packed = ox.serialize(self.quads, format=ox.RdfFormat.N_QUADS)
            self.quads = []
        return self

    def unpack(self) -> DocumentResult:
        import pyoxigraph as ox

        if self.packed is not None:
            self.quads = list(ox.parse(self.packed, format=ox.RdfFormat.N_QUADS))
            self.packed = None
        return self


def process_extraction(extraction: Extraction) -> DocumentResult:
    """resolve -> rdf for one document; a bug on one document is caught and reported."""

    document = extraction.document
    if extraction.error:
        return DocumentResult(doc_id=document.id, source=document.source, graph=str(document_iri(document.id)),
                              error=f"{document.source}: {extraction.error}, skipped")
    try:
        resolved = resolve(extraction)
        name, quads = document_quads(resolved, extractor_version=__version__)
        return DocumentResult(
            doc_id=document.id,
            source=document.source,
            graph=name,
            quads=quads,
            entity_keys=tuple(resolved.entities),
            relations=sum(1 for c in resolved.claims if not (c.negated or c.hedged)),
        )
    except Exception as err:  # one document that trips a bug must not cost the others
        log.debug("%s", err, exc_info=True)
        return DocumentResult(
            doc_id=document.id,
            source=document.source,
            graph=str(document_iri(document.id)),
            error=f"{document.source}: internal error ({describe(err)}), skipped",
        )


_WORKER_NLP: Language | None = None


#: seconds between two checks of a worker that its parent process is still there
PARENT_CHECK_SECONDS = 0.5


def _exit_with_parent(parent: int) -> None:
    """End this worker process as soon as ``parent`` is gone.

    A build killed with ``kill -9`` cannot stop its pool, and the workers, blocked on a
    queue whose other end the dead parent no longer feeds, would live on (hundreds of MB
    each).  A daemon thread notices the new parent (the worker was re-parented) and exits.
    """
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="newsgraph-parent-watch", daemon=True).start()


def _worker_init(model: str | None, parent: int | None = None, options: dict[str, Any] | None = None) -> None:
    global _WORKER_NLP
    if parent is not None:
        _exit_with_parent(parent)
    if _WORKER_NLP is None:  # forked workers inherit the parent's pipeline
        _WORKER_NLP = load_nlp(model, **(options or {}))


def _worker_run(documents: list[Document]) -> list[DocumentResult]:
    assert _WORKER_NLP is not None
    return [process_extraction(e).pack() for e in extract(_WORKER_NLP, documents)]


#: extracted documents waiting for resolve -> rdf in the helper thread
OVERLAP_AHEAD = 16


def _overlapped(extractions: Iterator[Extraction]) -> Iterator[tuple[Document, DocumentResult]]:
    """resolve -> rdf in a helper thread while the parser goes on with the next documents.

    spaCy's neural layers run without the GIL (thinc's BLAS calls), so on a machine with a
    second core the pure-Python stages after parsing mostly overlap with it.  Results come
    out in input order and are the same as without the thread.
    """
    pending: deque[tuple[Document, Future[DocumentResult]]] = deque()
    with ThreadPoolExecutor(1, thread_name_prefix="newsgraph-rdf") as pool:
        for extraction in extractions:
            pending.append((extraction.document, pool.submit(process_extraction, extraction)))
            while pending and (len(pending) > OVERLAP_AHEAD or pending[0][1].done()):
                document, future = pending.popleft()
                yield document, future.result()
        while pending:
            document, future = pending.popleft()
            yield document, future.result()


def iter_results(
    documents: Iterable[Document],
    nlp: Language | Callable[[], Language] | None = None,
    model: str | None = None,
    workers: int = 1,
    load_options: dict[str, Any] | None = None,
    start_method: str | None = None,
) -> Iterator[tuple[Document, DocumentResult]]:
    """Extract and convert documents, in input order, in this process or in ``workers``.

    With several workers, documents go out in chunks and at most ``2 * workers`` chunks
    are in flight, so the input is streamed, never read ahead whole.  Results are the
    same as with one worker (same order, same triples).  ``nlp`` may be a function that
    loads the pipeline: it is called only once there is a document to extract.
    ``load_options`` (``rules``, ``relation_model``, ``min_confidence`` of ``load_nlp``)
    reach workers that load their own pipeline (the ``spawn`` start method, where ``fork``
    is missing or ``start_method`` asks for it).
    """
    it = iter(documents)
    first = next(it, None)
    if first is None:
        return  # nothing to extract: do not even load the model
    it = chain([first], it)
    if callable(nlp) and not isinstance(nlp, Language):
        nlp = nlp()
    if workers <= 1:
        nlp = nlp or load_nlp(model, **(load_options or {}))
        yield from _overlapped(extract(nlp, it))
        return
    global _WORKER_NLP
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context(start_method or ("fork" if "fork" in methods else "spawn"))
    if ctx.get_start_method() == "fork":
        _WORKER_NLP = nlp or load_nlp(model, **(load_options or {}))  # loaded once, shared copy-on-write
    pending: deque[tuple[list[Document], Future[list[DocumentResult]]]] = deque()
    try:
        with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_worker_init,
                                 initargs=(model, os.getpid(), load_options)) as pool:
            while True:
                while len(pending) < 2 * workers:
                    chunk = list(islice(it, WORKER_CHUNK))
                    if not chunk:
                        break
                    pending.append((chunk, pool.submit(_worker_run, chunk)))
                if not pending:
                    break
                chunk, future = pending.popleft()
                by_id = {d.id: d for d in chunk}
                for result in future.result():
                    yield by_id.get(result.doc_id, chunk[0]), result.unpack()
    finally:
        _WORKER_NLP = None


def build_into(
    sink: Any,
    paths: Iterable[str | Path],
    nlp: Language | None = None,
    model: str | None = None,
    progress: ProgressFn | None = None,
    keep_related: bool = False,
    ingest: IngestOptions | None = None,
    workers: int = 1,
    incremental: bool = True,
    rules: Iterable[str | Path] | None = None,
    relation_model: str | Path | None = None,
    min_confidence: float | None = None,
    cluster: Any = None,
) -> BuildReport:
    """Build the documents under ``paths`` into ``sink`` (see ``graph.store.open_sink``).

    Each document's graph is written as soon as it is made.  With ``incremental`` (the
    default), a document already in the sink with the same content hash is skipped
    (``report.skipped_unchanged``) and a changed one replaces its named graph.  Inputs that
    cannot be read are reported in ``report.problems`` and skipped.  A build that changed
    something adds its ``prov:Activity`` to the build graph.  ``cluster`` (a
    ``graph.cluster.ClusterRunner``) extracts on a Dask cluster instead of ``workers``.
    """
    from graph.rdf.terms import graph_quads

    started = time.perf_counter()
    report = BuildReport()
    known = sink.document_hashes() if incremental else {}

    def good_documents() -> Iterator[Document]:
        options = ingest or IngestOptions()
        if keep_related and not options.keep_related:
            options = dataclasses.replace(options, keep_related=True)
        for item in read_documents(paths, options):
            if isinstance(item, InputError):
                log.error("%s", item)
                report.problems.append(str(item))
                continue
            if not item.text.strip():
                msg = f"{item.source}: empty document, skipped"
                log.warning("%s", msg)
                report.warnings.append(msg)
                continue
            if known.get(str(document_iri(item.id))) == item.content_hash:
                report.skipped_unchanged += 1
                log.info("%s: unchanged, skipped", item.source)
                continue
            yield item

    loaded: list[Language] = [nlp] if nlp is not None else []

    def get_nlp() -> Language:
        if not loaded:
            loaded.append(load_nlp(model, rules=rules, relation_model=relation_model, min_confidence=min_confidence))
        return loaded[0]

    doc_ids: list[str] = []
    entity_keys: set[str] = set()
    results = (cluster.results(good_documents(), model=model, rules=rules, sink=sink, relation_model=relation_model,
                               min_confidence=min_confidence) if cluster is not None
               else iter_results(good_documents(), nlp=get_nlp, model=model, workers=workers,
                                 load_options={"rules": [str(r) for r in rules or ()], "relation_model": relation_model,
                                               "min_confidence": min_confidence}))
    for document, result in results:
        if result.error:
            log.error("%s", result.error)
            report.problems.append(result.error)
            continue
        if not result.written:
            sink.put_graph(result.graph, result.quads)
        doc_ids.append(result.doc_id)
        entity_keys.update(result.entity_keys)
        report.documents += 1
        report.relations += result.relations
        if progress:
            progress(document)
    if doc_ids:
        name, version = cluster.model_info if cluster is not None else model_info(get_nlp())
        activity = build_graph(doc_ids, __version__, name, version)
        sink.add_to_graph(str(BUILD_GRAPH), graph_quads(activity))
    report.entities = len(entity_keys)
    counter = getattr(sink, "triple_count", None)
    report.triples = counter() if counter else 0
    report.seconds = time.perf_counter() - started
    return report


def remove_documents(sink: Any, refs: Iterable[str]) -> tuple[list[str], list[str]]:
    """Remove documents from a sink by key, source path, id or IRI.

    Returns (removed document IRIs, refs that matched nothing).  Entities stay as long as
    another document still mentions them (their triples live in each document's graph).
    """
    docs = sink.documents()
    removed: list[str] = []
    missing: list[str] = []
    for ref in refs:
        hits = [
            iri for iri, key, source in docs
            if ref in (iri, key, source) or iri == str(document_iri(ref)) or iri == str(document_iri(Document(key=ref, text="", source="").id))
        ]
        if not hits:
            missing.append(ref)
        for iri in hits:
            if sink.remove_graph(iri):
                removed.append(iri)
    return removed, missing


def write_outputs(sink: Any, out_dir: str | Path, html: bool = True) -> list[Path]:
    """Write a build folder from an Oxigraph sink: ``graph.ttl`` (the merged graph),
    ``graph.trig`` (one named graph per document: what the next incremental build loads)
    and ``graph.html`` with ``views.html`` (map, timeline, table) beside it.  Serialised by
    Oxigraph in sorted order: fast and deterministic."""
    from graph.files import write_atomic

    out = Path(out_dir)
    written = [out / "graph.ttl", out / "graph.trig"]
    write_atomic(written[0], sink.dump("turtle"))
    write_atomic(written[1], sink.dump("trig"))
    if html:
        from graph.viz import render_html
        from graph.viz.views import render_views_html

        union = sink.union_graph()
        written.append(out / "graph.html")
        write_atomic(written[2], render_html(union).encode("utf-8"))
        written.append(out / "views.html")
        write_atomic(written[3], render_views_html(union).encode("utf-8"))
    return written


def build_dataset(
    paths: Iterable[str | Path],
    nlp: Language | None = None,
    model: str | None = None,
    progress: ProgressFn | None = None,
    keep_related: bool = False,
    ingest: IngestOptions | None = None,
    workers: int = 1,
    rules: Iterable[str | Path] | None = None,
) -> tuple[Dataset, BuildReport]:
    """Build an in-memory rdflib Dataset (one named graph per document, plus the build
    activity) for notebooks and tests; the CLI builds into a store with ``build_into``.

    Inputs that cannot be read are reported in ``BuildReport.problems`` and skipped; they
    never stop the other documents.  ``ingest`` sets how inputs are read (formats, JSON
    field names, boilerplate); ``keep_related=True`` keeps other stories found on a page
    as documents of their own.
    """
    from graph.rdf.terms import from_ox
    from graph.store.oxigraph import OxigraphDataset

    started = time.perf_counter()
    sink = OxigraphDataset()
    report = build_into(sink, paths, nlp=nlp, model=model, progress=progress, keep_related=keep_related,
                        ingest=ingest, workers=workers, incremental=False, rules=rules)
    dataset = new_dataset()
    for q in sink.named_quads():
        dataset.graph(from_ox(q.graph_name)).add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    report.triples = len(dataset)
    report.seconds = time.perf_counter() - started
    return dataset, report


def union_graph(dataset: Dataset) -> Graph:
    """All triples of a dataset in one plain graph (what graph.ttl holds)."""
    from graph.rdf.namespaces import bind_prefixes

    g = bind_prefixes(Graph())
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def build(paths: Iterable[str | Path], model: str | None = None) -> Graph:
    """Build the knowledge graph of the documents under ``paths`` (notebook entry point)."""
    dataset, _ = build_dataset(paths, model=model)
    return union_graph(dataset)
