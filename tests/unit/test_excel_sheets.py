"""The workbook's cost columns (Products, Categories, Brands), its Customers and its Inventory sheets, read
back from the file and held against the margin breakdown and the hand-worked shops (tests/margin_shop.py,
tests/customer_shop.py, tests/stockshop.py)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from ksales.adapters.excel.writer import OpenpyxlReportWriter
from ksales.adapters.memory import FixedClock, InMemorySalesStore
from ksales.domain.filters import Filters
from ksales.domain.language import Language
from ksales.domain.margin import MarginBy, MarginRow
from ksales.domain.milestones import MilestoneConfig
from ksales.domain.workbook import WorkbookReport
from ksales.ports.store import OrderChanges
from ksales.services.analytics import AnalyticsService
from ksales.services.inventory import InventoryService
from ksales.services.params import ReportRequest
from ksales.services.workbook import workbook_report
from tests import stockshop
from tests.customer_shop import CUSTOMER_ORDERS, NOVEMBER
from tests.i18n import CATALOG
from tests.margin_shop import MARGIN_ORDERS
from tests.shop import DICTIONARIES, NOW, RULES

D = Decimal
COST_HEADERS = ("Cost of goods", "Gross profit", "Gross margin", "Cost coverage")
Rows = list[tuple[Any, ...]]


def shop(*orders: Any) -> tuple[AnalyticsService, InventoryService]:
    store = InMemorySalesStore(RULES)
    store.save_dictionaries(DICTIONARIES)
    store.apply(OrderChanges(tuple(orders)))
    return (
        AnalyticsService(store, RULES, MilestoneConfig(), FixedClock(NOW)),
        InventoryService(store, restock_days=14),
    )


def book_of(report: WorkbookReport, language: Language = Language.EN) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(OpenpyxlReportWriter(CATALOG).write(report, language)))


def rows(book: openpyxl.Workbook, name: str) -> Rows:
    """A sheet's rows, without the empty cells that pad them to the widest row."""
    found = []
    for row in book[name].iter_rows(values_only=True):
        cells = list(row)
        while cells and cells[-1] is None:
            cells.pop()
        found.append(tuple(cells))
    return found


def section(sheet_rows: Rows, title: str) -> Rows:
    """The rows under a section's title, up to the blank row that ends it."""
    start = next(i for i, r in enumerate(sheet_rows) if r and r[0] == title) + 1
    end = next((i for i in range(start, len(sheet_rows)) if not sheet_rows[i]), None)
    return sheet_rows[start:end]


def num(value: object) -> Decimal:
    return D(str(value))


def costs_of(row: tuple[Any, ...], header: tuple[Any, ...]) -> tuple[Decimal, ...]:
    at = header.index("Cost of goods")
    return tuple(num(v) for v in row[at : at + 4])


def expected(row: MarginRow) -> tuple[Decimal, ...]:
    """A breakdown row's figures as the sheet stores them (percentages as fractions)."""
    return (row.cogs, row.gross_profit, row.gross_margin_pct / 100, row.cost_coverage_pct / 100)


# --- cost columns (SPEC §7 /excel, #14) ------------------------------------------------------------


@pytest.fixture(scope="module")
def margin_shop() -> tuple[AnalyticsService, InventoryService]:
    return shop(*MARGIN_ORDERS)


def test_an_admins_products_categories_and_brands_carry_the_margin_breakdowns(
    margin_shop: tuple[AnalyticsService, InventoryService],
) -> None:
    analytics, inventory = margin_shop
    request = ReportRequest(NOVEMBER, Filters())
    book = book_of(workbook_report(analytics, inventory, request, costs=True, contacts=True))
    by = {b: analytics.margin_breakdown(request, b, limit=200) for b in MarginBy}

    products = rows(book, "Products")
    header, body, total = products[0], products[1:-1], products[-1]
    assert header[-4:] == COST_HEADERS
    breakdown = {(r.id, r.name if r.id is None else ""): r for r in by[MarginBy.PRODUCT].rows}
    assert len(body) == len(breakdown) == 4
    for row in body:
        assert costs_of(row, header) == expected(breakdown[(row[1], row[0] if row[1] is None else "")])
    sneakers = next(r for r in body if r[0] == "Sneakers")
    assert costs_of(sneakers, header) == (D("300.75"), D("449.25"), D("0.599"), D(1))  # worked by hand
    shirt = next(r for r in body if r[0] == "Shirt")
    assert costs_of(shirt, header)[3] == 0  # a zero purchase price is no known cost
    assert (num(total[header.index("Cost of goods")]), num(total[header.index("Gross profit")])) == (
        D("900.75"),
        D("1649.25"),
    )
    assert len(total) == header.index("Gross profit") + 1  # percentages are not summed: blank

    categories = rows(book, "Categories")
    header, body = categories[0], categories[1:-1]
    assert header[-4:] == COST_HEADERS
    breakdown_by_id = {r.id: r for r in by[MarginBy.CATEGORY].rows}
    for row in body:
        assert costs_of(row, header) == expected(breakdown_by_id[row[1]])
    clothing = next(r for r in body if r[0] == "Clothing")
    # the maxi dress (cost 600) and the shirt (no known cost): 1500 of revenue, 1000 of it costed
    assert costs_of(clothing, header)[:2] == (D(600), D(900))
    assert costs_of(clothing, header)[3] == D("0.6667")

    brands = rows(book, "Brands")
    header, body = brands[0], brands[1:-1]
    assert header[-4:] == COST_HEADERS
    by_brand = {r.name: r for r in by[MarginBy.BRAND].rows}
    assert [r[0] for r in body] == ["Zara", "Mango"]
    for row in body:
        assert costs_of(row, header) == expected(by_brand[row[0]])


