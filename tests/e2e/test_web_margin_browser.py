"""The page's costs in headless Chromium: the profit card's cost of goods and coverage, the Margin section."""

from __future__ import annotations

from typing import Any

from tests.e2e.test_web_browser import (  # noqa: F401  (the module's fixtures)
    Server,
    browser,
    money,
    page,
    server,
    settle,
    spaced,
)


def test_the_open_dashboard_shows_costs_and_margins(page: Any, server: Server) -> None:  # noqa: F811
    page.goto(server.url + "/?period=month")
    settle(page)
    profit = server.api("/api/expenses/profit", period="month")
    assert spaced(str(page.text_content("#profit-cogs"))) == money(profit["cogs"])
    assert spaced(str(page.text_content("#profit-net"))) == money(profit["profit"])
    assert page.is_visible("#profit-cogs")
    assert "Costs known for" in str(page.text_content("#profit-coverage"))
    assert page.is_visible("#panel-margin")
    assert not page.is_visible("#margin-up")
    assert page.evaluate("Chart.getChart('chart-margin-brands').data.labels.length") > 0
    roots = server.api("/api/margin/breakdown", period="month", by="category")
    labels = page.evaluate("Chart.getChart('chart-margin-categories').data.labels")
    assert [label.split(" · ")[0] for label in labels] == [r["name"] for r in roots["rows"]]
    index = next(i for i, r in enumerate(roots["rows"]) if r["has_children"])
    # Click that category's bar: it drills down, Back goes up again.
    page.locator("#chart-margin-categories").scroll_into_view_if_needed()
    box = page.locator("#chart-margin-categories").bounding_box()
    bar = page.evaluate(
        "i => { const b = Chart.getChart('chart-margin-categories').getDatasetMeta(0).data[i];"
        " return { x: b.base + (b.x - b.base) / 2, y: b.y }; }",
        index,
    )
    page.mouse.click(box["x"] + bar["x"], box["y"] + bar["y"])
    page.wait_for_selector("#margin-up", state="visible")
    assert str(page.text_content("#margin-parent")) == roots["rows"][index]["name"]
    children = server.api(
        "/api/margin/breakdown", period="month", by="category", parent_id=str(roots["rows"][index]["id"])
    )
    page.wait_for_function(
        "n => Chart.getChart('chart-margin-categories').data.labels.length === n", arg=len(children["rows"])
    )
    page.click("#margin-up")
    page.wait_for_selector("#margin-up", state="hidden")
    assert page.errors == []
