"""Inline keyboards and the data their buttons carry (at most 64 bytes each)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from ksales.domain.access import Decision
from ksales.domain.language import Language
from ksales.domain.model import Source
from ksales.domain.names import SALES_TYPE_NAMES
from ksales.domain.periods import Period, PeriodKind
from ksales.domain.users import User, UserSettings, UserStatus
from ksales.entrypoints.bot import ranges
from ksales.ports.language import Translator

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
SALES_TYPE_LABELS = SALES_TYPE_NAMES
#: Each language by its own name, whatever the language of the message around it.
LANGUAGE_NAMES = {Language.UK: "Українська", Language.EN: "English"}
#: The buttons that name a day also show its weekday: `Today · Wed`.
_DAYS_BACK = {PeriodKind.TODAY: 0, PeriodKind.YESTERDAY: 1}


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data)


def _mark(text: str, chosen: bool) -> str:
    return f"• {text}" if chosen else text


def period_label(t: Translator, kind: PeriodKind, today: date | None) -> str:
    label = t.gettext(ranges.LABELS[kind])
    if today is None or kind not in _DAYS_BACK:
        return label
    return f"{label} · {t.weekday(today - timedelta(days=_DAYS_BACK[kind]))}"


def period_rows(
    t: Translator, prefix: str, current: Period | None = None, suffix: str = "", today: date | None = None
) -> list[list[InlineKeyboardButton]]:
    """Today … Last month in pairs, then Custom; button data `<prefix>:<period><suffix>`."""
    buttons = [
        _button(
            _mark(period_label(t, kind, today), current is not None and current.kind is kind),
            f"{prefix}:{kind.value}{suffix}",
        )
        for kind, _label in ranges.BUTTON_PERIODS
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    custom = current is not None and current.kind is PeriodKind.CUSTOM
    rows.append([_button(_mark(t.gettext("Custom"), custom), f"{CUSTOM}:{prefix}{suffix}")])
    return rows


def periods(
    t: Translator, prefix: str, current: Period | None = None, today: date | None = None
) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(period_rows(t, prefix, current, today=today))


def top(
    t: Translator, period: Period, sources: Sequence[Source], source_id: int | None, today: date | None = None
) -> InlineKeyboardMarkup:
    """Source choice (All + each source) for the shown period, then the period choice for the source."""
    token = ranges.encode(period)
    choices = [_button(_mark(t.gettext("All sources"), source_id is None), f"{TOP}:{token}:0")]
    choices += [_button(_mark(s.name[:30], s.id == source_id), f"{TOP}:{token}:{s.id}") for s in sources]
    rows = [choices[i : i + 2] for i in range(0, len(choices), 2)]
    return InlineKeyboardMarkup(rows + period_rows(t, TOP, period, f":{source_id or 0}", today))


def request_access(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(t.gettext("Request access"), REQUEST)]])


def review(t: Translator, user_id: int, where: str = FROM_NOTICE) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                _button("✅ " + t.gettext("Approve"), f"{REVIEW}:{Decision.APPROVE.value}:{user_id}:{where}"),
                _button("⛔ " + t.gettext("Deny"), f"{REVIEW}:{Decision.DENY.value}:{user_id}:{where}"),
            ]
        ]
    )


#: Telegram caps a keyboard at 100 buttons; the list text says how many more there are.
MAX_USER_ROWS = 40


def users(t: Translator, listing: Sequence[User], admin_ids: frozenset[int]) -> InlineKeyboardMarkup:
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
                rows.append(
                    [
                        _button(
                            t.gettext("Revoke {name}", name=name), f"{REVIEW}:{Decision.REVOKE.value}{data}"
                        )
                    ]
                )
            case UserStatus.FROZEN:
                rows.append(
                    [
                        _button(
                            t.gettext("Unfreeze {name}", name=name),
                            f"{REVIEW}:{Decision.UNFREEZE.value}{data}",
                        )
                    ]
                )
            case _:
                pass
    return InlineKeyboardMarkup(rows)


def settings(t: Translator, current: UserSettings) -> InlineKeyboardMarkup:
    """Every choice of /settings; `t` speaks the user's language, which the first row marks."""
    languages = [
        _button(_mark(name, t.language is language), f"{SETTINGS}:lg:{language.value}")
        for language, name in LANGUAGE_NAMES.items()
    ]
    sales = [
        _button(_mark(t.gettext(label), current.sales_type is kind), f"{SETTINGS}:st:{kind.value}")
        for kind, label in SALES_TYPE_LABELS.items()
    ]
    period_buttons = [
        _button(_mark(t.gettext(label), current.period is kind), f"{SETTINGS}:pd:{kind.value}")
        for kind, label in ranges.BUTTON_PERIODS
    ]
    on = current.milestone_notifications
    milestones = [
        _button(_mark(t.gettext("Milestones on"), on), f"{SETTINGS}:ms:on"),
        _button(_mark(t.gettext("Milestones off"), not on), f"{SETTINGS}:ms:off"),
    ]
    weekly_on = bool(current.weekly_report)
    weekly = [
        _button(_mark(t.gettext("Weekly report on"), weekly_on), f"{SETTINGS}:wr:on"),
        _button(_mark(t.gettext("Weekly report off"), not weekly_on), f"{SETTINGS}:wr:off"),
    ]
    digest = [_button(_mark(t.gettext("No digest"), current.digest_hour is None), f"{SETTINGS}:dg:off")]
    digest += [
        _button(_mark(f"{hour:02d}:00", current.digest_hour == hour), f"{SETTINGS}:dg:{hour}")
        for hour in DIGEST_HOURS
    ]
    return InlineKeyboardMarkup(
        [
            languages,
            sales,
            period_buttons[:3],
            period_buttons[3:],
            milestones,
            weekly,
            digest[:5],
            digest[5:],
        ]
    )


def dashboard(t: Translator, url: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t.gettext("Open the dashboard"), url=url)]])
