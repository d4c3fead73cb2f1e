"""The whole build: ingest -> extract -> resolve -> rdf, as one library call."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from rdflib import Dataset, Graph
from spacy.language import Language

from graph import __version__
from graph.errors import InputError
from graph.extract import extract, load_nlp, model_info
from graph.ingest import read_documents
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
) -> tuple[Dataset, BuildReport]:
    """Build a dataset (one named graph per document, plus the build activity).

    Inputs that cannot be read are reported in ``BuildReport.problems`` and skipped; they
    never stop the other documents.
    """
    started = time.perf_counter()
    nlp = nlp or load_nlp(model)
    report = BuildReport()
    dataset = new_dataset()

    def good_documents() -> Iterator[Document]:
        for item in read_documents(paths):
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
        resolved = resolve(extraction)
        g = document_graph(resolved, extractor_version=__version__)
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
