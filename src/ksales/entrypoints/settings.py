"""Configuration: read once, at the edge, from the environment and an optional `.env` file (SPEC §2).

`Settings` is the one table of the configuration: each field names its variable, its parser and its
default. The defaults of the shop's classification rules and of the milestones are the domain's own.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Mapping
from datetime import time
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from attrs import fields, frozen

from ksales.domain.access import CostVisibility
from ksales.domain.goals import MonthlyGoal
from ksales.domain.language import Language
from ksales.domain.milestones import MilestoneConfig
from ksales.domain.rules import Rules
from ksales.domain.schedule import WeeklySlot
from ksales.entrypoints.variables import (
    VARIABLE,
    Secret,
    Variable,
    amounts,
    currency,
    derived_setting,
    goals,
    ids,
    integer,
    member,
    one_of,
    path,
    secret,
    setting,
    switch,
    text,
    timezone,
    url,
    weekly_slot,
)

__all__ = ["Secret", "Settings"]

DEFAULT_KEYCRM_BASE_URL = "https://openapi.keycrm.app/v1"
DEFAULT_TELEGRAM_API_BASE_URL = "https://api.telegram.org/bot"
_RULES = Rules()
_MILESTONES = MilestoneConfig()
_NO_GOALS: tuple[MonthlyGoal, ...] = ()


def _monday_9am() -> WeeklySlot | None:
    """The weekly report's default slot, typed as the field is (the slot is None when it is off)."""
    return WeeklySlot(0, time(9))


def _random_key() -> Secret:
    return Secret(secrets.token_urlsafe(32))


