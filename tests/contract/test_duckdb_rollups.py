"""The DuckDB rollups are derived tables: kept on write they equal a rebuild from the raw rows, and every
query answers the same read from them or from the raw rows only (`rollups=False`).

(The store with rollups is compared with `InMemorySalesStore` by test_store_equivalence and the store
machine; the raw path is compared with the rollups here, on fewer examples, to keep the suite's cost.)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest.mock import patch

import attrs
import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from ksales.adapters.duckdb import DuckDbSalesStore, rollups, schema, subtrees
from ksales.adapters.duckdb.rollup_reads import split
from ksales.adapters.memory import InMemorySalesStore
from ksales.domain.categories import CategoryTree
from ksales.domain.filters import Scope
from ksales.domain.model import Category, Dictionaries, Order, OrderLine, Product
from ksales.domain.rules import Rules, SalesType, business_day
from ksales.ports.store import OrderChanges
from tests.contract.store_checks import CUTS, assert_same_aggregates
from tests.strategies import (
    CATEGORY_IDS,
    WHOLE,
    brands,
    dictionaries,
    names,
    order_changes,
    order_sets,
    rules,
    scopes,
)


class RawReads:
    """The same store, every read made with `rollups=False`."""

    def __init__(self, store: DuckDbSalesStore) -> None:
        self._store = store

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self._store, name)

        def raw(*args: Any, **kwargs: Any) -> Any:
            self._store.rollups = False
            try:
                return method(*args, **kwargs)
            finally:
                self._store.rollups = True

        return raw


def rollup_rows(store: DuckDbSalesStore) -> dict[str, list[tuple[Any, ...]]]:
    def rows(table: str) -> list[tuple[Any, ...]]:
        return store._read(table, lambda c: c.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall())

    return {r.table: rows(r.table) for r in rollups.ROLLUPS}


def rebuilt_rows(store: DuckDbSalesStore) -> dict[str, list[tuple[Any, ...]]]:
    def rows(r: rollups.Rollup) -> list[tuple[Any, ...]]:
        first = r.measures[0][0]
        sql = f"SELECT * FROM ({r.aggregate()}) WHERE {first} <> 0 ORDER BY ALL"
        return store._read(r.table, lambda c: c.execute(sql).fetchall())

    return {r.table: rows(r) for r in rollups.ROLLUPS}


def retyped(catalog: Dictionaries) -> Dictionaries:
    """The same catalog with every product moved to another category and brand (lines are re-filed)."""
    products = tuple(
        attrs.evolve(p, category_id=(p.category_id or 0) % 6 + 1, brand=None if p.brand else "Acme")
        for p in catalog.products
    )
    return attrs.evolve(catalog, products=products)


@settings(max_examples=25, deadline=None)
@given(
    rules=rules,
    catalog=dictionaries(),
    orders=order_sets(),
    changes=st.lists(order_changes, max_size=3),
    data=st.data(),
)
def test_rollups_kept_on_write_equal_a_rebuild_and_the_raw_rows(
    rules: Rules, catalog: Dictionaries, orders: list[Order], changes: list[OrderChanges], data: st.DataObject
) -> None:
    store = DuckDbSalesStore(None, rules)
    try:
        store.save_dictionaries(catalog)
        store.apply(OrderChanges(upserts=orders))
        for change in changes:
            store.apply(change)
        store.save_dictionaries(retyped(catalog))  # lines re-filed, brand firsts moved
        assert rollup_rows(store) == rebuilt_rows(store)
        days = sorted({business_day(o, rules.timezone) for o in orders})
        scope_list = data.draw(st.lists(scopes(days), min_size=1, max_size=4), label="scopes")
        assert_same_aggregates(store, RawReads(store), [*WHOLE, *scope_list], [])  # type: ignore[arg-type]
    finally:
        store.close()


def narrowed(scope: Scope, tree: CategoryTree, root: int | None) -> Scope:
    """The scope filtered by the subtree of `root` as the service resolves it (its brand dropped, so that
    one rollup answers), or by its brand alone."""
    if root is None or root not in tree:
        return attrs.evolve(scope, category_ids=None, category_id=None)
    return attrs.evolve(scope, category_ids=tree.descendants(root), category_id=root, brand_key=None)


categories = st.lists(st.builds(Category, CATEGORY_IDS, names, st.none() | CATEGORY_IDS), max_size=6)
PRODUCTS, TREE = range(1, 9), range(1, 7)  # the ids of `PRODUCT_IDS` and `CATEGORY_IDS`


@settings(max_examples=25, deadline=None)
@given(
    rules=rules,
    catalog=dictionaries(),
    orders=order_sets(),
    change=order_changes,
    moved=categories,
    data=st.data(),
)
def test_reports_by_subtree_or_brand_equal_the_raw_rows_and_the_fake(
    rules: Rules,
    catalog: Dictionaries,
    orders: list[Order],
    change: OrderChanges,
    moved: list[Category],
    data: st.DataObject,
) -> None:
    store, fake = DuckDbSalesStore(None, rules), InMemorySalesStore(rules)
    # Every product filed and every category known (before the drawn catalog's), so that lines in subtrees
    # and of brands are common.
    filed = data.draw(st.tuples(*(st.tuples(CATEGORY_IDS, brands) for _ in PRODUCTS)), label="filed")
    tree_ = data.draw(st.tuples(*(st.none() | CATEGORY_IDS for _ in TREE)), label="tree")
    catalog = attrs.evolve(
        catalog,
        products=(
            *(Product(p, "P", c, b) for p, (c, b) in zip(PRODUCTS, filed, strict=True)),
            *catalog.products,
        ),
        categories=(*(Category(c, "C", p) for c, p in zip(TREE, tree_, strict=True)), *catalog.categories),
    )
    try:
        for s in (store, fake):
            s.save_dictionaries(catalog)
            s.apply(OrderChanges(upserts=orders))
            s.apply(change)
            s.save_dictionaries(Dictionaries(categories=tuple(moved)))  # parents changed: subtrees too
        assert rollup_rows(store) == rebuilt_rows(store)
        tree = CategoryTree(store.categories())
        days = sorted({business_day(o, rules.timezone) for o in orders})
        roots = st.none() | CATEGORY_IDS
        drawn = data.draw(st.lists(st.tuples(scopes(days), roots), min_size=1, max_size=4), label="scopes")
        everything = next(w for w in WHOLE if w.sales_type is SalesType.ALL)  # whole months, canceled too
        scope_list = [narrowed(everything, tree, c.id) for c in store.categories()]
        scope_list += [attrs.evolve(everything, brand_key=b) for b in ("acme", "zed")]
        scope_list += [narrowed(scope, tree, root) for scope, root in drawn]
        assert_same_aggregates(store, RawReads(store), scope_list, [])  # type: ignore[arg-type]
        assert_same_aggregates(store, fake, scope_list, [CUTS[1]])  # the same-time cut of the last day
    finally:
        store.close()


class _NoDeltas:
    def __init__(self, cursor: Any) -> None:
        raise AssertionError("the rollups were to be rebuilt, not kept by deltas")


@settings(max_examples=15, deadline=None)
@given(
    rules=rules,
    catalog=dictionaries(),
    orders=order_sets(),
    moved=categories,
    refiled=st.tuples(*(st.tuples(CATEGORY_IDS, brands) for _ in PRODUCTS)),
)
def test_a_catalog_change_touching_many_orders_rebuilds_the_rollups_right(
    rules: Rules, catalog: Dictionaries, orders: list[Order], moved: list[Category], refiled: Any
) -> None:
    """Re-filed products and moved categories touching more orders than deltas pay for: the rollups are
    rebuilt (no `Deltas` at all) and equal a rebuild from the raw rows, and the reports equal the fake's."""
    store, fake = DuckDbSalesStore(None, rules), InMemorySalesStore(rules)
    products = tuple(Product(p, "P", c, b) for p, (c, b) in zip(PRODUCTS, refiled, strict=True))
    try:
        for s in (store, fake):
            s.save_dictionaries(catalog)
            s.apply(OrderChanges(upserts=orders))
        with (
            patch.object(rollups, "DELTAS_UP_TO", 0),
            patch.object(rollups, "DELTAS_UP_TO_ONE_IN", len(orders) + 1),  # whatever share they touch
            patch.object(rollups, "Deltas", _NoDeltas),
        ):
            for s in (store, fake):
                s.save_dictionaries(Dictionaries(products=products, categories=tuple(moved)))
        assert rollup_rows(store) == rebuilt_rows(store)
        tree = CategoryTree(store.categories())
        everything = next(w for w in WHOLE if w.sales_type is SalesType.ALL)
        scope_list = [everything, *(narrowed(everything, tree, c.id) for c in store.categories())]
        scope_list += [attrs.evolve(everything, brand_key=b) for b in ("acme", "zed")]
        assert_same_aggregates(store, fake, scope_list, [])
    finally:
        store.close()


