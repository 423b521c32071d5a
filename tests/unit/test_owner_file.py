import os
import stat
from pathlib import Path

from ksales.adapters.system.owner import OWNER_FILE, OwnerRecord, advertised, read_owner, write_owner


def test_the_record_is_private_atomic_and_gone_after_the_block(tmp_path: Path) -> None:
    os.umask(0o022)
    with advertised(tmp_path, "http://127.0.0.1:8080", "secret-token") as record:
        path = tmp_path / OWNER_FILE
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert (
            read_owner(tmp_path)
            == record
            == OwnerRecord("http://127.0.0.1:8080", "secret-token", os.getpid())
        )
        assert "secret-token" not in repr(record)
        assert [p.name for p in tmp_path.iterdir()] == [OWNER_FILE]  # no temporary file left
    assert not path.exists()


def test_another_owners_record_is_left_alone(tmp_path: Path) -> None:
    later = OwnerRecord("http://127.0.0.1:9", "t", os.getpid() + 1)
    with advertised(tmp_path, "http://127.0.0.1:8", "mine"):
        write_owner(tmp_path, later)  # a newer owner took over
    assert read_owner(tmp_path) == later


def test_an_unreadable_record_is_none(tmp_path: Path) -> None:
    assert read_owner(tmp_path) is None
    (tmp_path / OWNER_FILE).write_text("{not json")
    assert read_owner(tmp_path) is None
    (tmp_path / OWNER_FILE).write_text('{"url": "x"}')
    assert read_owner(tmp_path) is None
