"""Helpers for resolver tests: run short texts through the session pipeline."""

from __future__ import annotations

import re

import pytest

from graph.extract import extract
from graph.model import Document, ResolvedDocument
from graph.resolve import Resolver


@pytest.fixture(scope="session")
def resolve_text(nlp):
    """``resolve_text(text, key="t.txt") -> ResolvedDocument``."""

    def run(text: str, key: str = "t.txt") -> ResolvedDocument:
        document = Document(key=key, text=text, source=key)
        extraction = next(extract(nlp, [document]))
        return Resolver().resolve(extraction)

    return run


def key_of(resolved: ResolvedDocument, surface: str, nth: int = 0) -> str | None:
    """Entity key of the ``nth`` occurrence of ``surface`` in the text (None if unresolved)."""
    text = resolved.document.text
    hits = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(surface)}(?!\w)", text)]
    start = hits[nth]
    for (s, e), key in resolved.mention_entity.items():
        if s <= start and start + len(surface) <= e or (start <= s and e <= start + len(surface)):
            return key
    return None
