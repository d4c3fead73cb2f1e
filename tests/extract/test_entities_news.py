"""Mentions that real news needs (issue 11 item 5) and noise entities (issue 12 item 3).

Short sentences written for the tests, in the shapes wire copy uses: nested agencies with an
acronym, lists of places, titles before names, counted groups, names the model finds once.
"""

from __future__ import annotations


def mentions(doc):
    return {m.text: m for m in doc.spans["ng_mentions"]}


def test_nested_agency_gives_both_bodies_and_the_acronym_as_alias(run):
    m = mentions(run("The U.S. Department of the Treasury's Office of Foreign Assets Control (OFAC) "
                     "sanctioned the group on Monday."))
    assert m["U.S. Department of the Treasury"]._.ng_type == "Organization"
    assert m["Office of Foreign Assets Control"]._.ng_type == "Organization"
    assert m["OFAC"]._.ng_norm == "Office of Foreign Assets Control"


def test_acronym_defined_in_text_is_an_alias_of_the_name(run):
    m = mentions(run("The Anti Human Trafficking Unit (AHTU) said it freed the boys."))
    assert m["AHTU"]._.ng_norm == "Anti Human Trafficking Unit"


def test_name_cut_by_the_model_is_kept_whole(run):
    m = mentions(run("Amnesty said that the National Committee to Combat Human Trafficking shared vague data."))
    assert "National Committee to Combat Human Trafficking" in m
    assert "National Committee" not in m


def test_commission_the_model_misses_is_an_organisation(run):
    m = mentions(run("Agents of the Presidential Anti-Organized Crime Commission raided the hub."))
    org = m["Presidential Anti-Organized Crime Commission"]
    assert org._.ng_type == "Organization" and org.label_ == "ORG"  # a name, not a description


def test_every_member_of_a_list_of_places_is_a_place(run):
    m = mentions(run("Prime Minister Hun Manet ordered raids on scam compounds in Sihanoukville, Phnom Penh and Bavet."))
    assert {m[x]._.ng_type for x in ("Sihanoukville", "Phnom Penh", "Bavet")} == {"Place"}
    assert m["Bavet"].label_ == "GPE"  # the NER's "person" retyped with its label
    assert m["Hun Manet"]._.ng_type == "Person"


def test_title_before_a_name_is_the_role_not_the_name(run):
    m = mentions(run("Pol Maj Gen Charoonkiat Pankaew said the officers would be questioned."))
    person = m["Charoonkiat Pankaew"]
    assert person._.ng_type == "Person" and person._.ng_role == "Pol Maj Gen"
    assert not any(k.startswith("Pol ") for k in m)


def test_counted_people_are_a_group(run):
    m = mentions(run("Police rescued 12 Chinese nationals and 40 women from the building."))
    assert m["Chinese nationals"]._.ng_type == "Group"
    assert m["women"]._.ng_type == "Group"


def test_crimes_are_topics(run):
    m = mentions(run("Human trafficking and money laundering remain widespread, the report said."))
    assert m["Human trafficking"]._.ng_type == "Topic"


def test_name_found_once_is_found_again_and_a_surname_names_the_person(run):
    m = mentions(run("Samart Senasook took the job on a boat. Senasook describes his life on board as hard."))
    assert m["Senasook"]._.ng_type == "Person" and m["Senasook"]._.ng_norm == "Samart Senasook"


def test_shared_surname_is_not_guessed(run):
    doc = run("Jin Hua Zhang and Jin Fu Zhang were charged. Zhang denied it.")
    assert "Zhang" not in {m.text for m in doc.spans["ng_mentions"] if m._.ng_type == "Person"}


def test_known_city_after_a_preposition_is_a_place(run):
    m = mentions(run("Hundreds of Indonesians were repatriated from Myawaddy to Surat."))
    assert m["Surat"]._.ng_type == "Place"


# -- issue 12 item 3: noise entities --------------------------------------------------------


def test_cages_dark_rooms_and_checkpoints_are_not_facilities(run):
    doc = run("Survivors were held in cages and dark rooms, and crossed no immigration checkpoints.")
    facilities = {m.text for m in doc.spans["ng_mentions"] if m._.ng_type == "Facility"}
    assert not facilities & {"cages", "dark rooms", "immigration checkpoints"}


def test_rooms_with_a_facility_modifier_still_are(run):
    doc = run("The compound had torture rooms and detention cells.")
    facilities = {m.text for m in doc.spans["ng_mentions"] if m._.ng_type == "Facility"}
    assert {"torture rooms", "detention cells"} <= facilities


def test_clause_is_not_read_as_one_name(run):
    m = mentions(run("The criminal gangs entice trafficking victims with fake job offers."))
    assert not any("entice" in k for k in m)
    assert m["criminal gangs"]._.ng_type == "Group"
    assert m["trafficking victims"]._.ng_type == "Group"


def test_title_case_headline_is_not_read_as_names(run):
    doc = run("Thailand Closes Border Crossings With Cambodia Over Scam Centres\n\nThe border closed on Monday.")
    assert not any(m.label_ == "PERSON" for m in doc.spans["ng_mentions"])


def test_personal_pronouns_are_mentions_for_the_resolver(run):
    doc = run("The workers said they were tired. Nobody paid them.")
    pronouns = {m.text: m._.ng_type for m in doc.spans["ng_mentions"] if m.label_ == "PRON"}
    assert pronouns == {"they": "Group", "them": "Group"}


def test_plural_bodies_are_groups_and_boats_are_facilities(run):
    doc = run("Europol worked with labour inspectorates and partner agencies. The men were held on a fishing boat.")
    types = {m.text: m._.ng_type for m in doc.spans["ng_mentions"]}
    assert types["labour inspectorates"] == "Group" and types["partner agencies"] == "Group"
    assert types["fishing boat"] == "Facility"


def test_a_city_named_like_a_body_stays_a_city(run):
    m = mentions(run("Dr. Lee DeForest was born in Council Bluffs, Iowa."))
    assert m["Council Bluffs"]._.ng_type == "Place"


def test_codes_with_digits_are_not_part_of_a_name(run):
    m = mentions(run("FL2706231194 Havana Radio Reloj Network in Spanish 1402 GMT 27 Jun 94"))
    assert not any(k.startswith("FL27") for k in m)
