"""The door every update passes first: record activity, and stop what the user may not do."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from ksales.domain.access import ADMIN_ACTIONS
from ksales.domain.ids import is_valid_id
from ksales.domain.language import Language
from ksales.entrypoints.bot import keyboards, texts
from ksales.entrypoints.bot.services import BotServices

_BUTTON_ACTIONS = {keyboards.REQUEST: "request_access", keyboards.REVIEW: "review"}


def action_of(update: Update) -> str:
    """The action an update asks for: a command name, a button kind, or `use` for anything else."""
    if update.callback_query is not None:
        prefix = (update.callback_query.data or "").split(":", 1)[0]
        return _BUTTON_ACTIONS.get(prefix, "use")
    message = update.effective_message
    text = message.text if message is not None else None
    if text and text.startswith("/"):
        return text[1:].split(maxsplit=1)[0].split("@", 1)[0].lower()
    return "use"


class Gate:
    def __init__(self, services: BotServices) -> None:
        self.s = services
        self.access = services.access

    async def check(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Record the user's activity; answer and stop the update when they may not do this."""
        user = update.effective_user
        if user is None or not is_valid_id(user.id):
            raise ApplicationHandlerStop
        self.access.seen(user.id, user.username, user.full_name, Language.from_tag(user.language_code))
        action = action_of(update)
        if self.access.may(user.id, action):
            return
        known = self.access.user(user.id)
        approved = known is not None and known.is_approved
        message = texts.ADMINS_ONLY if approved and action in ADMIN_ACTIONS else texts.NOT_ALLOWED
        text = self.s.translator(update).gettext(message)
        if update.callback_query is not None:
            await update.callback_query.answer(text, show_alert=True)
        elif update.effective_message is not None:
            await update.effective_message.reply_text(text)
        raise ApplicationHandlerStop
