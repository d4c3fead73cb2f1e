"""The wheel ships whole: installed in a fresh virtualenv, the query library and a build work
from any directory.

The wheel is built by pip (with build isolation: setuptools comes from pip's cache or
PyPI) and installed with ``--no-deps`` into a new venv; the dependencies are reached
through a ``.pth`` line naming this environment's site-packages (a ``.pth`` in that folder,
such as an editable install of newsgraph, is not run), so the test needs no download of
spaCy and takes about half a minute.  Only the wheel's own files provide ``graph``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from graph.sparql import LIBRARY_DIR, list_queries

ROOT = Path(__file__).resolve().parents[1]


def _run(args: list[str], cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env, timeout=timeout, check=False)
    assert done.returncode == 0, f"{' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv with the newsgraph wheel installed; returns its bin folder."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "src"  # a copy: building writes build/ and *.egg-info into the source tree
    shutil.copytree(ROOT, source, symlinks=True, ignore=shutil.ignore_patterns(
        ".git", ".venv", "out", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis"))
    _run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q", "-w", str(base / "dist")], cwd=base)
    wheels = sorted((base / "dist").glob("newsgraph-*.whl"))
    assert len(wheels) == 1
    target = base / "venv"
    venv.create(target, with_pip=False)
    py = target / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "-q", str(wheels[0])], cwd=base)
    site = Path(_run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=base).stdout.strip())
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "zz_newsgraph_test_deps.pth").write_text("\n".join(sorted(deps)) + "\n", encoding="utf-8")
    where = _run([str(py), "-c", "import graph; print(graph.__file__)"], cwd=base).stdout.strip()
    assert Path(where).is_relative_to(target), f"graph imported from {where}, not from the wheel"
    return target / "bin"


def test_wheel_lists_the_whole_query_library(installed, tmp_path):
    listing = _run([str(installed / "newsgraph"), "query", "--list"], cwd=tmp_path).stdout
    names = {line.split("\t")[0] for line in listing.splitlines()}
    assert names == set(list_queries()) == {p.stem for p in LIBRARY_DIR.glob("*.rq")}
    assert len(names) >= 12
    assert all(str(installed.parent) in line.split("\t")[2] for line in listing.splitlines())


def test_wheel_builds_the_seeds_from_another_directory(installed, tmp_path):
    done = _run([str(installed / "newsgraph"), "build", str(ROOT / "seeds"), "--out", "out"], cwd=tmp_path)
    summary = dict(line.split(None, 1) for line in done.stdout.splitlines())
    assert int(summary["documents"]) == 2 and int(summary["entities"]) > 20
    assert (tmp_path / "out" / "graph.ttl").is_file() and (tmp_path / "out" / "graph.html").is_file()
    rows = _run([str(installed / "newsgraph"), "query", "out/graph.ttl", "trafficking-routes", "-f", "csv"], cwd=tmp_path)
    assert rows.stdout.startswith("origin,originLabel,destination")
    assert len(rows.stdout.splitlines()) > 1


def test_top_level_queries_is_the_package_library():
    assert (ROOT / "queries").resolve() == LIBRARY_DIR.resolve()
    assert sorted(p.name for p in (ROOT / "queries").glob("*.rq")) == sorted(p.name for p in LIBRARY_DIR.glob("*.rq"))
