"""Store fixtures: small news texts (fast to parse) written into a corpus folder."""

from __future__ import annotations

from pathlib import Path

import pytest

TEXTS = {
    "a.txt": (
        "Thai police rescued 40 workers from a scam compound in Myawaddy, Myanmar, on Tuesday. "
        "Amnesty International criticized the government of Cambodia for failing to act.\n"
    ),
    "b.txt": (
        "The United Nations called on Thailand to close its border with Myanmar. "
        "Human Rights Watch published a report on Cambodia and Laos.\n"
    ),
    "c.txt": (
        "Indonesia repatriated 43 citizens who had been trafficked to the Philippines. "
        "The International Organization for Migration said the victims were lured by fake job offers.\n"
    ),
}
CHANGED_B = (
    "The United Nations called on Vietnam to investigate the compounds. "
    "Interpol arrested two recruiters in Laos.\n"
)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A folder with a.txt, b.txt, c.txt."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(autouse=True)
def fixed_build_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Builds stamped with a fixed time, so outputs compare byte for byte."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
