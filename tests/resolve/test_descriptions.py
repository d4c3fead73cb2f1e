"""Indefinite organisation descriptions and role nouns (graph/resolve, graph/extract/frames)."""

from __future__ import annotations

import re

from graph.model import EntityType
from tests.resolve.conftest import key_of


def exact_key(r, surface: str, nth: int = 0) -> str | None:
    """Entity key of the mention spanning exactly the ``nth`` occurrence of ``surface``."""
    start = [m.start() for m in re.finditer(re.escape(surface), r.document.text)][nth]
    return r.mention_entity.get((start, start + len(surface)))


def sanctioned(r) -> set[str]:
    return {r.mention_entity.get(c.obj.span) for c in r.claims if c.relation == "sanctions" and not isinstance(c.obj, str)}


def test_an_indefinite_organisation_is_a_new_node_not_an_earlier_one(resolve_text):
    r = resolve_text("Amnesty International published a report on the scams. "
                     "Britain imposed sanctions on a Cambodian conglomerate on Tuesday.")
    key = exact_key(r, "Cambodian conglomerate")
    assert key is not None and key.startswith("Organization/")
    assert key != key_of(r, "Amnesty International")
    assert key in sanctioned(r)


def test_a_later_definite_description_refers_back_to_it(resolve_text):
    r = resolve_text("Britain imposed sanctions on a Cambodian conglomerate. The conglomerate denied wrongdoing.")
    key = exact_key(r, "Cambodian conglomerate")
    assert key is not None and exact_key(r, "conglomerate", nth=1) == key


def test_a_role_noun_is_a_person_not_an_organisation(resolve_text):
    r = resolve_text("Britain imposed sanctions on the casino group and its chairman.")
    keys = {k for k in sanctioned(r) if k}
    chairman = [k for k in keys if k.endswith("chairman")]
    assert chairman, keys
    assert all(r.entities[k].type is EntityType.PERSON for k in chairman)


def test_role_nouns_in_the_plural_are_a_group(resolve_text):
    r = resolve_text("Britain imposed sanctions on the company's officials.")
    types = {r.entities[k].type for k in sanctioned(r) if k}
    assert EntityType.ORGANIZATION not in types
