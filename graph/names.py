"""Names from outside (file names, paths, keys, URLs, titles) made safe to print and to
store: used by error messages, ingest and the RDF writer alike, so it sits below them all."""

from __future__ import annotations

import re


def clean_name(name: str) -> str:
    """A file name, path, key or URL made safe to print and to store as an RDF literal.

    Names come from the file system and from untrusted metadata: a name that is not UTF-8
    (Python keeps its bytes as lone surrogates U+DC80-U+DCFF) gets those bytes as ``\\xNN``;
    other lone surrogates, C0/C1 controls (tab and newline included), U+FEFF and the
    non-characters U+FFFE/U+FFFF become ``\\uNNNN``, so XML 1.0, Turtle and a terminal
    all take the result and different names stay different.
    """
    if not _NAME_FORBIDDEN.search(name):
        return name
    return _NAME_FORBIDDEN.sub(_escape_name_char, name)


_NAME_FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe\uffff]")


def _escape_name_char(m: re.Match[str]) -> str:
    code = ord(m.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a non-UTF-8 file name (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"


__all__ = ["clean_name"]
