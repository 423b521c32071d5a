"""What the bot says: HTML messages built from report figures, every name escaped."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from decimal import Decimal
from html import escape

from ksales.domain.milestones import MilestoneStatus
from ksales.domain.model import Order
from ksales.domain.results import SourceBreakdown, Summary, TopProducts
from ksales.domain.users import User, UserSettings, UserStatus
from ksales.entrypoints.bot import ranges
from ksales.entrypoints.bot.keyboards import SALES_TYPE_LABELS
from ksales.entrypoints.formatting import group, money, pct
from ksales.services.milestone_alerts import Crossing

WORKING = "⏳ Working…"
APOLOGY = "Sorry, something went wrong on my side. Please try again in a minute."
NOT_ALLOWED = "You don't have access yet. Send /start to request it."
ADMINS_ONLY = "Only admins can do that."

HELP = (
    "<b>ksales bot</b>\n"
    "/report — revenue, orders, average check, returns and sources for a period\n"
    "/top — TOP-10 products by quantity (optionally one source)\n"
    "/excel — the full report as an Excel workbook\n"
    "/search — find orders by order number, phone or e-mail\n"
    "/dashboard — open the web dashboard\n"
    "/settings — your default sales type and period, milestone alerts, daily digest\n"
    "/users — manage access (admins)\n"
    "/cancel — stop what you started\n"
    "/help — this message"
)


def quantity(value: Decimal) -> str:
    return group(value) if value == value.to_integral_value() else group(value, 3).rstrip("0")


def _change(value: Decimal | None) -> str:
    return "" if value is None else f" ({pct(value, signed=True)})"


def milestone_line(status: MilestoneStatus, currency: str) -> str:
    if status.kind is None:
        return "Milestones: none for a custom range"
    parts = [f"Milestones ({status.kind.value}):"]
    if status.reached:
        parts.append("reached " + ", ".join(money(t, currency) for t in status.reached) + " ✅;")
    if status.next is None:
        parts.append("every milestone reached 🎉")
    else:
        parts.append(f"next {money(status.next, currency)} — {pct(status.progress_pct)}")
    return " ".join(parts)


def report(summary: Summary, sources: SourceBreakdown, currency: str) -> str:
    """The /report message: totals, change vs the comparison period, each source, milestones."""
    sales_type = SALES_TYPE_LABELS[summary.filters.sales_type]
    lines = [f"<b>📊 {escape(ranges.describe(summary.period))}</b> · {sales_type}", ""]
    comparison = summary.comparison
    lines.append(
        f"Revenue: <b>{money(summary.revenue, currency)}</b>"
        + _change(comparison.revenue_change_pct if comparison else None)
    )
    lines.append(f"Orders: {summary.orders}" + _change(comparison.orders_change_pct if comparison else None))
    lines.append(
        f"Average check: {money(summary.avg_check, currency)}"
        + _change(comparison.avg_check_change_pct if comparison else None)
    )
    lines.append(f"Returns: {summary.returns.orders} · {money(summary.returns.revenue, currency)}")
    if comparison is not None:
        lines.append(
            f"Compared with {comparison.start:%d.%m.%Y} – {comparison.end:%d.%m.%Y}: "
            f"{money(comparison.revenue, currency)}, {comparison.orders} orders"
        )
    lines += ["", "<b>By source</b>"]
    if not sources.sources:
        lines.append("No orders in this period.")
    for row in sources.sources:
        lines.append(
            f"• {escape(row.name)} — {money(row.revenue, currency)} · "
            f"{row.orders} orders · {pct(row.share_pct)}"
        )
    lines += ["", milestone_line(summary.milestones, currency)]
    return "\n".join(lines)


def top(result: TopProducts, source_name: str | None, currency: str) -> str:
    where = escape(source_name) if source_name else "all sources"
    sales_type = SALES_TYPE_LABELS[result.filters.sales_type]
    lines = [
        f"<b>🏆 TOP-10 products · {escape(ranges.describe(result.period))}</b>",
        f"{where} · {sales_type}",
        "",
    ]
    if not result.products:
        lines.append("No products sold in this period.")
    for rank, row in enumerate(result.products, start=1):
        lines.append(
            f"{rank}. {escape(row.name)} — {quantity(row.quantity)} pcs · "
            f"{money(row.revenue, currency)} · {pct(row.share_pct)}"
        )
    return "\n".join(lines)


def search(
    orders: Sequence[Order],
    total: int,
    statuses: dict[int, str],
    sources: dict[int, str],
    currency: str,
    timezone: tzinfo,
) -> str:
    if not orders:
        return "No orders found."
    lines = [f"<b>🔎 Found {total} order{'s' if total != 1 else ''}</b>", ""]
    for order in orders:
        buyer = order.buyer.full_name if order.buyer and order.buyer.full_name else "no buyer"
        status = (
            statuses.get(order.status_id, f"status {order.status_id}") if order.status_id else "no status"
        )
        source = sources.get(order.source_id, f"Source {order.source_id}")
        placed = order.placed_at.astimezone(timezone)
        lines.append(
            f"<b>#{order.id}</b> · {placed:%d.%m.%Y %H:%M} · {escape(buyer)}\n"
            f"{money(order.grand_total, currency, decimals=2)} · {escape(status)} · {escape(source)}"
        )
    if total > len(orders):
        lines.append(f"\n…and {total - len(orders)} more.")
    return "\n".join(lines)


def user_name(user: User) -> str:
    parts = [escape(user.full_name or "")]
    if user.username:
        parts.append(f"@{escape(user.username)}")
    parts.append(f"(id {user.id})")
    return " ".join(p for p in parts if p)


def users(listing: Sequence[User], admin_ids: frozenset[int]) -> str:
    titles = {UserStatus.PENDING: "Pending", UserStatus.APPROVED: "Approved", UserStatus.FROZEN: "Frozen"}
    lines = ["<b>👥 Users</b>"]
    for status, title in titles.items():
        group_users = [u for u in listing if u.status is status]
        lines += ["", f"<b>{title}</b> ({len(group_users)})"]
        for user in group_users[:40]:
            admin = " · admin" if user.id in admin_ids else ""
            denials = f" · {user.denial_count} denials" if user.denial_count else ""
            lines.append(f"• {user_name(user)}{admin}{denials}")
        if len(group_users) > 40:
            lines.append(f"…and {len(group_users) - 40} more")
    return "\n".join(lines)


def settings(current: UserSettings) -> str:
    digest = "off" if current.digest_hour is None else f"daily at {current.digest_hour:02d}:00"
    return (
        "<b>⚙️ Your settings</b>\n"
        f"Sales type: {SALES_TYPE_LABELS[current.sales_type]}\n"
        f"Default period: {ranges.LABELS[current.period]}\n"
        f"Milestone alerts: {'on' if current.milestone_notifications else 'off'}\n"
        f"Digest: {digest}"
    )


def crossing(event: Crossing, currency: str) -> str:
    return (
        f"🎉 <b>{event.kind.value.capitalize()} milestone reached!</b>\n"
        f"{escape(ranges.describe(event.period))} · {SALES_TYPE_LABELS[event.sales_type]}: "
        f"{money(event.revenue, currency)} ≥ {money(event.threshold, currency)}"
    )
