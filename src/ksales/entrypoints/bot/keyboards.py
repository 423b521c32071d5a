"""Inline keyboards and the data their buttons carry (at most 64 bytes each)."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from ksales.domain.access import Decision
from ksales.domain.model import Source
from ksales.domain.periods import Period, PeriodKind
from ksales.domain.rules import SalesType
from ksales.domain.users import User, UserSettings, UserStatus
from ksales.entrypoints.bot import ranges

# Button data prefixes.
REPORT = "rep"
TOP = "top"
EXCEL = "xls"
CUSTOM = "cus"
REQUEST = "req"
REVIEW = "acc"
SETTINGS = "set"

#: Where a review button sits: under an access request (notice) or in the /users list.
FROM_NOTICE, FROM_LIST = "n", "u"

DIGEST_HOURS = (7, 8, 9, 10, 12, 18, 20, 21)
SALES_TYPE_LABELS = {SalesType.RETAIL: "Retail", SalesType.B2B: "B2B", SalesType.ALL: "All"}


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data)


def _mark(text: str, chosen: bool) -> str:
    return f"• {text}" if chosen else text


def period_rows(
    prefix: str, current: Period | None = None, suffix: str = ""
) -> list[list[InlineKeyboardButton]]:
    """Today … Last month in pairs, then Custom; button data `<prefix>:<period><suffix>`."""
    buttons = [
        _button(_mark(label, current is not None and current.kind is kind), f"{prefix}:{kind.value}{suffix}")
        for kind, label in ranges.BUTTON_PERIODS
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    custom = current is not None and current.kind is PeriodKind.CUSTOM
    rows.append([_button(_mark("Custom", custom), f"{CUSTOM}:{prefix}{suffix}")])
    return rows


def periods(prefix: str, current: Period | None = None) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(period_rows(prefix, current))


def top(period: Period, sources: Sequence[Source], source_id: int | None) -> InlineKeyboardMarkup:
    """Source choice (All + each source) for the shown period, then the period choice for the source."""
    token = ranges.encode(period)
    choices = [_button(_mark("All sources", source_id is None), f"{TOP}:{token}:0")]
    choices += [_button(_mark(s.name[:30], s.id == source_id), f"{TOP}:{token}:{s.id}") for s in sources]
    rows = [choices[i : i + 2] for i in range(0, len(choices), 2)]
    return InlineKeyboardMarkup(rows + period_rows(TOP, period, f":{source_id or 0}"))


def request_access() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button("Request access", REQUEST)]])


def review(user_id: int, where: str = FROM_NOTICE) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                _button("✅ Approve", f"{REVIEW}:{Decision.APPROVE.value}:{user_id}:{where}"),
                _button("⛔ Deny", f"{REVIEW}:{Decision.DENY.value}:{user_id}:{where}"),
            ]
        ]
    )


#: Telegram caps a keyboard at 100 buttons; the list text says how many more there are.
MAX_USER_ROWS = 40


def users(listing: Sequence[User], admin_ids: frozenset[int]) -> InlineKeyboardMarkup:
    """One row of action buttons per user who can be acted on (pending users first)."""
    rows: list[list[InlineKeyboardButton]] = []
    for user in listing:
        if user.id in admin_ids or len(rows) >= MAX_USER_ROWS:
            continue
        name = (user.username and f"@{user.username}") or user.full_name or str(user.id)
        name = name[:24]
        data = f":{user.id}:{FROM_LIST}"
        match user.status:
            case UserStatus.PENDING:
                rows.append(
                    [
                        _button(f"✅ {name}", f"{REVIEW}:{Decision.APPROVE.value}{data}"),
                        _button(f"⛔ {name}", f"{REVIEW}:{Decision.DENY.value}{data}"),
                    ]
                )
            case UserStatus.APPROVED:
                rows.append([_button(f"Revoke {name}", f"{REVIEW}:{Decision.REVOKE.value}{data}")])
            case UserStatus.FROZEN:
                rows.append([_button(f"Unfreeze {name}", f"{REVIEW}:{Decision.UNFREEZE.value}{data}")])
            case _:
                pass
    return InlineKeyboardMarkup(rows)


def settings(current: UserSettings) -> InlineKeyboardMarkup:
    sales = [
        _button(_mark(label, current.sales_type is kind), f"{SETTINGS}:st:{kind.value}")
        for kind, label in SALES_TYPE_LABELS.items()
    ]
    period_buttons = [
        _button(_mark(label, current.period is kind), f"{SETTINGS}:pd:{kind.value}")
        for kind, label in ranges.BUTTON_PERIODS
    ]
    on = current.milestone_notifications
    milestones = [
        _button(_mark("Milestones on", on), f"{SETTINGS}:ms:on"),
        _button(_mark("Milestones off", not on), f"{SETTINGS}:ms:off"),
    ]
    digest = [_button(_mark("No digest", current.digest_hour is None), f"{SETTINGS}:dg:off")]
    digest += [
        _button(_mark(f"{hour:02d}:00", current.digest_hour == hour), f"{SETTINGS}:dg:{hour}")
        for hour in DIGEST_HOURS
    ]
    return InlineKeyboardMarkup(
        [
            sales,
            period_buttons[:3],
            period_buttons[3:],
            milestones,
            digest[:5],
            digest[5:],
        ]
    )


def dashboard(url: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton("Open the dashboard", url=url)]])
