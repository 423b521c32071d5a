"""One process owns a data directory: an exclusive `flock` on `<data dir>/ksales.lock`."""

from __future__ import annotations

import fcntl
import os
import sys
from pathlib import Path

from ksales.domain.errors import StoreLocked


class DataDirLock:
    """Held for the life of the process that opened the store; released on close or exit."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / "ksales.lock"
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "another process"
            os.close(fd)
            raise StoreLocked(
                f"the data directory {self.path.parent} is in use by {holder}; "
                "stop it first (one process owns the store: `ksales serve` runs the dashboard, sync and bot)"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} ({' '.join(['ksales', *sys.argv[1:2]])})\n".encode(), 0)
        self._fd = fd

    def is_held(self) -> bool:
        """Whether another process holds the lock now; creates nothing (a missing lock file: not held)."""
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except OSError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(fd)  # closing also drops the shared lock we may have taken
        return False

    def holder(self) -> str:
        """What the holder wrote about itself (`pid 12 (ksales serve)`), or "" when unreadable."""
        try:
            return self.path.read_text().strip()
        except OSError:
            return ""

    def holder_pid(self) -> int | None:
        """The pid written by the process holding the lock, if readable."""
        try:
            words = self.path.read_text().split()
        except OSError:
            return None
        return int(words[1]) if len(words) > 1 and words[0] == "pid" and words[1].isdigit() else None

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> DataDirLock:
        self.acquire()
        return self

    def __exit__(self, *_: object) -> None:
        self.release()
