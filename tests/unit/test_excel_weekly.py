"""The weekly workbook: its figures read back, headings in the reader's language, LibreOffice opens it."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from ksales.adapters.excel.weekly_book import OpenpyxlWeeklyWriter
from ksales.domain.language import Language
from ksales.domain.rules import SalesType
from ksales.domain.weekly import WeeklyReport
from tests.i18n import CATALOG
from tests.unit.test_weekly_report import WEEK, service, shop


@pytest.fixture(scope="module")
def report() -> WeeklyReport:
    return service(shop())[0].report(WEEK)


def book(report: WeeklyReport, language: Language = Language.EN) -> Any:
    content = OpenpyxlWeeklyWriter(CATALOG).write(report, SalesType.RETAIL, language)
    return openpyxl.load_workbook(io.BytesIO(content))


def exact(value: Any) -> Any:
    """A number as the Decimal it was written from (openpyxl reads floats back)."""
    if isinstance(value, float):
        return Decimal(repr(value))
    return value


def pairs(sheet: Any) -> dict[str, Any]:
    return {row[0]: exact(row[1]) for row in sheet.iter_rows(min_row=2, values_only=True)}


def rows(sheet: Any) -> list[tuple[Any, ...]]:
    return [tuple(exact(v) for v in row) for row in sheet.iter_rows(values_only=True)]


def day(value: Any) -> date:
    return value.date() if isinstance(value, datetime) else value


def test_the_figures_read_back(report: WeeklyReport) -> None:
    workbook = book(report)
    assert workbook.sheetnames == ["Weekly report", "Compared with", "12 weeks", "Movers"]
    figures = pairs(workbook["Weekly report"])
    assert day(figures["Week start"]) == date(2026, 11, 23) and day(figures["Week end"]) == date(2026, 11, 29)
    assert figures["Sales type"] == "Retail"
    assert (figures["Revenue"], figures["Orders"], figures["Average check"]) == (2000, 4, 500)
    assert figures["Change vs the week before"] == 1000
    assert figures["… from the number of orders"] == Decimal("333.33")
    assert figures["… from the average check"] == Decimal("666.67")
    assert (figures["New customers"], figures["Revenue from new customers"]) == (1, 1000)
    assert (figures["Returning customers"], figures["Revenue from returning customers"]) == (1, 500)
    assert figures["z-score over the 12 weeks before"] == Decimal("3.60")
    assert figures["Unusual week"] == "yes"


def test_the_comparisons(report: WeeklyReport) -> None:
    header, before, mean, year_ago = rows(book(report)["Compared with"])
    assert header[:4] == ("Compared with", "Week start", "Week end", "Revenue")
    # Revenue, change (a fraction: Excel's percent), orders, change, check, change.
    assert before[0] == "the week before" and day(before[1]) == date(2026, 11, 16)
    assert before[3:] == (1000, 1, 3, Decimal("0.3333"), Decimal("333.33"), Decimal("0.5"))
    assert mean[0] == "the mean of the 4 weeks before"
    assert (day(mean[1]), day(mean[2])) == (date(2026, 10, 26), date(2026, 11, 22))
    assert mean[3:] == (1000, 1, 2, 1, 500, 0)
    assert (day(year_ago[1]), year_ago[3], year_ago[4]) == (date(2025, 11, 24), 0, None)


def test_the_12_weeks_and_their_chart(report: WeeklyReport) -> None:
    sheet = book(report)["12 weeks"]
    header, *weeks = rows(sheet)
    assert header == ("Week start", "Revenue", "Mean of the 4 weeks before")
    assert [day(w[0]) for w in weeks] == [bar.monday for bar in report.history]
    assert [w[1] for w in weeks] == [bar.revenue for bar in report.history]
    assert [w[2] for w in weeks] == list(report.rolling_mean)
    assert len(sheet._charts) == 1


def test_the_movers(report: WeeklyReport) -> None:
    header, *movers = rows(book(report)["Movers"])
    assert header == ("Direction", "Product", "Product id", "Revenue", "Revenue the week before", "Change")
    assert movers == [
        ("gained", "Alpha", 100, 1000, 300, 700),
        ("gained", "Delta", 103, 250, 0, 250),
        ("gained", "Epsilon", 104, 250, 0, 250),
        ("lost", "Gamma", 102, 0, 400, -400),
    ]


def test_ukrainian_headings(report: WeeklyReport) -> None:
    workbook = book(report, Language.UK)
    assert workbook.sheetnames == ["Тижневий звіт", "Порівняно з", "12 тижнів", "Лідери змін"]
    figures = pairs(workbook["Тижневий звіт"])
    assert figures["Виторг"] == 2000 and figures["Незвичайний тиждень"] == "так"
    assert rows(workbook["Лідери змін"])[0][0] == "Напрям"
    assert workbook["Тижневий звіт"]["B2"].number_format == "dd.mm.yyyy"


@pytest.mark.slow
def test_libreoffice_opens_it(report: WeeklyReport, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    source = tmp_path / "тиждень.xlsx"
    source.write_bytes(OpenpyxlWeeklyWriter(CATALOG).write(report, SalesType.RETAIL, Language.UK))
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",  # 76: UTF-8
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
    csv = (tmp_path / "тиждень.csv").read_text()
    assert "Виторг" in csv and "Незвичайний тиждень" in csv
    assert "333.33" in csv.replace(",", ".").replace(" ", "").replace("\u00a0", "")
