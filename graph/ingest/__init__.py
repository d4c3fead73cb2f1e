"""Ingest: turn paths (files, folders, ``-``) into ``Document`` objects.

Readers never raise for one bad input: they yield an ``InputError`` in its place so the
caller can report it and go on with the other documents.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from graph.errors import InputError
from graph.model import Document

TEXT_SUFFIXES = {".txt", ".text", ""}


def iter_files(paths: Iterable[str | Path]) -> Iterator[tuple[Path, Path]]:
    """Yield ``(file, root)`` for every file under the given paths, in sorted order."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")):
                yield file, path
        else:
            yield path, path.parent


def read_text_file(path: Path, key: str) -> Document:
    """Read one plain-text file as a Document."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(str(path), f"cannot read: {err.strerror or err}") from err
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(str(path), "not UTF-8 text") from err
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Document(key=key, text=text, source=str(path))


def read_documents(paths: Iterable[str | Path]) -> Iterator[Document | InputError]:
    """Read every document under ``paths``; errors are yielded, not raised."""
    for path, root in iter_files(paths):
        if str(path) == "-":
            text = sys.stdin.read()
            yield Document(key="stdin:" + Document(key="", text=text, source="-").content_hash, text=text, source="-")
            continue
        if not path.exists():
            yield InputError(str(path), "no such file or directory")
            continue
        key = path.relative_to(root).as_posix() if path != root else path.name
        try:
            yield read_text_file(path, key)
        except InputError as err:
            yield err
