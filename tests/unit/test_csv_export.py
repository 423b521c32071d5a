import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from ksales.domain.errors import InvalidParameter
from ksales.domain.periods import Period, PeriodKind
from ksales.domain.results import ProductRow
from ksales.entrypoints.web.export import BOM, csv_text, file_name, rows_of, wants_csv


def test_cyrillic_numbers_and_nulls() -> None:
    rows = [
        ProductRow(7, "Сукня «Весна», синя", Decimal("1.5"), Decimal("12345.60"), Decimal("33.33")),
        ProductRow(None, 'Line "x"', Decimal(2), Decimal("0.10"), Decimal(0)),
    ]
    header, values = rows_of(ProductRow, rows)
    text = csv_text(header, values)
    assert text.startswith(BOM)
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")
    parsed = list(csv.reader(io.StringIO(text.removeprefix(BOM))))
    assert parsed == [
        ["product_id", "name", "quantity", "revenue", "share_pct"],
        ["7", "Сукня «Весна», синя", "1.5", "12345.6", "33.33"],
        ["", 'Line "x"', "2", "0.1", "0"],
    ]


def test_an_empty_table_still_has_its_header() -> None:
    assert rows_of(ProductRow, []) == (["product_id", "name", "quantity", "revenue", "share_pct"], [])


def test_file_names_and_the_format_parameter() -> None:
    period = Period(date(2026, 11, 1), date(2026, 11, 30), PeriodKind.LAST_MONTH)
    assert file_name("sales_by_source", period) == "ksales_sales_by_source_2026-11-01_2026-11-30.csv"
    assert file_name("brands", None) == "ksales_brands.csv"
    assert [wants_csv(v) for v in (None, "", " JSON ", "csv", "CSV")] == [False, False, False, True, True]
    with pytest.raises(InvalidParameter):
        wants_csv("xlsx")
