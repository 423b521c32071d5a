"""`ksales doctor` and `GET /api/data-quality`: what in the store needs attention, and why.

One JSON-ready object, the same for the command and the API: the last reconciliation, orders with a total
but no lines, lines without a product or a purchase price, ids missing from the dictionaries, sources in
another currency, days without a stock snapshot, rollups that disagree with the orders, and the last syncs
with their errors. `attention` lists the findings (by code) that need someone to act; empty means healthy.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from ksales.ports.store import SalesStore
from ksales.services.sync.reconcile import RECONCILIATION_KEY, Reconciliation
from ksales.services.sync.service import recent_reports

#: Findings that need attention, in the order they are reported.
NEVER_RECONCILED = "never_reconciled"
UNREPAIRED_MONTHS = "unrepaired_months"
ORDERS_WITHOUT_LINES = "orders_without_lines"
UNKNOWN_PRODUCTS = "unknown_products"
UNKNOWN_SOURCES = "unknown_sources"
UNKNOWN_STATUSES = "unknown_statuses"
FOREIGN_CURRENCY = "foreign_currency_sources"
MISSING_SNAPSHOTS = "missing_snapshot_days"
SYNC_FAILED = "last_sync_failed"
STALE_ROLLUPS = "stale_rollups"


def missing_days(days: list[date], today: date) -> list[date]:
    """Days from the first snapshot to today that have none (none is ever invented)."""
    if not days:
        return []
    have, result, day = set(days), [], days[0]
    while day <= today:
        if day not in have:
            result.append(day)
        day += timedelta(days=1)
    return result


def data_quality(store: SalesStore, currency: str, today: date) -> dict[str, Any]:
    """The doctor's report over `store`."""
    counts = store.data_quality()
    reconciled = Reconciliation.load(store.get_meta(RECONCILIATION_KEY))
    foreign = [
        {"id": s.id, "name": s.name, "currency_code": s.currency_code}
        for s in store.sources()
        if s.currency_code and s.currency_code.upper() != currency.upper()
    ]
    gaps = missing_days(store.stock_snapshot_days(), today)
    syncs = recent_reports(store)
    with_cost = counts.lines - counts.lines_without_purchase_price
    attention = [
        code
        for code, found in (
            (NEVER_RECONCILED, reconciled is None and store.order_count() > 0),
            (UNREPAIRED_MONTHS, reconciled is not None and bool(reconciled.unrepaired)),
            (ORDERS_WITHOUT_LINES, counts.orders_without_lines > 0),
            (UNKNOWN_PRODUCTS, bool(counts.unknown_products)),
            (UNKNOWN_SOURCES, bool(counts.unknown_sources)),
            (UNKNOWN_STATUSES, bool(counts.unknown_statuses)),
            (FOREIGN_CURRENCY, bool(foreign)),
            (MISSING_SNAPSHOTS, bool(gaps)),
            (SYNC_FAILED, bool(syncs) and not syncs[0].ok),
            (STALE_ROLLUPS, bool(counts.stale_rollups)),
        )
        if found
    ]
    return {
        "ok": not attention,
        "attention": attention,
        "orders": store.order_count(),
        "reconciliation": None
        if reconciled is None
        else {
            "at": reconciled.at.isoformat(),
            "months_checked": reconciled.months_checked,
            "mismatched_months": reconciled.mismatched,
            "unrepaired_months": reconciled.unrepaired,
            "orders_inserted": reconciled.inserted,
            "orders_updated": reconciled.updated,
            "orders_removed": reconciled.removed,
        },
        "orders_without_lines": {
            "orders": counts.orders_without_lines,
            "total": float(round(counts.orders_without_lines_total, 2)),
        },
        "lines": {
            "lines": counts.lines,
            "without_product": counts.lines_without_product,
            "without_purchase_price": counts.lines_without_purchase_price,
            "cost_coverage_pct": round(100 * with_cost / counts.lines, 1) if counts.lines else None,
        },
        "unknown_products": list(counts.unknown_products),
        "unknown_sources": list(counts.unknown_sources),
        "unknown_statuses": list(counts.unknown_statuses),
        "foreign_currency_sources": foreign,
        "missing_snapshot_days": [d.isoformat() for d in gaps],
        "stale_rollups": list(counts.stale_rollups),
        "last_syncs": [
            {
                "mode": r.mode,
                "finished_at": None if r.finished_at is None else r.finished_at.isoformat(),
                "ok": r.ok,
                "error": r.error,
                "fetched": r.fetched,
                "requests": r.requests,
            }
            for r in syncs
        ],
    }
