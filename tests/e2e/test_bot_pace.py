"""The bot's pace via the fake Bot API: /report's same-time comparison and projection, /goal, the digest."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from ksales.adapters.memory.clock import FixedClock
from ksales.adapters.memory.crm import InMemoryCrm
from ksales.adapters.memory.store import InMemorySalesStore
from ksales.adapters.sqlite.users import SqliteUserStore
from ksales.domain.goals import MonthlyGoal
from ksales.domain.language import Language
from ksales.domain.model import Dictionaries, Order, Source
from ksales.domain.rules import SalesType
from ksales.domain.users import User, UserStatus
from ksales.entrypoints.bot.jobs import digest_job_name
from ksales.entrypoints.container import Container
from ksales.entrypoints.settings import Secret, Settings
from ksales.ports.store import OrderChanges
from tests.containers import on_fakes
from tests.e2e.fake_telegram import BotThread, FakeTelegram, Sent, TgUser, plain

KYIV = ZoneInfo("Europe/Kyiv")
TODAY = date(2026, 11, 18)  # a Wednesday
NOW = datetime.combine(TODAY, time(12), KYIV)
ADMIN = TgUser(1, "Admin", "boss")
MEMBER = TgUser(5, "Member", "member")
_ids = iter(range(1, 10_000))


def order(day: date, hour: int, total: int) -> Order:
    placed = datetime.combine(day, time(hour), KYIV)
    return Order(id=next(_ids), source_id=1, grand_total=Decimal(total), created_at=placed, status_group_id=5)


def history() -> list[Order]:
    """The 8 weeks before this one: 400 at 10:00 and 600 at 18:00 every day (40 % of a day before noon)."""
    monday = TODAY - timedelta(days=TODAY.weekday())
    days = [monday - timedelta(days=n) for n in range(1, 57)]
    return [o for day in days for o in (order(day, 10, 400), order(day, 18, 600))]


ORDERS = [
    order(TODAY, 10, 500),
    order(TODAY, 13, 9999),  # after now (a late import): not in today's figures
    order(TODAY - timedelta(days=1), 10, 300),
    order(TODAY - timedelta(days=1), 15, 700),  # after noon yesterday: not set against this morning
    *history(),
]


@pytest.fixture(scope="module")
def store() -> InMemorySalesStore:
    store = InMemorySalesStore()
    store.save_dictionaries(Dictionaries(sources=(Source(1, "Instagram"),)))
    store.apply(OrderChanges(upserts=tuple(ORDERS)))
    return store


@pytest.fixture(scope="module")
def bot(
    fake: FakeTelegram, store: InMemorySalesStore, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BotThread]:
    data: Path = tmp_path_factory.mktemp("bot-pace")
    settings = Settings(
        bot_token=Secret(fake.token),
        telegram_api_base_url=fake.base_url,
        admin_user_ids=frozenset({ADMIN.id}),
        data_dir=data,
        timezone=KYIV,
        language=Language.EN,
        goals=(MonthlyGoal(date(2026, 11, 1), SalesType.B2B, Decimal(50000)),),
    )
    users = SqliteUserStore(data / "users.sqlite3")
    users.save(User(MEMBER.id, UserStatus.APPROVED, "member"))
    crm = InMemoryCrm(ORDERS, Dictionaries())
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


def test_report_compares_today_until_now_and_projects_the_day(bot: BotThread, fake: FakeTelegram) -> None:
    shown = plain(ask(fake, "/report", "Revenue:").text)
    assert "Revenue: <b>₴500.00</b> (+66.67%)" in shown
    assert "Compared with Nov 17, 2026 until 12:00: ₴300.00, 1 order" in shown
    # 500 so far + the rest of a Wednesday: 1000 × (1 − 40 %).
    assert "📈 On pace for <b>₴1,100.00</b> today (2 orders)" in shown
    assert "Goal" not in shown


def test_month_report_shows_the_goal_and_goal_is_set_by_an_admin(
    bot: BotThread, fake: FakeTelegram, store: InMemorySalesStore
) -> None:
    listing = plain(ask(fake, "/goal", "Goals for 2026-11").text)
    assert "Retail: no goal" in listing
    assert "B2B: ₴50,000.00 (from KSALES_GOALS)" in listing
    done = plain(ask(fake, "/goal 3 500 000", "Goal for").text)
    assert "Goal for 2026-11 (Retail) set to ₴3,500,000.00." in done
    assert store.goals() == [MonthlyGoal(date(2026, 11, 1), SalesType.RETAIL, Decimal(3500000))]
    sent = ask(fake, "/report", "Revenue:")
    mark = fake.press(ADMIN, sent, "This month")
    month = plain(fake.message(ADMIN.id, "This month (Nov 1 – 18, 2026)", since=mark).text)
    assert "Compared with Oct 1 – 18, 2026 until 12:00" in month
    assert "On pace for" in month and "this month" in month
    assert "🎯 Goal 2026-11: ₴3,500,000.00 (set by an admin)" in month
    assert "a day needed" in month
    b2b = plain(ask(fake, "/goal b2b 900000", "Goal for").text)
    assert "Goal for 2026-11 (B2B) set to ₴900,000.00." in b2b
    cleared = plain(ask(fake, "/goal b2b off", "returned to the suggestion").text)
    assert "(B2B)" in cleared
    assert [g.sales_type for g in store.goals()] == [SalesType.RETAIL]


def test_a_bad_amount_gets_a_clear_reply_and_changes_nothing(
    bot: BotThread, fake: FakeTelegram, store: InMemorySalesStore
) -> None:
    before = store.goals()
    for text in ("/goal lots", "/goal -5", "/goal 0", "/goal b2b", "/goal 1.005"):
        reply = plain(ask(fake, text, "is not an amount").text)
        assert "Send a positive number" in reply
    assert store.goals() == before


def test_a_member_who_is_not_an_admin_is_refused(
    bot: BotThread, fake: FakeTelegram, store: InMemorySalesStore
) -> None:
    before = store.goals()
    for text in ("/goal", "/goal 100"):
        assert ask(fake, text, "Only admins", user=MEMBER)
    assert store.goals() == before
    # …but sees the pace in their own report.
    assert "On pace for" in plain(ask(fake, "/report", "Revenue:", user=MEMBER).text)


def test_the_digest_gives_the_months_pace(bot: BotThread, fake: FakeTelegram) -> None:
    panel = ask(fake, "/settings", "Your settings")
    mark = fake.press(ADMIN, panel, "09:00")
    fake.message(ADMIN.id, "Digest: daily at 09:00", since=mark)
    mark = fake.mark()
    bot.run_job(digest_job_name(9))
    digest = plain(fake.message(ADMIN.id, "Daily digest", since=mark).text)
    assert "Yesterday (Nov 17, 2026)" in digest
    assert "This month so far:" in digest
    assert "this month" in digest and "🎯 Goal 2026-11" in digest
