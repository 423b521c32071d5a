"""`ksales report --weekly`: the bot's weekly report of the last complete week, on the terminal."""

from __future__ import annotations

import argparse
import html
import re

from attrs import define

from ksales.domain.language import N_
from ksales.domain.rules import SalesType
from ksales.domain.weekly import report_week
from ksales.entrypoints.bot.weekly_texts import weekly
from ksales.entrypoints.cli import CliError, EmptyStore
from ksales.entrypoints.container import Container
from ksales.services.weekly import WeeklyReports

_TAG = re.compile(r"<[^>]+>")


@define
class WeeklyNeedsTheStore(CliError):
    message: str = N_(
        "the weekly report is read from the store itself: run it while `ksales serve` is stopped, "
        "or read it in the bot"
    )


@define
class BadSalesType(CliError):
    message: str = N_("--sales-type must be retail, b2b or all")


@define
class WeeklyNoWorkbook(CliError):
    message: str = N_("the weekly report has no workbook yet: leave out --xlsx")


def plain(text: str) -> str:
    """The bot's HTML message as terminal text."""
    return html.unescape(_TAG.sub("", text))


def weekly_report(container: Container, args: argparse.Namespace) -> int:
    from ksales.entrypoints.readers import open_reader, stored_orders
    from ksales.entrypoints.remote import RemoteAnalytics

    if args.xlsx is not None:
        raise WeeklyNoWorkbook()
    settings = container.settings()
    t = container.catalog().translator(settings.language)
    try:
        sales_type = SalesType((args.sales_type or "retail").lower())
    except ValueError:
        raise BadSalesType() from None
    if not settings.store_path.exists():
        raise EmptyStore()
    with open_reader(container) as analytics:
        if isinstance(analytics, RemoteAnalytics):
            raise WeeklyNeedsTheStore()
        if stored_orders(analytics) == 0:
            raise EmptyStore()
        reports = WeeklyReports(analytics, container.access(), settings.weekly_report)
        report = reports.report(report_week(analytics.today()), sales_type)
    print(plain(weekly(t, report, sales_type, settings.currency)))
    return 0
