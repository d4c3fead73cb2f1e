"""Readers per format, sniffing, folders, keys and stdin."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from graph.errors import InputError
from graph.ingest import IngestOptions, read_bytes, read_documents
from graph.ingest.sniff import HTML, JSON, JSONL, MARKDOWN, TEXT, sniff_format
from graph.model import Document

STORY = (
    "Police in Manila said on Friday that they had rescued 120 workers from a scam compound.\n"
    "The workers had been lured with fake job offers and held for months, officials said.\n"
)


def docs(items: list) -> list[Document]:
    return [d for d in items if isinstance(d, Document)]


def errors(items: list) -> list[InputError]:
    return [d for d in items if isinstance(d, InputError)]


def test_markdown_front_matter_becomes_metadata() -> None:
    md = (
        "---\ntitle: Raid in Manila\nurl: https://example.org/raid\ndate: 2025-06-27\n"
        "publisher: Example News\nauthor: [Ana Cruz, Ben Lim]\ntags: [scams]\nregion: Asia\n---\n"
        "# Raid in Manila\n\n" + STORY.replace("fake job offers", "[fake job offers](https://x.y/z) **posted online**")
    )
    (doc,) = docs(read_bytes(md.encode(), "notes/raid.md", "notes/raid.md", suffix=".md"))
    assert doc.title == "Raid in Manila"
    assert doc.url == "https://example.org/raid"
    assert doc.key == "https://example.org/raid"  # the URL is the stable key when known
    assert doc.date == "2025-06-27"
    assert doc.publisher == "Example News"
    assert doc.author == "Ana Cruz, Ben Lim"
    assert ("region", "Asia") in doc.metadata
    assert doc.media_type == "text/markdown"
    assert "lured with fake job offers posted online" in doc.text
    assert "https://x.y" not in doc.text and "**" not in doc.text and "---" not in doc.text


def test_malformed_front_matter_is_an_error() -> None:
    (err,) = errors(read_bytes(b"---\ntitle: [unclosed\n---\nBody text here.", "k", "bad.md", suffix=".md"))
    assert "bad.md" in str(err) and "front matter" in str(err)


HTML_PAGE = """<!DOCTYPE html><html><head><title>Raid in Manila | Example News</title>
<meta property="og:title" content="Raid in Manila">
<meta property="og:site_name" content="Example News">
<meta name="author" content="Ana Cruz">
<meta property="article:published_time" content="2025-06-27T10:00:00Z">
<link rel="canonical" href="https://example.org/news/raid-in-manila">
</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Raid in Manila</h1>
<p>Police in Manila said on Friday that they had rescued 120 workers from a scam compound in the city.</p>
<p>The workers had been lured with fake job offers and held for months, officials told reporters.</p>
<p>Investigators said the compound was run by a criminal group that moved its operations from Cambodia.</p>
</article><aside><h2>Related Articles</h2><a href="/x">Serbia rally draws thousands</a></aside>
<footer>Copyright 2025 Example News. Subscribe to our newsletter.</footer></body></html>"""


def test_html_main_text_and_metadata() -> None:
    (doc,) = docs(read_bytes(HTML_PAGE.encode(), "saved/raid.html", "saved/raid.html", suffix=".html"))
    assert doc.media_type == "text/html"
    assert "rescued 120 workers" in doc.text and "moved its operations from Cambodia" in doc.text
    assert "Serbia" not in doc.text and "Subscribe" not in doc.text and "Home" not in doc.text
    assert doc.title == "Raid in Manila"
    assert doc.url == "https://example.org/news/raid-in-manila"
    assert doc.key == doc.url
    assert doc.author == "Ana Cruz"
    assert (doc.date or "").startswith("2025-06-27")


def test_json_records_with_configurable_fields() -> None:
    records = [
        {"body": STORY, "headline": "Raid", "link": "https://example.org/a", "source_domain": "example.org"},
        {"body": STORY.replace("Manila", "Cebu"), "headline": "Raid 2", "id": 7},
        {"headline": "no text"},
        "not a record",
    ]
    opts = IngestOptions(fields={"text": "body"})
    items = read_bytes(json.dumps(records).encode(), "export.json", "export.json", opts, suffix=".json")
    good = docs(items)
    assert [d.title for d in good] == ["Raid", "Raid 2"]
    assert good[0].key == "https://example.org/a" and good[0].publisher == "example.org"
    assert good[1].key == "export.json#7"
    assert "Cebu" in good[1].text
    bad = errors(items)
    assert len(bad) == 2
    assert "export.json[3]" in str(bad[0]) and "text field" in str(bad[0])


def test_jsonl_bad_line_does_not_stop_the_others() -> None:
    lines = [json.dumps({"text": STORY, "title": "one"}), "{broken", json.dumps({"text": STORY, "title": "three"})]
    items = read_bytes("\n".join(lines).encode(), "scrape.jsonl", "scrape.jsonl", suffix=".jsonl")
    assert [d.title for d in docs(items)] == ["one", "three"]
    assert [d.key for d in docs(items)] == ["scrape.jsonl#1", "scrape.jsonl#3"]
    (err,) = errors(items)
    assert "scrape.jsonl:2" in str(err)


@pytest.mark.parametrize(
    "content,fmt",
    [
        (HTML_PAGE, HTML),
        ("<div><p>Some text.</p><p>More text.</p></div>", HTML),
        ('{"text": "hello"}', JSON),
        ('{"text": "a"}\n{"text": "b"}\n', JSONL),
        ("---\ntitle: x\n---\nbody", MARKDOWN),
        (STORY, TEXT),
        ("{not json at all", TEXT),
    ],
)
def test_sniffing(content: str, fmt: str) -> None:
    assert sniff_format(content) == fmt


def test_unknown_extension_is_sniffed() -> None:
    (doc,) = docs(read_bytes(HTML_PAGE.encode(), "page.dat", "page.dat", suffix=".dat"))
    assert doc.media_type == "text/html" and "<p>" not in doc.text


def test_folder_recursion_keys_and_problems(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "story.txt").write_text(STORY)
    (tmp_path / "top.md").write_text("---\ntitle: Top\n---\n" + STORY)
    (tmp_path / ".hidden.txt").write_text(STORY)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text(STORY)
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "img.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    items = list(read_documents([tmp_path, tmp_path / "nope.txt"]))
    assert [d.key for d in docs(items)] == ["a/b/story.txt", "empty.txt", "top.md"]
    assert docs(items)[1].text == ""
    msgs = [str(e) for e in errors(items)]
    assert any("img.png" in m and "PNG" in m for m in msgs)
    assert any("nope.txt" in m and "no such file" in m for m in msgs)
    # the same file given directly keeps the same key as inside its folder
    (again,) = docs(list(read_documents([tmp_path / "top.md"])))
    assert again.key == "top.md"


def test_keys_are_stable_and_ids_follow(tmp_path: Path) -> None:
    (tmp_path / "s.txt").write_text(STORY)
    first = docs(list(read_documents([tmp_path])))[0]
    (tmp_path / "s.txt").write_text(STORY + "A new sentence was added to the story today.\n")
    second = docs(list(read_documents([tmp_path])))[0]
    assert first.key == second.key and first.id == second.id
    assert first.content_hash != second.content_hash


def test_duplicate_keys_are_reported(tmp_path: Path) -> None:
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text("---\nurl: https://example.org/same\n---\n" + STORY)
    items = list(read_documents([tmp_path]))
    assert len(docs(items)) == 1
    (err,) = errors(items)
    assert "b.md" in str(err) and "duplicate" in str(err)


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    class FakeStdin:
        buffer = io.BytesIO(("---\ntitle: From stdin\n---\n" + STORY).encode())

    monkeypatch.setattr("sys.stdin", FakeStdin)
    (doc,) = docs(list(read_documents(["-"])))
    assert doc.source == "-" and doc.title == "From stdin" and doc.key.startswith("stdin:")


def test_control_characters_are_dropped_and_recorded() -> None:
    (doc,) = docs(read_bytes(STORY.replace("Friday", "Fri\x01day\x1b").encode(), "k", "c.txt", suffix=".txt"))
    assert "Friday" in doc.text
    assert ("removed_control_chars", "2") in doc.metadata


def test_latin1_encoding_is_recorded() -> None:
    (doc,) = docs(read_bytes("José Müller said the café in Zürich had closed for good.".encode("latin-1"), "k", "l.txt"))
    assert "José Müller" in doc.text
    assert dict(doc.metadata)["encoding"] == "cp1252"


def test_declared_html_charset_is_used_when_not_utf8() -> None:
    page = '<html><head><meta charset="windows-1250"></head><body><p>{}</p></body></html>'.format(
        "Prezydent Wałęsa powiedział w Łodzi, że reformy będą kontynuowane przez rząd w przyszłym roku."
    )
    (doc,) = docs(read_bytes(page.encode("cp1250"), "p.html", "p.html", suffix=".html"))
    assert "Wałęsa" in doc.text and "Łodzi" in doc.text
    assert dict(doc.metadata)["encoding"] == "windows-1250"


def test_a_reader_crash_becomes_an_input_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args, **kwargs):
        raise ValueError("parser exploded")

    monkeypatch.setattr("graph.ingest.read_text", boom)
    (err,) = read_bytes(STORY.encode(), "k", "odd.txt", suffix=".txt")
    assert isinstance(err, InputError) and "odd.txt" in str(err) and "parser exploded" in str(err)


def test_empty_folder_warns(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    import logging

    log = logging.getLogger("newsgraph")
    log.addHandler(caplog.handler)  # the CLI may have turned propagation off in this process
    try:
        with caplog.at_level("WARNING", logger="newsgraph"):
            assert list(read_documents([tmp_path])) == []
    finally:
        log.removeHandler(caplog.handler)
    assert "no input files" in caplog.text
