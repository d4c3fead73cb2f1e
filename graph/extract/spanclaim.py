"""``SpanClaim``: a claim still expressed over spaCy spans (converted to ``Claim`` later)."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

if not Doc.has_extension("ng_claims"):
    Doc.set_extension("ng_claims", default=None)


@dataclass(slots=True)
class SpanClaim:
    """A claim still expressed over spaCy spans (converted to ``Claim`` after the pipe)."""

    subject: Span
    relation: str
    obj: Span | str
    evidence: Span
    confidence: float
    extractor: str
    negated: bool = False
    hedged: bool = False
    source: Span | None = None
