"""The pace on the page in headless Chromium: "until 12:30" cards, "on pace for", the dashed projection, the
goal beside the milestones, and an admin setting the goal from the page (CSRF token and all)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from ksales.adapters.memory.users import InMemoryUserStore
from ksales.domain.users import User, UserStatus
from ksales.entrypoints.web import create_app
from ksales.entrypoints.web.auth import SESSION_COOKIE
from tests.e2e.conftest import make_container
from tests.e2e.test_web_browser import CHROMIUM, CHROMIUM_ARGS, settle, spaced, sync_api

pytestmark = pytest.mark.browser
ADMIN, MEMBER = 1, 2


class Server:
    def __init__(self, env: dict[str, str]) -> None:
        users = InMemoryUserStore([User(MEMBER, UserStatus.APPROVED, "member")])
        self.container = make_container({"KSALES_GOALS": "2026-11=10000", **env}, users=users)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        app = create_app(self.container, background=False)
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", access_log=False)
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert time.monotonic() < deadline and self.thread.is_alive(), "uvicorn did not start"
            time.sleep(0.02)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    env = {
        "BOT_TOKEN": "123456:TEST-token",
        "ADMIN_USER_IDS": str(ADMIN),
        "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9",
    }
    with Server(env) as running:
        yield running


def logged_in(browser: Any, server: Server, user_id: int, width: int = 1280) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
    session = server.container.auth().issue(user_id)
    context.add_cookies([{"name": SESSION_COOKIE, "value": session, "url": server.url}])
    tab = context.new_page()
    tab.errors = []
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    return tab


def test_cards_say_until_when_and_the_month_shows_its_pace_and_goal(browser: Any, server: Server) -> None:
    page = logged_in(browser, server, MEMBER)
    page.goto(server.url + "/?period=today")
    settle(page)
    change = spaced(str(page.text_content("#card-revenue .change")))
    assert change.endswith("until 12:30"), change
    assert "vs" in change
    assert spaced(str(page.text_content("#card-revenue-pace"))).startswith("on pace for ₴")
    assert page.is_hidden("#goal")  # no goal for a day
    page.goto(server.url + "/?period=month")
    settle(page)
    orders_change = spaced(str(page.text_content("#card-orders .change")))
    assert orders_change.endswith("vs Oct 1 – 26, 2026 until 12:30"), orders_change
    assert page.is_visible("#goal")
    assert "₴10,000.00" in spaced(str(page.text_content("#goal-text")))
    assert "from KSALES_GOALS" in str(page.text_content("#goal-text"))
    assert page.text_content("#goal-pace")
    assert page.is_hidden("#goal-form")  # not an admin
    datasets = page.evaluate("Chart.getChart('chart-trend').data.datasets.map(d => [d.label, d.borderDash])")
    assert datasets[-1][0] == "Projection" and datasets[-1][1] == [6, 5]
    labels = page.evaluate("Chart.getChart('chart-trend').data.labels.length")
    assert labels == 30  # 1–26 Nov drawn, dashed on to the 30th
    # The dashed line starts where the revenue line ends (the same point, not a copy drawn elsewhere).
    ends = page.evaluate(
        "(() => { const c = Chart.getChart('chart-trend'); const last = c.data.datasets.length - 1;"
        " return [c.getDatasetMeta(0).data[25].x, c.getDatasetMeta(last).data[25].x]; })()"
    )
    assert ends[0] == ends[1]
    assert page.errors == []
    page.context.close()


def test_an_admin_sets_the_goal_on_the_page(browser: Any, server: Server, tmp_path: Path) -> None:
    page = logged_in(browser, server, ADMIN)
    page.goto(server.url + "/?period=month")
    seq = settle(page)
    assert page.is_visible("#goal-form")
    page.fill("#goal-amount", "abc")
    page.click("#goal-form button")
    assert page.text_content("#goal-error") == "Enter a positive amount."
    page.fill("#goal-amount", "12 500")
    page.click("#goal-form button")
    settle(page, seq)
    page.wait_for_function("document.getElementById('goal-text').textContent.includes('set by an admin')")
    assert "₴12,500.00" in spaced(str(page.text_content("#goal-text")))
    assert page.errors == []
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(800)  # only for the picture: let the chart's animation finish
        page.screenshot(path=str(tmp_path / f"pace-{width}.png"), full_page=False)
    page.context.close()
