"""benchmarks/mention_recall.py on a tiny corpus written here: counts, misses, bad input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "mention_recall.py"

DOC = """---
title: Test story
---
Police in Bokeo rescued 40 women from a casino. The women were taken to a shelter.
"""
GOLD = (
    "# aliases: 40 women=the women|women\n"
    "Bokeo Police\trescued_by\t40 women\tPolice in Bokeo rescued 40 women from a casino.\n"
    "40 women\trescued_from\tcasino\tPolice in Bokeo rescued 40 women from a casino.\n"
    "40 women\tlocated_in\tZanzibar Ferry Terminal\tThe women were taken to a shelter.\n"
)


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=300)


def test_mention_recall_on_a_small_corpus(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "gold").mkdir()
    (tmp_path / "docs" / "001_test.md").write_text(DOC, encoding="utf-8")
    (tmp_path / "gold" / "001_test.tsv").write_text(GOLD, encoding="utf-8")
    out = run("--corpus", str(tmp_path), "--show", "5")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    args = next(x for x in lines if x.strip().startswith("all") and "sentence" in x)
    # 6 arguments: "Bokeo Police" is covered relaxed by "Bokeo" (words contained), the women
    # and the casino are mentions; the terminal is written nowhere in the text
    assert args.split()[1] == "6" and "sentence 0.833" in args
    assert "not written in the sentence" in out.stdout
    assert "'Zanzibar Ferry Terminal'" in out.stdout


def test_bad_arguments_are_one_line_errors(tmp_path: Path) -> None:
    out = run("--corpus", str(tmp_path))
    assert out.returncode == 2 and "no docs/ and gold/ folders" in out.stderr
    out = run("--docs", "x-2")
    assert out.returncode == 2 and "expected LO-HI" in out.stderr
