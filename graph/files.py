"""Atomic file writes: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


@contextmanager
def atomic_open(path: str | Path) -> Iterator[BinaryIO]:
    """A binary file handle whose contents replace ``path`` only when the block ends without error.

    The data goes to a temporary file beside ``path`` (same file system), is flushed to disk
    and renamed over ``path``; on an error the temporary file is removed and ``path`` is left
    as it was. The file gets the usual permissions (0666 less the umask), not mkstemp's
    private 0600. Missing parent folders are created.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and rename: never a half-written file."""
    with atomic_open(path) as fh:
        fh.write(data)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


__all__ = ["atomic_open", "write_atomic"]
