"""Nationality of a group described by the nationals it consists of, no nationality for the
state's agents ("Thai police"); facilities inside named zones, towns in named provinces."""

from __future__ import annotations

import pytest

from tests.extract.conftest import triples


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Police arrested 12 suspected managers, most of them Chinese citizens.",
         {("suspected managers", "nationality", "China")}),
        ("Police detained more than 400 suspects, mainly Chinese nationals.", {("suspects", "nationality", "China")}),
        ("Most of the suspects are Spanish and Colombian nationals.",
         {("suspects", "nationality", "Spain"), ("suspects", "nationality", "Colombia")}),
    ],
)
def test_group_has_the_nationality_of_its_nationals(run, text, expected):
    got = triples(run(text), "nationality")
    assert got == expected


def test_some_members_named_or_state_agents_give_no_group_nationality(run):
    got = triples(run("Police freed 700 workers, including Vietnamese and Malaysian nationals."), "nationality")
    assert not any(s == "workers" for s, _, _ in got)
    got = triples(run("Thai police and Chinese officials met 40 Chinese nationals."), "nationality")
    assert got == {("Chinese nationals", "nationality", "China")}


def test_facility_inside_a_named_zone_and_town_in_a_named_province(run):
    got = triples(run("People are held in scam centres inside the Golden Triangle Special Economic Zone."), "locatedIn")
    assert ("scam centres", "locatedIn", "Golden Triangle Special Economic Zone") in got
    got = triples(run("Police raided a complex in Bamban, a town in Tarlac province."), "locatedIn")
    assert ("Bamban", "locatedIn", "Tarlac") in got
