"""A component that raises on one document costs that document only."""

from __future__ import annotations

import spacy
from spacy.language import Language

from graph.extract import extract
from graph.extract.chunking import Chunk, ChunkMerger
from graph.model import Document, Extraction
from graph.pipeline import build_dataset


@Language.component("test_boom")
def _boom(doc):  # noqa: ANN001, ANN202 - a spaCy component
    if "BOOM" in doc.text:
        raise ValueError("component tripped")
    return doc


def _nlp() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("test_boom")
    return nlp


def _doc(i: int, text: str) -> Document:
    return Document(key=f"doc{i}.txt", text=text, source=f"doc{i}.txt")


def test_one_failing_document_does_not_stop_the_others():
    texts = ["Police raided a compound.", "It went BOOM here.", "Thailand closed the border."] * 7
    docs = [_doc(i, t) for i, t in enumerate(texts)]
    out = list(extract(_nlp(), docs, batch_size=4))
    assert [e.document.key for e in out] == [d.key for d in docs]
    for e in out:
        if "BOOM" in e.document.text:
            assert e.error and "ValueError: component tripped" in e.error
            assert not e.mentions and not e.sentences
        else:
            assert e.error is None and e.sentences


def test_a_failed_chunk_fails_the_whole_document():
    doc = _doc(1, "one two")
    merger = ChunkMerger()
    first = Extraction(doc, [], [], sentences=[(0, 3)])
    assert merger.add(first, Chunk(doc, 0, 0, 2)) is None
    whole = merger.add(Extraction(doc, [], [], error="spaCy pipeline failed (X: y)"), Chunk(doc, 4, 1, 2))
    assert whole is not None and whole.error == "spaCy pipeline failed (X: y)" and not whole.sentences


def test_build_reports_the_failing_file_and_keeps_the_rest(tmp_path):
    for name, text in [("a.txt", "Police raided a compound in Myanmar."), ("b.txt", "BOOM went the parser."),
                       ("c.txt", "Thailand closed the border.")]:
        (tmp_path / name).write_text(text, encoding="utf-8")
    dataset, report = build_dataset([tmp_path], nlp=_nlp())
    assert len(report.problems) == 1
    assert "b.txt" in report.problems[0] and "spaCy pipeline failed" in report.problems[0]
    assert "\n" not in report.problems[0]
    assert report.documents == 2
