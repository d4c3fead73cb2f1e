"""Resolver rules without spaCy: name folding, titles, acronyms, linking tables, and
claims about unresolvable pronouns being dropped."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.model import Claim, Document, EntityType, Extraction, Mention
from graph.resolve import Resolver, aliases, linking


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Britain", "GB"), ("the UK", "GB"), ("the United States", "US"), ("US", "US"), ("America", "US"),
        ("Laos", "LA"), ("Vietnam", "VN"), ("Viet Nam", "VN"), ("Myanmar", "MM"), ("Burma", "MM"),
        ("Taiwan", "TW"), ("Russia", "RU"), ("Cambodia's", "KH"), ("South Korea", "KR"),
    ],
)
def test_country_codes(name: str, code: str) -> None:
    assert linking.country_code(name) == code


def test_country_code_rejects_non_countries() -> None:
    assert linking.country_code("it") is None  # not Italy's code
    assert linking.country_code("Amnesty") is None


def test_demonyms_and_government_metonyms() -> None:
    assert linking.demonym_code("Cambodian") == "KH"
    assert linking.demonym_code("Thai") == "TH"
    assert linking.government_code("the Cambodian government") == "KH"
    assert linking.government_code("Cambodian authorities") == "KH"
    assert linking.government_code("Thailand's government") == "TH"
    assert linking.government_code("the government of Laos") == "LA"
    assert linking.government_code("the rights group") is None


def test_places_and_subdivisions() -> None:
    pp = linking.link_place("Phnom Penh")
    assert pp is not None and pp.key == "geonames:1821306" and pp.country == "KH"
    assert linking.link_place("Myawaddy").key == "geonames:1308052"
    assert linking.link_place("San Jose", {"PH"}).country == "PH"
    assert linking.link_place("San Jose").country == "US"
    shan = linking.link_place("Shan")
    assert shan is not None and shan.key == "iso3166-2:MM-17" and shan.iso3166 == "MM-17"
    assert linking.link_place("Rangoon").label == "Yangon"  # alternate name
    assert linking.capital_of("Phnom Penh") == "KH"
    assert linking.country_label("VN") == "Vietnam"


def test_titles_acronyms_and_group_folding() -> None:
    assert aliases.strip_title("Prime Minister Hun Manet") == ("Hun Manet", ["Prime Minister"])
    assert aliases.strip_title("Mr Chen") == ("Chen", [])
    text = "said Amnesty International's Secretary General Agnes Callamard."
    assert aliases.title_before(text, text.index("Agnes")) == "Secretary General"
    text = "Yvette Cooper, the British Foreign Secretary, said"
    assert aliases.title_after(text, len("Yvette Cooper")) == "Foreign Secretary"
    assert aliases.initials("United Nations Office on Drugs and Crime") == "UNODC"
    assert aliases.known_acronyms()["UN"] == "United Nations"
    assert aliases.group_key("thousands of migrant workers") == "migrant worker"
    assert aliases.group_key("scam centres") == aliases.group_key("the scam centers") == "scam center"
    assert aliases.group_key("scam compounds") != aliases.group_key("scam centers")
    assert aliases.group_key("children") == "child"
    assert aliases.group_key("organised criminal groups") == aliases.group_key("organized crime groups")
    assert aliases.group_key("criminal gangs") != aliases.group_key("criminal groups")
    assert aliases.name_key("Agnès Callamard") == aliases.name_key("Agnes Callamard")


def _m(text: str, doc: str, etype: EntityType, label: str, nth: int = 0) -> Mention:
    start = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(text)}(?!\w)", doc)][nth]
    return Mention("d", start, start + len(text), text, etype, label)


def test_claims_about_unresolvable_pronouns_are_dropped() -> None:
    text = "He was trafficked to Cambodia. Yutai said he was trafficked to Laos."
    he1 = _m("He", text, EntityType.PERSON, "PRON")
    kh = _m("Cambodia", text, EntityType.COUNTRY, "GPE")
    yutai = _m("Yutai", text, EntityType.PERSON, "PERSON")
    he2 = _m("he", text, EntityType.PERSON, "PRON")
    la = _m("Laos", text, EntityType.COUNTRY, "GPE")
    claims = [
        Claim("d", he1, "traffickedTo", kh, 0, 30, 0.8, "t"),
        Claim("d", he2, "traffickedTo", la, 31, len(text), 0.8, "t"),
    ]
    ex = Extraction(
        Document(key="d.txt", text=text, source="d.txt"),
        [he1, kh, yutai, he2, la],
        claims,
        sentences=[(0, 30), (31, len(text))],
    )
    r = Resolver().resolve(ex)
    assert [c.relation for c in r.claims] == ["traffickedTo"]
    assert r.mention_entity[r.claims[0].subject.span] == "Person/yutai"
    assert he1.span not in r.mention_entity
    assert r.entities["Country/LA"].links == {"iso3166": "LA"}
    assert all(not k.lower().endswith("/he") for k in r.entities)


def test_metropolis_alternate_name_before_subdivision() -> None:
    assert linking.link_place("New York", {"US"}).label == "New York City"
    assert linking.link_place("New York").label == "New York City"


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from(list("ab CdéK’'.,-\n")), min_size=1, max_size=40),
    spans=st.lists(st.tuples(st.integers(0, 39), st.integers(1, 12), st.sampled_from(list(EntityType)),
                             st.sampled_from(["PRON", "NOMINAL", "GPE", "ORG", "PERSON", "GROUP"])), max_size=6),
)
def test_any_mentions_resolve_deterministically(text: str, spans: list) -> None:
    mentions = []
    for start, length, etype, label in spans:
        start = min(start, len(text) - 1)
        end = min(len(text), start + length)
        mentions.append(Mention("d", start, end, text[start:end], etype, label))
    claims = [Claim("d", a, "accuses", b, 0, len(text), 0.5, "t") for a, b in zip(mentions, mentions[1:], strict=False)]
    ex = Extraction(Document(key="d.txt", text=text, source="d.txt"), mentions, claims, [(0, len(text))])
    first, second = Resolver().resolve(ex), Resolver().resolve(ex)
    assert first.mention_entity == second.mention_entity
    assert [(e.key, e.label, sorted(e.aliases)) for e in first.entities.values()] == [
        (e.key, e.label, sorted(e.aliases)) for e in second.entities.values()
    ]
    for key in first.entities:
        kind, _, rest = key.partition("/")
        assert EntityType(kind) and rest
    for c in first.claims:
        assert c.subject.span in first.mention_entity


def test_apposed_description_makes_a_person_and_surname_goes_to_the_principal() -> None:
    text = "Police detained Tan Ah Kow, a Malaysian businessman, and his cousin Tan Mei Ling. Tan denied it."
    tan = _m("Tan Ah Kow", text, EntityType.ORGANIZATION, "ORG")  # mistyped by the tagger
    desc = _m("Malaysian businessman", text, EntityType.PERSON, "NOMINAL")
    cousin = _m("Tan Mei Ling", text, EntityType.PERSON, "PERSON")
    bare = _m("Tan", text, EntityType.PERSON, "PERSON", nth=2)  # the third whole-word "Tan"
    ex = Extraction(Document(key="t.txt", text=text, source="t.txt"), [tan, desc, cousin, bare], [],
                    sentences=[(0, 82), (83, len(text))])
    r = Resolver().resolve(ex)
    assert r.mention_entity[tan.span] == "Person/tan ah kow"
    assert r.mention_entity[desc.span] == "Person/tan ah kow"
    assert r.mention_entity[cousin.span] == "Person/tan mei ling"
    assert r.mention_entity[bare.span] == "Person/tan ah kow"


def test_indefinite_description_introduces_an_unnamed_person() -> None:
    text = "A 17-year-old Lao survivor said he was sold twice. Another survivor said he escaped."
    first = _m("17-year-old Lao survivor", text, EntityType.PERSON, "NOMINAL")
    he1 = _m("he", text, EntityType.PERSON, "PRON")
    second = _m("survivor", text, EntityType.PERSON, "NOMINAL", nth=1)
    he2 = _m("he", text, EntityType.PERSON, "PRON", nth=1)
    ex = Extraction(Document(key="s.txt", text=text, source="s.txt"), [first, he1, second, he2], [],
                    sentences=[(0, 50), (51, len(text))])
    r = Resolver().resolve(ex)
    doc_id = ex.document.id
    a, b = r.mention_entity[first.span], r.mention_entity[second.span]
    assert a == f"Person/{doc_id}/17-year-old lao survivor"
    assert b == f"Person/{doc_id}/survivor" and a != b
    assert r.mention_entity[he1.span] == a and r.mention_entity[he2.span] == b


def test_exact_counts_before_a_group_noun() -> None:
    def count(text: str) -> tuple[str, str] | None:
        return aliases.count_before(text, len(text))

    assert count("authorities deported 771 ") == ("771", "771")
    assert count("at least 2,000 ") == ("2000", "2,000")
    assert count("NAIROBI - Forty-two ") == ("42", "Forty-two")
    assert count("at least 150 more ") == ("150", "150")
    for vague in ("hundreds of ", "a 16-year-old ", "one ", "In 2023, ", "fees of $20,000 ", "On March 14 "):
        assert count(vague) is None, vague


def test_counted_noun_is_the_lemma_of_the_figures_head_noun():
    from graph.resolve.aliases import counted_noun

    assert counted_noun("20 of the 53 scamming compounds") == "compound"
    assert counted_noun("53 scam centres") == counted_noun("at least 19 scam centers") == "center"
    assert counted_noun("as many as 100,000 people") == "person"
    assert counted_noun("58 survivors interviewed") == "survivor"  # a participle is no head
    assert counted_noun("45 more suspicious locations") == "location"
    assert counted_noun("more than US$12.5 billion") is None and counted_noun("40%") is None
    assert counted_noun("the victims") is None  # no number: no figure
