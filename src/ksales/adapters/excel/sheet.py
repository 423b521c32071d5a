"""One styled table on a worksheet: bold filled header, frozen header row, autofilter, formats, widths."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from attrs import frozen
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ksales.domain.language import N_

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill(fill_type="solid", start_color="305496", end_color="305496")
TOTAL_FONT = Font(bold=True)
TOTAL_BORDER = Border(top=Side(style="thin"))
MIN_WIDTH, MAX_WIDTH = 8, 60


class Kind(Enum):
    TEXT = "text"
    INTEGER = "integer"
    #: An identifier: a whole number without a thousands separator.
    ID = "id"
    QUANTITY = "quantity"
    MONEY = "money"
    PERCENT = "percent"
    DATE = "date"


@frozen
class Labels:
    """The words and the date format a sheet uses, in the reader's language."""

    metric: str = N_("Metric")
    value: str = N_("Value")
    total: str = N_("Total")
    date_format: str = "yyyy-mm-dd"


@frozen
class Column:
    title: str
    kind: Kind = Kind.TEXT
    total: bool = False


def money_format(currency: str) -> str:
    symbol = {"UAH": "₴", "USD": "$", "EUR": "€"}.get(currency, currency)
    return f'#,##0.00 "{symbol}";-#,##0.00 "{symbol}"'


def number_format(kind: Kind, currency: str, date_format: str = "yyyy-mm-dd") -> str:
    return {
        Kind.TEXT: "General",
        Kind.INTEGER: "#,##0",
        Kind.ID: "0",
        Kind.QUANTITY: "#,##0.###",
        Kind.MONEY: money_format(currency),
        Kind.PERCENT: "0.00%",
        Kind.DATE: date_format,
    }[kind]


def cell_value(value: Any, kind: Kind) -> Any:
    """What openpyxl stores: exact Decimals, percentages as fractions (Excel's own convention)."""
    if value is None:
        return None
    if kind is Kind.PERCENT:
        return Decimal(value) / 100
    if isinstance(value, Enum):
        return str(value.value)
    return value


def display_width(value: Any, kind: Kind) -> int:
    if value is None:
        return 0
    if kind is Kind.MONEY:
        return len(f"{Decimal(value):,.2f}") + 3
    if kind is Kind.PERCENT:
        return 8
    if isinstance(value, date):
        return 10
    return len(str(value))


def write_table(
    sheet: Worksheet,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Any]],
    currency: str,
    labels: Labels = Labels(),
) -> None:
    """Header in row 1, data below, and a totals row when any column is summed."""
    sheet.append([c.title for c in columns])
    for cell in sheet[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for row in rows:
        sheet.append([cell_value(v, c.kind) for v, c in zip(row, columns, strict=True)])
    last = len(rows) + 1
    if any(c.total for c in columns):
        totals: list[Any] = []
        for index, column in enumerate(columns):
            if column.total:
                totals.append(sum((Decimal(r[index] or 0) for r in rows), Decimal(0)))
            else:
                totals.append(None)
        totals[0] = labels.total if totals[0] is None else totals[0]
        sheet.append(totals)
        for cell in sheet[last + 1]:
            cell.font = TOTAL_FONT
            cell.border = TOTAL_BORDER
    for index, column in enumerate(columns, start=1):
        fmt = number_format(column.kind, currency, labels.date_format)
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.number_format = fmt
        widest = max([len(column.title) + 2] + [display_width(r[index - 1], column.kind) for r in rows])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(widest + 2, MIN_WIDTH), MAX_WIDTH)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last}"


def write_pairs(
    sheet: Worksheet, pairs: Sequence[tuple[str, Any, Kind]], currency: str, labels: Labels = Labels()
) -> None:
    """A two-column Metric / Value table where every row has its own format."""
    sheet.append([labels.metric, labels.value])
    for cell in sheet[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for label, value, kind in pairs:
        sheet.append([label, cell_value(value, kind)])
        sheet.cell(row=sheet.max_row, column=2).number_format = number_format(
            kind, currency, labels.date_format
        )
    sheet.column_dimensions["A"].width = max(len(p[0]) for p in pairs) + 4 if pairs else 20
    sheet.column_dimensions["B"].width = max([18] + [display_width(v, k) + 2 for _, v, k in pairs])
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:B{len(pairs) + 1}"
