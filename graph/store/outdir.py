"""A build folder (``--out DIR``) held by one build at a time.

Before any extraction work starts, the folder is created if missing, checked to be
writable, and locked: ``flock`` on the folder itself (no lock file is left behind; the
kernel drops the lock when the process ends, even on ``kill -9``), as Oxigraph's store
locks its own folder.  A second build or ``remove`` into the same folder then fails at
once with a clear message instead of both "succeeding" and one losing its documents.
A folder the build created and wrote nothing into is removed again when it is released.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from graph.errors import StoreError
from graph.names import clean_name

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks, no check
    fcntl = None  # type: ignore[assignment]


class OutFolder:
    """An output folder, created, checked writable and locked by ``acquire``."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.created = False
        self._fd: int | None = None

    def __repr__(self) -> str:
        return f"OutFolder({str(self.path)!r}, locked={self._fd is not None})"

    def _fail(self, problem: str) -> StoreError:
        return StoreError(f"{clean_name(str(self.path))}: {problem}")

    def acquire(self) -> OutFolder:
        """Create (if missing), check and lock the folder; ``StoreError`` when it cannot be used."""
        try:
            if self.path.exists() and not self.path.is_dir():
                raise self._fail("exists and is not a folder")
            if not self.path.exists():
                self.path.mkdir(parents=True)
                self.created = True
        except OSError as err:
            raise self._fail(f"cannot create the output folder: {err.strerror or err}") from err
        try:
            fd, probe = tempfile.mkstemp(prefix=".newsgraph-probe-", dir=self.path)
            os.close(fd)
            os.unlink(probe)
        except OSError as err:
            self._remove_if_created()
            raise self._fail(f"cannot write into the output folder: {err.strerror or err}") from err
        if fcntl is not None:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as err:
                os.close(fd)
                if err.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise self._fail("another newsgraph build or remove is using this folder; "
                                     "wait for it to finish") from err
                raise self._fail(f"cannot lock the output folder: {err.strerror or err}") from err
            self._fd = fd
        return self

    def release(self) -> None:
        """Unlock; a folder this build created and left empty is removed again."""
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the flock
            self._fd = None
        self._remove_if_created()

    def _remove_if_created(self) -> None:
        if self.created:
            try:
                self.path.rmdir()  # only when empty: never deletes anything written
            except OSError:
                pass
            self.created = False

    def __enter__(self) -> OutFolder:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
