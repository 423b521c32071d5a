"""A sheet of several titled tables one below the other (Customers, Inventory), styled like `write_table`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from attrs import field, frozen
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ksales.adapters.excel.sheet import (
    HEADER_FILL,
    HEADER_FONT,
    MAX_WIDTH,
    MIN_WIDTH,
    TOTAL_BORDER,
    TOTAL_FONT,
    Column,
    Kind,
    Labels,
    cell_value,
    display_width,
    number_format,
)
from ksales.domain.money import ZERO

TITLE_FONT = Font(bold=True, size=12)


@frozen
class Section:
    """A title, then a line of text (`note`), label–value `pairs` (each value its own format) or a table
    (`columns` and `rows`)."""

    title: str
    columns: Sequence[Column] = field(factory=tuple)
    rows: Sequence[Sequence[Any]] = field(factory=tuple)
    note: str | None = None
    pairs: Sequence[tuple[str, Any, Kind]] = field(factory=tuple)


def write_sections(sheet: Worksheet, sections: Sequence[Section], currency: str, labels: Labels) -> None:
    """Each section's title in bold, its header row filled, money and dates formatted, a blank row between."""
    widths: dict[int, int] = {}
    for number, section in enumerate(sections):
        if number:
            sheet.append([])
        sheet.append([section.title])
        sheet.cell(row=sheet.max_row, column=1).font = TITLE_FONT
        if section.note is not None:
            sheet.append([section.note])
        for label, value, kind in section.pairs:
            sheet.append([label, cell_value(value, kind)])
            sheet.cell(row=sheet.max_row, column=2).number_format = number_format(
                kind, currency, labels.date_format
            )
            widths[1] = max(widths.get(1, 0), len(label))
            widths[2] = max(widths.get(2, 0), display_width(value, kind))
        if section.columns:
            _table(sheet, section, currency, labels, widths)
    for index, width in widths.items():
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)


def _table(sheet: Worksheet, section: Section, currency: str, labels: Labels, widths: dict[int, int]) -> None:
    columns = section.columns
    sheet.append([c.title for c in columns])
    for cell in _cells(sheet, len(columns)):
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
    formats = [number_format(c.kind, currency, labels.date_format) for c in columns]
    for row in section.rows:
        sheet.append([cell_value(v, c.kind) for v, c in zip(row, columns, strict=True)])
        for index, cell in enumerate(_cells(sheet, len(columns))):
            cell.number_format = formats[index]
    if any(c.total for c in columns):
        totals: list[Any] = [
            sum((r[i] or ZERO for r in section.rows), ZERO) if c.total else None
            for i, c in enumerate(columns)
        ]
        totals[0] = labels.total if totals[0] is None else totals[0]
        sheet.append(totals)
        for index, cell in enumerate(_cells(sheet, len(columns))):
            cell.font = TOTAL_FONT
            cell.border = TOTAL_BORDER
            cell.number_format = formats[index]
    for index, column in enumerate(columns, start=1):
        widest = max(
            [len(column.title) + 2] + [display_width(r[index - 1], column.kind) for r in section.rows]
        )
        widths[index] = max(widths.get(index, 0), widest)


def _cells(sheet: Worksheet, width: int) -> list[Any]:
    """The last row's first `width` cells (a sheet's rows are as wide as its widest)."""
    row = sheet.max_row
    return [sheet.cell(row=row, column=column) for column in range(1, width + 1)]
