"""`format=csv`: a data endpoint's main table as a CSV download that Excel opens with Cyrillic intact."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
from starlette.responses import Response

from ksales.domain.errors import InvalidParameter
from ksales.domain.periods import Period
from ksales.entrypoints.serialize import to_json

#: Excel reads a UTF-8 file as UTF-8 only when it starts with a byte order mark.
BOM = "\ufeff"
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
Row = Mapping[str, Any]


def wants_csv(value: str | None) -> bool:
    """`format`: json (the default) or csv, case-insensitive; anything else is a 400."""
    if value is None or not value.strip() or value.strip().lower() == "json":
        return False
    if value.strip().lower() == "csv":
        return True
    raise InvalidParameter("format", "format must be one of json, csv")


def rows_of(kind: type, rows: Iterable[Any]) -> tuple[list[str], list[Row]]:
    """A header (the JSON keys of `kind`) and the rows of attrs values as the API writes them."""
    values = [to_json(row) for row in rows]
    header = list(to_json(_blank(kind)).keys()) if not values else list(values[0].keys())
    return header, values


def _blank(kind: type) -> Any:
    """An instance of `kind` whose only use is the names of its JSON keys."""
    return kind(**{f.name: None for f in attrs.fields(kind)})


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def file_name(name: str, period: Period | None) -> str:
    if period is None:
        return f"ksales_{name}.csv"
    return f"ksales_{name}_{period.start.isoformat()}_{period.end.isoformat()}.csv"


def csv_text(header: Sequence[str], rows: Iterable[Row]) -> str:
    """The table with a BOM; numbers unformatted (a point for decimals), dates ISO, null as empty."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in header])
    return out.getvalue()


def csv_response(
    name: str, header: Sequence[str], rows: Iterable[Row], period: Period | None = None
) -> Response:
    disposition = f"attachment; filename={file_name(name, period)}"
    return Response(
        csv_text(header, rows).encode("utf-8"),
        media_type=CSV_MEDIA_TYPE,
        headers={"Content-Disposition": disposition},
    )
