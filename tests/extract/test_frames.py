"""Verb-frame relations on short sentences: one test per pattern family."""

from __future__ import annotations

import pytest

from graph.extract.frames import Frame, load_frames
from tests.extract.conftest import triples


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Victims were trafficked from Myanmar, Thailand, China, Vietnam and Taiwan.",
         {("Victims", "traffickedFrom", c) for c in ("Myanmar", "Thailand", "China", "Vietnam", "Taiwan")}),
        ("The workers were trafficked to Cambodia by criminal gangs.",
         {("workers", "traffickedTo", "Cambodia"), ("workers", "traffickedBy", "criminal gangs")}),
        ("Cybercrime gangs who have trafficked migrants into Laos were named.",
         {("migrants", "traffickedBy", "Cybercrime gangs"), ("migrants", "traffickedTo", "Laos")}),
        ("Victims were lured with fake job offers.", {("Victims", "luredBy", "fake job offers")}),
        ("The survivors were forced to carry out online fraud.", {("survivors", "forcedTo", "online fraud")}),
        ("Migrant workers were confined in scam compounds.", {("Migrant workers", "heldIn", "scam compounds")}),
        ("Police rescued 40 victims from KK Park.", {("victims", "rescuedFrom", "KK Park"), ("victims", "rescuedBy", "Police")}),
        ("The workers were freed by Thai police.", {("workers", "rescuedBy", "Thai police")}),
        ("Scam compounds run by organized crime groups have spread.", {("organized crime groups", "runs", "Scam compounds")}),
        ("Criminal groups operate in Cambodia.", {("Criminal groups", "operatesIn", "Cambodia")}),
        ("Britain and the United States imposed sanctions on Chen Zhi.",
         {("United Kingdom", "sanctions", "Chen Zhi"), ("United States", "sanctions", "Chen Zhi")}),
        ("Thai authorities arrested 771 suspects.", {("Thailand", "arrests", "suspects")}),
        ("Laos deported the detainees to China.", {("Laos", "repatriates", "detainees"), ("Laos", "repatriates", "China")}),
        ("Police raided the compounds.", {("Police", "raids", "compounds")}),
        ("Myanmar's junta shut down the casinos.", {("Myanmar", "shutsDown", "casinos")}),
        ("Thailand's prime minister closed its land border with Cambodia.", {("Thailand", "closedBorderWith", "Cambodia")}),
        ("Amnesty International accused Cambodia's government of ignoring abuses.", {("Amnesty International", "accuses", "Cambodia")}),
        ("The prime minister of Thailand described Cambodia as a hub of criminality.", {("Thailand", "criticizes", "Cambodia")}),
        ("Human Rights Watch condemned the Myanmar military.", {("Human Rights Watch", "criticizes", "Myanmar")}),
        ("Amnesty International called on the Cambodian government to investigate.", {("Amnesty International", "callsOn", "Cambodia")}),
        ("Amnesty International's report on Cambodia was published.", {("Amnesty International", "reportsOn", "Cambodia")}),
        ("Thailand signed an agreement with Myanmar.", {("Thailand", "signsAgreementWith", "Myanmar")}),
        ("Thailand will cooperate with China.", {("Thailand", "cooperatesWith", "China")}),
        ("Gunmen killed two workers.", {("Gunmen", "kills", "workers")}),
        ("Scam bosses tortured the workers.", {("Scam bosses", "abuses", "workers")}),
        ("The commission arrested 792 suspects in a raid on a building in Lagos.",
         {("commission", "raids", "building"), ("commission", "arrests", "suspects")}),
        ("Britain imposed sanctions on a Cambodian conglomerate.", {("United Kingdom", "sanctions", "Cambodian conglomerate")}),
        ("The junta demolished 148 buildings used by scam gangs.", {("junta", "shutsDown", "buildings")}),
        ("Prosecutors charged the ring's two leaders with fraud.", {("Prosecutors", "charges", "leaders")}),
        ("Workers were taken to Cambodia and confined in casinos.",
         {("Workers", "traffickedTo", "Cambodia"), ("Workers", "heldIn", "casinos")}),
        ("The zone's operator, Kings Romans Group, was sanctioned by the US Treasury.",
         {("US Treasury", "sanctions", "Kings Romans Group")}),
        ("He was trafficked to a compound in Phnom Penh.",
         {("He", "traffickedTo", "compound"), ("He", "traffickedTo", "Phnom Penh")}),
        ("Wang Xing was subjected to torture by his bosses.", {("bosses", "abuses", "Wang Xing")}),
        ("Human Rights Watch said in a report that abuses were rife in Cambodia.",
         {("Human Rights Watch", "reportsOn", "Cambodia")}),
        ("Gangs lured young Taiwanese with fake job advertisements.",
         {("young Taiwanese", "luredBy", "fake job advertisements")}),
        ("Crime groups from China had set up scam centres in Africa.",
         {("Crime groups", "runs", "scam centres"), ("Crime groups", "operatesIn", "Africa")}),
        ("The casino's owner, Zhao Wei, was sanctioned by the United States but has denied wrongdoing.",
         {("Zhao Wei", "denies", "wrongdoing"), ("United States", "sanctions", "Zhao Wei")}),
        # police of a named country stand for it; both coordinated countries act
        ("Police from Laos and China detained more than 400 suspects.",
         {("Laos", "arrests", "suspects"), ("China", "arrests", "suspects")}),
        ("Police in Laos detained 700 people in a swoop on a casino.", {("Laos", "raids", "casino")}),
        # an adjectival passive ("remain trapped") and "in" parsed as a particle ("kept in")
        ("Thousands of victims remain trapped in compounds.", {("victims", "heldIn", "compounds")}),
        ("Some workers had been kept in overcrowded labour camps.",
         {("workers", "heldIn", "overcrowded labour camps")}),
        ("The workers had been lured to Laos by advertisements.",
         {("workers", "traffickedTo", "Laos"), ("workers", "luredBy", "advertisements")}),
        ("Spanish police arrested 34 people in a joint operation with Europol.",
         {("Spanish police", "cooperatesWith", "Europol")}),
        # a role noun in apposition with a name: owner/operator runs, chairman of a facility leads
        ("The casino's owner, Zhao Wei, denied the claims.", {("Zhao Wei", "runs", "casino")}),
        ("Zhao Wei, the chairman of the Kings Romans casino, was sanctioned.",
         {("Zhao Wei", "leads", "Kings Romans casino")}),
    ],
)
def test_frame_patterns(run, text, expected):
    got = triples(run(text))
    missing = expected - got
    assert not missing, f"missing {missing}; got {got}"


