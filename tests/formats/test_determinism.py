"""Every export format gives the same bytes in fresh processes, whatever PYTHONHASHSEED is."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from graph.formats import FORMATS, serialize


@pytest.fixture(scope="module")
def seeds_ttl(seeds_graph, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("det") / "graph.ttl"
    path.write_bytes(serialize(seeds_graph, "turtle"))
    return path


def _export(path: Path, fmt: str, seed: str, *extra: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run([sys.executable, "-m", "graph", "export", str(path), "--format", fmt, *extra],
                          capture_output=True, env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_is_byte_identical_across_hash_seeds(seeds_ttl: Path, fmt: str) -> None:
    first = _export(seeds_ttl, fmt, "1")
    assert len(first) > 1000
    assert _export(seeds_ttl, fmt, "2") == first
    assert _export(seeds_ttl, fmt, "3") == first


@pytest.mark.parametrize("fmt", ["jsonld", "xml"])
def test_export_with_ontology_is_byte_identical(seeds_ttl: Path, fmt: str) -> None:
    assert _export(seeds_ttl, fmt, "11", "--ontology") == _export(seeds_ttl, fmt, "12", "--ontology")
