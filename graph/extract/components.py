"""spaCy components of the extract stage, registered as factories on import.

``newsgraph_entities`` (``entities.py``) writes typed mention spans to
``doc.spans["ng_mentions"]``; ``newsgraph_relations`` (``frames.py``) applies the verb
frames of ``graph/rules/frames.toml`` and stores ``SpanClaim`` objects in
``doc._.ng_claims``. This module re-exports the public names for compatibility.
"""

from __future__ import annotations

from graph.extract.entities import MENTIONS_KEY, SPACY_TYPES, EntityTagger, make_entities
from graph.extract.frames import Frame, RelationFinder, load_frames, make_relations
from graph.extract.spanclaim import SpanClaim

__all__ = [
    "MENTIONS_KEY",
    "SPACY_TYPES",
    "EntityTagger",
    "Frame",
    "RelationFinder",
    "SpanClaim",
    "load_frames",
    "make_entities",
    "make_relations",
]
