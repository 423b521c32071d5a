"""The bot end to end: reports, TOP-10, Excel, search, settings and milestones over a fake Bot API."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from ksales.adapters.memory.clock import FixedClock
from ksales.adapters.memory.crm import InMemoryCrm
from ksales.adapters.memory.store import InMemorySalesStore
from ksales.adapters.sqlite.users import SqliteUserStore
from ksales.domain.language import Language
from ksales.domain.model import (
    Buyer,
    Category,
    Dictionaries,
    Order,
    OrderLine,
    Product,
    Source,
    Status,
)
from ksales.domain.search import OrderQuery, QueryKind
from ksales.entrypoints.bot import texts
from ksales.entrypoints.bot.jobs import MILESTONE_JOB, digest_job_name
from ksales.entrypoints.container import Container
from ksales.entrypoints.settings import Secret, Settings
from ksales.ports.crm import SearchResult
from ksales.ports.store import OrderChanges
from tests.containers import on_fakes
from tests.e2e.fake_telegram import BotThread, FakeTelegram, Sent, TgUser, plain

KYIV = ZoneInfo("Europe/Kyiv")
TODAY = date(2026, 11, 18)  # a Wednesday
NOW = datetime.combine(TODAY, time(12), KYIV)
ADMIN = TgUser(1, "Admin", "boss")
#: An admin whose Telegram speaks Ukrainian; the bot's default (KSALES_LANGUAGE) is English here.
OLENA = TgUser(2, "Олена", "olena", language_code="uk")
MUG = 'Mug <&> "Co"'
SHOP = "Shop <&> One"
BUYER = Buyer(7, "Olena <Test>", "olena@example.com", "380501112233")


def order(
    order_id: int,
    day: date,
    total: int,
    source: int = 1,
    *,
    group: int = 5,
    manager: int | None = None,
    buyer: Buyer | None = None,
    product: int = 1,
    quantity: int = 1,
) -> Order:
    placed = datetime.combine(day, time(10), KYIV)
    name = {1: "Tee", 2: MUG}[product]
    line = OrderLine(name, Decimal(quantity), Decimal(total) / quantity, product_id=product)
    return Order(
        id=order_id,
        source_id=source,
        grand_total=Decimal(total),
        created_at=placed,
        ordered_at=placed,
        status_id=group,
        status_group_id=group,
        manager_id=manager,
        buyer=buyer,
        lines=(line,),
    )


ORDERS = [
    order(1, TODAY, 1000, 1, quantity=2),
    order(2, TODAY, 2500, 3, buyer=BUYER, product=2, quantity=3),
    order(3, TODAY - timedelta(days=1), 700, 2),
    order(4, date(2026, 11, 10), 3000, 1),
    order(5, date(2026, 10, 20), 4000, 2),
    order(6, date(2026, 11, 3), 1500, 1, group=6),
    order(7, TODAY, 10000, 2, manager=15),
    *[order(20 + i, date(2026, 11, 2 + i), 100 + i, 3, buyer=BUYER, product=2) for i in range(6)],
]
DICTIONARIES = Dictionaries(
    sources=(Source(1, "Instagram"), Source(2, "Telegram"), Source(3, SHOP)),
    statuses=(Status(1, "New", 1), Status(5, "Done & paid", 5), Status(6, "Canceled", 6)),
    categories=(Category(1, "Merch"),),
    products=(Product(1, "Tee", 1, "Acme"), Product(2, MUG, 1)),
)


class FailingOn666(InMemoryCrm):
    """The shop's orders; a search for order 666 makes the CRM fail."""

    async def search_orders(self, query: OrderQuery, limit: int = 5) -> SearchResult:
        if query == OrderQuery(QueryKind.ID, "666"):
            raise RuntimeError("the CRM blew up")
        return await super().search_orders(query, limit)


@pytest.fixture(scope="module")
def store() -> InMemorySalesStore:
    store = InMemorySalesStore()
    store.save_dictionaries(DICTIONARIES)
    store.apply(OrderChanges(upserts=tuple(ORDERS)))
    return store


