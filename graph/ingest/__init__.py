"""Ingest: turn paths (files, folders, ``-``) into ``Document`` objects.

Formats: plain text, Markdown with YAML front matter, HTML (trafilatura), JSON / JSON Lines
records; unknown extensions are sniffed (``sniff``).  Bytes are decoded and normalised once
(``encoding``): the resulting canonical text is what every offset in the graph refers to.
Plain-text pages go through main-story detection (``boilerplate``).

Readers never raise for one bad input: they yield an ``InputError`` in its place so the
caller can report it and go on with the other documents.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from graph.errors import InputError
from graph.ingest import sniff
from graph.ingest.encoding import decode_bytes
from graph.ingest.html import read_html
from graph.ingest.markdown import read_markdown
from graph.ingest.options import IngestOptions
from graph.ingest.records import read_records
from graph.ingest.text import read_text
from graph.model import Document

log = logging.getLogger("newsgraph")

__all__ = ["IngestOptions", "iter_files", "read_bytes", "read_documents", "read_file"]


def iter_files(paths: Iterable[str | Path]) -> Iterator[tuple[Path, Path] | InputError]:
    """Yield ``(file, root)`` for every file under the given paths, in sorted order.

    Hidden files and folders (``.name``) below a given folder are skipped; unreadable
    folders are yielded as ``InputError``.
    """
    for raw in paths:
        path = Path(raw)
        if str(raw) == "-":
            yield path, path
        elif path.is_dir():
            errors: list[OSError] = []
            found: list[Path] = []
            for top, dirs, files in os.walk(path, onerror=errors.append):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found.extend(Path(top) / f for f in files if not f.startswith("."))
            for err in errors:
                yield InputError(str(err.filename or path), f"cannot read folder: {err.strerror or err}")
            if not found and not errors:
                log.warning("%s: folder holds no input files", path)
            for file in sorted(found, key=lambda p: p.relative_to(path).as_posix()):
                yield file, path
        else:
            yield path, path.parent


def read_bytes(
    data: bytes,
    key: str,
    source: str,
    options: IngestOptions | None = None,
    suffix: str = "",
) -> list[Document | InputError]:
    """Documents in the bytes of one input (a file's content or stdin).

    The format comes from ``suffix`` when it is a known extension, else from the content.
    """
    options = options or IngestOptions()
    try:
        decoded = decode_bytes(data, source)
    except InputError as err:
        return [err]
    fmt = sniff.format_for_suffix(suffix) or sniff.sniff_format(decoded.text)
    extra: dict[str, str] = {}
    if decoded.encoding not in ("utf-8", "utf-8-sig"):
        extra["encoding"] = decoded.encoding
    if decoded.removed:
        extra["removed_control_chars"] = str(decoded.removed)
    text = decoded.text
    try:
        if fmt == sniff.MARKDOWN:
            return list(read_markdown(text, key, source, options, extra))
        if fmt == sniff.HTML:
            return list(read_html(text, key, source, options, extra))
        if fmt in (sniff.JSON, sniff.JSONL):
            return read_records(text, key, source, options, extra, lines=fmt == sniff.JSONL)
        return list(read_text(text, key, source, options, extra))
    except InputError as err:
        return [err]
    except Exception as err:  # a parser bug on one odd input must not stop the build
        log.debug("%s: %s reader failed", source, fmt, exc_info=True)
        return [InputError(source, f"cannot read as {fmt}: {type(err).__name__}: {err}")]


def read_file(path: Path, key: str, options: IngestOptions | None = None) -> list[Document | InputError]:
    """Documents in one file; problems come back as ``InputError`` items."""
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        return [InputError(str(path), "is a folder where a file was expected")]
    except FileNotFoundError:
        return [InputError(str(path), "no such file or directory")]
    except OSError as err:
        return [InputError(str(path), f"cannot read: {err.strerror or err}")]
    return read_bytes(data, key, str(path), options, path.suffix)


def read_documents(
    paths: Iterable[str | Path], options: IngestOptions | None = None
) -> Iterator[Document | InputError]:
    """Read every document under ``paths``; errors are yielded, not raised.

    Keys are stable across runs: a document's URL when known, else its path relative to
    the input root given (the folder, or the file's own folder); ``stdin:<hash>`` for ``-``.
    A second document with a key already seen is reported and skipped.
    """
    options = options or IngestOptions()
    seen: dict[str, str] = {}
    for item in iter_files(paths):
        if isinstance(item, InputError):
            yield item
            continue
        path, root = item
        if str(path) == "-":
            data = sys.stdin.buffer.read()
            from graph.model import content_hash

            results = read_bytes(data, "stdin:" + content_hash(data.decode("utf-8", "replace"))[:16], "-", options)
        else:
            key = path.relative_to(root).as_posix() if path != root else path.name
            results = read_file(path, key, options)
        for doc in results:
            if isinstance(doc, Document):
                if doc.key in seen:
                    yield InputError(doc.source, f"duplicate document key {doc.key!r} (first read from {seen[doc.key]}), skipped")
                    continue
                seen[doc.key] = doc.source
            yield doc
