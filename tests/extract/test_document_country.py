"""National titles with no country beside them ("Prime Minister X said"): the country comes
from the sentence, the previous sentence's government or the dateline (graph/extract/structural/)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def nlp(rules_nlp):
    """These rule tests see what the rules alone claim (the relation model decides later)."""
    return rules_nlp


def claims(nlp, text: str, relation: str) -> set[tuple[str, str]]:
    doc = nlp(text)
    return {(c.subject.text, c.obj.text) for c in doc._.ng_claims if c.relation == relation and not isinstance(c.obj, str)}


MANILA = "MANILA, May 2 (Reuters) - Philippine police raided a gaming hub on Friday.\n\n"


def test_head_of_state_takes_the_dateline_country(nlp):
    found = claims(nlp, MANILA + "President Ramon Dela Cruz ordered a ban on all gaming operators.", "leads")
    assert found == {("Ramon Dela Cruz", "Philippine")}


def test_head_of_government_takes_the_government_of_the_previous_sentence(nlp):
    text = "There was no response from the Cambodian government. Prime Minister Chan Dara has declared zero tolerance."
    assert ("Chan Dara", "Cambodian") in claims(nlp, text, "leads")


def test_a_capital_speaking_for_its_government(nlp):
    text = "Cambodia rejects the report. Phnom Penh said it set up a taskforce headed by Prime Minister Chan Dara."
    assert ("Chan Dara", "Cambodia") in claims(nlp, text, "leads")


def test_another_country_in_the_sentence_blocks_the_dateline(nlp):
    text = MANILA + "President Ramon Dela Cruz criticised China over the raids."
    assert claims(nlp, text, "leads") == set()


def test_an_international_lead_says_nothing_about_who_is_who(nlp):
    text = ("WASHINGTON, May 2 (Reuters) - The United States and Britain imposed sanctions on a tycoon.\n\n"
            "Foreign Secretary Jane Moore said the measures would hit the scammers.")
    assert claims(nlp, text, "worksFor") == set()
    assert claims(nlp, text, "leads") == set()


@pytest.mark.parametrize("title", ["Deputy Prime Minister", "Vice President", "Interior Minister"])
def test_deputies_and_ministers_work_for_the_country_and_lead_nothing(nlp, title):
    text = MANILA + f"{title} Ramon Dela Cruz said more raids would follow."
    assert claims(nlp, text, "leads") == set()
    assert claims(nlp, text, "worksFor") == {("Ramon Dela Cruz", "Philippine")}


def test_a_deputy_beside_a_country_works_for_it(nlp):
    text = "Thailand's deputy prime minister, Anan Wongsa, said the border would stay closed."
    assert ("Anan Wongsa", "Thailand") in claims(nlp, text, "worksFor")
    assert claims(nlp, text, "leads") == set()


def test_a_company_president_is_no_head_of_state(nlp):
    text = MANILA + "Company President Ramon Dela Cruz said the hub was closed."
    assert claims(nlp, text, "leads") == set()


@pytest.mark.parametrize(
    "text, country",
    [
        ("Chea Dara, a spokesman for the Cambodian government, declined to comment.", "Cambodian"),
        ("A spokesman for Myanmar's military government, Major General Aung Min, rejected the report.", "Myanmar"),
    ],
)
def test_a_spokesman_for_a_government_works_for_its_country(nlp, text, country):
    found = claims(nlp, text, "worksFor")
    assert {c for _, c in found} == {country}


def test_a_businessman_with_a_demonym_has_a_nationality_not_an_employer(nlp):
    text = "Britain imposed sanctions on Cambodian businessman Sok Chan on Tuesday."
    assert claims(nlp, text, "worksFor") == set()
    assert ("Sok Chan", "Cambodian") in claims(nlp, text, "nationality")
