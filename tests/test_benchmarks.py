"""Benchmarks as tests: every script explains itself, and the throughput scripts run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = sorted((Path(__file__).resolve().parents[1] / "benchmarks").glob("*.py"))


@pytest.mark.parametrize("script", BENCHMARKS, ids=lambda p: p.name)
def test_every_benchmark_has_help(script: Path) -> None:
    out = subprocess.run([sys.executable, str(script), "--help"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "usage:" in out.stdout


def test_stages_and_throughput_run_on_a_small_corpus() -> None:
    root = BENCHMARKS[0].parent
    out = subprocess.run([sys.executable, str(root / "stages.py"), "--docs", "3"],
                         capture_output=True, text=True, timeout=300, check=True).stdout
    assert "spaCy ner" in out and "newsgraph newsgraph_relations" in out and "newsgraph stages" in out
    out = subprocess.run([sys.executable, str(root / "throughput.py"), "--docs", "3", "--repeat", "1"],
                         capture_output=True, text=True, timeout=300, check=True).stdout
    assert "ratio" in out and "vs spaCy on the same canonical texts" in out
