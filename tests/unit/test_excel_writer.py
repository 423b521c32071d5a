"""The Excel workbook: sheets, headers, formats and totals equal to the analytics service's figures."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from ksales.adapters.excel.writer import SHEETS, OpenpyxlReportWriter
from ksales.adapters.memory.clock import FixedClock
from ksales.adapters.memory.store import InMemorySalesStore
from ksales.domain.language import Language
from ksales.domain.milestones import MilestoneConfig
from ksales.domain.model import (
    Buyer,
    Category,
    Dictionaries,
    Expense,
    ExpenseType,
    Order,
    OrderLine,
    Product,
    Source,
)
from ksales.domain.money import percent
from ksales.domain.periods import Period
from ksales.domain.results import ReportBundle
from ksales.domain.rules import Rules
from ksales.domain.workbook import WorkbookReport
from ksales.ports.store import OrderChanges
from ksales.services.analytics import AnalyticsService
from ksales.services.inventory import InventoryService
from ksales.services.params import ReportRequest
from ksales.services.workbook import workbook_report
from tests.i18n import CATALOG

KYIV = ZoneInfo("Europe/Kyiv")


def _order(
    order_id: int, day: int, lines: list[tuple[int | None, str, str, str]], source: int = 1, **extra: Any
) -> Order:
    placed = datetime.combine(date(2026, 11, day), time(11), KYIV)
    order_lines = tuple(OrderLine(name, Decimal(q), Decimal(p), product_id=pid) for pid, name, q, p in lines)
    total = sum((line.revenue for line in order_lines), Decimal(0))
    return Order(order_id, source, total, created_at=placed, lines=order_lines, **extra)


@pytest.fixture(scope="module")
def report() -> WorkbookReport:
    """A non-admin's workbook (no costs, no contacts), with no stock snapshot yet."""
    store = InMemorySalesStore(Rules(timezone=KYIV))
    store.save_dictionaries(
        Dictionaries(
            sources=(Source(1, "Instagram"), Source(2, "Shop <&>")),
            expense_types=(ExpenseType(1, "Delivery"), ExpenseType(2, "Fees")),
            categories=(Category(1, "Clothes"), Category(2, "T-shirts", 1), Category(3, "Cups")),
            products=(Product(1, "Tee", 2, "Acme"), Product(2, "Mug & Co", 3, "acme"), Product(3, "Cap", 1)),
        )
    )
    store.apply(
        OrderChanges(
            upserts=(
                _order(1, 2, [(1, "Tee", "2", "450.50"), (2, "Mug", "1", "199.99")], buyer=Buyer(1)),
                _order(2, 3, [(3, "Cap", "1.5", "300")], source=2),
                _order(
                    3,
                    3,
                    [(1, "Tee", "1", "450.50")],
                    expenses=(Expense(1, Decimal("55.25"), 1), Expense(2, Decimal("10"), 2, "canceled")),
                ),
                _order(4, 5, [(2, "Mug", "3", "199.99")], status_group_id=6),
                _order(5, 5, [(None, "Gift wrap", "1", "25")], expenses=(Expense(3, Decimal("7.5"), 2),)),
            )
        )
    )
    clock = FixedClock(datetime(2026, 11, 6, 12, tzinfo=KYIV))
    analytics = AnalyticsService(store, Rules(timezone=KYIV), MilestoneConfig(), clock)
    request = ReportRequest(Period.custom(date(2026, 11, 1), date(2026, 11, 6)))
    return workbook_report(analytics, InventoryService(store, 14), request, costs=False, contacts=False)


@pytest.fixture(scope="module")
def bundle(report: WorkbookReport) -> ReportBundle:
    return report.bundle


@pytest.fixture(scope="module")
def book(report: WorkbookReport) -> openpyxl.Workbook:
    return openpyxl.load_workbook(
        io.BytesIO(OpenpyxlReportWriter(CATALOG, currency="UAH").write(report, Language.EN))
    )


def rows(sheet: Worksheet) -> list[tuple[object, ...]]:
    return list(sheet.iter_rows(values_only=True))


def test_sheets_and_header_style(book: openpyxl.Workbook) -> None:
    assert book.sheetnames == list(SHEETS)
    assert book.sheetnames[-2:] == ["Customers", "Inventory"]
    for sheet in book.worksheets[:-2]:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref is not None
        assert sheet.auto_filter.ref.startswith("A1:")
        for cell in sheet[1]:
            assert cell.font.bold
            assert cell.fill.fill_type == "solid"
        assert all((sheet.column_dimensions[c].width or 0) >= 8 for c in "AB")
    for sheet in book.worksheets[-2:]:  # titled sections, one below the other
        assert sheet["A1"].font.bold


def test_summary_matches_the_service(book: openpyxl.Workbook, bundle: ReportBundle) -> None:
    values = {row[0]: row[1] for row in rows(book["Summary"])[1:]}
    cells = {row[0].value: row[1] for row in book["Summary"].iter_rows(min_row=2)}
    assert Decimal(str(values["Revenue"])) == bundle.summary.revenue == Decimal("2026.49")
    assert values["Orders"] == bundle.summary.orders == 4
    assert Decimal(str(values["Average check"])) == bundle.summary.avg_check
    assert values["Returns (orders)"] == 1
    assert Decimal(str(values["Expenses"])) == bundle.profit.expenses == Decimal("62.75")
    assert values["Period start"] == datetime(2026, 11, 1)
    assert "₴" in cells["Revenue"].number_format
    share = "Revenue minus expenses, share of revenue"
    assert cells[share].number_format == "0.00%"
    before_costs = bundle.profit.revenue - bundle.profit.expenses  # not a cost figure: for everyone
    assert Decimal(str(values[share])) * 100 == pytest.approx(percent(before_costs, bundle.profit.revenue))
    assert "Gross profit" not in values and "Margin" not in values  # costs only with the margins


