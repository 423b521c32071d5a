"""Starting and stopping the bot: `serve_bot` under cancellation, and a token that never reaches the log."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from ksales.adapters.memory.clock import FixedClock
from ksales.adapters.memory.store import InMemorySalesStore
from ksales.domain.errors import ConfigError
from ksales.domain.language import Language
from ksales.domain.model import Order
from ksales.entrypoints.bot import custom
from ksales.entrypoints.bot.app import build_bot, file_base_url
from ksales.entrypoints.bot.lifecycle import running_bot
from ksales.entrypoints.container import Container
from ksales.entrypoints.runtime import serve_bot
from ksales.entrypoints.settings import Secret, Settings
from ksales.ports.store import OrderChanges
from tests.containers import on_fakes
from tests.e2e.fake_telegram import FakeTelegram, TgUser

USER = TgUser(5, "Owner")


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    server = FakeTelegram(token="424242:SECRET-never-logged").start()
    yield server
    server.stop()


def container_for(fake: FakeTelegram, data: Path, **overrides: object) -> Container:
    settings = Settings(
        bot_token=Secret(fake.token),
        telegram_api_base_url=fake.base_url,
        admin_user_ids=frozenset({USER.id}),
        data_dir=data,
        sync_interval=0,
        **{"language": Language.EN, **overrides},  # type: ignore[arg-type]
    )
    store = InMemorySalesStore()
    # A store with orders: the runtime then starts no initial sync.
    placed = datetime(2026, 11, 17, 10, tzinfo=UTC)
    store.apply(OrderChanges(upserts=(Order(1, 1, Decimal(100), created_at=placed),)))
    clock = FixedClock(datetime(2026, 11, 18, 10, tzinfo=UTC))
    return on_fakes(Container(settings=settings), clock=clock, store=store)


def test_the_file_url_sits_beside_the_api_url() -> None:
    assert file_base_url("https://api.telegram.org/bot") == "https://api.telegram.org/file/bot"
    assert file_base_url("http://127.0.0.1:8081/bot") == "http://127.0.0.1:8081/file/bot"


def test_build_bot_uses_the_configured_api(fake: FakeTelegram, tmp_path: Path) -> None:
    app = build_bot(container_for(fake, tmp_path))
    assert app.bot.base_url == f"{fake.base_url}{fake.token}"
    assert app.bot.base_file_url == f"http://127.0.0.1:{fake.port}/file/bot{fake.token}"


def test_build_bot_without_a_token_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="BOT_TOKEN"):
        build_bot(Container(settings=Settings(data_dir=tmp_path)))


async def test_running_bot_never_logs_the_token(
    fake: FakeTelegram, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with running_bot(container_for(fake, tmp_path)) as app:
        mark = fake.send(USER, "/help")
        await asyncio.to_thread(fake.message, USER.id, "/report", mark)
        assert app.updater is not None
        assert app.updater.running
    assert not app.running
    assert "424242:SECRET" not in caplog.text
    assert "SECRET-never-logged" not in caplog.text
    methods = [c.method for c in fake.calls]
    # the command menu for KSALES_LANGUAGE, then one per language_code (SPEC §9), then polling
    assert methods[:5] == ["getMe", "setMyCommands", "setMyCommands", "setMyCommands", "deleteWebhook"]


async def test_serve_bot_runs_until_cancelled(fake: FakeTelegram, tmp_path: Path) -> None:
    task = asyncio.create_task(serve_bot(container_for(fake, tmp_path)))
    await asyncio.to_thread(
        fake.wait, lambda: any(c.method == "deleteWebhook" for c in fake.calls), "polling"
    )
    mark = fake.send(USER, "/start")
    await asyncio.to_thread(fake.message, USER.id, "Welcome back", mark)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_a_custom_range_conversation_times_out(
    fake: FakeTelegram, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(custom, "CONVERSATION_TIMEOUT", timedelta(milliseconds=300))
    async with running_bot(container_for(fake, tmp_path)):
        mark = fake.send(USER, "/report")
        report = await asyncio.to_thread(fake.message, USER.id, "Revenue:", mark)
        await asyncio.to_thread(fake.press, USER, report, "Custom")
        await asyncio.to_thread(fake.message, USER.id, "No range arrived", mark)
        mark = fake.send(USER, "01.11.2026-02.11.2026")
        await asyncio.to_thread(fake.message, USER.id, "didn't understand", mark)
