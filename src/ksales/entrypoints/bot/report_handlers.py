"""/report, /top and /excel: a "working…" message edited into the result, period buttons to switch."""

from __future__ import annotations

import asyncio
import logging

from telegram import InputFile, Message, Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from ksales.domain.errors import InvalidParameter
from ksales.domain.periods import Period
from ksales.domain.rules import SalesType
from ksales.entrypoints.bot import keyboards, ranges, texts
from ksales.entrypoints.bot.margin_texts import cost_lines
from ksales.entrypoints.bot.services import BotServices
from ksales.ports.language import Translator

log = logging.getLogger(__name__)


async def edit(message: Message, text: str, **kwargs: object) -> None:
    """Edit a message, ignoring Telegram's "message is not modified" (the same figures pressed twice)."""
    try:
        await message.edit_text(text, **kwargs)  # type: ignore[arg-type]
    except BadRequest as error:
        if "not modified" not in str(error).lower():
            raise


class ReportHandlers:
    def __init__(self, services: BotServices) -> None:
        self.s = services

    def sales_type_of(self, update: Update) -> SalesType:
        assert update.effective_user is not None
        return self.s.access.settings(update.effective_user.id).sales_type

    def default_period(self, update: Update) -> Period:
        assert update.effective_user is not None
        return self.s.reporting.period(self.s.access.settings(update.effective_user.id).period)

    # --- /report ------------------------------------------------------------------------------
    async def report(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The report for the user's default period, with buttons for the others."""
        assert update.effective_message is not None
        t = self.s.translator(update)
        working = await update.effective_message.reply_text(t.gettext(texts.WORKING))
        costs = update.effective_user is not None and self.s.sees_costs(update.effective_user.id)
        await self.show_report(t, working, self.default_period(update), self.sales_type_of(update), costs)

    async def report_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        period = await self._button_period(update, 1)
        if period is not None:
            message = update.effective_message
            assert message is not None
            t = self.s.translator(update)
            await edit(message, t.gettext(texts.WORKING))
            costs = update.effective_user is not None and self.s.sees_costs(update.effective_user.id)
            await self.show_report(t, message, period, self.sales_type_of(update), costs)

    async def show_report(
        self, t: Translator, message: Message, period: Period, sales_type: SalesType, costs: bool = False
    ) -> None:
        result = await asyncio.to_thread(self.s.reporting.report, period, sales_type)
        text = texts.report(t, result.summary, result.sources, self.s.currency, result.moved_to_at_risk)
        if costs:
            profit = await asyncio.to_thread(self.s.reporting.profit, period, sales_type)
            text = "\n".join([text, *cost_lines(t, profit, self.s.currency)])
        today = self.s.reporting.today()
        await edit(message, text, reply_markup=keyboards.periods(t, keyboards.REPORT, period, today))

    # --- /top ---------------------------------------------------------------------------------
    async def top(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """TOP-10 products by quantity for the default period, all sources; buttons narrow it."""
        assert update.effective_message is not None
        t = self.s.translator(update)
        working = await update.effective_message.reply_text(t.gettext(texts.WORKING))
        await self.show_top(t, working, self.default_period(update), self.sales_type_of(update), None)

    async def top_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        period = await self._button_period(update, 1)
        if period is None:
            return
        raw = ((update.callback_query and update.callback_query.data) or "").split(":")[2:]
        source_id = int(raw[0]) if raw and raw[0].isdigit() and int(raw[0]) > 0 else None
        message = update.effective_message
        assert message is not None
        t = self.s.translator(update)
        await edit(message, t.gettext(texts.WORKING))
        await self.show_top(t, message, period, self.sales_type_of(update), source_id)

    async def show_top(
        self, t: Translator, message: Message, period: Period, sales_type: SalesType, source_id: int | None
    ) -> None:
        try:
            result = await asyncio.to_thread(self.s.reporting.top, period, sales_type, source_id)
        except InvalidParameter:  # a source that was excluded since the buttons were drawn
            await edit(message, "⚠️ " + t.gettext("That source is no longer in the reports."))
            return
        sources = await asyncio.to_thread(self.s.reporting.sources)
        name = self.s.reporting.source_name(source_id)
        if name is None and source_id is not None:
            name = t.gettext("Source {id}", id=source_id)
        text = texts.top(t, result, name, self.s.currency)
        today = self.s.reporting.today()
        await edit(message, text, reply_markup=keyboards.top(t, period, sources, source_id, today))

    # --- /excel -------------------------------------------------------------------------------
    async def excel(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Ask for the period of the workbook."""
        assert update.effective_message is not None
        t = self.s.translator(update)
        await update.effective_message.reply_text(
            "📎 " + t.gettext("Which period should the Excel report cover?"),
            reply_markup=keyboards.periods(t, keyboards.EXCEL, today=self.s.reporting.today()),
        )

    async def excel_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        period = await self._button_period(update, 1)
        if period is not None:
            message = update.effective_message
            assert message is not None
            t = self.s.translator(update)
            await edit(message, t.gettext(texts.WORKING))
            await self.send_workbook(
                t, message, period, self.sales_type_of(update), *self.workbook_access(update)
            )

    def workbook_access(self, update: Update) -> tuple[bool, bool]:
        """Whether the sender's workbook shows costs, and buyers' contacts (admins only, SPEC §6)."""
        user = update.effective_user
        if user is None:
            return False, False
        return self.s.sees_costs(user.id), self.s.access.is_admin(user.id)

    async def send_workbook(
        self,
        t: Translator,
        working: Message,
        period: Period,
        sales_type: SalesType,
        costs: bool = False,
        contacts: bool = False,
    ) -> None:
        book = await asyncio.to_thread(
            self.s.reporting.workbook, period, sales_type, t.language, costs, contacts
        )
        described = ranges.describe(t, period)
        await working.reply_document(
            InputFile(book.content, filename=book.filename), caption=f"📎 {described}"
        )
        await edit(working, "📎 " + t.gettext("Excel report: {period}", period=described))

    # --- shared -------------------------------------------------------------------------------
    async def _button_period(self, update: Update, position: int) -> Period | None:
        """Answer the button and read the period it carries (None, with a note, when it is stale)."""
        query = update.callback_query
        assert query is not None
        await query.answer()
        parts = (query.data or "").split(":")
        try:
            return ranges.decode(parts[position], self.s.reporting.today())
        except (IndexError, InvalidParameter):
            if update.effective_message is not None:
                stale = self.s.translator(update).gettext(texts.STALE_BUTTON)
                await update.effective_message.reply_text(stale)
            return None
