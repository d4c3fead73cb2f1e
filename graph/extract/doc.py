"""What newsgraph's spaCy components share on a ``Doc``: span keys, extensions, ``SpanClaim``.

The extensions are registered here, once, when the module is imported:

- ``Span._.ng_type`` (an ``EntityType`` value), ``ng_norm`` (normalised name or ISO code),
  ``ng_links`` (external identifiers) and ``ng_role`` (a title kept as a role) on mentions;
- ``Doc._.ng_claims``: the ``SpanClaim`` objects the components found (``None`` until one
  of them runs).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

#: ``doc.spans`` key of the typed entity mentions (``newsgraph_entities`` and the frames)
MENTIONS_KEY = "ng_mentions"
#: ``doc.spans`` key of quantities ("45 more suspicious locations")
QUANTITIES_KEY = "ng_quantities"
#: ``doc.spans`` key of dates
DATES_KEY = "ng_dates"

for _name in ("ng_type", "ng_norm", "ng_links", "ng_role"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)
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


__all__ = ["DATES_KEY", "MENTIONS_KEY", "QUANTITIES_KEY", "SpanClaim"]
