"""The Inventory section in headless Chromium over tests/stockshop.py: buckets, tables, the value's gaps."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn

from ksales.adapters.memory import FixedClock
from ksales.entrypoints.web import create_app
from tests import stockshop
from tests.e2e.conftest import make_container, shop_store
from tests.e2e.test_web_browser import CHROMIUM, CHROMIUM_ARGS
from tests.shop import NOW

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip("Debian chromium is not installed (make browser); required under CI", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    base = make_container()
    container = make_container(store=stockshop.fill(shop_store(base.settings())), clock=FixedClock(NOW))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        create_app(container, background=False), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_inventory_section_shows_buckets_restock_dead_stock_and_value(
    browser: Any, url: str, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url + "/?period=last_7_days&lang=en")
    page.wait_for_selector("#inventory-buckets li")
    page.wait_for_function("document.querySelectorAll('#inventory-restock tr').length === 2")
    buckets = page.eval_on_selector_all("#inventory-buckets li", "els => els.map(e => e.textContent)")
    assert buckets == [
        "1 out of stock",
        "1 low",
        "1 healthy",
        "1 overstock",
        "1 dead stock",
        "1 never sold",
        "1 inactive",
    ]
    restock = page.eval_on_selector_all(
        "#inventory-restock tr", "rows => rows.map(r => [...r.cells].map(c => c.textContent))"
    )
    assert restock == [["Shirt (SKU-2)", "0", "0.1", "—"], ["Maxi dress (SKU-1)", "2", "1", "2"]]
    dead = page.eval_on_selector_all(
        "#inventory-dead tr", "rows => rows.map(r => [...r.cells].map(c => c.textContent))"
    )
    assert dead == [["Sneakers (SKU-3)", "50", "₴10,000.00"]]
    assert "at cost ₴52,700.00" in str(page.text_content("#inventory-meta"))
    # the value per day: 20–26 Nov up to the last snapshot, no value where no snapshot was taken
    values = page.evaluate("Chart.getChart('chart-inventory').data.datasets[0].data")
    assert values == [None, None, None, 151500, None, 63900, 52700]
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert errors == []
    context.close()