def test_a_workbook_for_someone_who_may_not_see_costs_has_no_cost_figure(
    margin_shop: tuple[AnalyticsService, InventoryService],
) -> None:
    analytics, inventory = margin_shop
    report = workbook_report(analytics, inventory, ReportRequest(NOVEMBER), costs=False, contacts=False)
    assert report.costs is None
    book = book_of(report)
    assert "Margin" not in book.sheetnames
    for sheet in book.worksheets:
        cells = {v for row in sheet.iter_rows(values_only=True) for v in row}
        assert not cells & {*COST_HEADERS, "Value at cost", "Profit"}, sheet.title
        assert 900.75 not in cells and 1649.25 not in cells, sheet.title


def test_the_cost_columns_speak_ukrainian(margin_shop: tuple[AnalyticsService, InventoryService]) -> None:
    analytics, inventory = margin_shop
    report = workbook_report(analytics, inventory, ReportRequest(NOVEMBER), costs=True, contacts=False)
    book = book_of(report, Language.UK)
    assert rows(book, "Товари")[0][-4:] == (
        "Собівартість",
        "Валовий прибуток",
        "Валова маржа",
        "Покриття собівартістю",
    )
    assert book.sheetnames[7:] == ["Маржа", "Покупці", "Залишки"]


# --- Customers (SPEC §7, §5 Cohorts, Segments, #18) ------------------------------------------------


@pytest.fixture(scope="module")
def customer_shop() -> tuple[AnalyticsService, InventoryService]:
    return shop(*CUSTOMER_ORDERS)


def test_the_customers_sheet_has_segments_cohorts_and_the_time_to_a_second_purchase(
    customer_shop: tuple[AnalyticsService, InventoryService],
) -> None:
    analytics, inventory = customer_shop
    report = workbook_report(analytics, inventory, ReportRequest(NOVEMBER), costs=False, contacts=False)
    sheet = rows(book_of(report), "Customers")
    segments = section(sheet, "Segments on Nov 30, 2026")
    assert segments[0] == (
        "Segment", "Customers", "Revenue to date", "Orders per customer", "Days since the last order",
    )  # fmt: skip
    figures = {r[0]: (r[1], num(r[2]), num(r[3]), num(r[4])) for r in segments[1:-1]}
    assert list(figures) == ["Lost", "At risk", "Champions", "Loyal", "Promising", "First-timers", "One-time"]
    assert figures["At risk"] == (1, D(100), D(2), D(58))
    assert figures["First-timers"] == (2, D(110), D(1), D("17.5"))
    assert segments[-1][:3] == ("Total", 6, 880)  # every retail customer is in exactly one segment

    explained, median = section(sheet, "Time to the second purchase")
    assert explained[0].startswith("Customers whose second order falls in the period")
    assert median == ("Median, days", 23.5)

    cohorts = section(sheet, "Cohort retention")
    assert cohorts[0][0].startswith("A cohort is the month")
    assert cohorts[1][:5] == ("Cohort", "Customers", "Month 0", "Month 1", "Month 2")
    table = {r[0]: r[1:] for r in cohorts[2:]}
    assert len(table) == 12  # the 12 cohorts ending with November
    assert table["2026-09"][:4] == (2, 1, 0.5, 0.5)
    assert table["2026-10"] == (2, 0.5, 0.5)  # months after the period's end stay blank
    assert table["2026-11"] == (2, 1)
    assert "At-risk customers to call" not in [r[0] for r in sheet if r]  # contacts: admins only
    assert not any("@example.com" in str(v) for r in sheet for v in r)


def test_an_admin_also_gets_the_at_risk_customers_with_their_contacts(
    customer_shop: tuple[AnalyticsService, InventoryService],
) -> None:
    analytics, inventory = customer_shop
    report = workbook_report(analytics, inventory, ReportRequest(NOVEMBER), costs=False, contacts=True)
    at_risk = section(rows(book_of(report), "Customers"), "At-risk customers to call")
    assert at_risk[0][:3] == ("Name", "Phone", "E-mail")
    (buyer_c,) = at_risk[1:-1]
    assert buyer_c[:5] == ("Buyer C", "380670000333", "c@example.com", 2, 100)
    assert buyer_c[5:] == (datetime(2026, 10, 3), datetime(2026, 10, 3), 58, 0, 3)