@pytest.fixture(scope="module")
def bot(
    fake: FakeTelegram, store: InMemorySalesStore, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BotThread]:
    data: Path = tmp_path_factory.mktemp("bot-reports")
    settings = Settings(
        bot_token=Secret(fake.token),
        telegram_api_base_url=fake.base_url,
        admin_user_ids=frozenset({ADMIN.id, OLENA.id}),
        data_dir=data,
        timezone=KYIV,
        milestones_daily=(Decimal(5000),),
        milestones_weekly=(Decimal(100_000),),
        milestones_monthly=(Decimal(1_000_000),),
        dashboard_url="https://shop.example.com/dashboard",
        language=Language.EN,
    )
    users = SqliteUserStore(data / "users.sqlite3")
    crm = FailingOn666(ORDERS, DICTIONARIES)
    container = on_fakes(
        Container(settings=settings), clock=FixedClock(NOW), store=store, users=users, crm=crm
    )
    runner = BotThread(container).start()
    yield runner
    runner.stop()
    users.close()


def ask(fake: FakeTelegram, text: str, expect: str, user: TgUser = ADMIN) -> Sent:
    mark = fake.send(user, text)
    return fake.message(user.id, expect, since=mark)


def press(fake: FakeTelegram, sent: Sent, button: str, expect: str, user: TgUser = ADMIN) -> Sent:
    mark = fake.press(user, sent, button)
    return fake.message(user.id, expect, since=mark)


def test_the_command_menu_is_set_at_start_up(bot: BotThread, fake: FakeTelegram) -> None:
    menus = {
        c.params.get("language_code"): c.params["commands"] for c in fake.calls if c.method == "setMyCommands"
    }
    assert set(menus) == {None, "uk", "en"}  # the default (KSALES_LANGUAGE) and one per language
    names = {c["command"] for c in menus[None]}
    assert {"start", "report", "top", "excel", "search", "dashboard", "help", "users", "settings"} <= names
    described = {c["command"]: c["description"] for c in menus["uk"]}
    assert described["report"] == "Звіт про продажі за період"
    assert {c["command"]: c["description"] for c in menus["en"]}["report"] == "Sales report for a period"


def test_report_shows_working_then_todays_figures(bot: BotThread, fake: FakeTelegram) -> None:
    sent = ask(fake, "/report", "Revenue:")
    assert sent.history[0] == texts.WORKING
    shown = plain(sent.text)
    assert "Today (Nov 18, 2026)" in shown
    assert "Revenue: <b>₴3,500.00</b>" in shown
    assert "Orders: 2" in shown
    assert "Average check: ₴1,750.00" in shown
    assert "Milestones (daily): next ₴5,000.00 — 70.00%" in shown
    # names are HTML-escaped in the HTML message
    assert "Shop &lt;&amp;&gt; One — ₴2,500.00 · 1 order · 71.43%" in shown
    assert "Instagram — ₴1,000.00 · 1 order · 28.57%" in shown


@pytest.mark.parametrize(
    ("button", "expect", "revenue"),
    [
        ("Yesterday", "Yesterday (Nov 17, 2026)", "Revenue: <b>₴700.00</b>"),
        ("This week", "This week (Nov 16 – 18, 2026)", "Revenue: <b>₴4,200.00</b>"),
        ("Last week", "Last week (Nov 9 – 15, 2026)", "Revenue: <b>₴3,000.00</b>"),
        ("This month", "This month (Nov 1 – 18, 2026)", "Revenue: <b>₴7,815.00</b>"),
        ("Last month", "Last month (Oct 1 – 31, 2026)", "Revenue: <b>₴4,000.00</b>"),
        ("Today", "Today (Nov 18, 2026)", "Revenue: <b>₴3,500.00</b>"),
    ],
)
def test_each_period_button(
    bot: BotThread, fake: FakeTelegram, button: str, expect: str, revenue: str
) -> None:
    sent = ask(fake, "/report", "Revenue:")
    after = press(fake, sent, button, expect)
    assert after.message_id == sent.message_id  # the same message, edited
    assert revenue in plain(after.text)


