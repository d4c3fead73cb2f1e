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


def _one_person(key: str, text: str, name: str) -> Extraction:
    doc = Document(key=key, text=text, source=key)
    start = text.index(name)
    return Extraction(doc, [Mention(doc.id, start, start + len(name), name, EntityType.PERSON, "PERSON")], [],
                      [(0, len(text))])


def test_a_document_resolves_the_same_whatever_was_resolved_before() -> None:
    """No memory across documents: a lone "Chen" after a document naming Chen Zhi keys as it
    does alone, so a build's graph does not depend on document order, workers or machines."""
    one = Resolver()
    first = one.resolve(_one_person("a.txt", "Chen Zhi was sanctioned.", "Chen Zhi"))
    after = one.resolve(_one_person("b.txt", "Chen denied it.", "Chen"))
    alone = Resolver().resolve(_one_person("b.txt", "Chen denied it.", "Chen"))
    assert list(first.entities) == ["Person/chen zhi"]
    assert list(after.entities) == list(alone.entities) == ["Person/chen"]
    assert after.entities == alone.entities and after.mention_entity == alone.mention_entity
