"""The Custom period: a button starts a conversation that waits for a typed date range."""

from __future__ import annotations

import warnings
from datetime import timedelta

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from ksales.entrypoints.bot import keyboards, ranges, texts
from ksales.entrypoints.bot.report_handlers import ReportHandlers
from ksales.entrypoints.bot.services import BotServices

WAITING_RANGE = 1
CONVERSATION_TIMEOUT = timedelta(minutes=5)


class CustomRange:
    def __init__(self, reports: ReportHandlers) -> None:
        self.reports = reports

    async def begin(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        """Custom pressed: remember what it was for and ask for the range."""
        query = update.callback_query
        assert query is not None
        assert context.user_data is not None
        await query.answer()
        parts = (query.data or "").split(":")
        context.user_data["custom"] = parts[1:]
        if update.effective_message is not None:
            t = self.reports.s.translator(update)
            await update.effective_message.reply_text(
                f"📅 {t.gettext(ranges.RANGE_HELP)}\n" + t.gettext("Or /cancel.")
            )
        return WAITING_RANGE

    async def typed(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        """A typed range: the result when it reads, a clear reply and another chance when not."""
        message = update.effective_message
        assert message is not None
        assert context.user_data is not None
        t = self.reports.s.translator(update)
        try:
            period = ranges.parse_range(message.text or "")
        except ranges.UnreadableRange as error:
            await message.reply_text(f"⚠️ {error.explain(t)}\n" + t.gettext("Try again, or /cancel."))
            return WAITING_RANGE
        target = context.user_data.pop("custom", [keyboards.REPORT])
        sales_type = self.reports.sales_type_of(update)
        working = await message.reply_text(t.gettext(texts.WORKING))
        if target[0] == keyboards.TOP:
            source = int(target[1]) if len(target) > 1 and target[1].isdigit() and int(target[1]) else None
            await self.reports.show_top(t, working, period, sales_type, source)
        elif target[0] == keyboards.EXCEL:
            await self.reports.send_workbook(
                t, working, period, sales_type, *self.reports.workbook_access(update)
            )
        else:
            costs = update.effective_user is not None and self.reports.s.sees_costs(update.effective_user.id)
            await self.reports.show_report(t, working, period, sales_type, costs)
        return ConversationHandler.END

    async def timed_out(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        if isinstance(update, Update) and update.effective_chat is not None:
            t = self.reports.s.translator(update)
            await context.bot.send_message(
                update.effective_chat.id,
                "⌛ " + t.gettext("No range arrived, so I stopped waiting. Press Custom again."),
            )


class Cancel:
    def __init__(self, services: BotServices) -> None:
        self.s = services

    async def __call__(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        """Leave whatever conversation is running."""
        if update.effective_message is not None:
            await update.effective_message.reply_text(self.s.translator(update).gettext("Cancelled."))
        if context.user_data is not None:
            context.user_data.pop("custom", None)
        return ConversationHandler.END


def custom_range_conversation(reports: ReportHandlers) -> ConversationHandler[ContextTypes.DEFAULT_TYPE]:
    flow = CustomRange(reports)
    prefixes = "|".join((keyboards.REPORT, keyboards.TOP, keyboards.EXCEL))
    # per_message=False is right here: the range arrives as a new text message, not a button on the
    # message that started the conversation. PTB warns about the CallbackQueryHandler entry point in
    # that set-up regardless (its FAQ says to ignore the warning when per_message is deliberate).
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"If 'per_message=False'", category=PTBUserWarning)
        return ConversationHandler(
            entry_points=[CallbackQueryHandler(flow.begin, pattern=rf"^{keyboards.CUSTOM}:({prefixes})")],
            states={
                WAITING_RANGE: [MessageHandler(filters.TEXT & ~filters.COMMAND, flow.typed)],
                ConversationHandler.TIMEOUT: [TypeHandler(Update, flow.timed_out)],
            },
            fallbacks=[CommandHandler("cancel", Cancel(reports.s))],
            allow_reentry=True,
            conversation_timeout=CONVERSATION_TIMEOUT,
            name="custom_range",
        )
