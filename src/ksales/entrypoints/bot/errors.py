"""The last resort: log the failure with its update, and apologise to the user."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from ksales.entrypoints.bot import texts

log = logging.getLogger(__name__)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log every handler failure with the update that caused it; tell the user, never stay silent."""
    shown = update.to_dict() if isinstance(update, Update) else update
    log.error("bot handler failed on update %s", shown, exc_info=context.error)
    if not isinstance(update, Update):
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer()
        if update.effective_chat is not None:
            await context.bot.send_message(update.effective_chat.id, texts.APOLOGY)
    except TelegramError as error:
        log.warning("could not apologise: %s", error)
