"""The customers section in headless Chromium: the cohort heat map, segment bars, the admins' at-risk list."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
import uvicorn

from ksales.adapters.memory import FixedClock
from ksales.adapters.memory.users import InMemoryUserStore
from ksales.domain.users import User, UserStatus
from ksales.entrypoints.settings import Settings
from ksales.entrypoints.web import create_app
from tests.e2e.conftest import make_container
from tests.e2e.test_web_auth import ADMIN, APPROVED, BOT_TOKEN, widget_fields
from tests.e2e.test_web_browser import CHROMIUM, CHROMIUM_ARGS, demo_store, spaced
from tests.shop import NOW

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser
#: Where the heat map screenshots go (a temporary directory unless set).
SCREENSHOTS = os.environ.get("KSALES_CUSTOMER_SCREENSHOTS")
LOGIN = {
    "BOT_TOKEN": BOT_TOKEN,
    "ADMIN_USER_IDS": str(ADMIN),
    "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/bot",
    "KSALES_EXCLUDED_SOURCE_IDS": "",
}
VIEW = "/?period=last_month&sales_type=all&lang=en"


def one_decimal_percent(value: float) -> str:
    """A retention as a heat map cell shows it in English: 1.41 → "1.4%", 50 → "50%"."""
    text = f"{Decimal(str(value)).quantize(Decimal('0.1'), ROUND_HALF_UP):f}"
    return text.removesuffix(".0") + "%"


class Server:
    def __init__(self) -> None:
        self.clock = FixedClock(NOW)
        self.store = demo_store(Settings.from_mapping({}), self.clock)
        users = InMemoryUserStore([User(APPROVED, UserStatus.APPROVED, "olena")])
        container = make_container(LOGIN, store=self.store, users=users, clock=self.clock)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        config = uvicorn.Config(
            create_app(container, background=False), host="127.0.0.1", port=self.port, log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)

    def api(self, user_id: int, path: str, **params: str) -> Any:
        with httpx.Client(base_url=self.url, timeout=10) as client:
            client.get("/auth/telegram/callback", params=widget_fields(user_id, self.clock))
            response = client.get(path, params=params)
        assert response.status_code == 200, response.text
        return response.json()


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


def logged_in(browser: Any, server: Server, user_id: int, width: int = 1280) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 900}, device_scale_factor=1)
    tab = context.new_page()
    tab.errors = []
    tab.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    tab.goto(server.url + "/auth/telegram/callback?" + urlencode(widget_fields(user_id, server.clock)))
    tab.goto(server.url + VIEW)
    tab.wait_for_function(
        "() => document.getElementById('panel-cohorts').dataset.state !== 'loading'", polling=50
    )
    assert tab.evaluate("document.getElementById('panel-cohorts').dataset.state") == "ready"
    return tab


def test_the_heat_map_segments_and_the_admins_calling_list(browser: Any, server: Server) -> None:
    tab = logged_in(browser, server, ADMIN)
    try:
        cohorts = server.api(ADMIN, "/api/customers/cohorts", period="last_month", sales_type="all")
        rows = tab.query_selector_all("#cohort-table tbody tr")
        assert len(rows) == len(cohorts["cohorts"]) == 12
        first = cohorts["cohorts"][0]
        cells = rows[0].query_selector_all("td.cell")
        assert len(cells) == len(first["months"]) == 12
        assert spaced(cells[0].text_content()) in ("100%", "100 %")
        assert spaced(cells[1].text_content()) == one_decimal_percent(first["months"][1]["retention_pct"])
        # colour follows retention: month 0 (100 %) is darker than a later month
        assert "dark" in (cells[0].get_attribute("class") or "")
        assert tab.text_content("#second-purchase").startswith("Median time to a second purchase")

        segments = server.api(ADMIN, "/api/customers/segments", period="last_month", sales_type="all")
        bars = tab.query_selector_all("#segment-bars li")
        assert [b.get_attribute("data-segment") for b in bars] == [s["segment"] for s in segments["segments"]]

        at_risk = server.api(
            ADMIN, "/api/customers/list", period="last_month", sales_type="all", segment="at_risk", limit="20"
        )
        assert tab.is_visible("#at-risk")
        listed = tab.query_selector_all("#at-risk-table tbody tr")
        assert len(listed) == len(at_risk["customers"]) > 0
        assert listed[0].query_selector_all("td")[1].text_content() == at_risk["customers"][0]["phone"]
        href = tab.get_attribute("#at-risk-csv", "href")
        assert href is not None and "segment=at_risk" in href and "format=csv" in href
        download = tab.request.get(server.url + href)
        assert download.status == 200 and download.headers["content-type"] == "text/csv; charset=utf-8"
        assert tab.errors == []
    finally:
        tab.context.close()


def test_an_approved_user_sees_the_heat_map_but_no_contacts(browser: Any, server: Server) -> None:
    tab = logged_in(browser, server, APPROVED)
    try:
        assert len(tab.query_selector_all("#cohort-table tbody tr")) == 12
        assert not tab.is_visible("#at-risk")
        assert tab.query_selector_all("#at-risk-table tbody tr") == []
        assert tab.errors == []  # the page does not even ask for the list
    finally:
        tab.context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_heat_map_reads_on_desktop_and_phone(
    browser: Any, server: Server, tmp_path: Path, width: int
) -> None:
    tab = logged_in(browser, server, ADMIN, width)
    try:
        assert tab.evaluate("document.documentElement.scrollWidth") <= width
        scroller = "document.querySelector('#panel-cohorts .heatmap-scroll')"
        if width < 600:  # the table scrolls inside its card, the page does not
            assert tab.evaluate(f"{scroller}.scrollWidth > {scroller}.clientWidth")
        target = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
        target.mkdir(parents=True, exist_ok=True)
        tab.locator("#panel-cohorts").screenshot(path=str(target / f"cohorts-{width}.png"))
        assert tab.errors == []
    finally:
        tab.context.close()