def test_this_month_report_shows_returns_and_change(bot: BotThread, fake: FakeTelegram) -> None:
    sent = press(fake, ask(fake, "/report", "Revenue:"), "This month", "This month (")
    shown = plain(sent.text)
    assert "Returns: 1 · ₴1,500.00" in shown
    assert "Compared with Oct 1 – 18, 2026" in shown
    assert re.search(r"👥 \d+ customers? moved to at risk this month", shown)


def test_custom_range_typed_with_second_chances(bot: BotThread, fake: FakeTelegram) -> None:
    report = ask(fake, "/report", "Revenue:")
    press(fake, report, "Custom", "Type a range")
    ask(fake, "15.11.2026-01.11.2026", "starts after it ends")
    ask(fake, "next tuesday", "could not read that range")
    ask(fake, "31.02.2026-01.03.2026", "not a real calendar date")
    sent = ask(fake, "01.11.2026-15.11.2026", "Nov 1 – 15, 2026")
    assert "Revenue: <b>₴3,615.00</b>" in plain(sent.text)
    assert "Milestones: none for a custom range" in plain(sent.text)
    assert "moved to at risk" not in plain(sent.text)  # a month's figure only
    # the conversation is over: more text is not taken as a range
    ask(fake, "2026-11-01 2026-11-02", "didn't understand")


def test_custom_range_in_iso_form_and_cancel(bot: BotThread, fake: FakeTelegram) -> None:
    report = ask(fake, "/report", "Revenue:")
    press(fake, report, "Custom", "Type a range")
    ask(fake, "/cancel", "Cancelled.")
    press(fake, report, "Custom", "Type a range")
    sent = ask(fake, "2026-11-17 2026-11-18", "Nov 17 – 18, 2026")
    assert "Revenue: <b>₴4,200.00</b>" in plain(sent.text)


def test_top_ten_escapes_names_and_narrows_to_a_source(bot: BotThread, fake: FakeTelegram) -> None:
    sent = ask(fake, "/top", "TOP-10")
    shown = plain(sent.text)
    assert "1. Mug &lt;&amp;&gt; &quot;Co&quot; — 3 pcs · ₴2,500.00 · 60.00%" in shown
    assert "2. Tee — 2 pcs · ₴1,000.00 · 40.00%" in shown
    narrowed = press(fake, sent, "Instagram", "Instagram")
    assert "Tee — 2 pcs" in plain(narrowed.text)
    assert "Mug" not in narrowed.text
    month = press(fake, narrowed, "This month", "This month (")
    assert "Instagram" in month.text
    assert "1. Tee — 3 pcs · ₴4,000.00" in plain(month.text)


def test_excel_delivers_a_workbook(bot: BotThread, fake: FakeTelegram) -> None:
    chooser = ask(fake, "/excel", "Which period")
    mark = fake.press(ADMIN, chooser, "This month")
    document = fake.wait(
        lambda: next((m for m in fake.messages.values() if m.document and m.changed_at > mark), None),
        "a document",
    )
    filename, content = document.document or ("", b"")
    assert filename == "ksales_2026-11-01_2026-11-18.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(content))
    # ADMIN may see costs: the Margin sheet follows Expenses (SPEC §7).
    assert book.sheetnames == [
        "Summary",
        "Daily",
        "Sources",
        "Products",
        "Categories",
        "Brands",
        "Expenses",
        "Margin",
        "Customers",
        "Inventory",
    ]
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Revenue"] == 7815
    fake.message(ADMIN.id, "Excel report: This month", since=mark)


def test_excel_for_a_custom_range(bot: BotThread, fake: FakeTelegram) -> None:
    chooser = ask(fake, "/excel", "Which period")
    press(fake, chooser, "Custom", "Type a range")
    mark = fake.send(ADMIN, "01.10.2026-31.10.2026")
    document = fake.wait(
        lambda: next((m for m in fake.messages.values() if m.document and m.changed_at > mark), None),
        "a document",
    )
    assert document.document is not None
    assert document.document[0] == "ksales_2026-10-01_2026-10-31.xlsx"


