"""Attribution works on the parse and a speaker look-up alone (no frame engine): the frames
pass their mention look-up, and any other caller can pass its own."""

from __future__ import annotations

import pytest

from graph.extract.attribution import attributed, estimates, source_of
from graph.extract.doc import MENTIONS_KEY


def _lookup(doc):
    """The tagged mention covering a token, as a caller other than the frames might find it."""
    calls = []

    def speaker_of(tok):
        calls.append(tok.text)
        return next((m for m in doc.spans[MENTIONS_KEY] if m.start <= tok.i < m.end), None)

    return speaker_of, calls


@pytest.mark.parametrize(
    ("text", "trigger", "speaker", "how"),
    [
        ("Amnesty International said police in Laos arrested 12 people.", "arrested", "Amnesty International", "said"),
        ("According to the United Nations, gangs trafficked thousands of workers to Cambodia.", "trafficked",
         "United Nations", "according-to"),
    ],
)
def test_attributed_with_a_plain_lookup(run, text, trigger, speaker, how):
    doc = run(text)
    tok = next(t for t in doc if t.text == trigger)
    speaker_of, calls = _lookup(doc)
    span, found_how = attributed(tok, speaker_of)
    assert (span.text, found_how) == (speaker, how)
    assert source_of(tok, speaker_of).text == speaker
    assert calls  # the answer came through the look-up


def test_no_speaker_without_a_mention(run):
    doc = run("Amnesty International said police in Laos arrested 12 people.")
    tok = next(t for t in doc if t.text == "arrested")
    assert source_of(tok, lambda t: None) is None
    assert estimates(next(iter(doc.sents)), lambda t: None) == []


def test_estimates_with_a_plain_lookup(run):
    doc = run("Amnesty International identified 45 more suspicious compounds in Cambodia.")
    speaker_of, _ = _lookup(doc)
    claims = estimates(next(iter(doc.sents)), speaker_of)
    assert [(c.subject.text, c.relation, c.obj, c.extractor) for c in claims] == [
        ("Amnesty International", "estimates", "45 more suspicious compounds", "attribution:estimate-verb")
    ]