def test_conj_verbs_share_subject(run):
    got = triples(run("Thailand's prime minister criticised Cambodia and closed its border with Cambodia."))
    assert ("Thailand", "closedBorderWith", "Cambodia") in got
    assert ("Thailand", "criticizes", "Cambodia") in got


def test_negation_marks_claim(run):
    doc = run("The police did not arrest the traffickers.")
    claims = [c for c in doc._.ng_claims if c.relation == "arrests"]
    assert claims and all(c.negated for c in claims)
    assert not triples(doc, "arrests", asserted=True)


def test_denied_that_negates(run):
    doc = run("The company denied that the workers were trafficked to Myanmar.")
    claims = [c for c in doc._.ng_claims if c.relation == "traffickedTo"]
    assert claims and all(c.negated for c in claims)


@pytest.mark.parametrize(
    "text",
    [
        "The workers may have been trafficked to Myanmar.",
        "The gangs allegedly trafficked workers to Myanmar.",
        "Amnesty urged Thailand to deport the workers to Myanmar.",
        "Thailand will deport the workers to Myanmar.",
        "If the gangs trafficked workers to Myanmar, police would act.",
        "Thailand will keep the crossing closed until Myanmar deports the workers to China.",
    ],
)
def test_hedged_claims(run, text):
    doc = run(text)
    claims = [c for c in doc._.ng_claims if c.relation in {"traffickedTo", "repatriates"}]
    assert claims and all(c.hedged for c in claims)


def test_plain_claim_is_asserted(run):
    doc = run("The gangs trafficked workers to Myanmar.")
    claims = [c for c in doc._.ng_claims if c.relation == "traffickedTo"]
    assert claims and not any(c.negated or c.hedged for c in claims)