def test_daily_sheet_has_every_day_and_totals(book: openpyxl.Workbook, bundle: ReportBundle) -> None:
    table = rows(book["Daily"])
    assert table[0] == ("Date", "Orders", "Revenue", "Expenses", "Revenue minus expenses")
    assert len(table) == 1 + 6 + 1
    total = table[-1]
    assert total[0] == "Total"
    assert total[1] == bundle.summary.orders
    assert Decimal(str(total[2])) == bundle.summary.revenue
    assert Decimal(str(total[4])) == bundle.profit.revenue - bundle.profit.expenses
    assert book["Daily"].auto_filter.ref == "A1:E7"  # the totals row stays out of the filter
    assert book["Daily"]["C2"].number_format.startswith("#,##0.00")
    assert book["Daily"]["A2"].number_format == "yyyy-mm-dd"


def test_sources_products_categories_brands_expenses(book: openpyxl.Workbook, bundle: ReportBundle) -> None:
    sources = rows(book["Sources"])
    assert [r[0] for r in sources[1:-1]] == [s.name for s in bundle.sources.sources]
    assert "Shop <&>" in [r[0] for r in sources]
    assert Decimal(str(sources[-1][3])) == bundle.sources.total_revenue
    products = rows(book["Products"])
    assert [r[0] for r in products[1:-1]] == [p.name for p in bundle.products.products]
    assert (
        Decimal(str(products[-1][2])) == sum(p.quantity for p in bundle.products.products) == Decimal("6.5")
    )
    assert Decimal(str(products[1][4])) * 100 == pytest.approx(bundle.products.products[0].share_pct)
    categories = rows(book["Categories"])
    assert [r[0] for r in categories[1:-1]] == [c.name for c in bundle.categories.categories]
    assert Decimal(str(categories[-1][3])) == sum(c.revenue for c in bundle.categories.categories)
    brands = rows(book["Brands"])
    assert [r[0] for r in brands[1:-1]] == [b.brand for b in bundle.brands.top_by_revenue]
    assert brands[-1][1] is None  # orders are not summed across brands
    expenses = rows(book["Expenses"])
    assert [(r[0], r[2]) for r in expenses[1:-1]] == [("Delivery", 1), ("Fees", 1)]
    assert Decimal(str(expenses[-1][3])) == bundle.expenses.total == Decimal("62.75")


def test_an_empty_period_still_makes_a_valid_workbook(bundle: ReportBundle) -> None:
    store = InMemorySalesStore()
    analytics = AnalyticsService(
        store, Rules(), MilestoneConfig(), FixedClock(datetime(2026, 1, 1, tzinfo=KYIV))
    )
    empty = analytics.bundle(ReportRequest(Period.named("today", date(2026, 1, 1))))
    content = OpenpyxlReportWriter(CATALOG).write(WorkbookReport(empty), Language.EN)
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert rows(book["Products"]) == [
        ("Product", "Product id", "Quantity", "Revenue", "Share of quantity"),
        ("Total", None, 0, 0, None),
    ]


@pytest.mark.slow
def test_libreoffice_opens_and_converts_it(report: WorkbookReport, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    source = tmp_path / "report.xlsx"
    source.write_bytes(OpenpyxlReportWriter(CATALOG).write(report, Language.EN))
    profile = (tmp_path / "profile").as_uri()
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "csv",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    csv = (tmp_path / "report.csv").read_text()
    assert "Revenue" in csv
    assert "2026.49" in csv.replace(",", "").replace(" ", "")


UKRAINIAN_SHEETS = [
    *("Підсумок", "По днях", "Джерела", "Товари", "Категорії", "Бренди", "Витрати"),
    *("Покупці", "Залишки"),
]


def test_the_workbook_speaks_the_requesters_language(report: WorkbookReport) -> None:
    content = OpenpyxlReportWriter(CATALOG, currency="UAH").write(report, Language.UK)
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == UKRAINIAN_SHEETS
    assert rows(book["Підсумок"])[0] == ("Показник", "Значення")
    assert ("Тип продажів", "Роздріб") in rows(book["Підсумок"])
    products = rows(book["Товари"])
    assert products[0] == ("Товар", "ID товару", "Кількість", "Виторг", "Частка за кількістю")
    assert products[-1][0] == "Разом"
    assert book["По днях"]["A2"].number_format == "dd.mm.yyyy"
    # The bucket of products without a category is ours, not a KeyCRM name: it is translated.
    categories = [row[0] for row in rows(book["Категорії"])]
    assert "Без категорії" in categories and "Uncategorized" not in categories


@pytest.mark.slow
def test_libreoffice_reads_the_ukrainian_sheet_names(report: WorkbookReport, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    source = tmp_path / "звіт.xlsx"
    source.write_bytes(OpenpyxlReportWriter(CATALOG).write(report, Language.UK))
    out = tmp_path / "out"
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    resaved = openpyxl.load_workbook(out / "звіт.xlsx")
    assert resaved.sheetnames == UKRAINIAN_SHEETS
    assert rows(resaved["Товари"])[-1][0] == "Разом"
