"""Bytes -> canonical text: decoding (UTF-8 with or without BOM, else detected) and clean-up.

The canonical text is what every offset in the graph refers to, so it is made once here:
line ends become ``\\n``, and characters that XML 1.0 / RDF serialisers reject or that carry
no text (C0/C1 controls except tab and newline, lone surrogates, U+FFFE/U+FFFF) are removed.
What was changed is reported back so the reader can record it in the document metadata.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

from graph.errors import InputError

#: single-byte code pages whose guesses are ambiguous on short Western text
_WESTERN = "cp1252"
# C0 controls except \t and \n, DEL, C1 controls, lone surrogates, BOM/ZWNBSP, non-characters
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe\uffff]")
_BINARY_CONTROLS = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text decoded from bytes, with the encoding used and the number of characters removed."""

    text: str
    encoding: str
    removed: int = 0


def normalize_text(text: str) -> tuple[str, int]:
    """Canonical form of a decoded text: ``\\n`` line ends, no controls; returns (text, removed)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    cleaned, removed = _FORBIDDEN.subn("", text)
    return cleaned, removed


def looks_binary(data: bytes) -> str | None:
    """A reason when ``data`` is not text (NUL bytes, known magic numbers), else None."""
    magic = {
        b"%PDF-": "a PDF file (PDF input is not supported yet)",
        b"\x89PNG": "a PNG image",
        b"\xff\xd8\xff": "a JPEG image",
        b"GIF8": "a GIF image",
        b"PK\x03\x04": "a ZIP archive (or DOCX/XLSX/EPUB)",
        b"\x1f\x8b": "a gzip archive",
        b"\x7fELF": "an executable",
        b"\xd0\xcf\x11\xe0": "an MS Office document",
    }
    for prefix, what in magic.items():
        if data.startswith(prefix):
            return f"binary file ({what}), not text"
    sample = data[:65536]
    # a stray NUL in scraped text is dropped later; many of them mean binary data
    if sample.count(b"\x00") > max(2, len(sample) // 1000) and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary file (contains NUL bytes), not text"
    return None


def _detect(data: bytes) -> tuple[str, str] | None:
    """(text, encoding) by charset detection, preferring cp1252 when it is as plausible.

    Short Western texts are ambiguous between single-byte code pages (charset-normalizer
    may say cp775 or cp1250 for French or German); newsgraph reads mostly Western news, so
    cp1252 wins whenever its decoding is no more chaotic than the best guess.
    """
    best = from_bytes(data).best()
    if best is None:
        return None
    western = from_bytes(data, cp_isolation=[_WESTERN]).best()
    if western is not None and western.chaos <= best.chaos + 0.05:
        best = western
    return str(best), best.encoding


_DECLARED = re.compile(rb"""(?:<meta[^>]{0,200}?charset\s*=\s*["']?|<\?xml[^>]{0,100}?encoding\s*=\s*["'])([A-Za-z0-9_.:-]{2,40})""", re.I)


def _declared(data: bytes) -> tuple[str, str] | None:
    """(text, encoding) by the charset an HTML/XML file declares, when it decodes with it."""
    m = _DECLARED.search(data[:4096])
    if not m:
        return None
    name = m.group(1).decode("ascii").lower()
    if name in ("iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii"):
        name = "cp1252"  # what browsers do (WHATWG encoding standard)
    try:
        return data.decode(name), name
    except (LookupError, UnicodeDecodeError):
        return None


def decode_bytes(data: bytes, source: str) -> Decoded:
    """Decode bytes of a text file; raise ``InputError`` naming ``source`` when it is not text."""
    reason = looks_binary(data)
    if reason:
        raise InputError(source, reason)
    encoding = "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text, encoding = data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as err:
            raise InputError(source, "invalid UTF-16 text") from err
    else:
        try:
            text = data.decode("utf-8-sig")
            if data.startswith(b"\xef\xbb\xbf"):
                encoding = "utf-8-sig"
        except UnicodeDecodeError:
            detected = _declared(data) or _detect(data)
            if detected is None:
                raise InputError(source, "binary or undecodable bytes, not text") from None
            text, encoding = detected
    if text and len(_BINARY_CONTROLS.findall(text[:65536])) > max(2, len(text[:65536]) // 100):
        raise InputError(source, f"binary file (too many control characters as {encoding}), not text")
    cleaned, removed = normalize_text(text)
    return Decoded(cleaned, encoding, removed)
