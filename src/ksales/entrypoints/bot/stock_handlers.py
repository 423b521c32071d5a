"""/stock (the offers out of stock and low, SPEC §7) and the daily restock alert to admins."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import date, timedelta
from html import escape

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes, JobQueue

from ksales.domain.inventory import Health
from ksales.entrypoints.bot import texts
from ksales.entrypoints.bot.report_handlers import edit
from ksales.entrypoints.bot.services import BotServices
from ksales.ports.language import Translator
from ksales.services.inventory import InventoryItem

log = logging.getLogger(__name__)

#: Offers listed per bucket.
SHOWN = 10
RESTOCK_JOB = "restock"
#: How often the alert looks for a new snapshot to compare (it is sent once per snapshot day).
RESTOCK_INTERVAL = timedelta(minutes=5)


def item_line(t: Translator, item: InventoryItem) -> str:
    offer = item.offer
    name = escape(item.name) + (f" ({escape(offer.stock.sku)})" if offer.stock.sku else "")
    if offer.available <= 0 or offer.days_of_supply is None:
        return "• " + t.gettext("{name} — out of stock", name=name)
    return "• " + t.gettext(
        "{name} — {available} left, {days} days of supply",
        name=name,
        available=texts.quantity(t, offer.available),
        days=t.number(offer.days_of_supply, max_decimals=1),
    )


def stock_text(
    t: Translator, day: date | None, out: Sequence[InventoryItem], low: Sequence[InventoryItem]
) -> str:
    if day is None:
        return t.gettext("No stock snapshot has been taken yet.")
    lines = ["📦 <b>" + t.gettext("Stock on {day}", day=t.day(day)) + "</b>"]
    if not out and not low:
        lines.append(t.gettext("Nothing is low or out of stock."))
    for title, items in ((t.gettext("Out of stock"), out), (t.gettext("Low stock"), low)):
        if items:
            lines.extend(["", f"<b>{title}</b>", *(item_line(t, i) for i in items)])
    return "\n".join(lines)


def restock_text(t: Translator, day: date, items: Sequence[InventoryItem]) -> str:
    head = (
        "🔔 <b>"
        + t.gettext("Restock")
        + "</b>: "
        + t.gettext("these offers became low or out of stock by {day}:", day=t.day(day))
    )
    shown = [item_line(t, i) for i in items[: SHOWN * 2]]
    more = len(items) - len(shown)
    tail = (
        ["… " + t.ngettext("and {count} more", "and {count} more", more, count=t.number(more))]
        if more > 0
        else []
    )
    return "\n".join([head, *shown, *tail])


class StockHandlers:
    def __init__(self, services: BotServices) -> None:
        self.s = services

    async def stock(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The latest snapshot's offers out of stock and low, up to 10 each."""
        message = update.effective_message
        assert message is not None
        t = self.s.translator(update)
        working = await message.reply_text(t.gettext(texts.WORKING))
        day, out, low = await asyncio.to_thread(self._buckets)
        await edit(working, stock_text(t, day, out, low))

    def _buckets(self) -> tuple[date | None, list[InventoryItem], list[InventoryItem]]:
        inventory = self.s.inventory
        day = inventory.summary().snapshot_date
        return day, inventory.items(Health.OUT_OF_STOCK, SHOWN), inventory.items(Health.LOW, SHOWN)

    async def restock(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Once per snapshot day: offers that became low or out of stock, to every admin (none: nothing)."""
        news = await asyncio.to_thread(self.s.inventory.restock_news)
        if news is None:
            return
        day, items = news
        if not await asyncio.to_thread(self.s.access.users.mark_announced, f"restock:{day.isoformat()}"):
            return
        if not items:
            return
        for admin_id in sorted(self.s.access.admin_ids):
            try:
                await context.bot.send_message(
                    admin_id, restock_text(self.s.translator_of(admin_id), day, items)
                )
            except TelegramError as error:
                log.warning("could not send the restock alert to %s: %s", admin_id, error)


def schedule_restock(job_queue: JobQueue[ContextTypes.DEFAULT_TYPE], handlers: StockHandlers) -> None:
    job_queue.run_repeating(
        handlers.restock, interval=RESTOCK_INTERVAL, first=RESTOCK_INTERVAL, name=RESTOCK_JOB
    )
