"""Helpers for extraction tests: run the session pipeline on a sentence, list its claims."""

from __future__ import annotations

import pytest


def triples(doc, relation: str | None = None, asserted: bool | None = None) -> set[tuple[str, str, str]]:
    """(subject text, relation, object text) of a Doc's claims (norm used when known)."""
    out = set()
    for c in doc._.ng_claims or []:
        if relation and c.relation != relation:
            continue
        if asserted is not None and asserted == (c.negated or c.hedged):
            continue
        obj = c.obj if isinstance(c.obj, str) else (c.obj._.ng_norm or c.obj.text)
        out.add((c.subject._.ng_norm or c.subject.text, c.relation, obj))
    return out


@pytest.fixture(scope="session")
def run(rules_nlp):
    """The rules' claims on a text (the relation model, which decides among them, is tested apart)."""

    def _run(text: str):
        return rules_nlp(text)

    return _run
