"""The page in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright) over a real uvicorn."""

from __future__ import annotations

import asyncio
import csv
import os
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from ksales.adapters.babel import BabelCatalog
from ksales.adapters.demo.crm import DemoCrm
from ksales.adapters.duckdb.store import DuckDbSalesStore
from ksales.adapters.memory import FixedClock
from ksales.domain.language import Language
from ksales.domain.model import Buyer, Order, OrderLine
from ksales.entrypoints.settings import Settings
from ksales.entrypoints.web import create_app
from ksales.ports.store import OrderChanges
from ksales.services.sync import SyncService
from tests.e2e.conftest import make_container
from tests.shop import NOW

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CATALOG = BabelCatalog()
DOCS = Path(__file__).resolve().parents[2] / "docs"

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip("Debian chromium is not installed (make browser); required under CI", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.browser


def spaced(text: str) -> str:
    """Text as compared here: CLDR's no-break, narrow and thin spaces as plain ones (ICU and Babel differ)."""
    return text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2009", " ")


def money(value: float | int | str, language: Language = Language.EN) -> str:
    """Money as the page shows it in `language`, by the same CLDR data: `₴11,717.00` / `11 717,00 ₴`."""
    return spaced(CATALOG.translator(language).money(Decimal(str(value)), "UAH"))


def demo_store(settings: Settings, clock: FixedClock) -> DuckDbSalesStore:
    """The whole deterministic demo shop (two years, so that repeat customers look real), loaded through
    the real sync service into the real DuckDB store."""
    store = DuckDbSalesStore(None, settings.rules)
    crm = DemoCrm(clock=clock, seed=7, timezone=settings.timezone, orders_per_year=8000)
    # In a thread of its own: Playwright's sync API may already run an event loop in this one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, SyncService(crm, store, clock).full(days=crm.history_days)).result()
    return store


class Server:
    def __init__(self) -> None:
        self.clock = FixedClock(NOW)
        base = Settings.from_mapping({})
        self.store = demo_store(base, self.clock)
        today_revenue = self.api_like_today_revenue(base)
        # One daily milestone just above today's retail revenue: a new order crosses it.
        self.threshold = int(today_revenue) + 500
        env = {"KSALES_MILESTONES_DAILY": str(self.threshold), "KSALES_EXCLUDED_SOURCE_IDS": ""}
        self.container = make_container(env, store=self.store, clock=self.clock)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        config = uvicorn.Config(
            create_app(self.container, background=False),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            access_log=False,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.url = f"http://127.0.0.1:{self.port}"

    def api_like_today_revenue(self, settings: Settings) -> Decimal:
        from ksales.services.analytics import AnalyticsService

        service = AnalyticsService(self.store, settings.rules, settings.milestones, self.clock)
        return service.summary(service.parse({})).revenue

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def api(self, path: str, **params: str) -> Any:
        response = httpx.get(f"{self.url}{path}", params=params, timeout=10)
        assert response.status_code == 200, response.text
        return response.json()

    def add_retail_order(self, total: str) -> None:
        # A minute ago: today's figures count the orders placed before now (same time of day, SPEC §5).
        placed = self.clock.now() - timedelta(minutes=1)
        line = OrderLine("Celebration cake", Decimal(1), Decimal(total))
        order = Order(
            9_000_001, 1, Decimal(total), placed, placed, placed, 1, 1, None, Buyer(9_000_001), (line,)
        )
        self.store.apply(OrderChanges(upserts=(order,)))


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    running = Server()
    running.start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    tab = context.new_page()
    tab.errors = []
    tab.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    yield tab
    context.close()


def wait_idle(page: Any, after: int = 0) -> str:
    """Wait until a load newer than `after` has finished; return the page state (ready or error)."""
    try:
        page.wait_for_function(
            "n => document.body.dataset.state !== 'loading' && Number(document.body.dataset.seq) > n",
            arg=after,
            polling=50,  # an interval, not animation frames: those pause in background tabs
        )
    except sync_api.TimeoutError:
        state = page.evaluate("({...document.body.dataset, url: location.href})")
        raise AssertionError(f"the page did not settle: {state} {page.errors}") from None
    return str(page.evaluate("document.body.dataset.state"))


def settle(page: Any, after: int = 0) -> int:
    """Wait for the next finished load, which must have succeeded; return its number."""
    assert wait_idle(page, after) == "ready", page.text_content("#error-text")
    return int(page.evaluate("document.body.dataset.seq"))


def card(page: Any, name: str) -> str:
    return spaced(str(page.text_content(f"#card-{name} .value")))


def test_page_shows_the_api_figures_and_follows_the_filters(page: Any, server: Server) -> None:
    page.goto(server.url + "/")
    seq = settle(page)
    summary = server.api("/api/summary")
    assert card(page, "revenue") == money(summary["revenue"])
    assert card(page, "orders") == str(summary["orders"])
    assert card(page, "aov") == money(summary["avg_check"])

    page.click("#period-buttons button[data-period=month]")
    seq = settle(page, seq)
    assert "period=month" in page.url
    assert card(page, "revenue") == money(server.api("/api/summary", period="month")["revenue"])

    page.select_option("#sales-type", "b2b")
    seq = settle(page, seq)
    b2b = server.api("/api/summary", period="month", sales_type="b2b")
    assert card(page, "revenue") == money(b2b["revenue"])

    source = server.api("/api/sources")[0]
    page.select_option("#sales-type", "all")
    seq = settle(page, seq)
    page.select_option("#source", str(source["id"]))
    seq = settle(page, seq)
    narrowed = server.api("/api/summary", period="month", sales_type="all", source_id=str(source["id"]))
    assert card(page, "revenue") == money(narrowed["revenue"])
    assert card(page, "orders") == str(narrowed["orders"])

    # The link reproduces the view; the back button returns to the previous one.
    other = page.context.new_page()
    other.goto(page.url)
    settle(other)
    assert card(other, "revenue") == money(narrowed["revenue"])
    assert other.input_value("#sales-type") == "all"
    assert other.input_value("#source") == str(source["id"])
    other.close()
    page.go_back()
    settle(page, seq)
    assert page.input_value("#source") == ""
    assert card(page, "revenue") == money(
        server.api("/api/summary", period="month", sales_type="all")["revenue"]
    )
    assert page.errors == []


def test_category_slice_drills_down_and_back(page: Any, server: Server) -> None:
    page.goto(server.url + "/?period=month&sales_type=all")
    seq = settle(page)
    rows = server.api("/api/categories/breakdown", period="month", sales_type="all")["categories"]
    index = next(i for i, row in enumerate(rows) if row["has_children"])
    page.locator("#chart-categories").scroll_into_view_if_needed()
    point = page.evaluate(
        """i => { const c = Chart.getChart('chart-categories');
                 const p = c.getDatasetMeta(0).data[i].tooltipPosition();
                 const r = c.canvas.getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }""",
        index,
    )
    page.mouse.click(point[0], point[1])
    seq = settle(page, seq)
    parent = rows[index]["id"]
    assert page.get_attribute("#panel-categories", "data-parent") == str(parent)
    assert f"drill={parent}" in page.url
    assert rows[index]["name"] in str(page.text_content("#category-crumb"))
    children = server.api(
        "/api/categories/breakdown", period="month", sales_type="all", parent_id=str(parent)
    )
    labels = page.evaluate("Chart.getChart('chart-categories').data.labels")
    assert labels == [
        c["name"][:25] + "…" if len(c["name"]) > 26 else c["name"] for c in children["categories"]
    ]

    centre = page.evaluate(
        """() => { const c = Chart.getChart('chart-categories');
                  const m = c.getDatasetMeta(0).data[0]; const r = c.canvas.getBoundingClientRect();
                  return [r.left + m.x, r.top + m.y]; }"""
    )
    page.mouse.click(centre[0], centre[1])
    seq = settle(page, seq)
    assert page.get_attribute("#panel-categories", "data-parent") == ""
    assert "drill=" not in page.url

    page.go_back()
    settle(page, seq)
    assert page.get_attribute("#panel-categories", "data-parent") == str(parent)
    assert page.errors == []


def test_errors_and_empty_states_are_visible(page: Any, server: Server) -> None:
    page.goto(server.url + "/?source_id=424242")
    assert wait_idle(page) == "error"
    assert "source_id" in str(page.text_content("#error-text"))
    assert page.is_visible("#error-banner")
    failed = int(page.evaluate("document.body.dataset.seq"))  # read before the click: the reload may be quick
    page.click("#error-reset")
    settle(page, failed)
    assert not page.is_visible("#error-banner")

    page.goto(server.url + "/?period=custom&start_date=2001-01-01&end_date=2001-01-31")
    settle(page)
    assert page.is_visible("#panel-trend .empty")
    assert card(page, "revenue") == money(0)


def test_crossing_a_milestone_throws_confetti_once(page: Any, server: Server) -> None:
    page.goto(server.url + "/")
    seq = settle(page)
    assert page.get_attribute("#milestone", "data-celebrated") is None
    server.add_retail_order("1000")
    try:
        page.click("#refresh")
        seq = settle(page, seq)
        assert page.get_attribute("#milestone", "data-celebrated") == str(server.threshold)
        assert "Milestone reached" in str(page.text_content("#milestone-text"))
        page.click("#refresh")
        settle(page, seq)
        assert page.get_attribute("#milestone", "data-celebrated") is None
    finally:
        server.store.apply(OrderChanges(deletions=frozenset({9_000_001})))
    assert page.errors == []


def test_screenshots(browser: Any, server: Server, tmp_path: Path) -> None:
    """A desktop and a 375 px phone view; the phone view must not scroll sideways.

    With KSALES_UPDATE_SCREENSHOT=1 the desktop picture replaces docs/dashboard.png (the README's).
    """
    desktop = (
        DOCS / "dashboard.png" if os.environ.get("KSALES_UPDATE_SCREENSHOT") == "1" else tmp_path / "d.png"
    )
    for width, target in ((1280, desktop), (375, tmp_path / "dashboard-375.png")):
        # Reduced motion: the page then draws its charts without animation, so the picture is final.
        context = browser.new_context(
            viewport={"width": width, "height": 900}, device_scale_factor=1, reduced_motion="reduce"
        )
        tab = context.new_page()
        tab.goto(server.url + "/?period=month&sales_type=all")
        settle(tab)
        tab.evaluate("document.fonts.ready")
        assert tab.evaluate("document.documentElement.scrollWidth") <= width
        target.parent.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(target), full_page=True)
        context.close()
    if os.environ.get("KSALES_SCREENSHOT_DIR"):
        phone = Path(os.environ["KSALES_SCREENSHOT_DIR"]) / "dashboard-375.png"
        phone.write_bytes((tmp_path / "dashboard-375.png").read_bytes())


def page_module(page: Any, name: str, expression: str) -> Any:
    """Evaluate `expression` over `m`, the page's own instance of the ES module `name` (e.g. "query.js")."""
    return page.evaluate(
        f"""async () => {{
              const entry = document.querySelector('script[type=module]').src;
              const m = await import(new URL({name!r}, entry));
              return {expression};
            }}"""
    )


def test_the_page_offers_what_the_api_accepts(page: Any, server: Server) -> None:
    page.goto(server.url + "/")
    settle(page)
    document = server.api("/api/openapi.json")
    shared = document["paths"]["/api/summary"]["get"]["parameters"]
    enums = {p["name"]: p["schema"].get("enum") for p in shared}
    trend = document["paths"]["/api/revenue/trend"]["get"]["parameters"]
    enums["granularity"] = next(p["schema"]["enum"] for p in trend if p["name"] == "granularity")

    assert page_module(page, "query.js", "m.API_PARAMS") == [p["name"] for p in shared]
    # The milestone memory keys on the filters that the API echoes.
    assert page_module(page, "query.js", "m.FILTERS") == list(server.api("/api/summary")["filters"])
    values = "(list) => list.map((c) => c.value)"
    assert page_module(page, "labels.js", f"({values})(m.PERIODS)") == enums["period"]
    assert page_module(page, "labels.js", f"({values})(m.SALES_TYPES)") == enums["sales_type"]
    assert page_module(page, "labels.js", f"({values})(m.COMPARISONS)") == enums["compare"]
    assert page_module(page, "labels.js", f"({values})(m.GRANULARITIES)") == enums["granularity"]
    # The controls are built from those lists.
    assert (
        page.eval_on_selector_all("#period-buttons button", "bs => bs.map(b => b.dataset.period)")
        == (enums["period"])
    )
    assert (
        page.eval_on_selector_all("#sales-type option", "os => os.map(o => o.value)") == enums["sales_type"]
    )
    assert page.eval_on_selector_all("#compare option", "os => os.map(o => o.value)") == enums["compare"]
    assert page.errors == []


def test_the_url_and_the_api_queries(page: Any, server: Server) -> None:
    page.goto(server.url + "/")
    settle(page)

    def query(expression: str) -> Any:
        return page_module(page, "query.js", expression)

    state = query("m.fromURL('?period=MONTH&brand=%20Nike%20&granularity=Week&sales_type=&foo=1')")
    assert state == {
        "period": "month",
        "start_date": "",
        "end_date": "",
        "sales_type": "retail",
        "source_id": "",
        "category_id": "",
        "brand": "Nike",
        "compare": "previous_period",
        "granularity": "week",
        "drill": "",
        "lang": "",
    }
    # Dates without a period are a custom range; a named period ignores dates.
    assert query("m.fromURL('?start_date=2026-01-01&end_date=2026-01-31').period") == "custom"
    assert query("m.fromURL('?period=week&start_date=2026-01-01&end_date=2026-01-31').period") == "week"

    page_url = "s => m.pageQuery(m.fromURL(s)).toString()"
    api = "s => m.apiQuery(m.fromURL(s)).toString()"
    assert query(f"({page_url})('')") == ""
    assert query(f"({page_url})('?period=today&brand=Nike&drill=5&start_date=2026-01-01')") == (
        "brand=Nike&drill=5"
    )
    assert query(f"({api})('?brand=Nike&drill=5&granularity=week&start_date=2026-01-01')") == (
        "period=today&sales_type=retail&brand=Nike&compare=previous_period"
    )
    assert query(f"({api})('?start_date=2026-01-01&end_date=2026-01-31&compare=none')") == (
        "start_date=2026-01-01&end_date=2026-01-31&sales_type=retail&compare=none"
    )


CSV_CARDS = [
    "panel-trend",
    "panel-sources",
    "panel-sources-share",
    "panel-products-qty",
    "panel-products-rev",
    "panel-categories",
    "panel-customers",
    "panel-brands",
    "panel-profit",
]


def test_every_chart_card_downloads_its_csv(page: Any, server: Server) -> None:
    page.goto(server.url + "/?period=month&sales_type=all")
    settle(page)
    summary = server.api("/api/summary", period="month", sales_type="all")
    start, end = summary["period"]["start"], summary["period"]["end"]
    for card_id in CSV_CARDS:
        href = page.get_attribute(f"#{card_id} a.csv-link", "href")
        assert href is not None and "format=csv" in href and "period=month" in href, card_id
        answer = page.evaluate(
            """async h => { const r = await fetch(h); const b = new Uint8Array(await r.arrayBuffer());
                           return [r.status, r.headers.get('content-type'), Array.from(b.slice(0, 3))]; }""",
            href,
        )
        assert answer == [200, "text/csv; charset=utf-8", [0xEF, 0xBB, 0xBF]], card_id

    with page.expect_download() as started:
        page.click("#panel-sources a.csv-link")
    download = started.value
    assert download.suggested_filename == f"ksales_sales_by_source_{start}_{end}.csv"
    rows = list(csv.reader(Path(download.path()).read_text(encoding="utf-8-sig").splitlines()))
    names = [
        row["name"] for row in server.api("/api/sales/by-source", period="month", sales_type="all")["sources"]
    ]
    assert rows[0] == ["id", "name", "orders", "revenue", "share_pct"]
    assert [row[1] for row in rows[1:]] == names
    assert page.errors == []


# --- the page in Ukrainian and in English (SPEC §9) ---------------------------------------------------

#: Where test_the_page_in_both_languages_fits_desktop_and_phone leaves its pictures, when set.
SCREENSHOTS = os.environ.get("KSALES_LANG_SCREENSHOTS")


def open_in(browser: Any, path: str, accept_language: str, width: int = 1280) -> Any:
    """A tab of a browser that sends `Accept-Language: accept_language`, on `path`, settled."""
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        extra_http_headers={"Accept-Language": accept_language},
        device_scale_factor=1,
        reduced_motion="reduce",
    )
    tab = context.new_page()
    tab.errors = []
    tab.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    tab.goto(path)
    settle(tab)
    return tab


