"""Dateline splitter: a wire or press-release dateline ends its own sentence.

"NAIROBI, March 14 (Reuters) - Forty-two Kenyans who were ..." parses badly when the dateline
and the lead share one sentence (the lead's subject hangs off "NAIROBI"). Placed before the
parser, this component marks the first word after a dateline dash as a sentence start, so the
lead parses as an ordinary sentence; the dateline stays a sentence of its own for the
structural dateline rule.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

DASHES = {"-", "--", "—", "–", "_"}
MAX_DATELINE_TOKENS = 12


def dateline_end(doc: Doc, start: int) -> int | None:
    """Index of the dash ending a dateline that begins at token ``start`` (an upper-case
    place name at the start of a line: "PHNOM PENH, 2 June -"), or None."""
    first = doc[start]
    if not (first.is_alpha and first.is_upper and len(first) > 1):
        return None
    for i in range(start + 1, min(len(doc) - 1, start + MAX_DATELINE_TOKENS)):
        tok = doc[i]
        if "\n" in tok.text or tok.text in {".", "!", "?", ";", ":"}:
            return None
        if tok.text in DASHES and (i == 0 or not doc[i - 1].whitespace_ == "") and doc[i + 1].text[:1].isupper():
            return i
    return None


class DatelineSplitter:
    """Marks the word after a dateline dash as a sentence start (before the parser)."""

    def __call__(self, doc: Doc) -> Doc:
        for tok in doc:
            if tok.i == 0 or "\n" in doc[tok.i - 1].text or "\n" in doc[tok.i - 1].whitespace_:
                end = dateline_end(doc, tok.i)
                if end is not None:
                    doc[end + 1].is_sent_start = True
        return doc


@Language.factory("newsgraph_dateline", requires=["token.orth"], assigns=["token.is_sent_start"])
def make_dateline(nlp: Language, name: str) -> DatelineSplitter:
    """Dateline splitter; add it before the parser."""
    return DatelineSplitter()
