"""The silence alert through the fake Bot API, a fixed clock and a CRM synced every few minutes.

The shop is the one of tests/unit/test_silence_alert.py: every selling day of the 8 weeks before Monday
30 Nov 2026 has an order at half past each hour from 09:30 to 20:30, so 3 hours of the day expect 3 orders.
That Monday nothing comes in: at 12:00 the window 09:00–12:00 is silent.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import attrs

from ksales.adapters.memory import FixedClock, InMemoryCrm, InMemorySalesStore, InMemoryUserStore
from ksales.domain.language import Language
from ksales.entrypoints.bot.jobs import ALERTS_JOB
from ksales.entrypoints.container import Container
from ksales.entrypoints.runtime import sync_once
from ksales.entrypoints.settings import Secret, Settings
from tests.containers import on_fakes
from tests.e2e.fake_telegram import BotThread, FakeTelegram, TgUser
from tests.unit.test_silence_alert import KYIV, MONDAY, RULES, at, order, profile_orders

ADMIN = TgUser(1, "Admin", "boss")
STARTED = (
    "🚨 No order for 3 hours (since 09:00). Orders in these hours on the same weekday, mean of the last "
    "8 weeks: 3. Is the checkout working?"
)
CLEARED = "✅ Orders are coming in again."


class Service:
    """One run of the service (a process) on the store and users that outlive it."""

    def __init__(
        self, fake: FakeTelegram, store: InMemorySalesStore, users: InMemoryUserStore, crm: InMemoryCrm,
        clock: FixedClock, settings: Settings,
    ) -> None:  # fmt: skip
        self.container = on_fakes(
            Container(settings=settings), clock=clock, store=store, users=users, crm=crm
        )
        self.bot = BotThread(self.container).start()

    def sync(self) -> None:
        self.bot.call(sync_once(self.container.sync(), self.container.health(), 30))

    def stop(self) -> None:
        self.bot.stop()


def silence_alerts(fake: FakeTelegram, since: int) -> list[str]:
    return [t for t in fake.texts_to(ADMIN.id, since=since) if t.startswith(("🚨", "✅"))]


def test_a_silence_starts_clears_at_the_first_order_and_survives_a_restart(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    settings = Settings(
        bot_token=Secret(fake.token),
        telegram_api_base_url=fake.base_url,
        admin_user_ids=frozenset({ADMIN.id}),
        data_dir=tmp_path,
        timezone=KYIV,
        language=Language.EN,
        alert_silence_hours=3,
    )
    store, users = InMemorySalesStore(RULES), InMemoryUserStore()
    crm = InMemoryCrm(profile_orders())
    clock = FixedClock(at(MONDAY, 11, 0).astimezone(UTC))
    service = Service(fake, store, users, crm, clock, settings)
    mark = fake.mark()

    # 11:00 → 13:00, a job run a minute and a sync every 5: the silence is told at 12:00, and only then.
    for minute in range(121):
        if minute % 5 == 0:
            service.sync()
        service.bot.run_job(ALERTS_JOB)
        if minute == 59:
            assert silence_alerts(fake, mark) == []  # 11:59: the window would begin before 09:00
        clock.advance(timedelta(minutes=1))
    assert silence_alerts(fake, mark) == [STARTED]

    # A restart neither repeats it nor forgets it.
    service.stop()
    service = Service(fake, store, users, crm, clock, settings)
    restarted = fake.mark()
    service.sync()
    for _ in range(10):
        service.bot.run_job(ALERTS_JOB)
        clock.advance(timedelta(minutes=1))
    assert silence_alerts(fake, restarted) == []

    # The first order (placed 13:12, synced at 13:15) clears it, once.
    placed = at(MONDAY, 13, 12)
    first = attrs.evolve(order(placed), updated_at=placed.astimezone(UTC))
    crm.by_id[first.id] = first
    clock.instant = datetime(2026, 11, 30, 13, 15, tzinfo=KYIV).astimezone(UTC)
    for minute in range(60):
        if minute % 5 == 0:
            service.sync()
        service.bot.run_job(ALERTS_JOB)
        clock.advance(timedelta(minutes=1))
    assert silence_alerts(fake, restarted) == [CLEARED]
    assert store.get_order(first.id) is not None
    service.stop()
