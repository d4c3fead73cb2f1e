"""Long documents are processed in chunks with offsets into the whole text."""

from __future__ import annotations

import pytest

import graph.extract.chunking as chunking
from graph.extract import extract
from graph.extract.chunking import chunk_spans
from graph.model import Document

PARA = (
    "Police in Manila said Maria Santos was rescued from a scam compound run by a gang from Cambodia. "
    "Amnesty International accused the government of Cambodia of ignoring the abuses."
)


def test_chunk_spans_cover_the_text_at_boundaries() -> None:
    text = "\n\n".join(f"Sentence one of paragraph {i}. Sentence two of it." for i in range(200))
    spans = chunk_spans(text, 500)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False))
    assert all(0 < e - s <= 500 for s, e in spans)
    assert all(text[e - 2 : e] == "\n\n" for _, e in spans[:-1])  # paragraph boundaries


def test_chunk_spans_fall_back_to_sentences_then_words_then_hard_cuts() -> None:
    sentences = " ".join(f"This is sentence number {i}." for i in range(100))
    spans = chunk_spans(sentences, 300)
    assert all(sentences[e - 2 : e] == ". " for _, e in spans[:-1])
    words = " ".join(["word"] * 500)
    assert all(words[e - 1] == " " for _, e in chunk_spans(words, 100)[:-1])
    blob = "x" * 1000
    assert chunk_spans(blob, 300) == [(0, 300), (300, 600), (600, 900), (900, 1000)]


def test_chunked_extraction_has_whole_text_offsets(nlp, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "\n\n".join([PARA] * 12) + "\n\nIn the end the inquiry was led by the judge Ingrid Solheimsdottir in Oslo."
    doc = Document(key="long", text=text, source="-")
    (whole,) = list(extract(nlp, [doc]))
    monkeypatch.setattr(chunking, "CHUNK_CHARS", 400)
    assert len(chunk_spans(text, 400)) > 5
    (chunked,) = list(extract(nlp, [doc]))
    assert chunked.document is doc
    for m in chunked.mentions:
        assert text[m.start : m.end] == m.text
    for c in chunked.claims:
        assert c.evidence_start <= c.subject.start < c.subject.end <= c.evidence_end
        assert text[c.subject.start : c.subject.end] == c.subject.text
    assert any(m.text == "Ingrid Solheimsdottir" and m.start > len(text) - 60 for m in chunked.mentions)
    # paragraph-aligned chunks find the same mentions as one pass
    assert sorted((m.start, m.end) for m in chunked.mentions) == sorted((m.start, m.end) for m in whole.mentions)
    assert len(chunked.claims) == len(whole.claims)
    assert chunked.sentences[-1][1] <= len(text)


def test_many_documents_keep_their_order_with_chunks(nlp, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chunking, "CHUNK_CHARS", 300)
    docs = [Document(key=f"d{i}", text="\n".join([PARA] * (i + 1)), source="-") for i in range(4)]
    out = list(extract(nlp, docs))
    assert [e.document.key for e in out] == ["d0", "d1", "d2", "d3"]
    for e in out:
        assert all(e.document.text[m.start : m.end] == m.text for m in e.mentions)
