"""The workbook's costs on the hand-worked margin shop (tests/margin_shop.py): the Margin sheet and the
Summary's cost of goods for those who may see costs, the line-total reconciliation, print set-up."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from ksales.adapters.excel.writer import OpenpyxlReportWriter
from ksales.adapters.memory import FixedClock, InMemorySalesStore
from ksales.domain.language import Language
from ksales.domain.milestones import MilestoneConfig
from ksales.domain.results import ReportBundle
from ksales.domain.workbook import WorkbookCosts, WorkbookReport
from ksales.ports.store import OrderChanges
from ksales.services.analytics import AnalyticsService
from ksales.services.workbook import costs_of
from tests.i18n import CATALOG
from tests.margin_shop import MARGIN_ORDERS
from tests.shop import DICTIONARIES, NOW, RULES
from tests.unit.test_margin import request

D = Decimal


@pytest.fixture(scope="module")
def reports() -> tuple[ReportBundle, WorkbookCosts]:
    store = InMemorySalesStore(RULES)
    store.save_dictionaries(DICTIONARIES)
    store.apply(OrderChanges(MARGIN_ORDERS))
    analytics = AnalyticsService(store, RULES, MilestoneConfig((), (), ()), FixedClock(NOW))
    scoped = analytics.resolve(request())
    return analytics.bundle(scoped), costs_of(analytics, scoped)


def workbook(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content))


def pairs(book: openpyxl.Workbook) -> dict[object, object]:
    return {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=2, values_only=True)}


def test_admins_get_the_margin_sheet_and_cost_lines(reports: tuple[ReportBundle, WorkbookCosts]) -> None:
    bundle, margin = reports
    book = workbook(OpenpyxlReportWriter(CATALOG).write(WorkbookReport(bundle, margin), Language.EN))
    assert book.sheetnames[-1] == "Margin"  # without customers and stock: no sheets after it
    rows = list(book["Margin"].iter_rows(values_only=True))
    assert rows[0] == (
        "Product", "Product id", "Brand", "Category", "Revenue", "Cost of goods", "Gross profit",
        "Gross margin", "Cost coverage",
    )  # fmt: skip
    assert rows[1][:4] == ("Shirt", 102, "Mango", "Shirts")
    assert rows[3][:4] == ("Maxi dress", 100, "Zara", "Maxi dresses")
    assert rows[4][:4] == ("Gift wrap", None, None, None)
    total = rows[-1]
    assert total[0] == "Total"
    assert (D(str(total[4])), D(str(total[5])), D(str(total[6]))) == (D(2550), D("900.75"), D("1649.25"))
    assert D(str(rows[2][7])) == D("0.599")  # 59.90 % of the sneakers, as a fraction
    summary = pairs(book)
    assert D(str(summary["Cost of goods"])) == D("900.75")
    assert D(str(summary["Gross profit"])) == D("1699.25")
    assert D(str(summary["Profit"])) == D("1619.25")
    assert D(str(summary["Margin"])) == D("0.6228")
    assert D(str(summary["Cost coverage"])) == D("0.6863")


def test_others_get_no_cost_figure(reports: tuple[ReportBundle, WorkbookCosts]) -> None:
    bundle, _ = reports
    book = workbook(OpenpyxlReportWriter(CATALOG).write(WorkbookReport(bundle), Language.EN))
    assert "Margin" not in book.sheetnames
    summary = pairs(book)
    assert "Cost of goods" not in summary and "Cost coverage" not in summary
    assert 900.75 not in summary.values()


def test_summary_explains_order_totals_against_line_totals(
    reports: tuple[ReportBundle, WorkbookCosts],
) -> None:
    bundle, _ = reports
    summary = pairs(workbook(OpenpyxlReportWriter(CATALOG).write(WorkbookReport(bundle), Language.EN)))
    assert D(str(summary["Revenue"])) == D(2600)
    assert D(str(summary["Revenue of the lines"])) == D(2550)
    assert D(str(summary["Order totals minus line totals (shipping, order discounts)"])) == D(50)


def test_every_sheet_prints_fitted_to_the_page_width(reports: tuple[ReportBundle, WorkbookCosts]) -> None:
    bundle, margin = reports
    book = workbook(OpenpyxlReportWriter(CATALOG).write(WorkbookReport(bundle, margin), Language.EN))
    for sheet in book.worksheets:
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0), sheet.title
        assert sheet.page_setup.orientation == "landscape"


@pytest.mark.slow
def test_libreoffice_opens_the_margin_sheet(
    reports: tuple[ReportBundle, WorkbookCosts], tmp_path: Path
) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    bundle, margin = reports
    source = tmp_path / "margin.xlsx"
    source.write_bytes(OpenpyxlReportWriter(CATALOG).write(WorkbookReport(bundle, margin), Language.EN))
    profile = (tmp_path / "profile").as_uri()
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
         str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    pdf = (tmp_path / "margin.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    # Eight sheets, each fitted to one page's width: a handful of pages, not columns split across many.
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 8 <= pages <= 12, pages
