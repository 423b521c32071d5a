"""The last resort: log the failure with its update, and apologise to the user in their language."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from ksales.domain.errors import KsalesError
from ksales.entrypoints.bot import texts
from ksales.entrypoints.bot.services import BotServices
from ksales.ports.language import Translator

log = logging.getLogger(__name__)


class ErrorHandler:
    def __init__(self, services: BotServices) -> None:
        self.s = services

    def _translator(self, update: Update) -> Translator:
        try:
            return self.s.translator(update)
        except KsalesError:  # the user store may be what failed: apologise in the default language
            return self.s.catalog.translator(self.s.language)

    async def __call__(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log every handler failure with the update that caused it; tell the user, never stay silent."""
        shown = update.to_dict() if isinstance(update, Update) else update
        log.error("bot handler failed on update %s", shown, exc_info=context.error)
        if not isinstance(update, Update):
            return
        try:
            if update.callback_query is not None:
                await update.callback_query.answer()
            if update.effective_chat is not None:
                apology = self._translator(update).gettext(texts.APOLOGY)
                await context.bot.send_message(update.effective_chat.id, apology)
        except TelegramError as error:
            log.warning("could not apologise: %s", error)
