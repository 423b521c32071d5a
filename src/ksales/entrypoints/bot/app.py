"""`build_bot(container)`: the Telegram Application with every handler, the error handler and the jobs."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from telegram import BotCommand, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from ksales.domain.language import N_, Language
from ksales.entrypoints.bot import keyboards, texts
from ksales.entrypoints.bot.access_handlers import AccessHandlers
from ksales.entrypoints.bot.custom import Cancel, custom_range_conversation
from ksales.entrypoints.bot.errors import ErrorHandler
from ksales.entrypoints.bot.gate import Gate
from ksales.entrypoints.bot.goal_handlers import GoalHandlers
from ksales.entrypoints.bot.jobs import Jobs, schedule
from ksales.entrypoints.bot.report_handlers import ReportHandlers
from ksales.entrypoints.bot.search_handlers import search_conversation
from ksales.entrypoints.bot.services import BotServices
from ksales.entrypoints.bot.settings_handlers import SettingsHandlers
from ksales.entrypoints.bot.stock_handlers import StockHandlers, schedule_restock
from ksales.entrypoints.settings import DEFAULT_TELEGRAM_API_BASE_URL

if TYPE_CHECKING:
    from ksales.entrypoints.container import Container

log = logging.getLogger(__name__)

BotApp = Application[Any, Any, Any, Any, Any, Any]

COMMANDS = (
    ("report", N_("Sales report for a period")),
    ("top", N_("TOP-10 products")),
    ("excel", N_("Excel report")),
    ("search", N_("Find orders by number, phone or e-mail")),
    ("stock", N_("Offers out of stock and low")),
    ("dashboard", N_("Open the dashboard")),
    ("settings", N_("Your settings")),
    ("users", N_("Manage access (admins)")),
    ("goal", N_("Monthly goals (admins)")),
    ("help", N_("What the bot can do")),
    ("start", N_("Start / request access")),
    ("cancel", N_("Cancel the current action")),
)


def file_base_url(api_base_url: str) -> str:
    """The file-download root beside a Bot API root: `…/bot` → `…/file/bot`."""
    head, _, tail = api_base_url.rstrip("/").rpartition("/")
    return f"{head}/file/{tail}"


class CommandMenu:
    """The command menu, set at start-up: in KSALES_LANGUAGE for everyone, and for each language's users."""

    def __init__(self, services: BotServices) -> None:
        self.s = services

    def commands(self, language: Language) -> list[BotCommand]:
        t = self.s.catalog.translator(language)
        return [BotCommand(name, t.gettext(text)) for name, text in COMMANDS]

    async def __call__(self, application: BotApp) -> None:
        """A failure is logged and the bot runs on without the menu."""
        try:
            await application.bot.set_my_commands(self.commands(self.s.language))
            for language in Language:
                await application.bot.set_my_commands(self.commands(language), language_code=language.value)
        except TelegramError as error:
            log.warning("could not set the command menu: %s", error)


class Unknown:
    def __init__(self, services: BotServices) -> None:
        self.s = services

    async def __call__(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_message is not None:
            await update.effective_message.reply_text(self.s.translator(update).gettext(texts.UNKNOWN))


class UnknownButton:
    """A button whose data we never made (an old message, a modified client): answer, never hang."""

    def __init__(self, services: BotServices) -> None:
        self.s = services

    async def __call__(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.callback_query is not None:
            await update.callback_query.answer(self.s.translator(update).gettext(texts.UNKNOWN_ACTION))


def build_bot(
    container: Container,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
) -> BotApp:
    """The Application for BOT_TOKEN, talking to TELEGRAM_API_BASE_URL; nothing runs until it is started."""
    settings = container.settings()
    token = container.bot_token()
    # httpx logs every request URL at INFO, and Bot API URLs carry the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    builder = (
        ApplicationBuilder()
        .token(token.value)
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=settings.timezone))
        .post_init(CommandMenu(container.bot_services()))
    )
    if settings.telegram_api_base_url != DEFAULT_TELEGRAM_API_BASE_URL:
        builder = builder.base_url(settings.telegram_api_base_url).base_file_url(
            file_base_url(settings.telegram_api_base_url)
        )
    if request is not None:
        builder = builder.request(request)
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    application = builder.build()
    register(application, container.bot_services())
    return application


def register(application: BotApp, services: BotServices) -> None:
    """Every handler, in the order they are tried; the gate runs first, in its own group."""
    gate = Gate(services)
    access = AccessHandlers(services)
    reports = ReportHandlers(services)
    user_settings = SettingsHandlers(services)
    stock = StockHandlers(services)
    application.add_handler(TypeHandler(Update, gate.check), group=-1)
    application.add_handlers(
        [
            custom_range_conversation(reports),
            search_conversation(services),
            CommandHandler("start", access.start),
            CommandHandler("help", access.help),
            CommandHandler("dashboard", access.dashboard),
            CommandHandler("users", access.users),
            CommandHandler("goal", GoalHandlers(services).goal),
            CommandHandler("report", reports.report),
            CommandHandler("top", reports.top),
            CommandHandler("excel", reports.excel),
            CommandHandler("stock", stock.stock),
            CommandHandler("settings", user_settings.show),
            CommandHandler("cancel", Cancel(services)),
            CallbackQueryHandler(access.request, pattern=rf"^{keyboards.REQUEST}$"),
            CallbackQueryHandler(access.review, pattern=rf"^{keyboards.REVIEW}:"),
            CallbackQueryHandler(reports.report_button, pattern=rf"^{keyboards.REPORT}:"),
            CallbackQueryHandler(reports.top_button, pattern=rf"^{keyboards.TOP}:"),
            CallbackQueryHandler(reports.excel_button, pattern=rf"^{keyboards.EXCEL}:"),
            CallbackQueryHandler(user_settings.change, pattern=rf"^{keyboards.SETTINGS}:"),
            CallbackQueryHandler(UnknownButton(services)),
            MessageHandler(filters.ALL, Unknown(services)),
        ]
    )
    application.add_error_handler(ErrorHandler(services))
    assert application.job_queue is not None, "python-telegram-bot[job-queue] is required"
    schedule(application.job_queue, Jobs(services), services.timezone)
    schedule_restock(application.job_queue, stock)
