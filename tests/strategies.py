"""Hypothesis strategies for shop data: orders, dictionaries, rules and report scopes.

Ids are drawn from small pools so that orders share buyers, products, sources and statuses, and
re-upserts hit stored orders. Money has 2 decimals and quantities 3, as the DuckDB store keeps them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import TypeVar
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from ksales.domain.filters import Scope
from ksales.domain.model import (
    Buyer,
    Category,
    Dictionaries,
    Expense,
    ExpenseType,
    Order,
    OrderLine,
    Product,
    Source,
    Status,
)
from ksales.domain.rules import Rules, SalesType
from ksales.domain.stock import OfferStock, StockSnapshot
from ksales.ports.store import OrderChanges

T = TypeVar("T")
KYIV = ZoneInfo("Europe/Kyiv")
ORDER_IDS = st.integers(1, 30)
SOURCE_IDS = st.integers(1, 5)
STATUS_IDS = st.integers(1, 8)
MANAGER_IDS = st.integers(1, 4)
BUYER_IDS = st.integers(1, 4)
PRODUCT_IDS = st.integers(1, 8)
CATEGORY_IDS = st.integers(1, 6)
EXPENSE_TYPE_IDS = st.integers(1, 3)

#: Kyiv's DST changes (last Sundays of March and October, 01:00 UTC) and year ends: local midnights nearby.
_EDGES = [
    datetime(2024, 3, 31, 1, tzinfo=UTC),
    datetime(2024, 10, 27, 1, tzinfo=UTC),
    datetime(2025, 3, 30, 1, tzinfo=UTC),
    datetime(2025, 10, 26, 1, tzinfo=UTC),
    datetime(2024, 12, 31, 22, tzinfo=UTC),
    datetime(2025, 6, 30, 21, tzinfo=UTC),
]
FIRST_DAY = date(2024, 1, 1)
LAST_DAY = date(2025, 12, 31)
_OFFSETS = [UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=3)), timezone(timedelta(hours=-5))]

names = st.sampled_from(["Tee", "tee", "Mug", "Cap", "Scarf", "Сумка"])
short_text = st.text(alphabet="abcXYZ єї@.+0123 ", max_size=8)


def money(low: int = 0, high: int = 50_000) -> st.SearchStrategy[Decimal]:
    """Whole hryvnias and kopiykas: exactly two decimals."""
    return st.integers(low * 100, high * 100).map(lambda cents: Decimal(cents).scaleb(-2))


quantities = st.one_of(
    st.integers(1, 5).map(Decimal),
    st.integers(1, 5000).map(lambda milli: Decimal(milli).scaleb(-3)),
)


@st.composite
def instants(draw: st.DrawFn) -> datetime:
    """Aware timestamps, often within hours of a local midnight or a DST change, in varied offsets."""
    if draw(st.booleans()):
        moment = draw(st.sampled_from(_EDGES)) + timedelta(
            minutes=draw(st.sampled_from([4, 36]).flatmap(lambda h: st.integers(-60 * h, 60 * h)))
        )
    else:
        moment = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=draw(st.integers(0, 2 * 366 * 24 * 60)))
    moment += timedelta(
        seconds=draw(st.integers(0, 59)), microseconds=draw(st.sampled_from([0, 0, 500_000, 17]))
    )
    return moment.astimezone(draw(st.sampled_from(_OFFSETS)))


buyers = st.one_of(
    st.none(),
    st.builds(
        Buyer,
        id=BUYER_IDS,
        full_name=st.none() | short_text,
        email=st.none() | short_text,
        phone=st.none() | short_text,
    ),
)

lines = st.builds(
    OrderLine,
    name=names,
    quantity=quantities,
    price_sold=money(0, 5_000),
    product_id=st.none() | PRODUCT_IDS,
    offer_id=st.none() | st.integers(1, 50),
    sku=st.none() | st.sampled_from(["SKU-1", "sku-2"]),
    price=st.none() | money(0, 5_000),
    purchased_price=st.none() | money(0, 5_000),
)

expenses = st.builds(
    Expense,
    id=st.integers(1, 100),
    amount=money(0, 500),
    expense_type_id=st.none() | EXPENSE_TYPE_IDS,
    status=st.sampled_from([None, "paid", "canceled", "Canceled", "CANCELED", "pending"]),
    payment_date=st.none() | instants(),
)


@st.composite
def orders(draw: st.DrawFn, ids: st.SearchStrategy[int] = ORDER_IDS) -> Order:
    created = draw(instants())
    return Order(
        id=draw(ids),
        source_id=draw(SOURCE_IDS),
        grand_total=draw(money(-100, 100_000)),
        created_at=created,
        ordered_at=draw(st.none() | instants()),
        updated_at=draw(st.none() | instants()),
        status_id=draw(st.none() | STATUS_IDS),
        status_group_id=draw(st.none() | st.integers(1, 6)),
        manager_id=draw(st.none() | MANAGER_IDS),
        buyer=draw(buyers),
        lines=tuple(draw(st.lists(lines, max_size=4))),
        expenses=tuple(draw(st.lists(expenses, max_size=3))),
        total_discount=draw(money(0, 100)),
        shipping_price=draw(money(0, 100)),
    )


def order_sets(max_size: int = 30) -> st.SearchStrategy[list[Order]]:
    """Orders with distinct ids."""
    return st.lists(
        orders(st.integers(1, 10_000)), min_size=max_size // 5, max_size=max_size, unique_by=lambda o: o.id
    )


brands = st.sampled_from([None, "", "  ", "Acme", "acme", " ACME ", "Zed", "Öko", "öko"])

products = st.builds(
    Product, id=PRODUCT_IDS, name=names, category_id=st.none() | CATEGORY_IDS | st.just(99), brand=brands
)


@st.composite
def dictionaries(draw: st.DrawFn) -> Dictionaries:
    """Catalogs that know only some of the ids the orders use (and name some twice)."""
    return Dictionaries(
        sources=tuple(
            draw(st.lists(st.builds(Source, SOURCE_IDS, names, st.none() | st.just("UAH")), max_size=4))
        ),
        statuses=tuple(
            draw(st.lists(st.builds(Status, STATUS_IDS, names, st.none() | st.integers(1, 6)), max_size=5))
        ),
        expense_types=tuple(draw(st.lists(st.builds(ExpenseType, EXPENSE_TYPE_IDS, names), max_size=3))),
        categories=tuple(
            draw(st.lists(st.builds(Category, CATEGORY_IDS, names, st.none() | CATEGORY_IDS), max_size=6))
        ),
        products=tuple(draw(st.lists(products, max_size=8))),
    )


def id_sets(ids: st.SearchStrategy[int], max_size: int = 3) -> st.SearchStrategy[frozenset[int]]:
    return st.frozensets(ids, max_size=max_size)


rules = st.builds(
    Rules,
    timezone=st.sampled_from([KYIV, ZoneInfo("UTC"), ZoneInfo("America/New_York")]),
    b2b_manager_ids=st.frozensets(MANAGER_IDS, min_size=1, max_size=2) | st.just(frozenset()),
    excluded_source_ids=id_sets(SOURCE_IDS, 2),
    canceled_status_ids=id_sets(STATUS_IDS, 3),
)


def _mostly_none(values: st.SearchStrategy[T]) -> st.SearchStrategy[T | None]:
    """None three times in four: filters that combine rarely narrow a scope down to nothing."""
    return st.integers(0, 3).flatmap(lambda n: values if n == 0 else st.none())


@st.composite
def scopes(draw: st.DrawFn, anchors: Sequence[date] = ()) -> Scope:
    """A period (a day up to a year or so) and filters, sometimes narrowing lines.

    Periods start and end next to `anchors` (the orders' business days) when given, so that their
    edges fall right before, on and after days with orders.
    """
    near = st.sampled_from(anchors) if anchors else instants().map(lambda t: t.astimezone(KYIV).date())
    nudge = st.sampled_from([-1, 0, 0, 1]).map(lambda n: timedelta(days=n))
    start = draw(near) + draw(nudge)
    if anchors and draw(st.booleans()):
        end = max(start, draw(near) + draw(nudge))
    else:
        end = start + timedelta(days=draw(st.sampled_from([0, 1, 6, 30, 400])))
    return Scope(
        start=start,
        end=end,
        sales_type=draw(st.sampled_from([SalesType.ALL, SalesType.ALL, SalesType.RETAIL, SalesType.B2B])),
        source_id=draw(_mostly_none(SOURCE_IDS)),
        category_ids=draw(st.none() | st.frozensets(CATEGORY_IDS | st.just(99), max_size=3)),
        brand_key=draw(_mostly_none(st.sampled_from(["acme", "zed", "öko", "nope"]))),
    )


#: Scopes that see all history, for each sales type, without filters.
WHOLE = [Scope(FIRST_DAY - timedelta(days=10), LAST_DAY + timedelta(days=10), kind) for kind in SalesType]

meta = st.dictionaries(st.sampled_from(["last_sync", "checkpoint", "x"]), short_text, max_size=2)

order_changes = st.builds(
    OrderChanges,
    upserts=st.lists(orders(), max_size=6).map(tuple),
    deletions=id_sets(ORDER_IDS, 3),
    meta=meta,
)

#: A few days, so that snapshots often replace one taken the same day.
SNAPSHOT_DAYS = [date(2025, 3, 29), date(2025, 3, 30), date(2025, 3, 31), date(2025, 6, 1)]

offer_stocks = st.builds(
    OfferStock,
    offer_id=st.integers(1, 12),
    quantity=st.just(Decimal(0)) | quantities | quantities.map(lambda q: -q),
    reserve=st.just(Decimal(0)) | quantities,
    price=money(0, 5_000),
    purchased_price=st.none() | money(0, 5_000),
    sku=st.none() | short_text,
    product_id=st.none() | PRODUCT_IDS,
)

stock_snapshots = st.builds(
    StockSnapshot,
    day=st.sampled_from(SNAPSHOT_DAYS),
    taken_at=instants(),
    rows=st.lists(offer_stocks, max_size=8).map(tuple),
)
