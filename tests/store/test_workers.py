"""Parallel extraction gives exactly the output of one worker."""

from __future__ import annotations

from graph.pipeline import build_into
from graph.store.oxigraph import OxigraphDataset
from tests.store.conftest import TEXTS


def test_two_workers_identical_to_one(corpus, nlp):
    for i in range(6):  # enough documents for several chunks in flight
        (corpus / f"extra{i}.txt").write_text(TEXTS["a.txt"].replace("40", str(40 + i)), encoding="utf-8")
    one, two = OxigraphDataset(), OxigraphDataset()
    r1 = build_into(one, [corpus], nlp=nlp, workers=1)
    r2 = build_into(two, [corpus], nlp=nlp, workers=2)
    assert r1.documents == r2.documents == 9
    assert (r1.entities, r1.relations, r1.triples) == (r2.entities, r2.relations, r2.triples)
    assert one.dump("trig") == two.dump("trig")
    assert one.dump("turtle") == two.dump("turtle")
