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
import stat
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
from graph.names import clean_name

log = logging.getLogger("newsgraph")

__all__ = ["IngestOptions", "iter_files", "read_bytes", "read_documents", "read_file"]


def _kind(mode: int) -> str:
    """What a non-regular file is, for messages."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def iter_files(paths: Iterable[str | Path]) -> Iterator[tuple[Path, Path] | InputError]:
    """Yield ``(file, root)`` for every file under the given paths, in sorted order.

    Hidden files and folders (``.name``) below a given folder are skipped; a folder or
    path that cannot be read is yielded as an ``InputError`` and the other paths go on.
    A file given by name comes as ``(file, file)``; a file found in a folder has the
    folder given as ``root``.
    """
    for raw in paths:
        path = Path(raw)
        if str(raw) == "-":
            yield path, path
            continue
        try:
            is_dir = stat.S_ISDIR(path.stat().st_mode)
        except FileNotFoundError:
            is_dir = False  # read_file names it
        except OSError as err:  # e.g. a folder whose parent we may not enter, a name too long
            yield InputError(str(path), f"cannot read: {err.strerror or err}")
            continue
        if not is_dir:
            yield path, path
            continue
        errors: list[OSError] = []
        found: list[Path] = []
        for top, dirs, files in os.walk(path, onerror=errors.append):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            found.extend(Path(top) / f for f in files if not f.startswith("."))
        for err in errors:
            yield InputError(str(err.filename or path), f"cannot read folder: {err.strerror or err}")
        if not found and not errors:
            log.warning("%s: folder holds no input files", clean_name(str(path)))
        for file in sorted(found, key=lambda p: p.relative_to(path).as_posix()):
            yield file, path


def read_bytes(
    data: bytes,
    key: str,
    source: str,
    options: IngestOptions | None = None,
    suffix: str = "",
) -> list[Document | InputError]:
    """Documents in the bytes of one input (a file's content or stdin).

    The format comes from ``suffix`` when it is a known extension, else from the content.
    Never raises: whatever goes wrong with this input comes back as its ``InputError``.
    """
    options = options or IngestOptions()
    source = clean_name(source)
    if len(data) > options.max_bytes:
        return [InputError(source, f"{_size(len(data))} is over the maximum document size {_size(options.max_bytes)} "
                                   "(--max-size), skipped")]
    fmt = "text"
    try:
        decoded = decode_bytes(data, source)
        fmt = sniff.format_for_suffix(suffix) or sniff.sniff_format(decoded.text)
        extra: dict[str, str] = {}
        if decoded.encoding not in ("utf-8", "utf-8-sig"):
            extra["encoding"] = decoded.encoding
        if decoded.removed:
            extra["removed_control_chars"] = str(decoded.removed)
        text = decoded.text
        if fmt == sniff.MARKDOWN:
            return list(read_markdown(text, key, source, options, extra))
        if fmt == sniff.HTML:
            return list(read_html(text, key, source, options, extra))
        if fmt in (sniff.JSON, sniff.JSONL):
            return read_records(text, key, source, options, extra, lines=fmt == sniff.JSONL)
        return list(read_text(text, key, source, options, extra))
    except InputError as err:
        return [err]
    except (RecursionError, MemoryError) as err:  # a hostile input, bounded elsewhere: never the whole run
        return [InputError(source, f"cannot read as {fmt}: input too deeply nested or too large ({type(err).__name__})")]
    except Exception as err:  # a parser bug on one odd input must not stop the build
        log.debug("%s: %s reader failed", source, fmt, exc_info=True)
        return [InputError(source, f"cannot read as {fmt}: {type(err).__name__}: {err}")]


def _size(n: int) -> str:
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("kB", 1 << 10)):
        if n >= factor:
            return f"{n / factor:.1f} {unit}"
    return f"{n} bytes"


def _read_bounded(fd: int, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of an open file: enough to tell that it is too big."""
    chunks: list[bytes] = []
    left = limit + 1
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def read_file(
    path: Path, key: str, options: IngestOptions | None = None, named: bool = False
) -> list[Document | InputError]:
    """Documents in one file; problems come back as ``InputError`` items.

    Only regular files are read (a symlink is followed to what it names): a FIFO would
    block the run forever and a device such as ``/dev/zero`` never ends.  A named pipe
    given by name (``named``, e.g. ``<(curl ...)``) is read, up to the size limit.
    """
    options = options or IngestOptions()
    source = clean_name(str(path))
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            return [InputError(source, "is a folder where a file was expected")]
        if not stat.S_ISREG(info.st_mode) and not (named and stat.S_ISFIFO(info.st_mode)):
            return [InputError(source, f"{_kind(info.st_mode)}, not a regular file: skipped")]
        if stat.S_ISREG(info.st_mode) and info.st_size > options.max_bytes:
            return [InputError(source, f"{_size(info.st_size)} is over the maximum document size "
                                       f"{_size(options.max_bytes)} (--max-size), skipped")]
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOCTTY", 0))
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode) and not (named and stat.S_ISFIFO(info.st_mode)):
                return [InputError(source, "not a regular file: skipped")]  # swapped since the check
            data = _read_bounded(fd, options.max_bytes)
        finally:
            os.close(fd)
    except FileNotFoundError:
        return [InputError(source, "no such file or directory")]
    except OSError as err:
        return [InputError(source, f"cannot read: {err.strerror or err}")]
    return read_bytes(data, key, source, options, path.suffix)


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
            data = sys.stdin.buffer.read(options.max_bytes + 1)
            from graph.model import content_hash

            results = read_bytes(data, "stdin:" + content_hash(data.decode("utf-8", "replace"))[:16], "-", options)
        else:
            key = clean_name(path.relative_to(root).as_posix() if path != root else path.name)
            results = read_file(path, key, options, named=path == root)
        for doc in results:
            if isinstance(doc, Document):
                if doc.key in seen:
                    yield InputError(doc.source, f"duplicate document key {doc.key!r} (first read from {seen[doc.key]}), skipped")
                    continue
                seen[doc.key] = doc.source
            yield doc
