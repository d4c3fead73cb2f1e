"""Symmetric frames (``mutual = true`` in frames.toml): "X and Y agreed to cooperate"."""

from __future__ import annotations

import pytest


def claims(nlp, text: str, relation: str) -> set[tuple[str, str]]:
    doc = nlp(text)
    return {(c.subject.text, c.obj.text) for c in doc._.ng_claims if c.relation == relation and not isinstance(c.obj, str)}


@pytest.mark.parametrize(
    "text",
    [
        "Vietnam and Laos agreed to cooperate on border security.",
        "Vietnam and Laos will exchange intelligence on the smuggling gangs.",
    ],
)
def test_conjoined_subjects_cooperate_with_each_other_both_ways(nlp, text):
    assert claims(nlp, text, "cooperatesWith") == {("Vietnam", "Laos"), ("Laos", "Vietnam")}


def test_an_agreement_between_conjoined_subjects(nlp):
    found = claims(nlp, "Vietnam and Laos signed an agreement on labour migration.", "signsAgreementWith")
    assert found == {("Vietnam", "Laos"), ("Laos", "Vietnam")}


def test_a_named_partner_keeps_one_direction(nlp):
    found = claims(nlp, "Vietnam and Laos agreed to share intelligence with China.", "cooperatesWith")
    assert found == {("Vietnam", "China"), ("Laos", "China")}


def test_sharing_a_border_is_no_cooperation(nlp):
    assert claims(nlp, "Vietnam and Laos share a long border.", "cooperatesWith") == set()
