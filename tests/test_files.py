"""graph.files: atomic writes leave the old file or the new one, never a part, and no temporary file."""

from __future__ import annotations

import os
import stat

import pytest

from graph.files import atomic_open, write_atomic


def test_write_atomic_creates_folders_with_usual_permissions(tmp_path):
    dest = tmp_path / "a" / "b" / "out.bin"
    write_atomic(dest, b"data")
    assert dest.read_bytes() == b"data"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(dest.stat().st_mode) == 0o666 & ~umask
    assert [p.name for p in dest.parent.iterdir()] == ["out.bin"]


def test_write_atomic_keeps_old_file_on_error(tmp_path):
    dest = tmp_path / "keep.txt"
    dest.write_bytes(b"old")
    with pytest.raises(TypeError):
        write_atomic(dest, "not bytes")  # type: ignore[arg-type]
    assert dest.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_atomic_open_replaces_only_when_the_block_ends(tmp_path):
    dest = tmp_path / "model.npz"
    dest.write_bytes(b"old")
    with atomic_open(dest) as fh:
        fh.write(b"new, ")
        assert dest.read_bytes() == b"old"  # readers still see the old file meanwhile
        fh.write(b"whole")
    assert dest.read_bytes() == b"new, whole"
    with pytest.raises(RuntimeError), atomic_open(dest) as fh:
        fh.write(b"half")
        raise RuntimeError("interrupted")
    assert dest.read_bytes() == b"new, whole"
    assert [p.name for p in tmp_path.iterdir()] == ["model.npz"]
