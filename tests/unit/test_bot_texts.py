"""The bot's messages: money, escaping, the report and TOP-10 layouts; settings buttons; gate actions."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from telegram import CallbackQuery, Chat, Message, Update
from telegram import User as TgUser

from ksales.domain.filters import Filters
from ksales.domain.milestones import MilestoneConfig, evaluate
from ksales.domain.model import Buyer, Order
from ksales.domain.periods import Period, PeriodKind
from ksales.domain.results import (
    Comparison,
    ProductRow,
    SourceBreakdown,
    SourceRow,
    Summary,
    TopProducts,
    Totals,
)
from ksales.domain.rules import SalesType
from ksales.domain.users import UserSettings
from ksales.entrypoints.bot import texts
from ksales.entrypoints.bot.gate import action_of
from ksales.entrypoints.bot.settings_handlers import changed
from tests.i18n import EN, UK
from tests.i18n import plain as spaces

PERIOD = Period.named(PeriodKind.MONTH, date(2026, 11, 18))


def plain(text: str) -> str:
    return spaces(text)


def summary(revenue: str = "1234567.4", previous: str | None = "1000000") -> Summary:
    comparison = None
    if previous is not None:
        comparison = Comparison(
            date(2026, 10, 1),
            date(2026, 10, 18),
            10,
            Decimal(previous),
            Decimal(100_000),
            Decimal("23.46"),
            Decimal("-5.00"),
            None,
        )
    return Summary(
        period=PERIOD,
        filters=Filters(sales_type=SalesType.ALL),
        orders=12,
        revenue=Decimal(revenue),
        avg_check=Decimal("102880.62"),
        returns=Totals(2, Decimal("3000")),
        comparison=comparison,
        milestones=evaluate(Decimal(revenue), PERIOD.kind, MilestoneConfig()),
    )


def test_report_text() -> None:
    sources = SourceBreakdown(
        PERIOD,
        Filters(),
        (SourceRow(3, "<Insta & Co>", 12, Decimal("1234567.4"), Decimal("100.00")),),
        12,
        Decimal("1234567.4"),
    )
    text = plain(texts.report(EN, summary(), sources, "UAH"))
    assert "<b>📊 This month (Nov 1 – 18, 2026)</b> · All" in text
    assert "Revenue: <b>₴1,234,567.40</b> (+23.46%)" in text
    assert "Orders: 12 (-5.00%)" in text
    assert "Average check: ₴102,880.62\n" in text  # no change shown when it is undefined
    assert "Returns: 2 · ₴3,000.00" in text
    assert "• &lt;Insta &amp; Co&gt; — ₴1,234,567.40 · 12 orders · 100.00%" in text
    assert "Milestones (monthly): reached ₴1,000,000.00 ✅; next ₴2,000,000.00 — 61.73%" in text


def test_report_without_orders_or_comparison() -> None:
    empty = SourceBreakdown(PERIOD, Filters(), (), 0, Decimal(0))
    text = plain(texts.report(EN, summary("0", None), empty, "USD"))
    assert "Revenue: <b>$0.00</b>\n" in text
    assert "No orders in this period." in text
    assert "Compared with" not in text


def test_every_milestone_reached() -> None:
    status = evaluate(Decimal(10_000_000), PeriodKind.MONTH, MilestoneConfig())
    assert "every milestone reached 🎉" in texts.milestone_line(EN, status, "UAH")


def test_top_text_escapes_and_formats_quantities() -> None:
    rows = (
        ProductRow(1, "Mug <b>", Decimal("2.500"), Decimal(100), Decimal("71.43")),
        ProductRow(None, "A & B", Decimal(1), Decimal(50), Decimal("28.57")),
    )
    text = plain(texts.top(EN, TopProducts(PERIOD, Filters(), "quantity", rows), "Shop <1>", "UAH"))
    assert "Shop &lt;1&gt; · Retail" in text
    assert "1. Mug &lt;b&gt; — 2.5 pcs · ₴100.00 · 71.43%" in text
    assert "2. A &amp; B — 1 pcs · ₴50.00 · 28.57%" in text


def test_search_text() -> None:
    order = Order(
        5,
        2,
        Decimal("99.5"),
        created_at=datetime(2026, 11, 18, 8, tzinfo=UTC),
        status_id=3,
        buyer=Buyer(1, "<Ann>"),
    )
    text = plain(texts.search(EN, [order], 8, {}, {2: "Web"}, "UAH", UTC))
    assert "<b>#5</b> · Nov 18, 2026 08:00 · &lt;Ann&gt;" in text
    assert "₴99.50 · status 3 · Web" in text
    assert "…and 7 more." in text
    assert texts.search(EN, [], 0, {}, {}, "UAH", UTC) == "No orders found."


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("st", "b2b", UserSettings(sales_type=SalesType.B2B)),
        ("pd", "last_month", UserSettings(period=PeriodKind.LAST_MONTH)),
        ("ms", "off", UserSettings(milestone_notifications=False)),
        ("dg", "9", UserSettings(digest_hour=9)),
        ("dg", "off", UserSettings()),
    ],
)
def test_settings_buttons(field: str, value: str, expected: UserSettings) -> None:
    assert changed(UserSettings(), field, value) == expected


@pytest.mark.parametrize(("field", "value"), [("st", "vip"), ("pd", "custom"), ("dg", "25"), ("xx", "1")])
def test_settings_buttons_reject_what_the_bot_never_sends(field: str, value: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each case fails differently
        changed(UserSettings(), field, value)


def _message(text: str) -> Message:
    return Message(
        1, datetime(2026, 1, 1, tzinfo=UTC), Chat(7, "private"), from_user=TgUser(7, "A", False), text=text
    )


@pytest.mark.parametrize(
    ("update", "action"),
    [
        (Update(1, message=_message("/report")), "report"),
        (Update(1, message=_message("/Users@ksales_bot now")), "users"),
        (Update(1, message=_message("hello")), "use"),
        (
            Update(1, callback_query=CallbackQuery("1", TgUser(7, "A", False), "c", data="req")),
            "request_access",
        ),
        (
            Update(1, callback_query=CallbackQuery("1", TgUser(7, "A", False), "c", data="acc:deny:5:n")),
            "review",
        ),
        (Update(1, callback_query=CallbackQuery("1", TgUser(7, "A", False), "c", data="rep:today")), "use"),
    ],
)
def test_gate_actions(update: Update, action: str) -> None:
    assert action_of(update) == action


def test_report_text_in_ukrainian() -> None:
    sources = SourceBreakdown(
        PERIOD,
        Filters(),
        (SourceRow(3, "<Інста>", 12, Decimal("1234567.4"), Decimal("100.00")),),
        12,
        Decimal("1234567.4"),
    )
    text = plain(texts.report(UK, summary(), sources, "UAH"))
    assert "<b>📊 Цей місяць (1–18 лист. 2026 р.)</b> · Усі" in text
    assert "Виторг: <b>1 234 567,40 ₴</b> (+23,46%)" in text
    assert "Середній чек: 102 880,62 ₴" in text
    assert "• &lt;Інста&gt; — 1 234 567,40 ₴ · 12 замовлень · 100,00%" in text
    assert "Порівняно з 1–18 жовт. 2026 р.: 1 000 000,00 ₴, 10 замовлень" in text


@pytest.mark.parametrize(
    ("count", "form"),
    [
        (1, "1 замовлення"),
        (3, "3 замовлення"),
        (5, "5 замовлень"),
        (11, "11 замовлень"),
        (22, "22 замовлення"),
    ],
)
def test_ukrainian_has_three_plural_forms(count: int, form: str) -> None:
    assert texts.orders(UK, count) == form


def test_a_months_report_says_how_many_customers_moved_to_at_risk() -> None:
    empty = SourceBreakdown(PERIOD, Filters(), (), 0, Decimal(0))
    assert "👥 3 customers moved to at risk this month" in texts.report(EN, summary(), empty, "UAH", 3)
    assert "👥 1 customer moved to at risk this month" in texts.report(EN, summary(), empty, "UAH", 1)
    assert "клієнти цього місяця перейшли до «під загрозою»" in texts.report(UK, summary(), empty, "UAH", 3)
    assert "moved to at risk" not in texts.report(EN, summary(), empty, "UAH")
