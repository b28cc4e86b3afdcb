"""Claims on partitions: two processes on one store do not fetch the same partition at once.

A claim is an exclusive ``flock`` on ``.locks/<partition>.lock``. The kernel
releases it when its process ends, however it ends (SIGKILL included), so a
killed job never leaves a partition claimed. A pull tries each of its
partitions without waiting; one claimed by another process is left for the
end, then waited for, and fetched only if that process did not finish it.

Claims only save work: correctness does not depend on them. A partition's
file name is fixed and it is renamed into place whole, so two processes that
fetch one partition (where ``flock`` does not hold, see ``docs/store.md`` on
network file systems) write the same file twice, never two copies of its rows.
"""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no claims (documented)
    fcntl = None  # type: ignore[assignment]

from ..exceptions import StoreError
from .layout import os_error

__all__ = ["Claim"]


class Claim:
    """An exclusive claim on one lock file (``acquire(wait=False)`` tries without waiting)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self, *, wait: bool) -> bool:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise os_error(exc, self.path, "claiming a partition") from None
        if fcntl is None:
            self._fd = fd
            return True
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            os.close(fd)
            return False
        except OSError as exc:  # a file system without locks: go on without claims
            if exc.errno in (errno.ENOLCK, errno.EOPNOTSUPP):
                self._fd = fd
                return True
            os.close(fd)
            raise StoreError(f"cannot lock {self.path}: {exc}", path=str(self.path)) from None
        self._fd = fd
        return True

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        with contextlib.suppress(OSError):
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
        with contextlib.suppress(OSError):
            os.close(fd)
