"""Mentions whose descriptions conflict are different entities (issue 12, item 1).

A description refers back to an earlier entity only when what it says (nationality, age,
gender, count) agrees with what was said of that entity; place descriptions resolve to a
place in the country they name, and no place is ``locatedIn`` a country it does not lie in.
"""

from __future__ import annotations

import re
from collections import defaultdict

from graph.model import Claim, Document, EntityType, Extraction, Mention
from graph.resolve import Resolver


def key_of(r, surface: str, nth: int = 0) -> str | None:
    """Entity key of the ``nth`` occurrence of ``surface``: the smallest mention containing
    it ("year-old Thai survivor" for "Thai survivor"), else the longest inside it."""
    start = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(surface)}(?!\w)", r.document.text)][nth]
    end = start + len(surface)
    around = [(e - s, k) for (s, e), k in r.mention_entity.items() if s <= start and end <= e]
    if around:
        return min(around)[1]
    inside = [(e - s, k) for (s, e), k in r.mention_entity.items() if start <= s and e <= end]
    return max(inside)[1] if inside else None


def nationalities(r) -> dict[str, set[str]]:
    """Entity key -> the countries its nationality claims name."""
    out: dict[str, set[str]] = defaultdict(set)
    for c in r.claims:
        if c.relation == "nationality" and isinstance(c.obj, Mention):
            out[r.mention_entity[c.subject.span]].add(r.mention_entity[c.obj.span])
    return out


def located_in(r) -> set[tuple[str, str]]:
    return {(r.mention_entity[c.subject.span], r.mention_entity[c.obj.span])
            for c in r.claims if c.relation == "locatedIn" and isinstance(c.obj, Mention)}


# ---------------------------------------------------------------------------- people


def test_a_thai_adult_is_not_the_chinese_child_named_before(resolve_text):
    r = resolve_text("Amnesty confirmed the death of a Chinese child in one compound. "
                     "An 18-year-old Thai survivor told Reuters he was trafficked to Phnom Penh.")
    child, survivor = key_of(r, "Chinese child"), key_of(r, "Thai survivor")
    assert child and survivor and child != survivor
    assert all(len(codes) == 1 for codes in nationalities(r).values()), nationalities(r)
    # what "he" did is the survivor's, not the child's
    assert key_of(r, "he") == survivor
    assert any(c.relation == "traffickedTo" and r.mention_entity[c.subject.span] == survivor for c in r.claims)
    assert r.entities[survivor].type is EntityType.PERSON
    assert "18" in r.entities[survivor].label


def test_a_definite_description_of_another_nationality_is_someone_else(resolve_text):
    r = resolve_text("A Chinese man was detained at the border. The Thai man said he had been tricked.")
    chinese, thai = key_of(r, "Chinese man"), key_of(r, "Thai man")
    assert chinese and thai and chinese != thai


def test_a_description_of_another_age_is_someone_else(resolve_text):
    r = resolve_text("A 16-year-old survivor from China told Amnesty he was beaten in the compound. "
                     "A 25-year-old survivor said he was sold. The 16-year-old survivor said he escaped.")
    first, second, third = (key_of(r, "survivor", nth=i) for i in range(3))
    assert first and second and first != second
    assert third == first  # the nearest survivor is 25: the description skips to the 16-year-old


def test_an_agreeing_description_still_refers_back(resolve_text):
    r = resolve_text("A Thai woman was rescued from the compound. The woman said she had been beaten.")
    assert key_of(r, "Thai woman") is not None
    assert key_of(r, "woman", nth=1) == key_of(r, "Thai woman")


# ---------------------------------------------------------------------------- places


def test_the_nations_capital_is_the_place_apposed_not_an_earlier_city(resolve_text):
    r = resolve_text("Cambodia denied the claims. The London-based group said it had identified 53 scam "
                     "centres across the country, including the Southeast Asian nation's capital, Phnom Penh.")
    london, phnom_penh = key_of(r, "London"), key_of(r, "Phnom Penh")
    assert london != phnom_penh
    assert key_of(r, "capital") == phnom_penh
    assert key_of(r, "it") != london  # "London" of "London-based" is a modifier
    assert not any(s == london for s, _ in located_in(r)), located_in(r)


def test_a_countrys_capital_is_its_capital_city(resolve_text):
    r = resolve_text("Bangkok hosted the talks. Police raided three compounds in Cambodia's capital.")
    assert key_of(r, "Cambodia's capital") == key_of(Resolver().resolve(_one_place("Phnom Penh")), "Phnom Penh")


def test_the_capital_is_a_capital_city(resolve_text):
    r = resolve_text("The Yangon-based group found compounds near Mae Sot. Police in the capital said nothing.")
    assert key_of(r, "capital") is None or key_of(r, "capital") not in (key_of(r, "Yangon"), key_of(r, "Mae Sot"))


def test_a_place_is_never_located_in_a_country_it_does_not_lie_in():
    """A claim "London locatedIn Cambodia" (from a misresolved description) is dropped;
    "Phnom Penh locatedIn Cambodia" is kept."""
    text = "London and Phnom Penh are in Cambodia."
    doc = Document(key="t.txt", text=text, source="t.txt")

    def mention(surface: str, etype: EntityType, label: str) -> Mention:
        start = text.index(surface)
        return Mention(doc.id, start, start + len(surface), surface, etype, label)

    london = mention("London", EntityType.PLACE, "GPE")
    phnom_penh = mention("Phnom Penh", EntityType.PLACE, "GPE")
    cambodia = mention("Cambodia", EntityType.COUNTRY, "GPE")
    claims = [Claim(doc.id, m, "locatedIn", cambodia, 0, len(text), 0.7, "test") for m in (london, phnom_penh)]
    r = Resolver().resolve(Extraction(doc, [london, phnom_penh, cambodia], claims, [(0, len(text))]))
    assert located_in(r) == {(r.mention_entity[phnom_penh.span], "Country/KH")}


def _one_place(name: str) -> Extraction:
    doc = Document(key="p.txt", text=name, source="p.txt")
    m = Mention(doc.id, 0, len(name), name, EntityType.PLACE, "GPE")
    return Extraction(doc, [m], [], [(0, len(name))])


def test_a_description_apposed_to_a_description_is_the_same_person(resolve_text):
    r = resolve_text("Another detainee, a 39-year-old man from Kenya, accused the militia of abuse.")
    assert key_of(r, "39-year-old man") == key_of(r, "detainee")
    r = resolve_text("A Thai woman, a Chinese man and a Lao boy were rescued by police.")
    assert key_of(r, "Thai woman") != key_of(r, "Chinese man")


def test_an_expletive_it_refers_to_nothing(resolve_text):
    r = resolve_text("Myanmar denied the claims. It is reported that 34 Sri Lankan nationals are still held in camps.")
    assert key_of(r, "It") is None
    assert not any(c.relation == "estimates" and r.mention_entity.get(c.subject.span) == "Country/MM" for c in r.claims)


def test_a_possessive_owner_inside_a_description_is_still_an_antecedent(resolve_text):
    r = resolve_text("Myanmar's military government said on Saturday it had demolished 148 buildings.")
    assert key_of(r, "it") == "Country/MM"
