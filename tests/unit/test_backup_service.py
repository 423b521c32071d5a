"""create_backup on the in-memory stores: a refusal that leaves nothing behind; the manifest comes last."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ksales.adapters.memory import FixedClock, InMemorySalesStore, InMemoryUserStore
from ksales.domain.errors import BackupError, KsalesError
from ksales.ports.backup import BackupableUsers, ExportableStore
from ksales.services.backup import MANIFEST, Manifest, create_backup, latest_backup

NOW = datetime(2026, 11, 18, 10, 30, tzinfo=UTC)


class ExportingStore(InMemorySalesStore):
    """The in-memory store, able to export itself as a folder with one file."""

    def export_to(self, directory: Path) -> None:
        directory.mkdir()
        (directory / "orders.json").write_text(json.dumps(sorted(self.orders)))


class CopyingUsers(InMemoryUserStore):
    def backup_to(self, path: Path) -> None:
        path.write_text(json.dumps(sorted(self.users)))


def test_stores_that_cannot_copy_themselves_are_refused_before_any_file_is_written(tmp_path: Path) -> None:
    assert not isinstance(InMemorySalesStore(), ExportableStore)
    assert not isinstance(InMemoryUserStore(), BackupableUsers)
    with pytest.raises(BackupError, match="InMemorySalesStore/CopyingUsers cannot be backed up") as caught:
        create_backup(InMemorySalesStore(), CopyingUsers(), FixedClock(NOW), tmp_path / "backups", "1.0")
    assert isinstance(caught.value, KsalesError) and caught.value.message.endswith("cannot be backed up")
    assert not (tmp_path / "backups").exists()


def test_a_backup_holds_both_stores_and_a_manifest(tmp_path: Path) -> None:
    store = ExportingStore()
    folder = create_backup(store, CopyingUsers(), FixedClock(NOW), tmp_path, "1.0")
    again = create_backup(store, CopyingUsers(), FixedClock(NOW), tmp_path, "1.0")
    assert (folder.name, again.name) == ("20261118T103000Z", "20261118T103000Z-1")
    assert Manifest.read(folder) == Manifest(NOW, "1.0", 0)
    assert (folder / "analytics" / "orders.json").is_file() and (folder / "users.sqlite3").is_file()
    assert latest_backup(tmp_path) == again


def test_an_unreadable_manifest_is_a_backup_error(tmp_path: Path) -> None:
    (tmp_path / MANIFEST).write_text("{not json")
    with pytest.raises(BackupError, match="unreadable"):
        Manifest.read(tmp_path)
    with pytest.raises(BackupError, match="missing"):
        Manifest.read(tmp_path / "nowhere")
