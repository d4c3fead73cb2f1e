"""Hostile inputs are read with bounds: each gives its own one-line error, none stops the others.

YAML alias bombs and oversized front matter, JSON nested thousands of levels deep, FIFOs
and devices, oversized files, file names that are not UTF-8 and names or URLs holding
controls, surrogates or non-characters (issue 15, item 5 and 7).
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest

from graph.errors import InputError
from graph.ingest import IngestOptions, read_bytes, read_documents
from graph.model import Document

GOOD = "Amnesty International accused the government of Cambodia of ignoring abuses in scam compounds.\n"

#: a billion-laughs front matter: 9^7 "lol"s once expanded (PyYAML expands aliases in full)
YAML_BOMB = (
    "---\n"
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "title: [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
    "---\n" + GOOD
)


def docs(items: list) -> list[Document]:
    return [d for d in items if isinstance(d, Document)]


def errors(items: list) -> list[InputError]:
    return [e for e in items if isinstance(e, InputError)]


def bounded(fn, seconds: float = 20.0):
    """Run ``fn`` in a thread; fail (instead of hanging the suite) when it does not return."""
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as err:  # handed to the test thread
            box["error"] = err

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"did not finish within {seconds} s"
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]


# --- YAML front matter ---------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".md", ".dat"])
def test_yaml_alias_bomb_is_refused_at_once(suffix: str) -> None:
    started = time.perf_counter()
    (err,) = read_bytes(YAML_BOMB.encode(), "k", "bomb" + suffix, suffix=suffix)
    assert isinstance(err, InputError)
    assert str(err).startswith("bomb" + suffix + ": ")
    assert "anchors and aliases" in str(err)
    assert time.perf_counter() - started < 1.0


def test_a_single_anchor_is_refused_too() -> None:
    (err,) = read_bytes(b"---\ntitle: &t Raid\nauthor: *t\n---\n" + GOOD.encode(), "k", "a.md", suffix=".md")
    assert isinstance(err, InputError) and "aliases" in str(err)


def test_front_matter_size_and_depth_are_bounded() -> None:
    big = "---\ntitle: " + "x" * 100_000 + "\n---\n" + GOOD
    (err,) = read_bytes(big.encode(), "k", "big.md", suffix=".md")
    assert isinstance(err, InputError) and "larger than 64 kB" in str(err)
    deep = "---\ntitle: " + "[" * 30_000 + "]" * 30_000 + "\n---\n" + GOOD  # 60 kB, minutes for PyYAML
    started = time.perf_counter()
    (err,) = read_bytes(deep.encode(), "k", "deep.md", suffix=".md")
    assert str(err) == "deep.md: YAML front matter nested 30000 levels deep (more than 32), refused"
    assert time.perf_counter() - started < 1.0
    block = "---\n" + "".join(" " * n + f"k{n}:\n" for n in range(300)) + "---\n" + GOOD
    started = time.perf_counter()
    (doc,) = read_bytes(block.encode(), "k", "block.md", suffix=".md")  # block nesting is cheap: read
    assert isinstance(doc, Document) and time.perf_counter() - started < 1.0


def test_plain_front_matter_still_reads() -> None:
    (doc,) = read_bytes(b"---\ntitle: Raid\ntags: [a, b]\n---\n" + GOOD.encode(), "k", "ok.md", suffix=".md")
    assert isinstance(doc, Document) and doc.title == "Raid"


# --- JSON ----------------------------------------------------------------------------


@pytest.mark.parametrize("name,suffix", [("deep.dat", ".dat"), ("deep.json", ".json"), ("deep", "")])
def test_deeply_nested_json_is_refused(name: str, suffix: str) -> None:
    data = ("[" * 100_000 + "]" * 100_000).encode()
    (err,) = read_bytes(data, "k", name, suffix=suffix)
    assert isinstance(err, InputError)
    assert str(err).startswith(name + ": JSON nested 100000 levels deep")


def test_a_deep_jsonl_line_costs_only_that_line() -> None:
    lines = [json.dumps({"text": GOOD}), "[" * 5000 + "]" * 5000, json.dumps({"text": GOOD + " Again."})]
    items = read_bytes("\n".join(lines).encode(), "s.jsonl", "s.jsonl", suffix=".jsonl")
    assert len(docs(items)) == 2
    (err,) = errors(items)
    assert str(err).startswith("s.jsonl:2: JSON nested")


def test_brackets_inside_strings_do_not_count() -> None:
    record = {"text": GOOD + "[" * 500 + "{" * 500, "title": "]]]["}
    (doc,) = read_bytes(json.dumps(record).encode(), "k", "r.dat", suffix=".dat")
    assert isinstance(doc, Document) and doc.title == "]]]["


# --- what is read: regular files only, bounded in size ----------------------------------


def test_fifo_and_devices_in_a_folder_are_skipped_not_read(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    (tmp_path / "null.txt").symlink_to("/dev/null")
    items = bounded(lambda: list(read_documents([tmp_path])))
    assert [d.key for d in docs(items)] == ["good.txt"]
    problems = sorted(str(e) for e in errors(items))
    assert len(problems) == 3
    assert problems[0] == f"{tmp_path}/null.txt: a character device, not a regular file: skipped"
    assert problems[1] == f"{tmp_path}/pipe.txt: a named pipe (FIFO), not a regular file: skipped"
    assert problems[2] == f"{tmp_path}/zero.txt: a character device, not a regular file: skipped"


def test_a_named_pipe_given_by_name_is_read(tmp_path: Path) -> None:
    pipe = tmp_path / "story.txt"
    os.mkfifo(pipe)

    def feed() -> None:
        with open(pipe, "w", encoding="utf-8") as f:
            f.write(GOOD)

    threading.Thread(target=feed, daemon=True).start()
    (doc,) = bounded(lambda: list(read_documents([pipe])))
    assert isinstance(doc, Document) and "Amnesty" in doc.text and doc.key == "story.txt"


def test_maximum_document_size(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text(GOOD * 200, encoding="utf-8")  # ~19 kB
    (tmp_path / "small.txt").write_text(GOOD, encoding="utf-8")
    opts = IngestOptions(max_bytes=10_000)
    items = list(read_documents([tmp_path], opts))
    assert [d.key for d in docs(items)] == ["small.txt"]
    (err,) = errors(items)
    assert str(err).startswith(f"{tmp_path}/big.txt: 18.6 kB is over the maximum document size 9.8 kB (--max-size)")
    assert len(docs(list(read_documents([tmp_path], IngestOptions(max_bytes=100_000))))) == 2
    (err,) = read_bytes(b"x" * 10_001, "k", "stdin", opts)  # bytes from stdin are bounded too
    assert "maximum document size" in str(err)


def test_parse_size() -> None:
    from graph.ingest.options import parse_size

    assert parse_size("32MB") == 32 << 20 and parse_size("500000") == 500_000 and parse_size("1.5kB") == 1536
    for bad in ("", "12 parsecs", "-1", "0"):
        with pytest.raises(ValueError):
            parse_size(bad)


def test_a_path_that_cannot_be_examined_is_one_error_and_the_others_go_on(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    too_long = tmp_path / ("x" * 300) / "in"  # stat fails with ENAMETOOLONG, not "missing"
    items = list(read_documents([too_long, tmp_path]))
    assert [d.key for d in docs(items)] == ["good.txt"]
    (err,) = errors(items)
    assert "File name too long" in str(err) and "xxxx" in str(err)


def test_a_folder_we_may_not_enter_is_one_error_and_the_others_go_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As for a non-root user whose input folder's parent is mode 700 (root reads everything,
    so the permission error is simulated where the operating system would raise it)."""
    locked = tmp_path / "private" / "news"
    locked.mkdir(parents=True)
    (locked / "a.txt").write_text(GOOD, encoding="utf-8")
    ok = tmp_path / "ok"
    ok.mkdir()
    (ok / "good.txt").write_text(GOOD, encoding="utf-8")
    real_stat = Path.stat

    def stat(self: Path, *args, **kwargs):
        if str(self).startswith(str(tmp_path / "private")):
            raise PermissionError(13, "Permission denied", str(self))
        return real_stat(self, *args, **kwargs)

    monkeypatch.setattr(Path, "stat", stat)
    items = list(read_documents([locked, ok]))
    assert [d.key for d in docs(items)] == ["good.txt"]
    (err,) = errors(items)
    assert str(err) == f"{locked}: cannot read: Permission denied"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_an_unreadable_input_folder_is_one_error_and_the_others_go_on(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    (locked / "inner").mkdir(parents=True)
    ok = tmp_path / "ok"
    ok.mkdir()
    (ok / "good.txt").write_text(GOOD, encoding="utf-8")
    locked.chmod(0)
    try:
        items = list(read_documents([locked / "inner", locked, ok]))
    finally:
        locked.chmod(0o755)
    assert [d.key for d in docs(items)] == ["good.txt"]
    assert len(errors(items)) == 2


# --- names and URLs ------------------------------------------------------------------


def test_clean_name() -> None:
    from graph.names import clean_name

    assert clean_name("plain/name.txt") == "plain/name.txt"
    assert clean_name("caf\udce9.txt") == "caf\\xe9.txt"  # a Latin-1 byte kept by surrogateescape
    assert clean_name("a\ufffe\uffff\x01\x7f\x85\ud800\ufeff\tb\n") == "a\\ufffe\\uffff\\u0001\\u007f\\u0085\\ud800\\ufeff\\u0009b\\u000a"
    assert clean_name("a\x01") != clean_name("a\x02")


def test_a_file_name_that_is_not_utf8_is_read(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/caf\xe9 story.txt"
    with open(raw, "wb") as f:
        f.write(GOOD.encode())
    (tmp_path / "good.txt").write_text(GOOD + " Twice.", encoding="utf-8")
    items = list(read_documents([tmp_path]))
    assert sorted(d.key for d in docs(items)) == ["caf\\xe9 story.txt", "good.txt"]
    for d in docs(items):
        assert len(d.id) == 16  # hashing the key needs UTF-8
        d.source.encode("utf-8")
    (err,) = errors(read_documents([os.fsdecode(raw) + ".missing"]))
    str(err).encode("utf-8")
    assert "caf\\xe9 story.txt.missing: no such file" in str(err)


def test_controls_and_noncharacters_in_names_and_urls_are_escaped(tmp_path: Path) -> None:
    (tmp_path / "odd\ufffe\x01 name.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "url.md").write_text(
        '---\nurl: "https://example.org/a\\ud800\\uffff\\x01b"\ntitle: "T\\x01itle"\n---\n' + GOOD, encoding="utf-8"
    )
    (tmp_path / "rec.json").write_text(json.dumps({"text": GOOD, "url": "https://example.org/r\ufffe\x02"}), encoding="utf-8")
    from graph.names import clean_name

    found = {d.key: d for d in docs(list(read_documents([tmp_path])))}
    assert set(found) == {"odd\\ufffe\\u0001 name.txt", "https://example.org/ab", "https://example.org/r"}
    md = found["https://example.org/ab"]
    assert md.url == "https://example.org/ab" and md.title == "Title"
    for d in found.values():
        assert len(d.id) == 16
        assert clean_name(d.key) == d.key and clean_name(d.source) == d.source


def test_metadata_values_are_bounded() -> None:
    record = {"text": GOOD, "title": "Raid " * 10_000, "url": "https://example.org/" + "a" * 50_000}
    (doc,) = read_bytes(json.dumps(record).encode(), "k", "r.json", suffix=".json")
    assert isinstance(doc, Document)
    assert len(doc.title or "") <= 8192 and doc.title.endswith("…")
    assert len(doc.key) <= 8192
