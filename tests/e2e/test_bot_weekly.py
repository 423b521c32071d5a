"""The weekly report through the fake Bot API and a fixed clock: on time, and a missed one once."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from matplotlib.image import imread

from ksales.adapters.memory.clock import FixedClock
from ksales.adapters.memory.store import InMemorySalesStore
from ksales.adapters.sqlite.users import SqliteUserStore
from ksales.domain.language import Language
from ksales.entrypoints.bot.jobs import WEEKLY_JOB
from ksales.entrypoints.container import Container
from ksales.entrypoints.settings import Secret, Settings
from ksales.ports.store import OrderChanges
from tests.containers import on_fakes
from tests.e2e.fake_telegram import BotThread, FakeTelegram, TgUser, plain
from tests.unit.test_weekly_report import KYIV, shop

ADMIN = TgUser(1, "Admin", "boss")
#: Monday 30 Nov 2026, an hour before the 09:00 slot of the week of 23–29 Nov.
MONDAY = datetime(2026, 11, 30, 8, 0, tzinfo=KYIV)
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    server = FakeTelegram().start()
    yield server
    server.stop()


def weekly_calls(fake: FakeTelegram, since: int) -> list[str]:
    return [c.method for c in fake.calls[since:] if c.method in {"sendPhoto", "sendMessage"}]


def test_on_time_then_a_missed_one_after_a_restart_once(fake: FakeTelegram, tmp_path: Path) -> None:
    settings = Settings(
        bot_token=Secret(fake.token),
        telegram_api_base_url=fake.base_url,
        admin_user_ids=frozenset({ADMIN.id}),
        data_dir=tmp_path,
        timezone=KYIV,
        language=Language.EN,
    )
    store = InMemorySalesStore(settings.rules)
    store.apply(OrderChanges(upserts=tuple(shop())))
    clock = FixedClock(MONDAY)

    def start() -> tuple[BotThread, SqliteUserStore]:
        users = SqliteUserStore(tmp_path / "users.sqlite3")
        container = on_fakes(Container(settings=settings), clock=clock, store=store, users=users)
        return BotThread(container).start(), users

    bot, users = start()
    mark = fake.mark()
    bot.run_job(WEEKLY_JOB)
    assert weekly_calls(fake, mark) == []  # 08:00: not yet, and the slot of a week ago is no missed one

    clock.advance(timedelta(hours=1))
    bot.run_job(WEEKLY_JOB)
    assert weekly_calls(fake, mark) == ["sendPhoto", "sendMessage"]
    (photo,) = [c for c in fake.calls[mark:] if c.method == "sendPhoto"]
    png = photo.params["photo"]
    assert int(photo.params["chat_id"]) == ADMIN.id
    assert png.startswith(PNG)
    pixels = imread(io.BytesIO(png), format="png")
    assert pixels.shape[:2] == (450, 800)
    assert pixels[..., :3].std() > 0.05  # drawn, not blank
    (tmp_path / "weekly.png").write_bytes(png)
    Path("/tmp/wk_weekly.png").write_bytes(png)
    text = plain(fake.message(ADMIN.id, "Weekly report", since=mark).text)
    assert "Weekly report: Nov 23 – 29, 2026</b> · Retail" in text
    assert "Revenue: <b>₴2,000.00</b>" in text
    assert "Unusual week (z = 3.6)" in text
    assert "₴1,000.00 = ₴333.33 from the number of orders + ₴666.67 from the average check" in text
    assert "New: 1 · ₴1,000.00" in text and "Returning: 1 · ₴500.00" in text
    assert "• Alpha: +₴700.00 (₴1,000.00)" in text and "• Gamma: -₴400.00 (₴0.00)" in text

    mark = fake.mark()
    clock.advance(timedelta(hours=3))
    bot.run_job(WEEKLY_JOB)
    assert weekly_calls(fake, mark) == []  # once per week and user
    bot.stop()
    users.close()

    # Down over the next slot (Monday 7 Dec 09:00); back at 15:00: the missed report comes, once.
    clock.instant = datetime.combine(MONDAY.date() + timedelta(days=7), time(15), KYIV)
    bot, users = start()
    mark = fake.mark()
    bot.run_job(WEEKLY_JOB)
    bot.run_job(WEEKLY_JOB)
    assert weekly_calls(fake, mark) == ["sendPhoto", "sendMessage"]
    assert "Nov 30 – Dec 6, 2026" in plain(fake.message(ADMIN.id, "Weekly report", since=mark).text)
    bot.stop()
    users.close()
