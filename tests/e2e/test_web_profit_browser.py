"""The "Expenses and profit" card's waterfall in headless Chromium (SPEC §6, #14): revenue → cost of goods →
expenses → profit as floating bars for those who may see costs; no cost bar for the others; uk and en."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.e2e.test_customers_browser import Server
from tests.e2e.test_web_auth import ADMIN, APPROVED, widget_fields
from tests.e2e.test_web_browser import CHROMIUM, CHROMIUM_ARGS, page_module, settle

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser
#: Where the card's screenshots go (a temporary directory unless set).
SCREENSHOTS = os.environ.get("KSALES_PROFIT_SCREENSHOTS")
QUERY = {"period": "last_month", "sales_type": "all"}
CHART = "Chart.getChart('chart-profit')"


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    running = Server()
    yield running
    running.server.should_exit = True
    running.thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def opened(browser: Any, server: Server, user_id: int, language: str = "en", width: int = 1280) -> Any:
    # Reduced motion: the page then draws its charts without animation (what a screenshot shows is final).
    context = browser.new_context(
        viewport={"width": width, "height": 900}, device_scale_factor=1, reduced_motion="reduce"
    )
    tab = context.new_page()
    tab.errors = []
    tab.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    tab.goto(server.url + "/auth/telegram/callback?" + urlencode(widget_fields(user_id, server.clock)))
    tab.goto(server.url + "/?" + urlencode({**QUERY, "lang": language}))
    settle(tab)
    return tab


def bars(tab: Any) -> dict[str, Any]:
    return tab.evaluate(
        f"""() => {{ const c = {CHART}; const d = c.data.datasets[0];
              return {{ type: c.config.type, labels: c.data.labels, data: d.data,
                        colors: d.backgroundColor }}; }}"""
    )


def test_an_admin_sees_the_waterfall_from_revenue_to_profit(browser: Any, server: Server) -> None:
    tab = opened(browser, server, ADMIN)
    try:
        p = server.api(ADMIN, "/api/expenses/profit", **QUERY)
        chart = bars(tab)
        assert chart["type"] == "bar"
        assert chart["labels"] == ["Revenue", "Cost of goods", "Expenses", "Profit"]
        revenue, gross, profit = p["revenue"], p["gross_profit"], p["profit"]
        assert chart["data"] == [
            [0, revenue],
            [gross, revenue],  # the cost of goods, hanging from revenue down to gross profit
            [min(profit, gross), max(profit, gross)],
            [min(0, profit), max(0, profit)],
        ]
        assert abs(revenue - p["cogs"] - gross) < 0.005
        assert len(set(chart["colors"])) == 4  # every step its own colour
        shown = page_module(tab, "charts.js", f"m.waterfallSteps({json.dumps(p)}).map(m.stepText)")
        assert [s[0] == "−" for s in shown] == [False, True, True, profit < 0]  # the costs take money away
        tooltip = tab.evaluate(f"{CHART}.options.plugins.tooltip.callbacks.label({{ dataIndex: 1 }})")
        assert tooltip.startswith("Cost of goods: ")
        assert tab.errors == []
    finally:
        tab.context.close()


def test_someone_who_may_not_see_costs_gets_no_cost_bar(browser: Any, server: Server, tmp_path: Path) -> None:
    tab = opened(browser, server, APPROVED, width=390)
    try:
        p = server.api(APPROVED, "/api/expenses/profit", **QUERY)
        assert "cogs" not in p
        chart = bars(tab)
        assert chart["labels"] == ["Revenue", "Expenses", "Revenue minus expenses"]
        left = round(p["revenue"] - p["expenses"], 2)
        assert chart["data"] == [[0, p["revenue"]], [left, p["revenue"]], [min(0, left), max(0, left)]]
        assert not tab.is_visible("#profit-cogs")
        target = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
        target.mkdir(parents=True, exist_ok=True)
        tab.locator("#panel-profit").screenshot(path=str(target / "profit-390-en-approved.png"))
        assert tab.errors == []
    finally:
        tab.context.close()


def test_the_steps_speak_ukrainian(browser: Any, server: Server) -> None:
    tab = opened(browser, server, ADMIN, language="uk")
    try:
        assert bars(tab)["labels"] == ["Виторг", "Собівартість", "Витрати", "Прибуток"]
        assert tab.errors == []
    finally:
        tab.context.close()


@pytest.mark.parametrize(("width", "language"), [(1280, "en"), (390, "uk"), (390, "en")])
def test_the_card_reads_on_desktop_and_phone(
    browser: Any, server: Server, tmp_path: Path, width: int, language: str
) -> None:
    tab = opened(browser, server, ADMIN, language, width)
    try:
        assert tab.evaluate("document.documentElement.scrollWidth") <= width
        # Every step's name is drawn in full (wrapped on a phone, never cut or skipped).
        ticks = tab.evaluate(f"{CHART}.scales.x.ticks.map((t) => [].concat(t.label).join(' '))")
        assert ticks == bars(tab)["labels"]
        target = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
        target.mkdir(parents=True, exist_ok=True)
        tab.locator("#panel-profit").scroll_into_view_if_needed()
        tab.locator("#panel-profit").screenshot(path=str(target / f"profit-{width}-{language}.png"))
        assert tab.errors == []
    finally:
        tab.context.close()
