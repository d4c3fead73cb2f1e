"""Decoding and canonical text: BOMs, line ends, detected code pages, controls, binaries."""

from __future__ import annotations

import random

import pytest

from graph.errors import InputError
from graph.ingest.encoding import decode_bytes, normalize_text


def test_utf8_with_bom_and_crlf() -> None:
    d = decode_bytes(b"\xef\xbb\xbfOne line.\r\nTwo lines.\rThree.", "a.txt")
    assert d.text == "One line.\nTwo lines.\nThree."
    assert d.encoding == "utf-8-sig"


def test_utf16_with_bom() -> None:
    d = decode_bytes("Zoë said hello.\r\n".encode("utf-16"), "a.txt")
    assert d.text == "Zoë said hello.\n"


@pytest.mark.parametrize(
    "text",
    [
        "The mayor of São Paulo, José Müller, met officials in Genève.",
        "Le président François a dit « non » à Zürich.",
        "The naïve café owner said “hello” – it’s fine, Ms Müller.",
    ],
)
def test_western_code_pages_are_detected(text: str) -> None:
    enc = "cp1252"
    d = decode_bytes(text.encode(enc), "a.txt")
    assert d.text == text
    assert d.encoding in ("cp1252", "latin_1", "iso8859_15")


def test_latin1_text_is_decoded() -> None:
    text = "Der Bürgermeister von Köln sagte, dass die Straße gesperrt wird."
    assert decode_bytes(text.encode("latin-1"), "a.txt").text == text


def test_controls_are_removed_and_counted() -> None:
    text, removed = normalize_text("a\x00b\x07c\td\ne\x1b[0m\x85f\ufeff\ud800g")
    assert text == "abc\td\ne[0mfg"
    assert removed == 6


@pytest.mark.parametrize(
    "data,reason",
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"plain\x00text\x00with\x00many\x00NULs", "NUL"),
        (random.Random(3).randbytes(2000), "binary"),
    ],
)
def test_binary_inputs_are_refused_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(InputError) as err:
        decode_bytes(data, "some/file.txt")
    assert "some/file.txt" in str(err.value)
    assert reason in str(err.value)


def test_random_bytes_without_nul_are_refused() -> None:
    rng = random.Random(7)
    data = bytes(b for b in rng.randbytes(4000) if b != 0)
    with pytest.raises(InputError):
        decode_bytes(data, "binary.txt")


def test_a_stray_nul_in_text_is_dropped_not_fatal() -> None:
    d = decode_bytes(b"Scraped text with a stray\x00 NUL byte in the middle of a long enough line of prose.", "a.txt")
    assert "stray NUL" in d.text and d.removed == 1
