"""The Resolver's passes (graph/resolve/resolver.py): an explicit, documented order."""

from __future__ import annotations

import inspect

from graph.model import Document, EntityType, Extraction, Mention
from graph.resolve import PASSES, Resolver, resolver


def test_every_pass_says_what_it_does() -> None:
    assert len(PASSES) == len(set(PASSES))
    for step in PASSES:
        doc = inspect.getdoc(step) or ""
        assert len(doc.split()) >= 10, f"{step.__name__} needs a docstring saying what and why"


def test_passes_are_what_the_resolver_runs() -> None:
    text = "Hun Manet spoke. He left."
    doc = Document(key="p.txt", text=text, source="p.txt")
    mentions = [Mention(doc.id, 0, 9, "Hun Manet", EntityType.PERSON, "PERSON"),
                Mention(doc.id, 17, 19, "He", EntityType.PERSON, "PRON")]
    extraction = Extraction(doc, mentions, [], [(0, 16), (17, 25)])
    full = Resolver().resolve(extraction)
    assert full.mention_entity == {(0, 9): "Person/hun manet", (17, 19): "Person/hun manet"}

    class WithoutReferences(Resolver):
        passes = tuple(p for p in PASSES if p is not resolver.resolve_references)

    assert WithoutReferences().resolve(extraction).mention_entity == {(0, 9): "Person/hun manet"}