@pytest.mark.parametrize(
    ("query", "locale", "language"),
    [
        ("?lang=uk", "en-US", Language.UK),  # ?lang= first
        ("?lang=en", "uk-UA", Language.EN),
        ("", "uk-UA,uk;q=0.9", Language.UK),  # else the browser's Accept-Language
        ("", "en-US", Language.EN),
        ("", "de-DE", Language.EN),  # else KSALES_LANGUAGE (en in these tests)
    ],
)
def test_the_page_speaks_the_chosen_language(
    browser: Any, server: Server, query: str, locale: str, language: Language
) -> None:
    tab = open_in(browser, server.url + "/" + query, locale)
    try:
        t = CATALOG.translator(language)
        assert tab.get_attribute("html", "lang") == language.value
        assert tab.text_content("h1") == t.gettext("Sales dashboard")
        assert tab.text_content("#card-revenue h2") == t.gettext("Revenue")
        assert tab.text_content("#period-buttons button[data-period=week]") == t.gettext("This week")
        assert tab.get_attribute("#lang-switch a[aria-current=true]", "data-lang") == language.value
        summary = server.api("/api/summary")
        assert card(tab, "revenue") == money(summary["revenue"], language)
        assert tab.errors == []
    finally:
        tab.context.close()


def test_the_ukrainian_page_has_no_english_left(browser: Any, server: Server) -> None:
    tab = open_in(browser, server.url + "/?period=month&sales_type=all&lang=uk", "uk-UA")
    try:
        words = tab.evaluate(
            "document.querySelector('main').innerText + document.querySelector('header').innerText"
        )
        english = {
            "Revenue",
            "Orders",
            "Average check",
            "Returns",
            "Milestone",
            "Today",
            "Refresh",
            "Updated",
        }
        assert not {word for word in english if word in words}, words
        assert tab.text_content("#panel-trend a.csv-link") == "CSV"
        categories = tab.evaluate("Chart.getChart('chart-categories').data.labels")
        assert "Без категорії" in categories and "Uncategorized" not in categories
        assert tab.get_attribute("#panel-trend a.csv-link", "title") == (
            "Завантажити ці дані як CSV (відкривається в Excel)"
        )
    finally:
        tab.context.close()


