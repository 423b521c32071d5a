"""Backups of both stores into one folder, and restoring a data directory from such a folder."""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from attrs import frozen

from ksales.domain.errors import BackupError
from ksales.ports.backup import BackupableUsers, ExportableStore
from ksales.ports.clock import Clock
from ksales.ports.store import SalesStore
from ksales.ports.users import UserStore

MANIFEST = "manifest.json"
BEFORE_RESTORE = ".before-restore"
ANALYTICS_DIR = "analytics"
USERS_FILE = "users.sqlite3"


@frozen
class Manifest:
    created_at: datetime
    version: str
    orders: int

    def dump(self) -> str:
        return json.dumps(
            {"created_at": self.created_at.isoformat(), "version": self.version, "orders": self.orders},
            indent=2,
        )

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        path = folder / MANIFEST
        if not path.is_file():
            raise BackupError(f"{folder} is not a complete backup: {MANIFEST} is missing")
        try:
            data = json.loads(path.read_text())
            return cls(datetime.fromisoformat(data["created_at"]), str(data["version"]), int(data["orders"]))
        except (ValueError, KeyError, TypeError) as error:
            raise BackupError(f"{path} is unreadable: {error}") from error


def backup_folder(backups: Path, moment: datetime) -> Path:
    return backups / moment.strftime("%Y%m%dT%H%M%SZ")


def create_backup(store: SalesStore, users: UserStore, clock: Clock, backups: Path, version: str) -> Path:
    """Write `<backups>/<UTC time>/` with both stores; the manifest is written last.

    Only stores that can copy themselves (`ports.backup`) can be backed up; the in-memory ones cannot.
    """
    if not isinstance(store, ExportableStore) or not isinstance(users, BackupableUsers):
        raise BackupError(f"{type(store).__name__}/{type(users).__name__} cannot be backed up")
    moment = clock.now().astimezone(UTC)
    folder = backup_folder(backups, moment)
    suffix = 1
    while folder.exists():
        folder = folder.with_name(f"{backup_folder(backups, moment).name}-{suffix}")
        suffix += 1
    folder.mkdir(parents=True)
    store.export_to(folder / ANALYTICS_DIR)
    users.backup_to(folder / USERS_FILE)
    manifest = Manifest(moment, version, store.order_count())
    (folder / (MANIFEST + ".tmp")).write_text(manifest.dump())
    (folder / (MANIFEST + ".tmp")).rename(folder / MANIFEST)
    return folder


def latest_backup(backups: Path, after: datetime | None = None) -> Path | None:
    """The newest complete backup folder (created after `after`, when given)."""
    found = []
    for folder in backups.glob("*"):
        if (folder / MANIFEST).is_file():
            manifest = Manifest.read(folder)
            if after is None or manifest.created_at >= after:
                found.append((manifest.created_at, folder.name, folder))
    return max(found)[2] if found else None


def restore_data_dir(folder: Path, store_path: Path, users_path: Path) -> Manifest:
    """Replace both stores by the backup in `folder`; the current files are kept as `*.before-restore`.

    The caller holds the data directory's lock. Each store is rebuilt beside the current one and swapped in
    with one rename, so a crash leaves a working store (the old or the restored one) at each path.
    """
    from ksales.adapters.duckdb.backup import import_database
    from ksales.adapters.duckdb.files import new_path, remove_store, swap_in

    manifest = Manifest.read(folder)
    if not (folder / ANALYTICS_DIR).is_dir() or not (folder / USERS_FILE).is_file():
        raise BackupError(f"{folder} is not a complete backup")
    staged = new_path(store_path)
    remove_store(staged)
    import_database(staged, folder / ANALYTICS_DIR)
    swap_in(staged, store_path, keep_old_as=store_path.with_name(store_path.name + BEFORE_RESTORE))

    users_staged = users_path.with_name(users_path.name + ".new")
    shutil.copyfile(folder / USERS_FILE, users_staged)
    for extra in ("", "-wal", "-shm"):
        current = users_path.with_name(users_path.name + extra)
        if current.exists():
            shutil.copyfile(current, current.with_name(current.name + BEFORE_RESTORE))
    for extra in ("-wal", "-shm"):  # the old database's journal must not be applied to the restored one
        users_path.with_name(users_path.name + extra).unlink(missing_ok=True)
    os.replace(users_staged, users_path)
    return manifest
