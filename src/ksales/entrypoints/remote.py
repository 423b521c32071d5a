"""The analytics of a running ksales service, read through its API: `ksales.connect(url, token=...)`.

`RemoteAnalytics` has the public methods of `AnalyticsService` and returns the very same frozen results,
read back from the API's JSON by `from_json` (the counterpart of the `to_json` the API answers with). Amounts
arrive as the API shows them (money to 2 decimals, quantities to 3), which is also all that `to_json` keeps.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import date
from types import TracebackType
from typing import Any, TypeVar

import httpx

from ksales.domain.categories import CategoryTree
from ksales.domain.customers import DEFAULT_MONTHS, CohortReport, CustomerList, Segment, SegmentReport
from ksales.domain.errors import InvalidParameter, KsalesError, NotFound, StoreUnavailable
from ksales.domain.filters import Filters
from ksales.domain.goals import month_key
from ksales.domain.margin import MARGIN_LIMIT_DEFAULT, MarginBreakdown, MarginBy
from ksales.domain.model import Category, ExpenseType, Source
from ksales.domain.periods import Period, PeriodKind, parse_compare
from ksales.domain.ranking import RankBy
from ksales.domain.results import (
    BrandAnalytics,
    CategoryBreakdown,
    CustomerInsights,
    ExpenseSummary,
    ProductPerformance,
    Profit,
    ReportBundle,
    SourceBreakdown,
    Summary,
    TopProducts,
    Trend,
)
from ksales.domain.rules import SalesType
from ksales.domain.trend import Granularity
from ksales.domain.weekly import WeeklyReport
from ksales.domain.workbook import WorkbookReport
from ksales.entrypoints.serialize import UnreadableJson, from_json
from ksales.services.analytics import ScopedRequest
from ksales.services.pace import MonthGoals
from ksales.services.params import REPORT_PARAMETERS, ReportRequest

#: What the report methods take: a request, or one the local service already resolved (as `parse` gives).
Requested = ReportRequest | ScopedRequest

T = TypeVar("T")


class RemoteRefused(KsalesError):
    """The service refused the request (no or a revoked token, no permission)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def report_params(requested: Requested) -> dict[str, str]:
    """The query that asks the API for `request`: a named period by name, a custom one by its dates."""
    request = requested.request if isinstance(requested, ScopedRequest) else requested
    period, filters = request.period, request.filters
    params: dict[str, str]
    if period.kind is PeriodKind.CUSTOM:
        params = {"start_date": period.start.isoformat(), "end_date": period.end.isoformat()}
    else:
        params = {"period": period.kind.value}
    params["sales_type"] = filters.sales_type.value
    if filters.source_id is not None:
        params["source_id"] = str(filters.source_id)
    if filters.category_id is not None:
        params["category_id"] = str(filters.category_id)
    if filters.brand is not None:
        params["brand"] = filters.brand
    params["compare"] = request.compare.value
    return params


