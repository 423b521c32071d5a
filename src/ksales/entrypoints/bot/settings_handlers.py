"""/settings: language, default sales type and period, milestone alerts, daily digest hour."""

from __future__ import annotations

from attrs import evolve
from telegram import Update
from telegram.ext import ContextTypes

from ksales.domain.language import Language
from ksales.domain.periods import PeriodKind
from ksales.domain.rules import SalesType
from ksales.domain.users import UserSettings
from ksales.entrypoints.bot import keyboards, texts
from ksales.entrypoints.bot.report_handlers import edit
from ksales.entrypoints.bot.services import BotServices


def changed(current: UserSettings, field: str, value: str) -> UserSettings:
    """The settings after one button press; ValueError for data this bot never sends."""
    match field:
        case "lg":
            return evolve(current, language=Language(value))
        case "st":
            return evolve(current, sales_type=SalesType(value))
        case "pd":
            kind = PeriodKind(value)
            if kind is PeriodKind.CUSTOM:
                raise ValueError("a default period must be a named one")
            return evolve(current, period=kind)
        case "ms":
            return evolve(current, milestone_notifications=value == "on")
        case "wr":
            return evolve(current, weekly_report=value == "on")
        case "dg":
            hour = None if value == "off" else int(value)
            if hour is not None and not 0 <= hour <= 23:
                raise ValueError("an hour is 0–23")
            return evolve(current, digest_hour=hour)
    raise ValueError(f"unknown setting {field!r}")


class SettingsHandlers:
    def __init__(self, services: BotServices) -> None:
        self.s = services
        self.access = services.access

    async def show(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The user's settings with buttons to change them."""
        assert update.effective_user is not None
        assert update.effective_message is not None
        current = self.access.shown_settings(update.effective_user.id)
        t = self.s.translator(update)
        await update.effective_message.reply_text(
            texts.settings(t, current), reply_markup=keyboards.settings(t, current)
        )

    async def change(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        user_id = query.from_user.id
        try:
            _, field, value = (query.data or "").split(":")
            self.access.update_settings(user_id, changed(self.access.settings(user_id), field, value))
            shown = self.access.shown_settings(user_id)
        except ValueError:
            await query.answer(self.s.translator(update).gettext(texts.STALE_BUTTON))
            return
        t = self.s.translator(update)  # after a language change, the new language
        await query.answer(t.gettext("Saved"))
        assert update.effective_message is not None
        await edit(
            update.effective_message,
            texts.settings(t, shown),
            reply_markup=keyboards.settings(t, shown),
        )
