"""/stock and the restock alert end to end over the fake Bot API, on tests/stockshop.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ksales.adapters.memory.clock import FixedClock
from ksales.adapters.memory.store import InMemorySalesStore
from ksales.adapters.sqlite.users import SqliteUserStore
from ksales.entrypoints.bot.stock_handlers import RESTOCK_JOB
from ksales.entrypoints.container import Container
from ksales.entrypoints.settings import Settings
from tests import stockshop
from tests.containers import on_fakes
from tests.e2e.conftest import SHOP_ENV
from tests.e2e.fake_telegram import BotThread, FakeTelegram, TgUser, plain
from tests.shop import DICTIONARIES, NOW

ADMIN = TgUser(1, "Admin", "boss")
OLENA = TgUser(2, "Олена", "olena", language_code="uk")


def settings_for(fake: FakeTelegram, data: Path) -> Settings:
    env = {
        **SHOP_ENV,
        "BOT_TOKEN": fake.token,
        "TELEGRAM_API_BASE_URL": fake.base_url,
        "ADMIN_USER_IDS": f"{ADMIN.id},{OLENA.id}",
        "KSALES_DATA_DIR": str(data),
    }
    return Settings.from_mapping(env)


@pytest.fixture(scope="module")
def store(fake: FakeTelegram, tmp_path_factory: pytest.TempPathFactory) -> InMemorySalesStore:
    settings = settings_for(fake, tmp_path_factory.mktemp("rules"))
    store = InMemorySalesStore(settings.rules)
    store.save_dictionaries(DICTIONARIES)
    stockshop.fill(store)
    return store


@pytest.fixture(scope="module")
def bot(
    fake: FakeTelegram, store: InMemorySalesStore, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BotThread]:
    data: Path = tmp_path_factory.mktemp("bot-stock")
    users = SqliteUserStore(data / "users.sqlite3")
    container = on_fakes(
        Container(settings=settings_for(fake, data)), clock=FixedClock(NOW), store=store, users=users
    )
    runner = BotThread(container).start()
    yield runner
    runner.stop()
    users.close()


def test_stock_lists_the_offers_out_of_stock_and_low(bot: BotThread, fake: FakeTelegram) -> None:
    mark = fake.send(ADMIN, "/stock")
    shown = plain(fake.message(ADMIN.id, "Stock on", since=mark).text)
    assert "Stock on Nov 26, 2026" in shown
    assert "<b>Out of stock</b>\n• Shirt (SKU-2) — out of stock" in shown
    assert "<b>Low stock</b>\n• Maxi dress (SKU-1) — 2 left, 2 days of supply" in shown
    assert "SKU-5" not in shown and "SKU-3" not in shown  # overstock and dead are not listed


def test_stock_speaks_ukrainian_to_a_ukrainian_user(bot: BotThread, fake: FakeTelegram) -> None:
    mark = fake.send(OLENA, "/stock")
    shown = plain(fake.message(OLENA.id, "Залишки", since=mark).text)
    assert "Немає в наявності" in shown and "Закінчується" in shown


def test_the_restock_alert_goes_to_admins_once_per_snapshot(
    bot: BotThread, fake: FakeTelegram, store: InMemorySalesStore
) -> None:
    mark = fake.mark()
    bot.run_job(RESTOCK_JOB)
    alert = plain(fake.message(ADMIN.id, "Restock", since=mark).text)
    # offer 1 went healthy → low, offer 2 low → out of stock since 25 Nov
    assert "Shirt (SKU-2) — out of stock" in alert and "Maxi dress (SKU-1) — 2 left" in alert
    assert "SKU-7" not in alert
    fake.message(OLENA.id, "Поповнення", since=mark)
    again = fake.mark()
    bot.run_job(RESTOCK_JOB)
    bot.run_job(RESTOCK_JOB)
    assert fake.texts_to(ADMIN.id, since=again) == [] and fake.texts_to(OLENA.id, since=again) == []
    # the next day's snapshot: nothing became low or out (offer 1 restocked) → nothing is sent
    day = stockshop.DAY.replace(day=27)
    store.save_stock_snapshot(stockshop.snapshot(day, stockshop.latest_rows(one="200")))
    quiet = fake.mark()
    bot.run_job(RESTOCK_JOB)
    assert fake.texts_to(ADMIN.id, since=quiet) == []