class RemoteAnalytics:
    """Every figure of `AnalyticsService`, asked of the service at `url` (its API), with an API token."""

    def __init__(
        self,
        url: str,
        token: str | None = None,
        *,
        timeout: float = 60.0,
        connect_wait: float = 0.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        #: How long a refused connection is retried (an owner that has just written its address).
        self.connect_wait = connect_wait
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._http = httpx.Client(base_url=self.url, headers=headers, timeout=timeout, transport=transport)

    def __repr__(self) -> str:
        return f"RemoteAnalytics({self.url!r})"

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> RemoteAnalytics:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # --- HTTP ---------------------------------------------------------------------------------
    def _get(self, path: str, params: Mapping[str, str] | None = None) -> Any:
        deadline = time.monotonic() + self.connect_wait
        while True:
            try:
                response = self._http.get(path, params=params)
                break
            except httpx.ConnectError as error:
                if time.monotonic() >= deadline:
                    raise StoreUnavailable(
                        f"cannot reach the ksales service at {self.url}: {error}"
                    ) from None
                time.sleep(0.1)
            except httpx.HTTPError as error:
                raise StoreUnavailable(f"the ksales service at {self.url} failed: {error}") from None
        try:
            body = response.json()
        except ValueError:
            body = None
        message = body.get("message", "") if isinstance(body, dict) else ""
        status = response.status_code
        if status == 200:
            return body
        if status == 400 and isinstance(body, dict) and "field" in body:
            raise InvalidParameter(str(body["field"]), str(message))
        if status == 404:
            raise NotFound(str(message) or f"{path}: not found")
        if status in (401, 403):
            raise RemoteRefused(f"the ksales service at {self.url} refused the request: {message or status}")
        raise StoreUnavailable(f"the ksales service at {self.url} answered {status}: {message}".rstrip(": "))

    def _report(self, kind: type[T], path: str, request: Requested, **extra: object) -> T:
        params = report_params(request)
        params.update({key: str(value) for key, value in extra.items() if value is not None})
        return self._read(kind, self._get(path, params))

    def _read(self, kind: type[T], body: Any) -> T:
        try:
            return from_json(kind, body)
        except (UnreadableJson, KeyError, TypeError, ValueError) as error:
            raise StoreUnavailable(
                f"the ksales service at {self.url} gave an unreadable answer: {error}"
            ) from None

    # --- requests -----------------------------------------------------------------------------
    def today(self) -> date:
        """The service's today (its clock and the shop's time zone)."""
        return self.parse({"period": "today"}).period.start

    def parse(self, params: Mapping[str, str]) -> ReportRequest:
        """Validate raw parameters, by the service (ids must exist there); raises InvalidParameter."""
        query = {key: params[key] for key in REPORT_PARAMETERS if params.get(key) is not None}
        compare = parse_compare(query.get("compare"))
        body = self._get("/api/summary", {**query, "compare": "none"})
        period = self._read(Period, body.get("period") if isinstance(body, dict) else None)
        filters = self._read(Filters, body.get("filters") if isinstance(body, dict) else None)
        return ReportRequest(period, filters, compare)

    # --- reports ------------------------------------------------------------------------------
    def summary(self, request: Requested) -> Summary:
        return self._report(Summary, "/api/summary", request)

    def trend(self, request: Requested, granularity: Granularity = Granularity.DAY) -> Trend:
        return self._report(Trend, "/api/revenue/trend", request, granularity=granularity.value)

    def sources_breakdown(self, request: Requested) -> SourceBreakdown:
        return self._report(SourceBreakdown, "/api/sales/by-source", request)

    def top_products(self, request: Requested, limit: int = 10, by: RankBy = RankBy.QUANTITY) -> TopProducts:
        return self._report(TopProducts, "/api/products/top", request, limit=limit, by=by.value)

    def product_performance(self, request: Requested, limit: int = 10) -> ProductPerformance:
        return self._report(ProductPerformance, "/api/products/performance", request, limit=limit)

    def category_breakdown(self, request: Requested, parent_id: int | None = None) -> CategoryBreakdown:
        return self._report(CategoryBreakdown, "/api/categories/breakdown", request, parent_id=parent_id)

    def customers(self, request: Requested) -> CustomerInsights:
        return self._report(CustomerInsights, "/api/customers/insights", request)

    def brands(self, request: Requested, limit: int = 10) -> BrandAnalytics:
        return self._report(BrandAnalytics, "/api/brands/analytics", request, limit=limit)

    def expenses(self, request: Requested, expense_type_id: int | None = None) -> ExpenseSummary:
        return self._report(ExpenseSummary, "/api/expenses/summary", request, expense_type_id=expense_type_id)

    def profit(self, request: Requested) -> Profit:
        return self._report(Profit, "/api/expenses/profit", request)

    def margin_breakdown(
        self,
        request: Requested,
        by: MarginBy = MarginBy.PRODUCT,
        parent_id: int | None = None,
        limit: int = MARGIN_LIMIT_DEFAULT,
    ) -> MarginBreakdown:
        return self._report(
            MarginBreakdown, "/api/margin/breakdown", request, by=by.value, parent_id=parent_id, limit=limit
        )

    def month_goals(self, month: date | None = None) -> MonthGoals:
        """Each sales type's goal for the month (default: the service's this month), with its source."""
        params = {} if month is None else {"month": month_key(month)}
        return self._read(MonthGoals, self._get("/api/goals", params))

    def weekly_report(
        self, week: date | None = None, sales_type: SalesType = SalesType.RETAIL
    ) -> WeeklyReport:
        """The weekly report (SPEC §7) of the week holding `week` (default: the last complete one)."""
        params = {"sales_type": sales_type.value}
        if week is not None:
            params["week"] = week.isoformat()
        return self._read(WeeklyReport, self._get("/api/weekly", params))

    def bundle(self, request: Requested) -> ReportBundle:
        """Everything the Excel workbook needs (every product and brand, not a top list)."""
        return self._report(ReportBundle, "/api/report", request)

    def workbook(self, request: Requested) -> WorkbookReport:
        """The workbook's figures as the service shows them to this token: costs and stock values (tokens
        see costs), segments and cohorts, but no buyers' contacts (an admin's session only, SPEC §6)."""
        body = self._get("/api/report", report_params(request))
        if not isinstance(body, dict):
            raise StoreUnavailable(f"the ksales service at {self.url} gave an unreadable answer")
        parts = {"bundle": body, **{k: body[k] for k in ("costs", "customers", "inventory") if k in body}}
        return self._read(WorkbookReport, parts)

    # --- customers (SPEC §5 Cohorts, Segments) -------------------------------------------------
    def cohorts(self, request: Requested, months: int = DEFAULT_MONTHS) -> CohortReport:
        return self._report(CohortReport, "/api/customers/cohorts", request, months=months)

    def segments(self, request: Requested) -> SegmentReport:
        return self._report(SegmentReport, "/api/customers/segments", request)

    def customer_list(
        self, request: Requested, segment: Segment | None = None, limit: int = 50
    ) -> CustomerList:
        """Needs an admin's session: an API token is refused (RemoteRefused), as the service says."""
        value = None if segment is None else segment.value
        return self._report(CustomerList, "/api/customers/list", request, segment=value, limit=limit)

    # --- lookups ------------------------------------------------------------------------------
    def sources(self) -> list[Source]:
        return self._read(list[Source], self._get("/api/sources"))

    def categories(self) -> list[Category]:
        return self._read(list[Category], self._get("/api/categories"))

    def category_children(self, category_id: int) -> list[Category]:
        return self._read(list[Category], self._get(f"/api/categories/{category_id}/children"))

    def root_categories(self) -> list[Category]:
        return CategoryTree(self.categories()).children(None)

    def brand_names(self) -> list[str]:
        return [row["name"] for row in self._get("/api/brands")]

    def expense_types(self) -> list[ExpenseType]:
        return self._read(list[ExpenseType], self._get("/api/expense-types"))

    def data_quality(self) -> dict[str, Any]:
        """The owner's `GET /api/data-quality` (the `ksales doctor` report)."""
        body: dict[str, Any] = self._get("/api/data-quality")
        return body

    def order_count(self) -> int:
        """Every stored order, canceled ones too (`/api/health`)."""
        orders = self._get("/api/health")["store"]["orders"]
        return int(orders or 0)
