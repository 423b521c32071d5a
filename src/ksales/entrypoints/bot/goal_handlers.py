"""/goal (admins; the gate refuses anyone else): the month's goals, or set one (`/goal b2b 900000`)."""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.ext import ContextTypes

from ksales.domain.errors import InvalidParameter
from ksales.domain.rules import SalesType
from ksales.entrypoints.bot import pace_texts
from ksales.entrypoints.bot.services import BotServices
from ksales.services.pace import parse_goal_amount

log = logging.getLogger(__name__)
#: `/goal b2b off` returns the goal to the suggestion (or KSALES_GOALS).
CLEAR_WORDS = frozenset({"off", "clear", "none", "-"})


class GoalHandlers:
    def __init__(self, services: BotServices) -> None:
        self.s = services
        self.goals = services.goals

    async def goal(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Without arguments: each sales type's goal; `[retail|b2b|all] AMOUNT` sets this month's."""
        message, user = update.effective_message, update.effective_user
        assert message is not None
        assert user is not None
        t = self.s.translator(update)
        analytics = self.s.reporting.analytics
        args = list(context.args or [])
        if not args:
            listing = await asyncio.to_thread(analytics.month_goals)
            await message.reply_text(pace_texts.month_goals(t, listing, self.s.currency, admin=True))
            return
        sales_type = SalesType.RETAIL
        if args[0].lower() in {s.value for s in SalesType}:
            sales_type = SalesType(args.pop(0).lower())
        text = " ".join(args)
        month = analytics.today().replace(day=1)
        if text.lower() in CLEAR_WORDS:
            await asyncio.to_thread(self.goals.clear, month, sales_type)
            log.info(
                "admin %s returned the %s goal of %s to the suggestion", user.id, sales_type.value, month
            )
            await message.reply_text(pace_texts.goal_cleared(t, month, sales_type))
            return
        try:
            amount = parse_goal_amount(text)
        except InvalidParameter:
            shown = text[:40] or "—"
            await message.reply_text("⚠️ " + t.gettext(pace_texts.BAD_AMOUNT, text=shown))
            return
        await asyncio.to_thread(self.goals.set, month, sales_type, amount)
        log.info("admin %s set the %s goal of %s", user.id, sales_type.value, month)
        await message.reply_text(pace_texts.goal_set(t, month, sales_type, t.money(amount, self.s.currency)))
