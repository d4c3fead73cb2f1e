"""A reported announcement ("X said it would ...") is a claim; a bare modal is still a hedge."""

from __future__ import annotations

from tests.extract.conftest import triples


def test_said_it_would_is_asserted(run):
    got = triples(run("Indonesia said it would repatriate its citizens."), asserted=True)
    assert ("it", "repatriates", "citizens") in got


def test_conjoined_reported_clause_is_asserted(run):
    got = triples(run("Thailand said it will raid the compounds and free the workers."), asserted=True)
    assert ("it", "raids", "compounds") in got


def test_bare_modal_stays_hedged(run):
    doc = run("Indonesia would repatriate its citizens.")
    assert ("Indonesia", "repatriates", "citizens") in triples(doc)
    assert ("Indonesia", "repatriates", "citizens") not in triples(doc, asserted=True)


def test_reported_speculation_stays_hedged(run):
    doc = run("Officials said Laos could deport the detainees.")
    assert ("Laos", "repatriates", "detainees") not in triples(doc, asserted=True)
