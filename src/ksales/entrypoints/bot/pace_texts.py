"""The pace in the bot's words: the same-time comparison, the projection and the month's goal (SPEC §7)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ksales.domain.goals import GoalSource, GoalStatus
from ksales.domain.language import N_
from ksales.domain.periods import PeriodKind
from ksales.domain.results import Comparison, Summary
from ksales.domain.rules import SalesType
from ksales.entrypoints.bot.keyboards import SALES_TYPE_LABELS
from ksales.ports.language import Translator
from ksales.services.pace import GoalRow, MonthGoals

GOAL_SOURCES = {
    GoalSource.SET: N_("set by an admin"),
    GoalSource.ENV: N_("from KSALES_GOALS"),
    GoalSource.SUGGESTED: N_("suggested from last year"),
}
GOAL_USAGE = N_(
    "Set this month's goal: <code>/goal 3500000</code> (retail) or <code>/goal b2b 900000</code>; "
    "<code>/goal b2b off</code> returns it to the suggestion."
)
BAD_AMOUNT = N_(
    "“{text}” is not an amount. Send a positive number of hryvnias, e.g. <code>/goal 3500000</code>."
)
_PROJECTED_TO = {
    PeriodKind.TODAY: N_("On pace for {amount} today ({orders})"),
    PeriodKind.WEEK: N_("On pace for {amount} this week ({orders})"),
    PeriodKind.MONTH: N_("On pace for {amount} this month ({orders})"),
}


def compared_until(t: Translator, c: Comparison, currency: str, orders: str) -> str:
    return t.gettext(
        "Compared with {range} until {time}: {amount}, {orders}",
        range=t.date_range(c.start, c.end),
        time=c.until,
        amount=t.money(c.revenue, currency),
        orders=orders,
    )


def goal_line(t: Translator, goal: GoalStatus, currency: str) -> str:
    head = t.gettext(
        "🎯 Goal {month}: {amount} ({source}) — {progress} reached",
        month=goal.month,
        amount=t.money(goal.amount, currency),
        source=t.gettext(GOAL_SOURCES[goal.source]),
        progress=t.percent(goal.progress_pct),
    )
    if goal.projected_pct != goal.progress_pct:
        head += ", " + t.gettext("{pct} projected", pct=t.percent(goal.projected_pct))
    if goal.on_pace:
        return head + " · " + t.gettext("on pace ✅")
    if goal.needed_per_day > 0:
        needed = t.money(goal.needed_per_day, currency)
        return head + " · " + t.gettext("behind: {amount} a day needed", amount=needed)
    return head + " · " + t.gettext("missed")


def lines(t: Translator, summary: Summary, currency: str) -> list[str]:
    """The pace lines of a report: the projection of a running period and the month's goal."""
    result = []
    p = summary.projection
    if p is not None and summary.period.kind in _PROJECTED_TO:
        orders = t.ngettext("{count} order", "{count} orders", p.orders, count=t.number(p.orders))
        amount = f"<b>{t.money(p.revenue, currency)}</b>"
        result.append("📈 " + t.gettext(_PROJECTED_TO[summary.period.kind], amount=amount, orders=orders))
    if summary.goal is not None:
        result.append(goal_line(t, summary.goal, currency))
    return ["", *result] if result else []


def month_pace(t: Translator, month: Summary, currency: str) -> str:
    """The digest's month line: what the month made so far, its projection and goal ('' when none)."""
    pace = lines(t, month, currency)
    if not pace:
        return ""
    head = t.gettext("This month so far: {amount}", amount=t.money(month.revenue, currency))
    return "\n\n<b>" + head + "</b>\n" + "\n".join(pace[1:])


def month_goals(t: Translator, listing: MonthGoals, currency: str, admin: bool) -> str:
    """`/goal` without arguments: each sales type's goal for the month with its source."""
    rows: Sequence[GoalRow] = listing.goals
    out = ["<b>" + t.gettext("🎯 Goals for {month}", month=listing.month) + "</b>"]
    for row in rows:
        label = t.gettext(SALES_TYPE_LABELS[row.sales_type])
        if row.amount is None or row.source is None:
            out.append(f"• {label}: " + t.gettext("no goal (no sales a year ago to suggest one)"))
        else:
            source = t.gettext(GOAL_SOURCES[row.source])
            out.append(f"• {label}: {t.money(row.amount, currency)} ({source})")
    if admin:
        out += ["", t.gettext(GOAL_USAGE)]
    return "\n".join(out)


def goal_set(t: Translator, month: date, sales_type: SalesType, amount: str) -> str:
    return "✅ " + t.gettext(
        "Goal for {month} ({sales_type}) set to {amount}.",
        month=f"{month:%Y-%m}",
        sales_type=t.gettext(SALES_TYPE_LABELS[sales_type]),
        amount=amount,
    )


def goal_cleared(t: Translator, month: date, sales_type: SalesType) -> str:
    return "↩️ " + t.gettext(
        "Goal for {month} ({sales_type}) returned to the suggestion.",
        month=f"{month:%Y-%m}",
        sales_type=t.gettext(SALES_TYPE_LABELS[sales_type]),
    )