@frozen
class Settings:
    """Every setting of SPEC §2, validated."""

    keycrm_api_key: Secret | None = setting("KEYCRM_API_KEY", secret, None)
    keycrm_base_url: str = setting("KEYCRM_BASE_URL", url, DEFAULT_KEYCRM_BASE_URL)
    keycrm_rate_limit: int = setting("KEYCRM_RATE_LIMIT", integer(minimum=1), 60)
    data_dir: Path = setting("KSALES_DATA_DIR", path, Path("data"))
    timezone: ZoneInfo = setting("KSALES_TIMEZONE", timezone, _RULES.timezone)
    currency: str = setting("KSALES_CURRENCY", currency, "UAH")
    b2b_manager_ids: frozenset[int] = setting(
        "KSALES_B2B_MANAGER_IDS", ids, _RULES.b2b_manager_ids, blank_is_empty=True
    )
    excluded_source_ids: frozenset[int] = setting(
        "KSALES_EXCLUDED_SOURCE_IDS", ids, _RULES.excluded_source_ids, blank_is_empty=True
    )
    canceled_status_ids: frozenset[int] = setting(
        "KSALES_CANCELED_STATUS_IDS", ids, _RULES.canceled_status_ids, blank_is_empty=True
    )
    brand_field: str = setting("KSALES_BRAND_FIELD", text, "Brand")
    milestones_daily: tuple[Decimal, ...] = setting("KSALES_MILESTONES_DAILY", amounts, _MILESTONES.daily)
    milestones_weekly: tuple[Decimal, ...] = setting("KSALES_MILESTONES_WEEKLY", amounts, _MILESTONES.weekly)
    milestones_monthly: tuple[Decimal, ...] = setting(
        "KSALES_MILESTONES_MONTHLY", amounts, _MILESTONES.monthly
    )
    sync_interval: int = setting("KSALES_SYNC_INTERVAL", integer(), 60)
    sync_budget_pct: int = setting("KSALES_SYNC_BUDGET_PCT", integer(1, 100), 10)
    full_sync_days: int = setting("KSALES_FULL_SYNC_DAYS", integer(minimum=1), 730)
    language: Language = setting("KSALES_LANGUAGE", member(Language), Language.UK)
    goals: tuple[MonthlyGoal, ...] = setting("KSALES_GOALS", goals, _NO_GOALS)
    weekly_report: WeeklySlot | None = setting("KSALES_WEEKLY_REPORT", weekly_slot, _monday_9am())
    alerts: bool = setting("KSALES_ALERTS", switch, True)
    # Alerts watch 09:00–21:00 local: a longer silence could never be noticed.
    alert_silence_hours: int = setting("KSALES_ALERT_SILENCE_HOURS", integer(1, 12), 3)
    restock_days: int = setting("KSALES_RESTOCK_DAYS", integer(1, 365), 14)
    show_costs: CostVisibility = setting("KSALES_SHOW_COSTS", member(CostVisibility), CostVisibility.ADMINS)
    bot_token: Secret | None = setting("BOT_TOKEN", secret, None)
    telegram_api_base_url: str = setting("TELEGRAM_API_BASE_URL", url, DEFAULT_TELEGRAM_API_BASE_URL)
    admin_user_ids: frozenset[int] = setting("ADMIN_USER_IDS", ids, frozenset[int](), blank_is_empty=True)
    dashboard_url: str = setting("DASHBOARD_URL", url, "http://127.0.0.1:8080")
    # Unset: derived from BOT_TOKEN (see from_mapping), random when there is no login.
    dashboard_secret_key: Secret = derived_setting("DASHBOARD_SECRET_KEY", secret, _random_key)
    log_format: str = setting("KSALES_LOG_FORMAT", one_of("text", "json"), "text")
    demo_seed: int = setting("KSALES_DEMO_SEED", integer(), 7)

    @classmethod
    def variables(cls) -> tuple[Variable, ...]:
        """The table's rows, in order."""
        return tuple(f.metadata[VARIABLE] for f in fields(cls) if VARIABLE in f.metadata)

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, env_file: str | Path | None = ".env"
    ) -> Settings:
        """Settings from `environ` (default: os.environ) over the values of `env_file` if it exists."""
        values: dict[str, str] = {}
        if env_file is not None and Path(env_file).is_file():
            from dotenv import dotenv_values

            values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
        values.update(os.environ if environ is None else environ)
        return cls.from_mapping(values)

    @classmethod
    def from_mapping(cls, env: Mapping[str, str]) -> Settings:
        """Each variable that is set, parsed by its row; every other field keeps its default."""
        kwargs: dict[str, Any] = {}
        for f in fields(cls):
            variable: Variable | None = f.metadata.get(VARIABLE)
            if variable is None:
                continue
            raw = env.get(variable.name)
            if raw is not None and variable.given(raw):
                kwargs[f.name] = variable.read(raw)
        bot_token = kwargs.get("bot_token")
        if "dashboard_secret_key" not in kwargs and bot_token is not None:
            # Derived from the bot token so that sessions survive restarts.
            digest = hmac.new(b"ksales-dashboard", bot_token.value.encode(), hashlib.sha256).hexdigest()
            kwargs["dashboard_secret_key"] = Secret(digest)
        return cls(**kwargs)

    @property
    def rules(self) -> Rules:
        return Rules(
            timezone=self.timezone,
            b2b_manager_ids=self.b2b_manager_ids,
            excluded_source_ids=self.excluded_source_ids,
            canceled_status_ids=self.canceled_status_ids,
        )

    @property
    def milestones(self) -> MilestoneConfig:
        return MilestoneConfig(
            daily=self.milestones_daily, weekly=self.milestones_weekly, monthly=self.milestones_monthly
        )

    @property
    def demo_mode(self) -> bool:
        """No KeyCRM key: the built-in demo shop is the data source."""
        return self.keycrm_api_key is None

    @property
    def store_path(self) -> Path:
        return self.data_dir / "analytics.duckdb"

    @property
    def users_path(self) -> Path:
        return self.data_dir / "users.sqlite3"

    @property
    def secure_cookies(self) -> bool:
        return self.dashboard_url.startswith("https://")
