"""Configuration: read once, at the edge, from the environment and an optional `.env` file (SPEC §2)."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from attrs import field, frozen

from ksales.domain.errors import ConfigError
from ksales.domain.milestones import MilestoneConfig
from ksales.domain.rules import Rules

DEFAULT_KEYCRM_BASE_URL = "https://openapi.keycrm.app/v1"
DEFAULT_TELEGRAM_API_BASE_URL = "https://api.telegram.org/bot"


@frozen(repr=False)
class Secret:
    """A value that never shows up in logs or reprs."""

    value: str

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__


def _ids(name: str, raw: str | None, default: str = "") -> frozenset[int]:
    text = default if raw is None else raw
    ids = set()
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isascii() or not part.isdigit():
            raise ConfigError(name, f"expected a comma-separated list of integer ids, got {part[:30]!r}")
        ids.add(int(part))
    return frozenset(ids)


def _int(name: str, raw: str | None, default: int, minimum: int = 0) -> int:
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ConfigError(name, f"expected an integer, got {raw.strip()[:30]!r}") from None
    if value < minimum:
        raise ConfigError(name, f"must be at least {minimum}")
    return value


def _amounts(name: str, raw: str | None, default: str) -> tuple[Decimal, ...]:
    text = default if raw is None or not raw.strip() else raw
    try:
        values = tuple(Decimal(p.strip()) for p in text.split(",") if p.strip())
    except InvalidOperation:
        raise ConfigError(name, f"expected a comma-separated list of amounts, got {text[:40]!r}") from None
    if any(not v.is_finite() or v <= 0 for v in values):
        raise ConfigError(name, "amounts must be positive numbers")
    return values


def _url(name: str, raw: str | None, default: str) -> str:
    value = (raw or "").strip() or default
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(name, f"expected an http(s) URL, got {value[:60]!r}")
    return value.rstrip("/")


def _timezone(name: str, raw: str | None, default: str) -> ZoneInfo:
    value = (raw or "").strip() or default
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(name, f"unknown time zone {value[:40]!r}") from None


def _secret(raw: str | None) -> Secret | None:
    value = (raw or "").strip()
    return Secret(value) if value else None


@frozen
class Settings:
    """Every setting of SPEC §2, validated."""

    keycrm_api_key: Secret | None = None
    keycrm_base_url: str = DEFAULT_KEYCRM_BASE_URL
    keycrm_rate_limit: int = 60
    data_dir: Path = Path("data")
    timezone: ZoneInfo = field(factory=lambda: ZoneInfo("Europe/Kyiv"))
    currency: str = "UAH"
    b2b_manager_ids: frozenset[int] = frozenset({15})
    excluded_source_ids: frozenset[int] = frozenset()
    canceled_status_ids: frozenset[int] = frozenset()
    brand_field: str = "Brand"
    milestones: MilestoneConfig = MilestoneConfig()
    sync_interval: int = 60
    bot_token: Secret | None = None
    telegram_api_base_url: str = DEFAULT_TELEGRAM_API_BASE_URL
    admin_user_ids: frozenset[int] = frozenset()
    dashboard_url: str = "http://127.0.0.1:8080"
    dashboard_secret_key: Secret = field(factory=lambda: Secret(secrets.token_urlsafe(32)))
    log_format: str = "text"
    demo_seed: int = 7

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
        get = env.get
        bot_token = _secret(get("BOT_TOKEN"))
        secret_key = _secret(get("DASHBOARD_SECRET_KEY"))
        if secret_key is None:
            # Derived from the bot token so that sessions survive restarts; random when there is no login.
            secret_key = (
                Secret(hmac.new(b"ksales-dashboard", bot_token.value.encode(), hashlib.sha256).hexdigest())
                if bot_token
                else Secret(secrets.token_urlsafe(32))
            )
        log_format = (get("KSALES_LOG_FORMAT") or "text").strip().lower()
        if log_format not in ("text", "json"):
            raise ConfigError("KSALES_LOG_FORMAT", "expected text or json")
        currency = (get("KSALES_CURRENCY") or "UAH").strip().upper()
        if not (len(currency) == 3 and currency.isalpha()):
            raise ConfigError("KSALES_CURRENCY", "expected a three-letter currency code")
        kwargs: dict[str, Any] = {
            "keycrm_api_key": _secret(get("KEYCRM_API_KEY")),
            "keycrm_base_url": _url("KEYCRM_BASE_URL", get("KEYCRM_BASE_URL"), DEFAULT_KEYCRM_BASE_URL),
            "keycrm_rate_limit": _int("KEYCRM_RATE_LIMIT", get("KEYCRM_RATE_LIMIT"), 60, minimum=1),
            "data_dir": Path((get("KSALES_DATA_DIR") or "").strip() or "data"),
            "timezone": _timezone("KSALES_TIMEZONE", get("KSALES_TIMEZONE"), "Europe/Kyiv"),
            "currency": currency,
            "b2b_manager_ids": _ids("KSALES_B2B_MANAGER_IDS", get("KSALES_B2B_MANAGER_IDS"), "15"),
            "excluded_source_ids": _ids("KSALES_EXCLUDED_SOURCE_IDS", get("KSALES_EXCLUDED_SOURCE_IDS")),
            "canceled_status_ids": _ids("KSALES_CANCELED_STATUS_IDS", get("KSALES_CANCELED_STATUS_IDS")),
            "brand_field": (get("KSALES_BRAND_FIELD") or "").strip() or "Brand",
            "milestones": MilestoneConfig(
                daily=_amounts("KSALES_MILESTONES_DAILY", get("KSALES_MILESTONES_DAILY"), "200000"),
                weekly=_amounts(
                    "KSALES_MILESTONES_WEEKLY", get("KSALES_MILESTONES_WEEKLY"), "500000,700000,1000000"
                ),
                monthly=_amounts(
                    "KSALES_MILESTONES_MONTHLY",
                    get("KSALES_MILESTONES_MONTHLY"),
                    "1000000,2000000,3000000,5000000",
                ),
            ),
            "sync_interval": _int("KSALES_SYNC_INTERVAL", get("KSALES_SYNC_INTERVAL"), 60),
            "bot_token": bot_token,
            "telegram_api_base_url": _url(
                "TELEGRAM_API_BASE_URL", get("TELEGRAM_API_BASE_URL"), DEFAULT_TELEGRAM_API_BASE_URL
            ),
            "admin_user_ids": _ids("ADMIN_USER_IDS", get("ADMIN_USER_IDS")),
            "dashboard_url": _url("DASHBOARD_URL", get("DASHBOARD_URL"), "http://127.0.0.1:8080"),
            "dashboard_secret_key": secret_key,
            "log_format": log_format,
            "demo_seed": _int("KSALES_DEMO_SEED", get("KSALES_DEMO_SEED"), 7),
        }
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
