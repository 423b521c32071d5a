"""`ksales doctor [--json]`: the data-quality report, from the store or through the service that owns it."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from ksales.domain.language import N_
from ksales.services import doctor

if TYPE_CHECKING:
    from ksales.entrypoints.container import Container
    from ksales.ports.language import Translator

#: One line per finding that needs attention, in KSALES_LANGUAGE.
FINDINGS = {
    doctor.NEVER_RECONCILED: N_("the store was never reconciled with KeyCRM: run `ksales sync --reconcile`"),
    doctor.UNREPAIRED_MONTHS: N_("months that still disagree with KeyCRM after a re-read: {months}"),
    doctor.ORDERS_WITHOUT_LINES: N_("{orders} orders have a total ({total}) but no product lines"),
    doctor.UNKNOWN_PRODUCTS: N_("products on order lines missing from the catalog: {ids}"),
    doctor.UNKNOWN_SOURCES: N_("sources on orders missing from the dictionary: {ids}"),
    doctor.UNKNOWN_STATUSES: N_("statuses on orders missing from the dictionary: {ids}"),
    doctor.FOREIGN_CURRENCY: N_("sources in another currency (their totals are summed as they are): {ids}"),
    doctor.MISSING_SNAPSHOTS: N_("days without a stock snapshot: {days}"),
    doctor.SYNC_FAILED: N_("the last sync failed: {error}"),
    doctor.STALE_ROLLUPS: N_(
        "the store's rollups disagree with its orders ({tables}), so reports would be wrong: "
        "run `ksales rebuild-rollups`"
    ),
}


def _short(items: list[Any], most: int = 10) -> str:
    shown = ", ".join(str(i) for i in items[:most])
    return shown + (f" (+{len(items) - most})" if len(items) > most else "")


def lines(t: Translator, report: dict[str, Any]) -> list[str]:
    """The report as text: the findings first, then the figures."""
    details = {
        "months": _short((report["reconciliation"] or {}).get("unrepaired_months", [])),
        "orders": report["orders_without_lines"]["orders"],
        "total": report["orders_without_lines"]["total"],
        "ids": "",
        "days": _short(report["missing_snapshot_days"]),
        "error": (report["last_syncs"] or [{}])[0].get("error"),
        "tables": ", ".join(report.get("stale_rollups", [])),
    }
    ids = {
        doctor.UNKNOWN_PRODUCTS: report["unknown_products"],
        doctor.UNKNOWN_SOURCES: report["unknown_sources"],
        doctor.UNKNOWN_STATUSES: report["unknown_statuses"],
        doctor.FOREIGN_CURRENCY: [
            f"{s['id']} {s['currency_code']}" for s in report["foreign_currency_sources"]
        ],
    }
    out = [
        "! " + t.gettext(FINDINGS[code], **{**details, "ids": _short(ids.get(code, []))})
        for code in report["attention"]
    ]
    rec = report["reconciliation"]
    if rec is not None:
        out.append(
            t.gettext(
                "last reconciliation {at}: {months} months checked, {mismatched} disagreed, "
                "{fixed} orders fixed",
                at=rec["at"],
                months=rec["months_checked"],
                mismatched=len(rec["mismatched_months"]),
                fixed=rec["orders_inserted"] + rec["orders_updated"] + rec["orders_removed"],
            )
        )
    cover = report["lines"]
    out.append(
        t.gettext(
            "{lines} order lines: {no_product} without a product, {no_price} without a purchase price",
            lines=cover["lines"],
            no_product=cover["without_product"],
            no_price=cover["without_purchase_price"],
        )
    )
    for sync in report["last_syncs"][:5]:
        state = t.gettext("ok") if sync["ok"] else t.gettext("failed: {error}", error=sync["error"])
        out.append(f"{sync['finished_at']} {sync['mode']}: {state}")
    if not report["attention"]:
        out.append(t.gettext("nothing needs attention"))
    return out


def run(container: Container, args: argparse.Namespace) -> int:
    """Print the report; exit 1 when something needs attention."""
    from ksales.entrypoints.cli import EmptyStore
    from ksales.entrypoints.readers import open_reader
    from ksales.entrypoints.remote import RemoteAnalytics

    settings = container.settings()
    from ksales.adapters.system.lock import DataDirLock

    if not settings.store_path.exists() and not DataDirLock(settings.data_dir).is_held():
        raise EmptyStore()
    with open_reader(container) as analytics:
        if isinstance(analytics, RemoteAnalytics):
            report = analytics.data_quality()
        else:
            report = doctor.data_quality(analytics.store, settings.currency, analytics.today())
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        t = container.catalog().translator(settings.language)
        for line in lines(t, report):
            print(line)
    return 0 if report["ok"] else 1
