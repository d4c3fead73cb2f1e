"""Long documents through spaCy in chunks, with offsets into the whole text.

spaCy refuses texts longer than ``nlp.max_length`` (1,000,000 characters) and its parser
needs memory in proportion to the text, so a long document is cut into chunks at paragraph
boundaries (else line, sentence, then word boundaries; never silently truncated).  Each
chunk goes through ``nlp.pipe`` like a document of its own; the partial extractions are
shifted by their chunk's start and merged back into one ``Extraction`` per document.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from graph.model import Claim, Document, Extraction, Mention

#: chunk size in characters: 1 MB peaks at ~0.7 GB RSS with 10k chunks (2.5 GB with 50k), see benchmarks
CHUNK_CHARS = 10_000

_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+")


@dataclass(frozen=True, slots=True)
class Chunk:
    """One piece of a document: its start offset, index and the number of pieces."""

    document: Document
    start: int
    index: int
    count: int


def _cut(text: str, start: int, limit: int) -> int:
    """End offset of the chunk starting at ``start``: the last good boundary before ``limit``."""
    end = start + limit
    if end >= len(text):
        return len(text)
    floor = start + limit // 2
    for sep in ("\n\n", "\n"):
        i = text.rfind(sep, floor, end)
        if i != -1:
            return i + len(sep)
    last = None
    for m in _SENTENCE_END.finditer(text, floor, end):
        last = m.end()
    if last is not None:
        return last
    i = max(text.rfind(" ", floor, end), text.rfind("\t", floor, end))
    return i + 1 if i != -1 else end


def chunk_spans(text: str, limit: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """(start, end) spans covering ``text`` exactly, each at most ``limit`` characters."""
    if limit < 2:
        raise ValueError("chunk limit must be at least 2 characters")
    spans: list[tuple[int, int]] = []
    start = 0
    while start < len(text):
        end = _cut(text, start, limit)
        spans.append((start, end))
        start = end
    return spans or [(0, 0)]


def chunk_pairs(documents: Iterable[Document], limit: int | None = None) -> Iterator[tuple[str, Chunk]]:
    """``(text, Chunk)`` pairs for ``nlp.pipe(..., as_tuples=True)``; short documents are one chunk."""
    limit = limit or CHUNK_CHARS
    for document in documents:
        spans = chunk_spans(document.text, limit) if len(document.text) > limit else [(0, len(document.text))]
        for index, (start, end) in enumerate(spans):
            yield document.text[start:end], Chunk(document, start, index, len(spans))


def shift_mention(m: Mention, offset: int) -> Mention:
    """The mention with its offsets moved by ``offset`` (chunk -> whole document)."""
    return dataclasses.replace(m, start=m.start + offset, end=m.end + offset)


def _shift_claim(c: Claim, offset: int) -> Claim:
    return dataclasses.replace(
        c,
        subject=shift_mention(c.subject, offset),
        obj=shift_mention(c.obj, offset) if isinstance(c.obj, Mention) else c.obj,
        source=shift_mention(c.source, offset) if c.source is not None else None,
        evidence_start=c.evidence_start + offset,
        evidence_end=c.evidence_end + offset,
    )


class ChunkMerger:
    """Collects the extractions of a document's chunks (in order) into one Extraction."""

    def __init__(self) -> None:
        self._parts: list[Extraction] = []

    def add(self, part: Extraction, chunk: Chunk) -> Extraction | None:
        """Add one chunk's extraction (offsets relative to the chunk); the whole one when complete."""
        if chunk.count == 1:
            return part
        off = chunk.start
        self._parts.append(
            Extraction(
                error=part.error,
                document=chunk.document,
                mentions=[shift_mention(m, off) for m in part.mentions],
                claims=[_shift_claim(c, off) for c in part.claims],
                sentences=[(s + off, e + off) for s, e in part.sentences],
                rules=part.rules,
            )
        )
        if chunk.index < chunk.count - 1:
            return None
        parts, self._parts = self._parts, []
        errors = [p.error for p in parts if p.error]
        if errors:  # a document is whole or not at all
            return Extraction(chunk.document, [], [], error=errors[0], rules=parts[-1].rules)
        return Extraction(
            document=chunk.document,
            mentions=[m for p in parts for m in p.mentions],
            claims=[c for p in parts for c in p.claims],
            sentences=[s for p in parts for s in p.sentences],
            rules=parts[-1].rules,
        )
