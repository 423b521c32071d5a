"""/search: an order id, phone or e-mail → a live lookup in the CRM."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from telegram import Message, Update
from telegram.ext import (
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from ksales.domain.errors import CrmError, InvalidParameter
from ksales.domain.language import N_
from ksales.domain.search import OrderQuery
from ksales.entrypoints.bot import texts
from ksales.entrypoints.bot.custom import Cancel
from ksales.entrypoints.bot.report_handlers import edit
from ksales.entrypoints.bot.services import BotServices
from ksales.ports.language import Translator

log = logging.getLogger(__name__)

WAITING_QUERY = 1
SHOWN = 5
PROMPT = N_("🔎 Send an order number, a phone number or an e-mail address (or /cancel).")


class SearchHandlers:
    def __init__(self, services: BotServices) -> None:
        self.s = services

    async def search(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        """`/search <query>` looks up at once; a bare `/search` asks for the query."""
        message = update.effective_message
        assert message is not None
        text = " ".join(context.args or [])
        if not text:
            await message.reply_text(self.s.translator(update).gettext(PROMPT))
            return WAITING_QUERY
        return await self.lookup(self.s.translator(update), message, text)

    async def typed(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        message = update.effective_message
        assert message is not None
        return await self.lookup(self.s.translator(update), message, message.text or "")

    async def lookup(self, t: Translator, message: Message, text: str) -> int:
        try:
            query = OrderQuery.parse(text[:300])
        except InvalidParameter:
            refusal = t.gettext(
                "I can't search for that: type an order number, a phone number or an e-mail address."
            )
            await message.reply_text(f"⚠️ {refusal}\n" + t.gettext("Try again, or /cancel."))
            return WAITING_QUERY
        working = await message.reply_text(t.gettext(texts.WORKING))
        try:
            result = await self.s.crm.search_orders(query, limit=SHOWN)
        except CrmError as error:
            log.warning("order search failed: %s", error)
            await edit(
                working, "⚠️ " + t.gettext("KeyCRM is not answering right now. Please try again in a minute.")
            )
            return ConversationHandler.END
        statuses, sources = await asyncio.to_thread(self._names)
        await edit(
            working,
            texts.search(
                t, result.orders[:SHOWN], result.total, statuses, sources, self.s.currency, self.s.timezone
            ),
        )
        return ConversationHandler.END

    def _names(self) -> tuple[dict[int, str], dict[int, str]]:
        statuses = {s.id: s.name for s in self.s.store.statuses()}
        sources = {s.id: s.name for s in self.s.store.sources()}
        return statuses, sources

    async def timed_out(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        if isinstance(update, Update) and update.effective_chat is not None:
            t = self.s.translator(update)
            await context.bot.send_message(
                update.effective_chat.id, "⌛ " + t.gettext("Search cancelled: nothing arrived.")
            )


def search_conversation(services: BotServices) -> ConversationHandler[ContextTypes.DEFAULT_TYPE]:
    handlers = SearchHandlers(services)

    return ConversationHandler(
        entry_points=[CommandHandler("search", handlers.search)],
        states={
            WAITING_QUERY: [MessageHandler(filters.TEXT & ~filters.COMMAND, handlers.typed)],
            ConversationHandler.TIMEOUT: [TypeHandler(Update, handlers.timed_out)],
        },
        fallbacks=[CommandHandler("cancel", Cancel(services))],
        allow_reentry=True,
        conversation_timeout=timedelta(minutes=5),
        name="search",
    )
