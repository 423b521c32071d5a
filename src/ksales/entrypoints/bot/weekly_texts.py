"""The weekly report's words: the caption of its chart and the message beside it (SPEC §7)."""

from __future__ import annotations

from decimal import Decimal
from html import escape

from ksales.domain.rules import SalesType
from ksales.domain.weekly import Mover, WeekFigures, WeeklyReport
from ksales.entrypoints.bot.keyboards import SALES_TYPE_LABELS
from ksales.ports.charts import ChartLabels
from ksales.ports.language import Translator


def chart_labels(t: Translator, report: WeeklyReport) -> ChartLabels:
    return ChartLabels(
        title=t.gettext("Revenue of the last 12 weeks"),
        revenue=t.gettext("Revenue"),
        mean=t.gettext("Mean of the 4 weeks before"),
    )


def _pct(t: Translator, value: Decimal | None) -> str:
    return "—" if value is None else t.percent(value, signed=True)


def _against(t: Translator, label: str, figures: WeekFigures, currency: str) -> str:
    return t.gettext(
        "{label}: {revenue} ({revenue_change}), orders {orders} ({orders_change}), "
        "average check {check} ({check_change})",
        label=label,
        revenue=t.money(figures.revenue, currency),
        revenue_change=_pct(t, figures.revenue_change_pct),
        orders=t.number(figures.orders, 2),
        orders_change=_pct(t, figures.orders_change_pct),
        check=t.money(figures.avg_check, currency),
        check_change=_pct(t, figures.avg_check_change_pct),
    )


def _mover(t: Translator, mover: Mover, currency: str) -> str:
    change = t.money(mover.change, currency)
    sign = "+" if mover.change > 0 else ""
    return f"• {escape(mover.name)}: {sign}{change} ({t.money(mover.revenue, currency)})"


def weekly(t: Translator, report: WeeklyReport, sales_type: SalesType, currency: str) -> str:
    """The weekly report as an HTML message (names escaped)."""
    week = t.date_range(report.week.start, report.week.end)
    kind = t.gettext(SALES_TYPE_LABELS[sales_type])
    title = t.gettext("Weekly report: {range}", range=week)
    lines = [f"<b>🗓 {title}</b> · {kind}", ""]
    lines.append(t.gettext("Revenue: {amount}", amount=f"<b>{t.money(report.revenue, currency)}</b>"))
    lines.append(t.gettext("Orders: {count}", count=t.number(report.orders)))
    lines.append(t.gettext("Average check: {amount}", amount=t.money(report.avg_check, currency)))
    if report.unusual:
        assert report.z_score is not None
        lines.append("⚠️ " + t.gettext("Unusual week (z = {z})", z=t.number(report.z_score, 2)))
    lines += ["", "<b>" + t.gettext("Compared with") + "</b>"]
    lines.append(_against(t, t.gettext("the week before"), report.previous, currency))
    lines.append(_against(t, t.gettext("the mean of the 4 weeks before"), report.four_week_mean, currency))
    year_ago = t.date_range(report.year_ago_week.start, report.year_ago_week.end)
    label = t.gettext("a year ago ({range})", range=year_ago)
    lines.append(_against(t, label, report.year_ago, currency))
    split = report.decomposition
    lines += ["", "<b>" + t.gettext("Change vs the week before") + "</b>"]
    lines.append(
        t.gettext(
            "{change} = {orders} from the number of orders + {check} from the average check",
            change=t.money(split.change, currency),
            orders=t.money(split.orders_effect, currency),
            check=t.money(split.check_effect, currency),
        )
    )
    lines += ["", "<b>" + t.gettext("Customers") + "</b>"]
    lines.append(
        t.gettext(
            "New: {count} · {amount}",
            count=t.number(report.new_customers),
            amount=t.money(report.customer_revenue.new, currency),
        )
    )
    lines.append(
        t.gettext(
            "Returning: {count} · {amount}",
            count=t.number(report.returning_customers),
            amount=t.money(report.customer_revenue.returning, currency),
        )
    )
    lines += ["", "<b>" + t.gettext("Gained most") + "</b>"]
    lines += [_mover(t, m, currency) for m in report.gainers] or [t.gettext("nothing")]
    lines += ["", "<b>" + t.gettext("Lost most") + "</b>"]
    lines += [_mover(t, m, currency) for m in report.losers] or [t.gettext("nothing")]
    return "\n".join(lines)
