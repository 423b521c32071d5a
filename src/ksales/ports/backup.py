"""What a backup needs of the two stores: a sales store that exports, a user store that copies itself."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, runtime_checkable


@runtime_checkable
class ExportableStore(Protocol):
    """A sales store that can write itself into a folder (the in-memory fake cannot)."""

    def export_to(self, directory: Path) -> None:
        """Write the whole store into the folder `directory`."""
        ...

    def order_count(self) -> int: ...


@runtime_checkable
class BackupableUsers(Protocol):
    """A user store that can copy itself into one file."""

    def backup_to(self, path: Path) -> None:
        """Write a consistent copy of the store to `path`."""
        ...
