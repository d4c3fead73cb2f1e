"""Role nouns as frame objects are people (frames.py ROLE_NOUNS)."""

from __future__ import annotations


def test_role_nouns_arrested_are_a_person_and_a_group(nlp):
    doc = nlp("Police arrested the chairman and two officials.")
    found = {(c.obj.text, c.obj._.ng_type) for c in doc._.ng_claims if c.relation == "arrests" and not isinstance(c.obj, str)}
    assert ("chairman", "Person") in found
    assert ("officials", "Group") in found
