""""it" prefers the subject's possessor to a place after a preposition."""

from __future__ import annotations

from graph.model import EntityType
from graph.resolve import coref


def _chain(*items: coref.Antecedent) -> coref.Chain:
    chain = coref.Chain()
    for item in items:
        chain.add(item)
    return chain


def test_it_skips_place_after_preposition():
    # "China's embassy in Manila said it would cooperate"
    text = "China's embassy in Manila said it would cooperate"
    chain = _chain(
        coref.Antecedent(0, 5, "china", EntityType.COUNTRY, possessive=True),
        coref.Antecedent(19, 25, "manila", EntityType.PLACE, oblique=True),
    )
    assert coref.resolve_pronoun(chain, "it", text.index(" it ") + 1, 0) == "china"


def test_it_falls_back_to_oblique_place():
    text = "Workers flew to Bangkok because it was close"
    chain = _chain(coref.Antecedent(16, 23, "bangkok", EntityType.PLACE, oblique=True))
    assert coref.resolve_pronoun(chain, "it", text.index(" it ") + 1, 0) == "bangkok"