def test_search_by_id_phone_and_email(bot: BotThread, fake: FakeTelegram) -> None:
    by_id = plain(ask(fake, "/search 2", "Found 1 order").text)
    assert "#2</b> · Nov 18, 2026 10:00 · Olena &lt;Test&gt;" in by_id
    assert "₴2,500.00 · Done &amp; paid · Shop &lt;&amp;&gt; One" in by_id
    by_phone = plain(ask(fake, "/search +38 (050) 111-22-33", "Found 7 orders").text)
    assert by_phone.count("<b>#") == 5
    assert "…and 2 more." in by_phone
    ask(fake, "/search", "Send an order number")
    by_email = plain(ask(fake, "Olena@Example.com", "Found 7 orders").text)
    assert "#2</b>" in by_email


def test_search_gives_a_second_chance_and_survives_a_crm_failure(bot: BotThread, fake: FakeTelegram) -> None:
    ask(fake, "/search", "Send an order number")
    ask(fake, "what?", "can't search for that")
    ask(fake, "#99999", "No orders found")
    ask(fake, "/search 666", texts.APOLOGY)


def test_settings_change_what_report_shows(bot: BotThread, fake: FakeTelegram) -> None:
    panel = ask(fake, "/settings", "Your settings")
    panel = press(fake, panel, "B2B", "Sales type: B2B")
    panel = press(fake, panel, "This week", "Default period: This week")
    shown = plain(ask(fake, "/report", "Revenue:").text)
    assert "This week (Nov 16 – 18, 2026)</b> · B2B" in shown
    assert "Revenue: <b>₴10,000.00</b>" in shown
    panel = press(fake, panel, "Retail", "Sales type: Retail")
    press(fake, panel, "Today", "Default period: Today")
    assert "Today (Nov 18, 2026)" in ask(fake, "/report", "Revenue:").text


def test_dashboard_button(bot: BotThread, fake: FakeTelegram) -> None:
    sent = ask(fake, "/dashboard", "dashboard")
    assert sent.button("Open the dashboard")["url"] == "https://shop.example.com/dashboard"


def test_a_milestone_crossing_is_announced_once(
    bot: BotThread, fake: FakeTelegram, store: InMemorySalesStore
) -> None:
    mark = fake.mark()
    bot.run_job(MILESTONE_JOB)
    assert not [t for t in fake.texts_to(ADMIN.id, since=mark) if "milestone" in t]
    store.apply(OrderChanges(upserts=(order(99, TODAY, 2000, 1),)))
    bot.run_job(MILESTONE_JOB)
    announced = fake.message(ADMIN.id, "Daily milestone reached", since=mark)
    assert "₴5,500.00 ≥ ₴5,000.00" in plain(announced.text)
    second = fake.mark()
    bot.run_job(MILESTONE_JOB)
    bot.run_job(MILESTONE_JOB)
    assert fake.texts_to(ADMIN.id, since=second) == []
    store.apply(OrderChanges(deletions=frozenset({99})))


def test_the_daily_digest_comes_at_the_chosen_hour_once(bot: BotThread, fake: FakeTelegram) -> None:
    panel = press(fake, ask(fake, "/settings", "Your settings"), "09:00", "Digest: daily at 09:00")
    mark = fake.mark()
    bot.run_job(digest_job_name(10))
    assert fake.texts_to(ADMIN.id, since=mark) == []
    bot.run_job(digest_job_name(9))
    digest = fake.message(ADMIN.id, "Daily digest", since=mark)
    assert "Yesterday (Nov 17, 2026)" in digest.text
    assert "Revenue: <b>₴700.00</b>" in plain(digest.text)
    again = fake.mark()
    bot.run_job(digest_job_name(9))
    assert fake.texts_to(ADMIN.id, since=again) == []
    press(fake, panel, "No digest", "Digest: off")


# --- the same bot in Ukrainian: Telegram's language_code, then /settings ------------------------------