# --- Inventory (SPEC §7, §5 Inventory, #19) --------------------------------------------------------


@pytest.fixture(scope="module")
def stock_shop() -> tuple[AnalyticsService, InventoryService]:
    analytics, inventory = shop()
    stockshop.fill(analytics.store)
    return analytics, inventory


def test_the_inventory_sheet_has_value_health_restock_and_dead_stock(
    stock_shop: tuple[AnalyticsService, InventoryService],
) -> None:
    analytics, inventory = stock_shop
    report = workbook_report(analytics, inventory, ReportRequest(NOVEMBER), costs=True, contacts=False)
    sheet = rows(book_of(report), "Inventory")
    summary = {r[0]: r[1] for r in section(sheet, "Latest stock snapshot")}
    assert summary["Snapshot date"] == datetime(2026, 11, 26)
    assert (summary["Offers in stock"], summary["Units available"]) == (5, 492)
    assert (summary["Value at price"], summary["Value at cost"]) == (154_000, 52_700)
    assert num(summary["Cost coverage of the value"]) == D("0.9935")  # offer 4 has no purchase price

    health = {r[0]: r[1] for r in section(sheet, "Health")[1:]}
    assert health == {
        "out of stock": 1, "low": 1, "healthy": 1, "overstock": 1, "dead stock": 1, "never sold": 1,
        "inactive": 1, "Total": 7,
    }  # fmt: skip

    restock = section(sheet, "Out of stock and low")
    header = restock[0]
    assert header == (
        "Product", "SKU", "Brand", "Category", "Health", "Available", "Days of supply", "Value at price",
        "Value at cost", "Offer id",
    )  # fmt: skip
    assert restock[1] == ("Shirt", "SKU-2", "Mango", "Shirts", "out of stock", 0, None, 0, 0, 2)
    assert restock[2] == ("Maxi dress", "SKU-1", "Zara", "Maxi dresses", "low", 2, 2, 2000, 1200, 1)

    offer_ids = [c for c in book_of(report)["Inventory"]["J"] if isinstance(c.value, int)]
    assert offer_ids and {c.number_format for c in offer_ids} == {"0"}  # ids without a thousands separator
    dead = section(sheet, "Dead stock (no sale in 90 days), by value")
    assert dead[1] == ("Sneakers", "SKU-3", None, "Shoes", "dead stock", 50, 25_000, 10_000, 3)


def test_stock_values_at_cost_only_for_those_who_may_see_costs(
    stock_shop: tuple[AnalyticsService, InventoryService],
) -> None:
    analytics, inventory = stock_shop
    report = workbook_report(analytics, inventory, ReportRequest(NOVEMBER), costs=False, contacts=False)
    sheet = rows(book_of(report), "Inventory")
    assert "Value at cost" not in {v for r in sheet for v in r}
    assert section(sheet, "Out of stock and low")[2] == (
        "Maxi dress", "SKU-1", "Zara", "Maxi dresses", "low", 2, 2, 2000, 1,
    )  # fmt: skip
    assert 52_700 not in {v for r in sheet for v in r}


def test_before_the_first_snapshot_the_inventory_sheet_says_so_in_one_row(
    customer_shop: tuple[AnalyticsService, InventoryService],
) -> None:
    analytics, inventory = customer_shop
    report = workbook_report(analytics, inventory, ReportRequest(NOVEMBER), costs=True, contacts=True)
    assert rows(book_of(report), "Inventory") == [
        ("Inventory",),
        ("No stock snapshot yet: ksales takes one a day from KeyCRM (or run `ksales sync --stocks`).",),
    ]
    uk = rows(book_of(report, Language.UK), "Залишки")
    assert uk[1][0].startswith("Знімка залишків ще немає")


@pytest.mark.slow
@pytest.mark.parametrize("language", [Language.UK, Language.EN])
def test_libreoffice_prints_an_admins_whole_workbook(tmp_path: Path, language: Language) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    analytics, inventory = shop(*CUSTOMER_ORDERS, *MARGIN_ORDERS)
    stockshop.fill(analytics.store)
    report = workbook_report(analytics, inventory, ReportRequest(NOVEMBER), costs=True, contacts=True)
    source = tmp_path / "book.xlsx"
    source.write_bytes(OpenpyxlReportWriter(CATALOG).write(report, language))
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--convert-to",
         "pdf", "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    pdf = (tmp_path / "book.pdf").read_bytes()
    # Ten sheets, each fitted to one page's width (the Customers and Inventory sections included).
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 10 <= pages <= 14, pages
