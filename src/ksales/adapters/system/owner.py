"""How readers find the process that owns a data directory: `<data dir>/ksales.owner.json`, beside the lock.

The owner writes its API address and a token for same-machine readers there once it serves, readable by its
own user only (mode 0600, written to a temporary file and renamed into place), and removes it on a clean
exit. A file left by a process that died is harmless: readers trust it only while the lock is held.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

from attrs import frozen

OWNER_FILE = "ksales.owner.json"


@frozen(repr=False)
class OwnerRecord:
    url: str
    token: str
    pid: int

    def __repr__(self) -> str:  # the token is a secret
        return f"OwnerRecord(url={self.url!r}, pid={self.pid})"


def owner_path(data_dir: Path) -> Path:
    return data_dir / OWNER_FILE


def write_owner(data_dir: Path, record: OwnerRecord) -> Path:
    """Write the record atomically, mode 0600 from the first byte."""
    path = owner_path(data_dir)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)  # whatever the umask or an older file said
        os.write(fd, json.dumps({"url": record.url, "token": record.token, "pid": record.pid}).encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temporary, path)
    return path


def read_owner(data_dir: Path) -> OwnerRecord | None:
    """The record, if there is a readable one."""
    try:
        data = json.loads(owner_path(data_dir).read_text())
        return OwnerRecord(str(data["url"]), str(data["token"]), int(data["pid"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def remove_owner(data_dir: Path) -> None:
    """Remove the record if it is this process's (a later owner's file stays)."""
    record = read_owner(data_dir)
    if record is not None and record.pid == os.getpid():
        with contextlib.suppress(FileNotFoundError):
            owner_path(data_dir).unlink()


@contextlib.contextmanager
def advertised(data_dir: Path, url: str, token: str) -> Iterator[OwnerRecord]:
    """The record in place for the duration of the block."""
    record = OwnerRecord(url, token, os.getpid())
    write_owner(data_dir, record)
    try:
        yield record
    finally:
        remove_owner(data_dir)
