"""/report's cost lines over the fake Bot API: admins see cost of goods, gross profit, margin; others not."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl

from ksales.adapters.memory.clock import FixedClock
from ksales.adapters.memory.store import InMemorySalesStore
from ksales.adapters.memory.users import InMemoryUserStore
from ksales.domain.access import CostVisibility
from ksales.domain.language import Language
from ksales.domain.users import User, UserStatus
from ksales.entrypoints.container import Container
from ksales.entrypoints.settings import Secret, Settings
from ksales.ports.store import OrderChanges
from tests.containers import on_fakes
from tests.e2e.fake_telegram import BotThread, FakeTelegram, Sent, TgUser, plain
from tests.margin_shop import MARGIN_ORDERS
from tests.shop import DICTIONARIES, KYIV, NOW

ADMIN = TgUser(1, "Admin", "boss")
OLENA = TgUser(42, "Olena", "olena")


def start_bot(fake: FakeTelegram, data: Path, show_costs: CostVisibility) -> BotThread:
    settings = Settings(
        bot_token=Secret(fake.token),
        telegram_api_base_url=fake.base_url,
        admin_user_ids=frozenset({ADMIN.id}),
        data_dir=data,
        timezone=KYIV,
        language=Language.EN,
        show_costs=show_costs,
        canceled_status_ids=frozenset({42}),
    )
    store = InMemorySalesStore(settings.rules)
    store.save_dictionaries(DICTIONARIES)
    store.apply(OrderChanges(MARGIN_ORDERS))
    users = InMemoryUserStore([User(OLENA.id, UserStatus.APPROVED, "olena")])
    container = on_fakes(Container(settings=settings), clock=FixedClock(NOW), store=store, users=users)
    return BotThread(container).start()


def month_report(fake: FakeTelegram, user: TgUser) -> str:
    mark = fake.send(user, "/report")
    sent: Sent = fake.message(user.id, "Revenue:", since=mark)
    mark = fake.press(user, sent, "This month")
    return plain(fake.message(user.id, "This month", since=mark).text)


def test_admins_see_costs_and_others_do_not(fake: FakeTelegram, tmp_path: Path) -> None:
    bot = start_bot(fake, tmp_path, CostVisibility.ADMINS)
    try:
        shown = month_report(fake, ADMIN)
        assert "Revenue: <b>₴2,600.00</b>" in shown
        assert "Cost of goods: ₴900.75 (costs known for 68.63% of revenue)" in shown
        assert "Gross profit: ₴1,699.25 · margin 65.36%" in shown
        assert "Profit after expenses: ₴1,619.25 · margin 62.28%" in shown
        hidden = month_report(fake, OLENA)
        assert "Revenue: <b>₴2,600.00</b>" in hidden
        assert "Cost of goods" not in hidden and "Gross profit" not in hidden and "900.75" not in hidden
    finally:
        bot.stop()


def test_show_costs_all_shows_them_to_approved_users(fake: FakeTelegram, tmp_path: Path) -> None:
    bot = start_bot(fake, tmp_path, CostVisibility.ALL)
    try:
        assert "Cost of goods: ₴900.75" in month_report(fake, OLENA)
    finally:
        bot.stop()


def workbook_of(fake: FakeTelegram, user: TgUser) -> openpyxl.Workbook:
    mark = fake.send(user, "/excel")
    chooser = fake.message(user.id, "Which period", since=mark)
    mark = fake.press(user, chooser, "This month")
    document = fake.wait(
        lambda: next(
            (
                m
                for m in fake.messages.values()
                if m.document and m.changed_at > mark and m.chat_id == user.id
            ),
            None,
        ),
        "a document",
    )
    _, content = document.document or ("", b"")
    return openpyxl.load_workbook(io.BytesIO(content))


def test_only_those_who_see_costs_get_the_margin_sheet(fake: FakeTelegram, tmp_path: Path) -> None:
    bot = start_bot(fake, tmp_path, CostVisibility.ADMINS)
    try:
        admin = workbook_of(fake, ADMIN)
        assert admin.sheetnames[-3:] == ["Margin", "Customers", "Inventory"]
        assert "Cost of goods" in next(admin["Products"].iter_rows(values_only=True))
        titles = {row[0] for row in admin["Customers"].iter_rows(values_only=True)}
        assert "At-risk customers to call" in titles  # buyers' contacts: admins only
        approved = workbook_of(fake, OLENA)
        assert "Margin" not in approved.sheetnames
        assert approved.sheetnames[-2:] == ["Customers", "Inventory"]
        summary = {row[0] for row in approved["Summary"].iter_rows(min_row=2, values_only=True)}
        assert "Cost of goods" not in summary
        assert "Cost of goods" not in next(approved["Products"].iter_rows(values_only=True))
        titles = {row[0] for row in approved["Customers"].iter_rows(values_only=True)}
        assert "At-risk customers to call" not in titles
    finally:
        bot.stop()
