"""The workbook read through a running service (`RemoteAnalytics.workbook`, what `ksales report --xlsx` uses
beside `ksales serve`) ≡ the one built from the store, for a shop of more products than one margin page holds
(the breakdown endpoint stops at 200 rows; the workbook lists every product)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import attrs
import openpyxl
import pytest

from ksales.adapters.excel.writer import OpenpyxlReportWriter
from ksales.adapters.memory import InMemorySalesStore
from ksales.domain.filters import Filters
from ksales.domain.language import Language
from ksales.domain.margin import MARGIN_LIMIT_MAX
from ksales.domain.model import Product
from ksales.domain.periods import Period
from ksales.domain.rules import SalesType
from ksales.domain.workbook import WorkbookReport
from ksales.entrypoints.container import Container
from ksales.entrypoints.remote import RemoteAnalytics
from ksales.entrypoints.serialize import to_json
from ksales.entrypoints.settings import Settings
from ksales.ports.store import OrderChanges
from ksales.services.params import ReportRequest
from ksales.services.workbook import workbook_report
from tests import stockshop
from tests.contract.test_remote_analytics_contract import ThreadedServer
from tests.customer_shop import CUSTOMER_ORDERS
from tests.e2e.conftest import SHOP_ENV, make_container
from tests.i18n import CATALOG
from tests.margin_shop import costed
from tests.shop import DICTIONARIES, at, make_order

WIDE = 230
FIRST_ID = 5000


def wide_store() -> InMemorySalesStore:
    """The customer and stock shops, and WIDE more products sold once each in November (some uncosted)."""
    settings = Settings.from_mapping(SHOP_ENV)
    store = InMemorySalesStore(settings.rules)
    extra = tuple(
        Product(FIRST_ID + i, f"Product {i:03}", (111, 12, 2)[i % 3], f"Brand {i % 9}" if i % 4 else None)
        for i in range(WIDE)
    )
    store.save_dictionaries(attrs.evolve(DICTIONARIES, products=DICTIONARIES.products + extra))
    orders = tuple(
        make_order(
            20_000 + i,
            at(1 + i % 25),
            str(10 + i),
            costed(FIRST_ID + i, "1", str(10 + i), None if i % 5 == 0 else f"{4 + i % 7}.25"),
        )
        for i in range(WIDE)
    )
    store.apply(OrderChanges(CUSTOMER_ORDERS + orders))
    stockshop.fill(store)
    return store


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[Container, RemoteAnalytics]]:
    container = make_container(store=wide_store())
    try:
        with ThreadedServer(container) as url, RemoteAnalytics(url) as remote:
            yield container, remote
    finally:
        container.shutdown_resources()


def cells(report: WorkbookReport) -> dict[str, list[tuple[Any, ...]]]:
    content = OpenpyxlReportWriter(CATALOG).write(report, Language.EN)
    book = openpyxl.load_workbook(io.BytesIO(content))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


REQUESTS = [
    ReportRequest(Period.custom(stockshop.DAY.replace(day=1), stockshop.DAY.replace(day=30))),
    ReportRequest(Period.custom(stockshop.DAY.replace(day=1), stockshop.DAY), Filters(SalesType.ALL)),
    ReportRequest(Period.custom(stockshop.DAY.replace(day=1), stockshop.DAY), Filters(category_id=1)),
]


@pytest.mark.parametrize("request_", REQUESTS, ids=["november", "all-sales", "clothing"])
def test_the_remote_workbook_is_the_local_one(
    served: tuple[Container, RemoteAnalytics], request_: ReportRequest
) -> None:
    container, remote = served
    # An open dashboard (no BOT_TOKEN): costs shown, buyers' contacts never (an admin's session only).
    analytics, inventory = container.analytics(), container.inventory()
    local = workbook_report(analytics, inventory, request_, costs=True, contacts=False)
    through = remote.workbook(request_)
    assert to_json(through) == to_json(local)
    assert through == local
    assert cells(through) == cells(local)


def test_every_product_comes_through_not_one_page(served: tuple[Container, RemoteAnalytics]) -> None:
    _, remote = served
    through = remote.workbook(REQUESTS[0])
    assert through.costs is not None and through.inventory is not None and through.customers is not None
    products = through.costs.products.rows
    assert len(products) > MARGIN_LIMIT_MAX
    assert len(products) == len(through.bundle.products.products)
    assert sum((r.revenue for r in products), Decimal(0)) == through.costs.products.metrics.revenue
    sheet = cells(through)["Products"]
    assert len(sheet) == len(products) + 2  # header, every product, totals
    assert through.inventory.snapshot_date == stockshop.DAY
    assert through.customers.at_risk is None
