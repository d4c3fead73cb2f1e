"""Entity mentions: gazetteers, demonyms, rule patterns, groups, quantities, NER fixes."""

from __future__ import annotations


def mentions(doc):
    return {m.text: (m._.ng_type, m._.ng_norm, m._.ng_links, m.label_) for m in doc.spans["ng_mentions"]}


def test_country_linked_to_iso(run):
    m = mentions(run("Thailand closed the border with Laos."))
    assert m["Thailand"][0] == "Country" and m["Thailand"][2] == (("iso3166", "TH"),)
    assert m["Laos"][1] == "Laos"


def test_demonym_normalised_to_country(run):
    m = mentions(run("A Vietnamese boy and two Chinese nationals were rescued."))
    assert m["Vietnamese"][:3] == ("Country", "Vietnam", (("iso3166", "VN"),))
    assert m["Chinese"][1] == "China"
    assert m["Chinese nationals"][0] == "Group"


def test_named_facility_by_pattern(run):
    m = mentions(run("Police raided the Golden Fortune Park near the river on Monday."))
    assert any(t == "Facility" for k, (t, *_r) in m.items() if k.endswith("Park"))


def test_scam_compounds_are_facilities_and_groups_are_groups(run):
    m = mentions(run("Organized crime groups run scam centres where trafficked persons are held."))
    assert m["scam centres"][0] == "Facility"
    assert m["Organized crime groups"][0] == "Group"
    assert m["trafficked persons"][0] == "Group"


def test_gazetteer_organisation(run):
    m = mentions(run("Officials from UNODC met the Border Guard Force in Myawaddy."))
    assert m["UNODC"][:2] == ("Organization", "United Nations Office on Drugs and Crime")
    assert m["Border Guard Force"][0] == "Organization"


def test_short_org_name_gets_long_norm(run):
    doc = run("The Amnesty International report was published. Amnesty said abuses continued.")
    norms = {m.text: m._.ng_norm for m in doc.spans["ng_mentions"] if m._.ng_type == "Organization"}
    assert norms["Amnesty"] == "Amnesty International"


def test_hashtags_and_bylines_are_not_mentions(run):
    doc = run("#Amnesty #accuses #Cambodia #scam\nEdited by Mat Pennington.")
    assert not [m for m in doc.spans["ng_mentions"] if m.label_ in {"ORG", "PERSON", "GPE"}]
    assert not doc._.ng_claims


def test_quantities_with_their_noun(run):
    doc = run("Amnesty identified 45 more suspicious locations and the industry generates US$12.5 billion.")
    q = {s.text for s in doc.spans["ng_quantities"]}
    assert "45 more suspicious locations" in q
    assert any("12.5 billion" in x for x in q)
    assert all(m.label_ not in {"CARDINAL", "MONEY"} for m in doc.spans["ng_mentions"])


def test_singular_person_noun_is_nominal(run):
    m = mentions(run("The Thai woman was recruited online."))
    assert m["Thai woman"][0] == "Person" and m["Thai woman"][3] == "NOMINAL"


def test_city_not_matched_on_a_persons_name(run):
    m = mentions(run("Van is one such example. He lived in Myawaddy."))
    assert m.get("Van", ("Person",))[0] != "Place"


def test_province_linked_to_iso_3166_2(run):
    m = mentions(run("The casino lies in Bokeo province in northern Laos."))
    assert m["Bokeo province"][2] and m["Bokeo province"][2][0][0] == "iso3166-2"


def test_plural_demonym_is_a_group_of_people_not_the_country(run):
    doc = run("Forty-two Kenyans were lured with fake job offers. Dozens of Indians were trafficked to Myanmar.")
    m = mentions(doc)
    assert m["Kenyans"][0] == "Group" and m["Kenyans"][2] is None
    assert m["Indians"][0] == "Group"
    assert mentions(run("Chinese officials met Thai police."))["Chinese"][0] == "Country"  # no "Chineses"


def test_figure_counts_the_noun_after_more(run):
    doc = run("The ministry said at least 150 more Kenyans remain trapped.")
    assert [q.text for q in doc.spans["ng_quantities"]] == ["at least 150 more Kenyans"]


def test_lower_case_ner_organisation_keeps_its_country_owner(run):
    m = mentions(run("Indonesia's foreign ministry said it had repatriated 94 citizens."))
    assert m["Indonesia's foreign ministry"][3] == "NOMINAL"
    assert "foreign ministry" not in m


def test_magnitude_words_count_their_noun(run):
    doc = run("IJM estimates that tens of thousands of people are still held in compounds.")
    assert [q.text for q in doc.spans["ng_quantities"]] == ["tens of thousands of people"]
    doc = run("Police freed hundreds of trafficked workers.")
    assert [q.text for q in doc.spans["ng_quantities"]] == ["hundreds of trafficked workers"]


def test_dateline_is_its_own_sentence_so_the_lead_parses(run):
    doc = run("NAIROBI, March 14 (Reuters) - Forty-two Kenyans were freed by Thai authorities.")
    assert [s.text for s in doc.sents][0] == "NAIROBI, March 14 (Reuters) -"
    assert ("kenyans", "rescuedBy", "Thai") in {  # the authorities stand for their country
        (c.subject._.ng_norm or c.subject.text, c.relation, c.obj.text) for c in doc._.ng_claims if c.relation == "rescuedBy"
    }
    doc = run("The UN - which has an office here - said so.")  # no dateline: one sentence
    assert len(list(doc.sents)) == 1


def test_organisation_defined_with_its_acronym(run):
    m = mentions(run("PHNOM PENH, 2 June - International Justice Mission (IJM) today called on Cambodia to act."))
    assert m["International Justice Mission"][0] == "Organization" and m["IJM"][0] == "Organization"
    m = mentions(run("The United Nations Office on Drugs and Crime (UNODC) said so."))
    assert "United Nations Office on Drugs and Crime" in m
    m = mentions(run("Workers came from Phnom Penh (Cambodia) last year."))
    assert "Phnom Penh" in m and m["Phnom Penh"][0] != "Organization"