def test_attribution_source_and_estimates(run):
    doc = run("Victims were trafficked from Vietnam, Amnesty said.")
    c = next(c for c in doc._.ng_claims if c.relation == "traffickedFrom")
    assert c.source is not None and c.source.text == "Amnesty"
    got = triples(run("Scam centres housed as many as 100,000 people, according to the United Nations."), "estimates")
    assert ("United Nations", "estimates", "as many as 100,000 people") in got
    got = triples(run("Amnesty identified 45 more suspicious locations with similar features."), "estimates")
    assert ("Amnesty", "estimates", "45 more suspicious locations") in got


def test_pronoun_arguments_are_pron_mentions(run):
    doc = run("He was trafficked to Cambodia.")
    c = next(c for c in doc._.ng_claims if c.relation == "traffickedTo")
    assert c.subject.label_ == "PRON" and c.subject._.ng_type == "Person"
    assert c.subject in list(doc.spans["ng_mentions"])


def test_no_claims_from_unrelated_sentence(run):
    assert not run("The weather in Bangkok was hot on Thursday.")._.ng_claims


def test_frames_load_and_validate(tmp_path):
    frames = load_frames()
    assert {f.relation for f in frames} >= {"traffickedFrom", "closedBorderWith", "sanctions", "kills"}
    bad = tmp_path / "bad.toml"
    bad.write_text('[[frame]]\nid = "x"\nrelation = "r"\nlemmas = ["a"]\nsubject = ["nope"]\nobject = ["patient"]\n')
    from graph.errors import RulesError

    with pytest.raises(RulesError, match="bad.toml"):
        load_frames([bad])


def test_user_rules_file_adds_a_frame(tmp_path):
    """A user domain extension: a new relation without touching code."""
    from graph.extract.frames import RelationFinder

    rules = tmp_path / "mine.toml"
    rules.write_text(
        '[[frame]]\nid = "smuggle-wildlife"\nrelation = "poaches"\nlemmas = ["poach"]\n'
        'subject = ["agent"]\nobject = ["patient"]\ntopic_object = true\nconfidence = 0.5\n'
    )
    frames = load_frames([rules])
    assert any(isinstance(f, Frame) and f.relation == "poaches" for f in frames)
    assert RelationFinder(frames).index[("poach", "VERB")][0].extractor == "frame:smuggle-wildlife"


def test_user_frame_runs_on_text(nlp, tmp_path):
    """A frame from a user's rules file finds its relation in text (no code change)."""
    from graph.extract.frames import RelationFinder

    rules = tmp_path / "wildlife.toml"
    rules.write_text(
        '[[frame]]\nid = "poach"\nrelation = "poaches"\nlemmas = ["poach"]\n'
        'subject = ["agent"]\nobject = ["patient"]\nfallback_type = "Thing"\nsubject_types = ["Group"]\n'
    )
    finder = RelationFinder(load_frames([rules]), nlp.get_pipe("newsgraph_entities"))
    doc = nlp.make_doc("Armed gangs poached elephants in Kenya.")
    for _, proc in nlp.pipeline:
        if proc is not nlp.get_pipe("newsgraph_relations"):
            doc = proc(doc)
    doc._.ng_claims = []
    doc = finder(doc)
    assert ("Armed gangs", "poaches", "elephants") in triples(doc)


def test_missing_rules_file_is_a_rules_error(tmp_path):
    from graph.errors import RulesError
    from graph.extract import load_nlp

    with pytest.raises(RulesError, match="nope.toml"):
        load_nlp(rules=[tmp_path / "nope.toml"])


def test_recruiters_charging_fees_is_not_a_criminal_charge(run):
    assert not triples(run("Recruiters in Kathmandu charged workers up to $1,500 in illegal fees."), "charges")


def test_n_of_m_quantity_estimate(run):
    got = triples(run("Police raided 20 of the 53 scam compounds, Amnesty said."), "estimates")
    assert ("Amnesty", "estimates", "20 of the 53 scam compounds") in got


def test_authority_reported_figure_but_not_a_gangs(run):
    assert ("Police", "estimates", "12 Chinese managers") in triples(run("Police arrested 12 Chinese managers."), "estimates")
    assert not triples(run("The gangs trafficked 300 people."), "estimates")


def test_the_group_filling_a_people_role_is_typed_as_people(run):
    doc = run("The group had been lured with fake job offers.")
    lured = [c for c in doc._.ng_claims if c.relation == "luredBy"]
    assert lured and lured[0].subject._.ng_type == "Group"
    doc = run("The group called on Cambodia to act.")
    calls = [c for c in doc._.ng_claims if c.relation == "callsOn"]
    assert calls and calls[0].subject._.ng_type == "Organization"


