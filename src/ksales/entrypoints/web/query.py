"""Query-string glue: first value of a repeated parameter, empty = absent, then the services' parsers."""

from __future__ import annotations

from starlette.datastructures import QueryParams
from starlette.requests import Request

from ksales.domain.filters import parse_id
from ksales.domain.ranking import RankBy
from ksales.domain.trend import Granularity
from ksales.entrypoints.web.export import wants_csv
from ksales.services.analytics import AnalyticsService, ScopedRequest
from ksales.services.params import (
    parse_granularity,
    parse_limit,
    parse_rank_by,
)


def first_values(params: QueryParams) -> dict[str, str]:
    """Each parameter's *first* value (`QueryParams.get` would give the last one)."""
    return {key: params.getlist(key)[0] for key in params}


class Query:
    """The parameters of one API request, parsed on demand."""

    def __init__(self, request: Request) -> None:
        self.values = first_values(request.query_params)
        self.analytics: AnalyticsService = request.state.analytics
        #: Checked first, so that a bad `format` is refused before any figure is computed.
        self.csv = wants_csv(self.get("format"))

    def get(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None or not value.strip():
            return None
        return value

    def report(self) -> ScopedRequest:
        """Period, filters and comparison, validated and resolved (ids must exist) by the analytics."""
        return self.analytics.parse(self.values)

    def limit(self) -> int:
        return parse_limit(self.get("limit"))

    def rank_by(self) -> RankBy:
        return parse_rank_by(self.get("by"))

    def granularity(self) -> Granularity:
        return parse_granularity(self.get("granularity"))

    def optional_id(self, name: str) -> int | None:
        return parse_id(name, self.get(name))