@given(categories=categories)
def test_the_stored_subtrees_are_the_trees(categories: list[Category]) -> None:
    store = DuckDbSalesStore(None, Rules())
    try:
        store.save_dictionaries(Dictionaries(categories=tuple(categories)))
        tree = CategoryTree(store.categories())
        expected = sorted((root.id, c) for root in store.categories() for c in tree.descendants(root.id))
        stored = store._read(
            "subtrees", lambda c: c.execute("SELECT * FROM category_subtrees ORDER BY ALL").fetchall()
        )
        computed = store._read("subtrees", lambda c: c.execute(f"{subtrees.SELECT} ORDER BY ALL").fetchall())
        assert stored == computed == expected
    finally:
        store.close()


@given(start=st.dates(date(2023, 1, 1), date(2027, 1, 1)), length=st.integers(0, 800))
def test_split_covers_the_period_once(start: date, length: int) -> None:
    end = date.fromordinal(start.toordinal() + length)
    months, raw = split(start, end)
    covered = [d for first, last in raw for d in range(first.toordinal(), last.toordinal() + 1)]
    if months is not None:
        first, last = months
        assert first.day == last.day == 1
        month_end = date(last.year + last.month // 12, last.month % 12 + 1, 1).toordinal() - 1
        covered += range(first.toordinal(), month_end + 1)
    assert sorted(covered) == list(range(start.toordinal(), end.toordinal() + 1))


def test_a_store_of_the_previous_version_gets_its_rollups_built(tmp_path: Path) -> None:
    path = tmp_path / "analytics.duckdb"
    rules_ = Rules()
    order = _order()
    store = DuckDbSalesStore(path, rules_)
    store.apply(OrderChanges(upserts=(order,)))
    store.close()
    with duckdb.connect(str(path)) as raw:  # back to the version before the rollups
        for r in rollups.ROLLUPS:
            raw.execute(f"DROP TABLE {r.table}")
        raw.execute(
            "DELETE FROM schema_version WHERE version > ?", [schema.MIGRATIONS.index(schema._V_ROLLUPS)]
        )
    reopened = DuckDbSalesStore(path, rules_)
    try:
        assert reopened.schema_version == schema.LATEST_VERSION
        assert rollup_rows(reopened) == rebuilt_rows(reopened)
        assert reopened.totals(WHOLE[0]).orders == 1
    finally:
        reopened.close()


def test_rebuild_restores_lost_rollups() -> None:
    rules_ = Rules()
    store = DuckDbSalesStore(None, rules_)
    fake = InMemorySalesStore(rules_)
    try:
        for s in (store, fake):
            s.apply(OrderChanges(upserts=(_order(),)))
        for r in rollups.ROLLUPS:
            store._write("losing a rollup", lambda c, table=r.table: c.execute(f"DELETE FROM {table}"))
        assert store.totals(WHOLE[0]).orders == 0  # reads trust the rollups
        store.rebuild_rollups()
        assert rollup_rows(store) == rebuilt_rows(store)
        assert_same_aggregates(
            store, fake, [*WHOLE, Scope(date(2025, 3, 1), date(2025, 3, 31), SalesType.ALL)]
        )
    finally:
        store.close()


def _order() -> Order:
    return Order(
        id=1,
        source_id=1,
        grand_total=Decimal("100.00"),
        created_at=datetime(2025, 3, 10, 12, tzinfo=UTC),
        lines=(OrderLine(name="Tee", quantity=Decimal(2), price_sold=Decimal("50.00"), product_id=7),),
    )
