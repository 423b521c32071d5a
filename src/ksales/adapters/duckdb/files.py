"""Replacing a store file safely: the new store is built beside the old one and swapped in atomically.

A crash (or SIGKILL) at any point leaves either the old store or the new one at `path`, never a half-written
file and never a store without its data. `<store>.new` is where a rebuild writes; a leftover one is removed by
the next rebuild.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from ksales.adapters.duckdb.store import DuckDbSalesStore
from ksales.domain.errors import StoreUnavailable
from ksales.domain.rules import Rules

NEW_SUFFIX = ".new"


def wal_of(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def new_path(path: Path) -> Path:
    return path.with_name(path.name + NEW_SUFFIX)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_store(path: Path) -> None:
    for file in (path, wal_of(path)):
        file.unlink(missing_ok=True)


def swap_in(new: Path, path: Path, keep_old_as: Path | None = None) -> None:
    """Put the closed store `new` at `path` in one rename (the old one kept as `keep_old_as`, if given)."""
    _fsync(new)
    if keep_old_as is not None and path.exists():
        remove_store(keep_old_as)
        os.link(path, keep_old_as)
        if wal_of(path).exists():
            os.link(wal_of(path), wal_of(keep_old_as))
    # The old write-ahead log goes first: replayed onto the new file it would corrupt it. A crash right
    # after this leaves the old store without its last unsaved changes, still a working store.
    wal_of(path).unlink(missing_ok=True)
    os.replace(new, path)
    _fsync(path.parent)


@contextlib.contextmanager
def rebuilt_store(path: Path, rules: Rules) -> Iterator[DuckDbSalesStore]:
    """An empty store beside `path`; when the block succeeds it replaces `path`, else it is deleted."""
    new = new_path(path)
    remove_store(new)
    path.parent.mkdir(parents=True, exist_ok=True)
    store = DuckDbSalesStore(new, rules)
    try:
        yield store
    except BaseException:
        store.close()
        remove_store(new)
        raise
    store.close()  # checkpoints: the new store is one file, without a write-ahead log
    if wal_of(new).exists():
        remove_store(new)
        raise StoreUnavailable(f"the new store {new} did not checkpoint on close; the old one is kept")
    swap_in(new, path)