def test_a_ukrainian_telegram_gets_the_report_in_ukrainian(bot: BotThread, fake: FakeTelegram) -> None:
    sent = ask(fake, "/report", "Виторг:", user=OLENA)
    shown = plain(sent.text)
    assert "<b>📊 Сьогодні (18 лист. 2026 р.)</b> · Роздріб" in shown
    assert "Виторг: <b>3 500,00 ₴</b> (+400,00%)" in shown
    assert "Shop &lt;&amp;&gt; One — 2 500,00 ₴ · 1 замовлення · 71,43%" in shown
    assert "Цілі (на день): наступна 5 000,00 ₴ — 70,00%" in shown
    assert "Revenue" not in shown
    assert sent.button("Учора")["text"] == "Учора · вт"  # the weekday of 17 November
    yesterday = press(fake, sent, "Учора", "Учора (17 лист. 2026 р.)", user=OLENA)
    assert "Виторг: <b>700,00 ₴</b>" in plain(yesterday.text)
    week = press(fake, yesterday, "Цей тиждень", "Цей тиждень (16–18 лист. 2026 р.)", user=OLENA)
    assert "Виторг: <b>4 200,00 ₴</b>" in plain(week.text)


def test_ukrainian_plural_forms_in_the_search(bot: BotThread, fake: FakeTelegram) -> None:
    found = plain(ask(fake, "/search +38 (050) 111-22-33", "Знайдено", user=OLENA).text)
    assert "Знайдено 7 замовлень" in found
    assert "2 500,00 ₴ · Done &amp; paid" in found  # a status name from KeyCRM, shown as it is


def test_the_language_switch_in_settings(bot: BotThread, fake: FakeTelegram) -> None:
    panel = ask(fake, "/settings", "Ваші налаштування", user=OLENA)
    assert "• Українська" in [b["text"] for b in panel.buttons()]
    panel = press(fake, panel, "English", "Your settings", user=OLENA)
    assert "Language: English" in panel.text
    assert "Revenue: <b>₴3,500.00</b>" in plain(ask(fake, "/report", "Revenue:", user=OLENA).text)
    panel = press(fake, panel, "Українська", "Ваші налаштування", user=OLENA)
    assert "Мова: Українська" in panel.text
    assert "Сьогодні (18 лист. 2026 р.)" in plain(ask(fake, "/report", "Виторг:", user=OLENA).text)


def test_excel_in_ukrainian(bot: BotThread, fake: FakeTelegram) -> None:
    chooser = ask(fake, "/excel", "За який період", user=OLENA)
    mark = fake.press(OLENA, chooser, "Цей місяць")
    document = fake.wait(
        lambda: next(
            (
                m
                for m in fake.messages.values()
                if m.document and m.chat_id == OLENA.id and m.changed_at > mark
            ),
            None,
        ),
        "a document",
    )
    _filename, content = document.document or ("", b"")
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == [
        "Підсумок",
        "По днях",
        "Джерела",
        "Товари",
        "Категорії",
        "Бренди",
        "Витрати",
        "Маржа",
        "Покупці",
        "Залишки",
    ]  # an admin: costs too
    summary = {row[0]: row[1] for row in book["Підсумок"].iter_rows(min_row=2, values_only=True)}
    assert summary["Виторг"] == 7815
    fake.message(OLENA.id, "Звіт в Excel: Цей місяць", since=mark)


def test_the_digest_comes_in_the_users_language(bot: BotThread, fake: FakeTelegram) -> None:
    """A job has no update to read a language from: it takes the one recorded when Olena wrote."""
    panel = press(fake, ask(fake, "/settings", "Ваші налаштування", user=OLENA), "08:00", "08:00", user=OLENA)
    mark = fake.mark()
    bot.run_job(digest_job_name(8))
    digest = fake.message(OLENA.id, "Щоденний підсумок", since=mark)
    assert "Учора (17 лист. 2026 р.)" in plain(digest.text)
    press(fake, panel, "Без підсумку", "Ваші налаштування", user=OLENA)


def test_the_weekly_report_toggle_in_settings(bot: BotThread, fake: FakeTelegram) -> None:
    panel = ask(fake, "/settings", "Your settings")
    assert "Weekly report: on" in panel.text  # an admin: on until chosen
    panel = press(fake, panel, "Weekly report off", "Weekly report: off")
    panel = press(fake, panel, "Weekly report on", "Weekly report: on")
