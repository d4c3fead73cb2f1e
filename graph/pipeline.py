"""The whole build: ingest -> extract -> resolve -> rdf, as one library call."""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from rdflib import Dataset, Graph
from spacy.language import Language

from graph import __version__
from graph.errors import InputError
from graph.extract import extract, load_nlp, model_info
from graph.ingest import IngestOptions, read_documents
from graph.model import BuildReport, Document
from graph.rdf.build import build_graph, document_graph, new_dataset
from graph.resolve import resolve

log = logging.getLogger("newsgraph")

ProgressFn = Callable[[Document], None]


def build_dataset(
    paths: Iterable[str | Path],
    nlp: Language | None = None,
    model: str | None = None,
    progress: ProgressFn | None = None,
    keep_related: bool = False,
    ingest: IngestOptions | None = None,
) -> tuple[Dataset, BuildReport]:
    """Build a dataset (one named graph per document, plus the build activity).

    Inputs that cannot be read are reported in ``BuildReport.problems`` and skipped; they
    never stop the other documents.  ``ingest`` sets how inputs are read (formats, JSON
    field names, boilerplate); ``keep_related=True`` keeps other stories found on a page
    as documents of their own.
    """
    started = time.perf_counter()
    nlp = nlp or load_nlp(model)
    report = BuildReport()
    dataset = new_dataset()

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
            yield item

    doc_ids: list[str] = []
    entity_keys: set[str] = set()
    for extraction in extract(nlp, good_documents()):
        try:  # one document that trips a bug must not cost the others
            resolved = resolve(extraction)
            g = document_graph(resolved, extractor_version=__version__)
        except Exception as err:
            msg = f"{extraction.document.source}: internal error ({type(err).__name__}: {err}), skipped"
            log.error("%s", msg, exc_info=log.isEnabledFor(logging.DEBUG))
            report.problems.append(msg)
            continue
        named = dataset.graph(g.identifier)
        named += g
        doc_ids.append(extraction.document.id)
        entity_keys.update(resolved.entities)
        report.documents += 1
        report.relations += sum(1 for c in resolved.claims if not (c.negated or c.hedged))
        if progress:
            progress(extraction.document)
    name, version = model_info(nlp)
    activity = build_graph(doc_ids, __version__, name, version)
    named = dataset.graph(activity.identifier)
    named += activity
    report.entities = len(entity_keys)
    report.triples = len(dataset)
    report.seconds = time.perf_counter() - started
    return dataset, report


def union_graph(dataset: Dataset) -> Graph:
    """All triples of a dataset in one plain graph (what graph.ttl holds)."""
    from graph.rdf.build import bind_prefixes

    g = bind_prefixes(Graph())
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def build(paths: Iterable[str | Path], model: str | None = None) -> Graph:
    """Build the knowledge graph of the documents under ``paths`` (notebook entry point)."""
    dataset, _ = build_dataset(paths, model=model)
    return union_graph(dataset)