def test_held_and_rescued_keep_the_facility_not_its_place(run):
    doc = run("Survivors were held in guarded compounds in Sihanoukville.")
    assert triples(doc, "heldIn") == {("Survivors", "heldIn", "guarded compounds")}
    doc = run("Police rescued 250 Indians from compounds in Cambodia.")
    assert triples(doc, "rescuedFrom") == {("indians", "rescuedFrom", "compounds")}
    doc = run("The workers were trafficked to a compound in Phnom Penh.")  # movement still gives the place
    assert ("workers", "traffickedTo", "Phnom Penh") in triples(doc, "traffickedTo")


def test_vague_magnitude_is_an_estimate_only_when_stated_as_one(run):
    doc = run("IJM estimates that tens of thousands of people are still held in compounds.")
    assert ("IJM", "estimates", "tens of thousands of people") in triples(doc, "estimates")
    doc = run("China has also repatriated hundreds of its nationals from Myawaddy.")
    assert not triples(doc, "estimates")
    doc = run("Police arrested 12 suspects.")  # an exact figure an authority reports stays its estimate
    assert triples(doc, "estimates") == {("Police", "estimates", "12 suspects")}


def test_origin_on_the_noun_a_relative_clause_modifies(run):
    doc = run("Victims from Nepal who were trafficked to Myanmar were freed.")
    assert ("Victims", "traffickedFrom", "Nepal") in triples(doc, "traffickedFrom")
    doc = run("Victims from Nepal were trafficked to Myanmar by gangs from China.")
    assert ("Victims", "traffickedFrom", "China") not in triples(doc, "traffickedFrom")


def test_hyphenated_number_words_are_figures_but_ages_are_not(run):
    doc = run("Forty-two Kenyans returned home, the ministry said.")
    assert {o for _, _, o in triples(doc, "estimates")} == {"Forty-two Kenyans"}
    assert not triples(run("A 16-year-old boy was freed, police said."), "estimates")


def test_report_is_not_about_where_its_subjects_come_from(run):
    doc = run("Amnesty International said in a report that survivors from Indonesia and India were held in Cambodia.")
    assert triples(doc, "reportsOn") == {("Amnesty International", "reportsOn", "Cambodia")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Amnesty report, which is based on interviews with 423 victims, was released.",
         ("Amnesty", "estimates", "423 victims")),
        ("Amnesty conducted interviews with 423 victims.", ("Amnesty", "estimates", "423 victims")),
        ("Reuters spoke to 12 survivors of the compounds.", ("Reuters", "estimates", "12 survivors")),
        ("The International Justice Mission documents the cases of 85 survivors.",
         ("International Justice Mission", "estimates", "85 survivors")),
        ("More than 260 people were rescued by Thai police.", ("Thai police", "estimates", "More than 260 people")),
    ],
)
def test_whom_a_source_spoke_to_or_an_authority_freed_is_its_figure(run, text, expected):
    assert expected in triples(run(text), "estimates")


def test_passive_figure_needs_an_authority_and_an_exact_count(run):
    assert not triples(run("Twelve workers were killed by gunmen."), "estimates")
    assert not triples(run("Hundreds of people were rescued by Thai police."), "estimates")
    assert not triples(run("Twelve people were rescued."), "estimates")


def test_an_origin_is_a_place_not_an_unnamed_facility(run):
    doc = run("He was trafficked from compounds in Myanmar into compounds in Cambodia.")
    assert triples(doc, "traffickedFrom") == {("He", "traffickedFrom", "Myanmar")}
    assert ("He", "traffickedTo", "Cambodia") in triples(doc, "traffickedTo")
    assert not triples(run("She was trafficked from a compound."), "traffickedFrom")
    doc = run("Victims were trafficked from KK Park to Cambodia.")  # a named facility is a place
    assert ("Victims", "traffickedFrom", "KK Park") in triples(doc, "traffickedFrom")


def test_thai_police_alone_stays_a_group(run):
    got = triples(run("Thai police arrested four recruiters."), "arrests")
    assert ("Thai police", "arrests", "recruiters") in got


def test_role_noun_without_a_named_apposition_runs_nothing(run):
    assert not triples(run("The owner, a businessman, declined to comment on the casino."), "runs")
