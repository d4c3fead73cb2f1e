"""Incremental builds: add new documents, skip unchanged, replace changed, remove."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from rdflib import RDFS, URIRef

from graph.model import Document
from graph.pipeline import build_into, remove_documents
from graph.rdf.namespaces import document_iri
from graph.store.oxigraph import OxigraphDataset
from tests.store.conftest import CHANGED_B, TEXTS
from tests.store.helpers import document_quads, merged_is_union_of_named

MYANMAR = "https://w3id.org/newsgraph/id/country/mm"


def doc_iri(key: str) -> str:
    return str(document_iri(Document(key=key, text="", source="").id))


def test_second_build_skips_unchanged_documents(corpus, nlp):
    ds = OxigraphDataset()
    first = build_into(ds, [corpus], nlp=nlp)
    assert first.documents == 3 and first.skipped_unchanged == 0
    before = ds.dump("trig")
    again = build_into(ds, [corpus], nlp=nlp)
    assert again.documents == 0 and again.skipped_unchanged == 3
    assert ds.dump("trig") == before  # nothing rewritten, no new build activity


def test_new_document_is_added(corpus, nlp, tmp_path):
    ds = OxigraphDataset()
    (tmp_path / "later").mkdir()
    (corpus / "c.txt").rename(tmp_path / "later" / "c.txt")
    build_into(ds, [corpus], nlp=nlp)
    assert doc_iri("c.txt") not in ds.document_hashes()
    (tmp_path / "later" / "c.txt").rename(corpus / "c.txt")
    report = build_into(ds, [corpus], nlp=nlp)
    assert (report.documents, report.skipped_unchanged) == (1, 2)
    fresh = OxigraphDataset()
    build_into(fresh, [corpus], nlp=nlp)
    assert document_quads(ds) == document_quads(fresh)
    assert merged_is_union_of_named(ds)


def test_changed_document_replaces_its_own_facts(corpus, nlp):
    ds = OxigraphDataset()
    build_into(ds, [corpus], nlp=nlp)
    old_hash = ds.document_hashes()[doc_iri("b.txt")]
    (corpus / "b.txt").write_text(CHANGED_B, encoding="utf-8")
    report = build_into(ds, [corpus], nlp=nlp)
    assert (report.documents, report.skipped_unchanged) == (1, 2)
    assert ds.document_hashes()[doc_iri("b.txt")] != old_hash
    fresh = OxigraphDataset()
    build_into(fresh, [corpus], nlp=nlp)
    assert document_quads(ds) == document_quads(fresh)  # no stale facts of the old b.txt
    assert merged_is_union_of_named(ds)
    assert "Thailand to close its border" not in ds.dump("turtle").decode()


def test_remove_keeps_entities_other_documents_mention(corpus, nlp):
    ds = OxigraphDataset()
    build_into(ds, [corpus], nlp=nlp)
    g = ds.union_graph()
    assert (URIRef(MYANMAR), RDFS.label, None) in g  # in a.txt and b.txt
    removed, missing = remove_documents(ds, ["b.txt", "nope.txt"])
    assert removed == [doc_iri("b.txt")] and missing == ["nope.txt"]
    assert doc_iri("b.txt") not in ds.document_hashes()
    assert (URIRef(MYANMAR), RDFS.label, None) in g  # still mentioned by a.txt
    assert "Human Rights Watch" not in ds.dump("turtle").decode()  # only b.txt named it
    assert merged_is_union_of_named(ds)
    removed, _ = remove_documents(ds, ["a.txt", doc_iri("c.txt")])
    assert len(removed) == 2
    assert (URIRef(MYANMAR), RDFS.label, None) not in g


def test_cli_out_dir_is_incremental_and_deterministic(corpus, nlp, tmp_path, monkeypatch):
    from graph import pipeline
    from graph.cli import cli

    monkeypatch.setattr(pipeline, "load_nlp", lambda *a, **k: nlp)
    out = tmp_path / "out"
    runner = CliRunner()
    first = runner.invoke(cli, ["build", str(corpus), "--out", str(out), "--no-html"])
    assert first.exit_code == 0, first.output
    ttl, trig = (out / "graph.ttl").read_bytes(), (out / "graph.trig").read_bytes()
    second = runner.invoke(cli, ["build", str(corpus), "--out", str(out), "--no-html"])
    assert second.exit_code == 0, second.output
    assert "unchanged  3" in second.output
    assert (out / "graph.ttl").read_bytes() == ttl and (out / "graph.trig").read_bytes() == trig
    removed = runner.invoke(cli, ["remove", "a.txt", "--out", str(out), "--no-html"])
    assert removed.exit_code == 0, removed.output
    assert doc_iri("a.txt") in removed.output
    assert doc_iri("a.txt").encode() not in (out / "graph.trig").read_bytes()
    missing = runner.invoke(cli, ["remove", "zzz.txt", "--out", str(out), "--no-html"])
    assert missing.exit_code == 1


def test_texts_are_distinct():
    assert len(set(TEXTS.values())) == len(TEXTS) and CHANGED_B not in TEXTS.values()


def test_store_dir_refuses_a_foreign_folder(tmp_path):
    import pytest

    from graph.errors import StoreError

    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(StoreError):
        OxigraphDataset(Path(tmp_path))
