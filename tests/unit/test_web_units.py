"""Small pieces of the web entrypoint: JSON numbers, the Telegram login check, request ids, safe redirects."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ksales.domain.filters import Filters
from ksales.domain.periods import Period, PeriodKind
from ksales.domain.results import DayAmount
from ksales.domain.rules import SalesType
from ksales.entrypoints.serialize import number, to_json
from ksales.entrypoints.web.auth import LoginRefused, data_check_string, telegram_hash, verify_login
from ksales.entrypoints.web.middleware import request_id_of
from ksales.entrypoints.web.pages import _safe_next

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1234.5"), 1234.5),
        (Decimal("1234.00"), 1234),
        (Decimal("0.005"), 0.01),
        (Decimal("-0.005"), -0.01),
        (Decimal("2.675"), 2.68),
        (Decimal("1E+3"), 1000),
        (Decimal("NaN"), 0),
    ],
)
def test_money_becomes_a_number_with_at_most_two_decimals(value: Decimal, expected: float) -> None:
    assert number(value) == expected
    assert type(number(value)) is type(expected)


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=4))
def test_every_amount_keeps_two_decimals_and_its_value(value: Decimal) -> None:
    out = number(value)
    assert abs(Decimal(str(out)) - value) <= Decimal("0.005")
    assert len(str(out).partition(".")[2]) <= 2


def test_results_take_the_api_shape() -> None:
    period = Period(date(2026, 11, 1), date(2026, 11, 26), PeriodKind.MONTH)
    filters = Filters(SalesType.ALL, 3, None, "Zara")
    assert to_json(period) == {"start": "2026-11-01", "end": "2026-11-26", "kind": "month"}
    assert to_json(filters) == {"sales_type": "all", "source_id": 3, "category_id": None, "brand": "Zara"}
    assert to_json(DayAmount(date(2026, 11, 2), Decimal("10.50"))) == {"date": "2026-11-02", "amount": 10.5}
    assert to_json({"quantity": Decimal("1.125"), "revenue": Decimal("1.125")}) == {
        "quantity": 1.125,
        "revenue": 1.13,
    }


def signed(fields: dict[str, str], token: str = "1:abc") -> dict[str, str]:
    return {**fields, "hash": telegram_hash(fields, token)}


def test_data_check_string_is_sorted_lines_without_the_hash() -> None:
    fields = {"username": "o", "id": "5", "auth_date": "10", "hash": "x"}
    assert data_check_string(fields) == "auth_date=10\nid=5\nusername=o"


def test_genuine_fresh_login_data_names_the_user() -> None:
    fields = signed({"id": "42", "first_name": "Olena", "auth_date": str(int(NOW.timestamp()) - 60)})
    assert verify_login(fields, "1:abc", NOW) == 42


@pytest.mark.parametrize(
    "fields",
    [
        {"id": "42", "auth_date": str(int(NOW.timestamp())), "hash": "deadbeef"},
        {"id": "42", "auth_date": str(int((NOW - timedelta(days=2)).timestamp()))},
        {"id": "abc", "auth_date": str(int(NOW.timestamp()))},
        {"id": "42", "auth_date": "yesterday"},
        {"id": "42"},
    ],
)
def test_bad_login_data_is_refused(fields: dict[str, str]) -> None:
    data = fields if "hash" in fields else signed(fields)
    with pytest.raises(LoginRefused):
        verify_login(data, "1:abc", NOW)


def test_login_signed_with_another_bot_token_is_refused() -> None:
    fields = signed({"id": "42", "auth_date": str(int(NOW.timestamp()))}, token="2:other")
    with pytest.raises(LoginRefused):
        verify_login(fields, "1:abc", NOW)


@pytest.mark.parametrize(
    ("header", "echoed"),
    [(b"abc-123", True), (b"a" * 128, True), (b"a" * 129, False), (b"x y", False), (b"\xff", False)],
)
def test_request_ids_are_echoed_only_when_sane(header: bytes, echoed: bool) -> None:
    rid = request_id_of({"headers": [(b"x-request-id", header)]})
    assert (rid == header.decode("latin-1")) is echoed
    assert request_id_of({"headers": []})


@pytest.mark.parametrize(
    ("raw", "target"),
    [
        ("/?period=month", "/?period=month"),
        ("%2F%3Fperiod%3Dweek", "/?period=week"),
        ("//evil.example", "/"),
        ("https://evil.example", "/"),
        ("/\\evil.example", "/"),
        (None, "/"),
    ],
)
def test_login_returns_only_to_local_pages(raw: str | None, target: str) -> None:
    assert _safe_next(raw) == target
