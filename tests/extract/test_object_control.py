"""Object control: the doer of "accusing him of running X" is "him", not the accuser (frames.py)."""

from __future__ import annotations


def runs(nlp, text: str) -> set[tuple[str, str]]:
    doc = nlp(text)
    return {(c.subject.text, c.obj.text) for c in doc._.ng_claims if c.relation == "runs" and not isinstance(c.obj, str)}


def test_the_accused_runs_what_they_are_accused_of_running(nlp):
    found = runs(nlp, "Britain sanctioned Zhang Lei in May, accusing him of running a scam compound.")
    assert not any(s == "Britain" for s, _ in found)
    assert any(s == "him" for s, _ in found)
