"""The workbook's Inventory sheet (SPEC §7, §5 Inventory): the latest snapshot's value and health buckets,
the offers to restock with their days of supply, and the dead stock by value. Values at cost only for those
who may see costs. Before the first snapshot the sheet says so in one row (an owner then knows why it is
empty, and that the snapshots are still to come)."""

from __future__ import annotations

from typing import Any

from ksales.adapters.excel.sections import Section
from ksales.adapters.excel.sheet import Column, Kind
from ksales.domain.inventory import Health
from ksales.domain.language import N_
from ksales.domain.workbook import StockItem, StockSheet
from ksales.ports.language import Translator

INVENTORY = N_("Inventory")

HEALTH_NAMES = {
    Health.OUT_OF_STOCK: N_("out of stock"),
    Health.INACTIVE: N_("inactive"),
    Health.LOW: N_("low"),
    Health.OVERSTOCK: N_("overstock"),
    Health.DEAD: N_("dead stock"),
    Health.NEVER_SOLD: N_("never sold"),
    Health.HEALTHY: N_("healthy"),
}
#: The buckets in the order an owner reads them (the page's order).
BUCKET_ORDER = (
    Health.OUT_OF_STOCK,
    Health.LOW,
    Health.HEALTHY,
    Health.OVERSTOCK,
    Health.DEAD,
    Health.NEVER_SOLD,
    Health.INACTIVE,
)


def _columns(t: Translator, costs: bool, supply: bool) -> list[Column]:
    columns = [
        Column(t.gettext("Product")),
        Column(t.gettext("SKU")),
        Column(t.gettext("Brand")),
        Column(t.gettext("Category")),
        Column(t.gettext("Health")),
        Column(t.gettext("Available"), Kind.QUANTITY, total=True),
    ]
    if supply:
        columns.append(Column(t.gettext("Days of supply"), Kind.QUANTITY))
    columns.append(Column(t.gettext("Value at price"), Kind.MONEY, total=True))
    if costs:
        columns.append(Column(t.gettext("Value at cost"), Kind.MONEY, total=True))
    columns.append(Column(t.gettext("Offer id"), Kind.ID))
    return columns


def _rows(items: tuple[StockItem, ...], t: Translator, costs: bool, supply: bool) -> list[list[Any]]:
    rows = []
    for i in items:
        row: list[Any] = [i.name, i.sku, i.brand, i.category, t.gettext(HEALTH_NAMES[i.health]), i.available]
        if supply:
            row.append(i.days_of_supply)
        row.append(i.value_at_price)
        if costs:
            row.append(i.value_at_cost)
        row.append(i.offer_id)
        rows.append(row)
    return rows


def stock_sections(sheet: StockSheet, t: Translator) -> list[Section]:
    if sheet.snapshot_date is None:
        note = t.gettext(
            "No stock snapshot yet: ksales takes one a day from KeyCRM (or run `ksales sync --stocks`)."
        )
        return [Section(t.gettext("Inventory"), note=note)]
    costs = sheet.value_at_cost is not None
    pairs: list[tuple[str, Any, Kind]] = [
        (t.gettext("Snapshot date"), sheet.snapshot_date, Kind.DATE),
        (t.gettext("Offers in stock"), sheet.offers, Kind.INTEGER),
        (t.gettext("Units available"), sheet.units_available, Kind.QUANTITY),
        (t.gettext("Value at price"), sheet.value_at_price, Kind.MONEY),
    ]
    if costs:
        pairs.append((t.gettext("Value at cost"), sheet.value_at_cost, Kind.MONEY))
    pairs.append((t.gettext("Cost coverage of the value"), sheet.cost_coverage_pct, Kind.PERCENT))
    counts = {c.health: c.offers for c in sheet.health}
    buckets = [[t.gettext(HEALTH_NAMES[h]), counts.get(h, 0)] for h in BUCKET_ORDER]
    restock_note = None if sheet.restock else t.gettext("Nothing is low or out of stock.")
    dead_note = None if sheet.dead else t.gettext("No dead stock.")
    return [
        Section(t.gettext("Latest stock snapshot"), pairs=pairs),
        Section(
            t.gettext("Health"),
            [Column(t.gettext("Health")), Column(t.gettext("Offers"), Kind.INTEGER, total=True)],
            buckets,
        ),
        Section(
            t.gettext("Out of stock and low"),
            _columns(t, costs, supply=True),
            _rows(sheet.restock, t, costs, supply=True),
            note=restock_note,
        ),
        Section(
            t.gettext("Dead stock (no sale in 90 days), by value"),
            _columns(t, costs, supply=False),
            _rows(sheet.dead, t, costs, supply=False),
            note=dead_note,
        ),
    ]
