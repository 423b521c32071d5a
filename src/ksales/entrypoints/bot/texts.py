"""What the bot says: HTML messages built from report figures in the reader's language, every name escaped."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from decimal import Decimal
from html import escape

from ksales.domain.language import N_
from ksales.domain.milestones import MilestoneKind, MilestoneStatus
from ksales.domain.model import Order
from ksales.domain.names import MILESTONE_KIND_NAMES
from ksales.domain.results import SourceBreakdown, Summary, TopProducts
from ksales.domain.users import User, UserSettings, UserStatus
from ksales.entrypoints.bot import pace_texts as pace
from ksales.entrypoints.bot import ranges
from ksales.entrypoints.bot.keyboards import LANGUAGE_NAMES, SALES_TYPE_LABELS
from ksales.ports.language import Translator
from ksales.services.milestone_alerts import Crossing

WORKING = N_("⏳ Working…")
APOLOGY = N_("Sorry, something went wrong on my side. Please try again in a minute.")
NOT_ALLOWED = N_("You don't have access yet. Send /start to request it.")
ADMINS_ONLY = N_("Only admins can do that.")
UNKNOWN = N_("I didn't understand that. /help lists what I can do.")
UNKNOWN_ACTION = N_("Unknown action")
STALE_BUTTON = N_("That button is out of date; please start again.")

HELP = N_(
    "<b>ksales bot</b>\n"
    "/report — revenue, orders, average check, returns and sources for a period\n"
    "/top — TOP-10 products by quantity (optionally one source)\n"
    "/excel — the full report as an Excel workbook\n"
    "/search — find orders by order number, phone or e-mail\n"
    "/stock — out-of-stock and low offers, with days of supply\n"
    "/dashboard — open the web dashboard\n"
    "/settings — your language, default sales type and period, milestone alerts, digest, weekly report\n"
    "/users — manage access (admins)\n"
    "/goal — this month's goals; /goal 3500000 or /goal b2b 900000 sets one (admins)\n"
    "/cancel — stop what you started\n"
    "/help — this message"
)

_MILESTONE_KINDS = MILESTONE_KIND_NAMES
_CROSSINGS = {
    MilestoneKind.DAILY: N_("Daily milestone reached!"),
    MilestoneKind.WEEKLY: N_("Weekly milestone reached!"),
    MilestoneKind.MONTHLY: N_("Monthly milestone reached!"),
}
_STATUSES = {
    UserStatus.PENDING: N_("pending"),
    UserStatus.APPROVED: N_("approved"),
    UserStatus.DENIED: N_("denied"),
    UserStatus.FROZEN: N_("frozen"),
}
_STATUS_TITLES = {
    UserStatus.PENDING: N_("Pending"),
    UserStatus.APPROVED: N_("Approved"),
    UserStatus.FROZEN: N_("Frozen"),
}
#: Users listed per status; the rest are counted.
SHOWN_USERS = 40


def status_name(t: Translator, status: UserStatus) -> str:
    return t.gettext(_STATUSES[status])


def quantity(t: Translator, value: Decimal) -> str:
    return t.number(value, max_decimals=3)


def _change(t: Translator, value: Decimal | None) -> str:
    return "" if value is None else f" ({t.percent(value, signed=True)})"


def milestone_line(t: Translator, status: MilestoneStatus, currency: str) -> str:
    if status.kind is None:
        return t.gettext("Milestones: none for a custom range")
    parts = [t.gettext("Milestones ({kind}):", kind=t.gettext(_MILESTONE_KINDS[status.kind]))]
    if status.reached:
        reached = ", ".join(t.money(v, currency) for v in status.reached)
        parts.append(t.gettext("reached {amounts} ✅;", amounts=reached))
    if status.next is None:
        parts.append(t.gettext("every milestone reached 🎉"))
    else:
        parts.append(
            t.gettext(
                "next {amount} — {progress}",
                amount=t.money(status.next, currency),
                progress=t.percent(status.progress_pct),
            )
        )
    return " ".join(parts)


def orders(t: Translator, count: int) -> str:
    return t.ngettext("{count} order", "{count} orders", count, count=t.number(count))


def report(
    t: Translator,
    summary: Summary,
    sources: SourceBreakdown,
    currency: str,
    moved_to_at_risk: int | None = None,
) -> str:
    """The /report message: totals, change vs the comparison period, each source, milestones; for a
    month, how many customers moved to at risk in it."""
    sales_type = t.gettext(SALES_TYPE_LABELS[summary.filters.sales_type])
    lines = [f"<b>📊 {escape(ranges.describe(t, summary.period))}</b> · {sales_type}", ""]
    c = summary.comparison
    revenue = f"<b>{t.money(summary.revenue, currency)}</b>"
    revenue_change = _change(t, c.revenue_change_pct if c else None)
    orders_change = _change(t, c.orders_change_pct if c else None)
    check_change = _change(t, c.avg_check_change_pct if c else None)
    lines.append(t.gettext("Revenue: {amount}", amount=revenue) + revenue_change)
    lines.append(t.gettext("Orders: {count}", count=t.number(summary.orders)) + orders_change)
    average = t.money(summary.avg_check, currency)
    lines.append(t.gettext("Average check: {amount}", amount=average) + check_change)
    lines.append(
        t.gettext(
            "Returns: {count} · {amount}",
            count=t.number(summary.returns.orders),
            amount=t.money(summary.returns.revenue, currency),
        )
    )
    if c is not None and c.until is not None:
        lines.append(pace.compared_until(t, c, currency, orders(t, c.orders)))
    elif c is not None:
        lines.append(
            t.gettext(
                "Compared with {range}: {amount}, {orders}",
                range=t.date_range(c.start, c.end),
                amount=t.money(c.revenue, currency),
                orders=orders(t, c.orders),
            )
        )
    lines += ["", "<b>" + t.gettext("By source") + "</b>"]
    if not sources.sources:
        lines.append(t.gettext("No orders in this period."))
    for row in sources.sources:
        lines.append(
            f"• {escape(row.name)} — {t.money(row.revenue, currency)} · "
            f"{orders(t, row.orders)} · {t.percent(row.share_pct)}"
        )
    if moved_to_at_risk is not None:
        lines += [
            "",
            t.ngettext(
                "👥 {count} customer moved to at risk this month",
                "👥 {count} customers moved to at risk this month",
                moved_to_at_risk,
                count=t.number(moved_to_at_risk),
            ),
        ]
    lines += ["", milestone_line(t, summary.milestones, currency)]
    lines += pace.lines(t, summary, currency)
    return "\n".join(lines)


def top(t: Translator, result: TopProducts, source_name: str | None, currency: str) -> str:
    where = escape(source_name) if source_name else t.gettext("all sources")
    sales_type = t.gettext(SALES_TYPE_LABELS[result.filters.sales_type])
    title = t.gettext("TOP-10 products · {period}", period=escape(ranges.describe(t, result.period)))
    lines = [f"<b>🏆 {title}</b>", f"{where} · {sales_type}", ""]
    if not result.products:
        lines.append(t.gettext("No products sold in this period."))
    for rank, row in enumerate(result.products, start=1):
        pieces = t.gettext("{quantity} pcs", quantity=quantity(t, row.quantity))
        lines.append(
            f"{rank}. {escape(row.name)} — {pieces} · "
            f"{t.money(row.revenue, currency)} · {t.percent(row.share_pct)}"
        )
    return "\n".join(lines)


def search(
    t: Translator,
    found: Sequence[Order],
    total: int,
    statuses: dict[int, str],
    sources: dict[int, str],
    currency: str,
    timezone: tzinfo,
) -> str:
    if not found:
        return t.gettext("No orders found.")
    heading = t.ngettext("Found {count} order", "Found {count} orders", total, count=t.number(total))
    lines = [f"<b>🔎 {heading}</b>", ""]
    for order in found:
        buyer = order.buyer.full_name if order.buyer and order.buyer.full_name else t.gettext("no buyer")
        if order.status_id:
            status = statuses.get(order.status_id, t.gettext("status {id}", id=order.status_id))
        else:
            status = t.gettext("no status")
        source = sources.get(order.source_id, t.gettext("Source {id}", id=order.source_id))
        placed = order.placed_at.astimezone(timezone)
        lines.append(
            f"<b>#{order.id}</b> · {t.moment(placed)} · {escape(buyer)}\n"
            f"{t.money(order.grand_total, currency)} · {escape(status)} · {escape(source)}"
        )
    if total > len(found):
        lines.append("\n" + t.gettext("…and {count} more.", count=t.number(total - len(found))))
    return "\n".join(lines)


def user_name(user: User) -> str:
    parts = [escape(user.full_name or "")]
    if user.username:
        parts.append(f"@{escape(user.username)}")
    parts.append(f"(id {user.id})")
    return " ".join(p for p in parts if p)


def users(t: Translator, listing: Sequence[User], admin_ids: frozenset[int]) -> str:
    lines = ["<b>👥 " + t.gettext("Users") + "</b>"]
    for status, title in _STATUS_TITLES.items():
        group_users = [u for u in listing if u.status is status]
        lines += ["", f"<b>{t.gettext(title)}</b> ({len(group_users)})"]
        for user in group_users[:SHOWN_USERS]:
            admin = " · " + t.gettext("admin") if user.id in admin_ids else ""
            denials = ""
            if user.denial_count:
                count = user.denial_count
                denials = " · " + t.ngettext("{count} denial", "{count} denials", count, count=count)
            lines.append(f"• {user_name(user)}{admin}{denials}")
        if len(group_users) > SHOWN_USERS:
            lines.append(t.gettext("…and {count} more.", count=len(group_users) - SHOWN_USERS))
    return "\n".join(lines)


def settings(t: Translator, current: UserSettings) -> str:
    if current.digest_hour is None:
        digest = t.gettext("off")
    else:
        digest = t.gettext("daily at {time}", time=f"{current.digest_hour:02d}:00")
    alerts = t.gettext("on") if current.milestone_notifications else t.gettext("off")
    lines = [
        "<b>⚙️ " + t.gettext("Your settings") + "</b>",
        t.gettext("Language: {language}", language=LANGUAGE_NAMES[t.language]),
        t.gettext("Sales type: {sales_type}", sales_type=t.gettext(SALES_TYPE_LABELS[current.sales_type])),
        t.gettext("Default period: {period}", period=t.gettext(ranges.LABELS[current.period])),
        t.gettext("Milestone alerts: {state}", state=alerts),
        t.gettext("Digest: {state}", state=digest),
        t.gettext(
            "Weekly report: {state}", state=t.gettext("on") if current.weekly_report else t.gettext("off")
        ),
    ]
    return "\n".join(lines)


def crossing(t: Translator, event: Crossing, currency: str) -> str:
    return (
        f"🎉 <b>{t.gettext(_CROSSINGS[event.kind])}</b>\n"
        f"{escape(ranges.describe(t, event.period))} · {t.gettext(SALES_TYPE_LABELS[event.sales_type])}: "
        f"{t.money(event.revenue, currency)} ≥ {t.money(event.threshold, currency)}"
    )
