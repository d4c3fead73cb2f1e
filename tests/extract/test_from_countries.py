"""Where a group of people comes from: "workers, many of them from Nepal" (graph/extract/structural/)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def nlp(rules_nlp):
    """These rule tests see what the rules alone claim (the relation model decides later)."""
    return rules_nlp


def claims(nlp, text: str, relation: str) -> set[tuple[str, str]]:
    doc = nlp(text)
    return {(c.subject.text, c.obj.text) for c in doc._.ng_claims if c.relation == relation and not isinstance(c.obj, str)}


@pytest.mark.parametrize(
    "text, group",
    [
        ("The firms withheld wages from migrant workers, many of them from Nepal and Bangladesh.", "migrant workers"),
        ("The labourers, from Nepal and Bangladesh, had been held since March.", "labourers"),
        ("He was freed with 40 other workers, mostly from Nepal and Bangladesh.", "workers"),
    ],
)
def test_a_group_from_listed_countries_has_each_nationality(nlp, text, group):
    found = claims(nlp, text, "nationality")
    assert {(group, "Nepal"), (group, "Bangladesh")} <= found


def test_a_person_noun_from_a_country(nlp):
    assert ("survivor", "China") in claims(nlp, "One survivor from China told reporters he had answered an advert.", "nationality")


def test_people_moved_from_a_country_have_no_nationality_there(nlp):
    assert claims(nlp, "Police freed 40 workers from Myanmar on Friday.", "nationality") == set()


def test_a_trafficked_group_is_trafficked_from_the_countries(nlp):
    text = "The report documents 85 survivors from Nepal and India who were trafficked to Cambodia."
    assert {("survivors", "Nepal"), ("survivors", "India")} <= claims(nlp, text, "traffickedFrom")
    assert claims(nlp, text, "nationality") & {("survivors", "Nepal")} == set()


def test_a_plural_demonym_group_has_the_country_the_document_names(nlp):
    found = claims(nlp, "Forty-two Kenyans returned home on Friday. Kenya said it would help them.", "nationality")
    assert ("Kenyans", "Kenya") in found


def test_a_plural_demonym_without_its_country_in_the_document_gives_nothing(nlp):
    assert claims(nlp, "Thailand deported 42 Ugandans on Friday.", "nationality") == set()
