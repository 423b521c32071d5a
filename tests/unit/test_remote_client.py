import contextlib
import socket
from collections.abc import Iterator
from datetime import date

import httpx
import pytest

from ksales.domain.errors import InvalidParameter, NotFound, StoreUnavailable
from ksales.domain.filters import Filters
from ksales.domain.periods import Compare, Period, PeriodKind
from ksales.domain.rules import SalesType
from ksales.entrypoints.remote import RemoteAnalytics, RemoteRefused, report_params
from ksales.entrypoints.web.loopback import connect_url
from ksales.services.params import ReportRequest


@contextlib.contextmanager
def socket_closed() -> Iterator[str]:
    """The URL of a loopback port that nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    yield f"http://127.0.0.1:{port}"


def answering(status: int, body: object) -> RemoteAnalytics:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["authorization"] == "Bearer s3cret"
        return httpx.Response(status, json=body)

    return RemoteAnalytics("http://sales.test/", "s3cret", transport=httpx.MockTransport(handler))


def test_named_periods_go_by_name_and_custom_ones_by_dates() -> None:
    named = ReportRequest(Period(date(2026, 11, 1), date(2026, 11, 30), PeriodKind.LAST_MONTH))
    assert report_params(named) == {
        "period": "last_month",
        "sales_type": "retail",
        "compare": "previous_period",
    }
    custom = ReportRequest(
        Period(date(2026, 1, 1), date(2026, 1, 9)), Filters(SalesType.B2B, 3, 4, "Zara"), Compare.NONE
    )
    assert report_params(custom) == {
        "start_date": "2026-01-01",
        "end_date": "2026-01-09",
        "sales_type": "b2b",
        "source_id": "3",
        "category_id": "4",
        "brand": "Zara",
        "compare": "none",
    }


def test_the_services_refusals_become_the_same_errors() -> None:
    with pytest.raises(InvalidParameter) as bad:
        answering(400, {"error": "invalid_parameter", "field": "brand", "message": "no brand"}).parse({})
    assert (bad.value.field, bad.value.message) == ("brand", "no brand")
    with pytest.raises(NotFound):
        answering(404, {"error": "not_found", "message": "no category"}).category_children(5)
    with pytest.raises(RemoteRefused, match="refused"):
        answering(401, {"error": "unauthorized", "message": "unknown or revoked API token"}).brand_names()
    with pytest.raises(StoreUnavailable, match="503"):
        answering(503, {"error": "store_unavailable", "message": "try again"}).sources()
    with pytest.raises(StoreUnavailable, match="unreadable"):
        answering(200, {"period": "nonsense"}).parse({})


def test_an_unreachable_service_is_one_clear_error() -> None:
    with (
        socket_closed() as url,
        RemoteAnalytics(url, connect_wait=0.3) as remote,
        pytest.raises(StoreUnavailable, match="cannot reach"),
    ):
        remote.sources()
    assert "s3cret" not in repr(RemoteAnalytics("http://x.test", "s3cret"))


def test_connect_urls() -> None:
    assert connect_url("0.0.0.0", 8080) == "http://127.0.0.1:8080"
    assert connect_url("::", 80) == "http://[::1]:80"
    assert connect_url("fe80::1", 80) == "http://[fe80::1]:80"
    assert connect_url("127.0.0.1", 9) == "http://127.0.0.1:9"