def test_the_language_switch_keeps_the_filters(browser: Any, server: Server) -> None:
    tab = open_in(browser, server.url + "/?period=month&sales_type=all", "en-GB")
    try:
        source = server.api("/api/sources")[0]
        seq = int(tab.evaluate("document.body.dataset.seq"))
        tab.select_option("#source", str(source["id"]))
        settle(tab, seq)
        with tab.expect_navigation():
            tab.click("#lang-switch a[data-lang=uk]")
        settle(tab)
        assert tab.get_attribute("html", "lang") == "uk"
        assert "lang=uk" in tab.url and "period=month" in tab.url and "sales_type=all" in tab.url
        assert f"source_id={source['id']}" in tab.url
        assert tab.input_value("#sales-type") == "all"
        assert tab.input_value("#source") == str(source["id"])
        narrowed = server.api("/api/summary", period="month", sales_type="all", source_id=str(source["id"]))
        assert card(tab, "revenue") == money(narrowed["revenue"], Language.UK)
        # A filter changed in Ukrainian keeps the language in the URL; the switch leads back to English.
        seq = int(tab.evaluate("document.body.dataset.seq"))
        tab.click("#period-buttons button[data-period=week]")
        settle(tab, seq)
        assert "lang=uk" in tab.url and "period=week" in tab.url
        english = str(tab.get_attribute("#lang-switch a[data-lang=en]", "href"))
        assert "lang=en" in english and "period=week" in english and f"source_id={source['id']}" in english
        assert tab.errors == []
    finally:
        tab.context.close()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (Language.UK, {2500: "2,5 тис.", 1500: "1,5 тис.", 999: "999", 2_585_002: "2,6 млн"}),
        (Language.EN, {2500: "2.5K", 1500: "1.5K", 999: "999", 2_585_002: "2.6M"}),
    ],
)
def test_chart_axes_are_compact_in_the_pages_language(
    browser: Any, server: Server, language: Language, expected: dict[int, str]
) -> None:
    tab = open_in(browser, server.url + f"/?period=month&lang={language.value}", "en-GB")
    try:
        shown = {value: spaced(page_module(tab, "format.js", f"m.moneyShort({value})")) for value in expected}
        assert shown == expected
        ticks = tab.evaluate(
            "(() => { const s = Chart.getChart('chart-trend').scales.y;"
            " return s.ticks.map((t) => [t.value, t.label]); })()"
        )
        assert len(ticks) > 2
        for value, label in ticks:
            assert spaced(label) == spaced(page_module(tab, "format.js", f"m.moneyShort({value})"))
        tooltip = tab.evaluate(
            "Chart.getChart('chart-trend').options.plugins.tooltip.callbacks.label("
            "{ datasetIndex: 0, dataIndex: 0 })"
        )
        first = server.api("/api/revenue/trend", period="month")["points"][0]
        t = CATALOG.translator(language)
        day = date.fromisoformat(first["date"])
        assert spaced(tooltip).startswith(
            spaced(t.day(day)) + ": " + money(first["revenue"], language) + " · "
        )
    finally:
        tab.context.close()


@pytest.mark.parametrize("language", list(Language))
@pytest.mark.parametrize("width", [1280, 390])
def test_the_page_in_both_languages_fits_desktop_and_phone(
    browser: Any, server: Server, tmp_path: Path, language: Language, width: int
) -> None:
    """Ukrainian texts are longer: nothing scrolls sideways and no control or heading clips its text."""
    tab = open_in(
        browser, server.url + f"/?period=month&sales_type=all&lang={language.value}", "en-GB", width
    )
    try:
        tab.evaluate("document.fonts.ready")
        assert tab.evaluate("document.documentElement.scrollWidth") <= width
        clipped = tab.evaluate(
            """() => Array.from(document.querySelectorAll(
                   'button, a.btn, .lang-switch a, label, h1, h2, .card .value, .card .change, select'))
                 .filter((e) => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
                 .map((e) => e.id || e.textContent.trim().slice(0, 40))"""
        )
        assert clipped == []
        target = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
        target.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(target / f"lang-{language.value}-{width}.png"), full_page=True)
        assert tab.errors == []
    finally:
        tab.context.close()
