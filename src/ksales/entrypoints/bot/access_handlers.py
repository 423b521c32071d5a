"""/start, /help, /dashboard, access requests, the admins' decisions and /users."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, Message, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes

from ksales.domain.access import Decision, RequestOutcome
from ksales.domain.errors import NotAllowed, NotFound
from ksales.domain.ids import id_from_text
from ksales.domain.language import N_, Language
from ksales.domain.users import User, UserStatus
from ksales.entrypoints.bot import keyboards, texts
from ksales.entrypoints.bot.services import BotServices
from ksales.ports.language import Translator

log = logging.getLogger(__name__)

_OUTCOME_FOR_USER = {
    Decision.APPROVE: N_("✅ Your access to ksales was approved. Try /report or /help."),
    Decision.DENY: N_("Your access request was denied."),
    Decision.REVOKE: N_("Your access to ksales was revoked."),
    Decision.UNFREEZE: N_("An admin unblocked you: you can request access again with /start."),
}
_FROZEN_NOW = N_("Your access request was denied. Further requests are blocked.")
_REQUEST_REPLIES = {
    RequestOutcome.REQUESTED: N_(
        "📨 Your request was sent to the admins. I'll tell you their decision here."
    ),
    RequestOutcome.ALREADY_PENDING: N_("Your request is still waiting for an admin."),
    RequestOutcome.ALREADY_APPROVED: N_("You already have access. Try /report."),
    RequestOutcome.FROZEN: N_("Your requests are blocked. Please contact an admin."),
}


def _message(update: Update) -> Message:
    message = update.effective_message
    assert message is not None  # command and button handlers always carry one
    return message


def _query(update: Update) -> CallbackQuery:
    query = update.callback_query
    assert query is not None
    return query


class AccessHandlers:
    def __init__(self, services: BotServices) -> None:
        self.s = services
        self.access = services.access

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Welcome; strangers get a button to request access."""
        assert update.effective_user is not None
        user = self.access.user(update.effective_user.id)
        message = _message(update)
        t = self.s.translator(update)
        if user is not None and user.is_approved:
            await message.reply_text(t.gettext("👋 Welcome back!") + "\n\n" + t.gettext(texts.HELP))
        elif user is not None and user.status is UserStatus.FROZEN:
            await message.reply_text(t.gettext(_REQUEST_REPLIES[RequestOutcome.FROZEN]))
        elif user is not None and user.status is UserStatus.PENDING:
            await message.reply_text(t.gettext(_REQUEST_REPLIES[RequestOutcome.ALREADY_PENDING]))
        else:
            await message.reply_text(
                t.gettext(
                    "👋 This is the ksales bot: sales reports of the shop.\n"
                    "You need an admin's approval to use it."
                ),
                reply_markup=keyboards.request_access(t),
            )

    async def help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """List the commands."""
        await _message(update).reply_text(self.s.translator(update).gettext(texts.HELP))

    async def dashboard(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A button opening the dashboard (a plain link where Telegram refuses the URL, e.g. localhost)."""
        message = _message(update)
        t = self.s.translator(update)
        try:
            await message.reply_text(
                "📈 " + t.gettext("The dashboard:"), reply_markup=keyboards.dashboard(t, self.s.dashboard_url)
            )
        except BadRequest:
            await message.reply_text("📈 " + t.gettext("The dashboard:") + f" {self.s.dashboard_url}")

    async def request(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The stranger pressed Request access: record it and ask every admin."""
        query = _query(update)
        await query.answer()
        person = query.from_user
        language = Language.from_tag(person.language_code)
        outcome = self.access.request_access(person.id, person.username, person.full_name, language)
        await _message(update).edit_text(self.s.translator(update).gettext(_REQUEST_REPLIES[outcome]))
        if outcome is not RequestOutcome.REQUESTED:
            return
        requester = self.access.user(person.id)
        assert requester is not None
        for admin_id in sorted(self.access.admin_ids):
            t = self.s.translator_of(admin_id)
            notice = "🔔 " + t.gettext("Access request from {name}", name=texts.user_name(requester))
            try:
                await context.bot.send_message(admin_id, notice, reply_markup=keyboards.review(t, person.id))
            except TelegramError as error:  # an admin who never opened the bot cannot be messaged
                log.warning("could not notify admin %s: %s", admin_id, error)

    async def review(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """An admin's Approve / Deny / Revoke / Unfreeze button."""
        query = _query(update)
        t = self.s.translator(update)
        try:
            _, name, raw_id, where = (query.data or "").split(":")
            decision = Decision(name)
            user_id = id_from_text(raw_id)
            if user_id is None:
                raise ValueError(raw_id)
            result = self.access.decide(query.from_user.id, user_id, decision)
        except NotAllowed:
            if self.access.is_admin(query.from_user.id):
                await query.answer(t.gettext("Admins are always approved; nothing to change."))
            else:
                await query.answer(t.gettext(texts.ADMINS_ONLY))
            return
        except NotFound:
            await query.answer(t.gettext("No such user any more."))
            return
        except ValueError:
            await query.answer(t.gettext("Unknown action"))
            return
        user = result.user
        status = texts.status_name(t, user.status)
        await query.answer(
            t.gettext("Done") if result.changed else t.gettext("Already {status}", status=status)
        )
        if where == keyboards.FROM_LIST:
            await self._edit_listing(t, _message(update))
        else:
            verb = t.gettext("by you") if result.changed else t.gettext("already")
            await _message(update).edit_text(f"{texts.user_name(user)}: {status} ({verb})")
        if result.changed:
            await self._tell(context, user, decision)

    async def users(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Admins: pending, approved and frozen users with action buttons."""
        listing = self.access.listing()
        t = self.s.translator(update)
        await _message(update).reply_text(
            texts.users(t, listing, self.access.admin_ids),
            reply_markup=keyboards.users(t, listing, self.access.admin_ids),
        )

    async def _edit_listing(self, t: Translator, message: Message) -> None:
        listing = self.access.listing()
        try:
            await message.edit_text(
                texts.users(t, listing, self.access.admin_ids),
                reply_markup=keyboards.users(t, listing, self.access.admin_ids),
            )
        except BadRequest as error:  # "message is not modified" when two admins act at once
            log.info("users list not edited: %s", error)

    async def _tell(self, context: ContextTypes.DEFAULT_TYPE, user: User, decision: Decision) -> None:
        message = _OUTCOME_FOR_USER[decision]
        if decision is Decision.DENY and user.status is UserStatus.FROZEN:
            message = _FROZEN_NOW
        text = self.s.translator_of(user.id).gettext(message)
        try:
            await context.bot.send_message(user.id, text)
        except TelegramError as error:
            log.warning("could not notify user %s: %s", user.id, error)
