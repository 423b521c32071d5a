"""The /report's cost lines (SPEC §7): for those who may see costs, cost of goods, gross profit and margin."""

from __future__ import annotations

from ksales.domain.results import Profit
from ksales.ports.language import Translator


def cost_lines(t: Translator, profit: Profit, currency: str) -> list[str]:
    return [
        "",
        t.gettext(
            "Cost of goods: {amount} (costs known for {percent} of revenue)",
            amount=t.money(profit.cogs, currency),
            percent=t.percent(profit.cost_coverage_pct),
        ),
        t.gettext(
            "Gross profit: {amount} · margin {percent}",
            amount=t.money(profit.gross_profit, currency),
            percent=t.percent(profit.gross_margin_pct),
        ),
        t.gettext(
            "Profit after expenses: {amount} · margin {percent}",
            amount=t.money(profit.profit, currency),
            percent=t.percent(profit.margin_pct),
        ),
    ]
