import re
from datetime import date, time
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from ksales.domain.access import CostVisibility
from ksales.domain.errors import ConfigError
from ksales.domain.goals import MonthlyGoal
from ksales.domain.language import Language
from ksales.domain.rules import SalesType
from ksales.domain.schedule import WeeklySlot
from ksales.entrypoints.settings import Settings

EXAMPLE = Path(__file__).resolve().parents[2] / ".env.example"


def test_defaults_need_no_configuration() -> None:
    settings = Settings.from_mapping({})
    assert settings.demo_mode
    assert settings.keycrm_rate_limit == 60
    assert settings.b2b_manager_ids == frozenset({15})
    assert settings.store_path == Path("data/analytics.duckdb")
    assert settings.milestones.weekly == (Decimal(500000), Decimal(700000), Decimal(1000000))
    assert str(settings.timezone) == "Europe/Kyiv"


def test_values_are_parsed() -> None:
    settings = Settings.from_mapping(
        {
            "KEYCRM_API_KEY": "secret-key",
            "KSALES_B2B_MANAGER_IDS": "15, 16",
            "KSALES_EXCLUDED_SOURCE_IDS": "4",
            "KSALES_MILESTONES_DAILY": "1000,500",
            "KSALES_DATA_DIR": "/tmp/x",
            "ADMIN_USER_IDS": "1,2",
        }
    )
    assert not settings.demo_mode
    assert settings.b2b_manager_ids == frozenset({15, 16})
    assert settings.rules.excluded_source_ids == frozenset({4})
    assert settings.milestones.daily == (Decimal(500), Decimal(1000))
    assert settings.admin_user_ids == frozenset({1, 2})


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("KSALES_B2B_MANAGER_IDS", "15,abc"),
        ("KSALES_TIMEZONE", "Europe/Atlantis"),
        ("KEYCRM_BASE_URL", "ftp://example"),
        ("DASHBOARD_URL", "not a url"),
        ("KEYCRM_RATE_LIMIT", "0"),
        ("KSALES_SYNC_INTERVAL", "soon"),
        ("KSALES_MILESTONES_WEEKLY", "1,x"),
        ("KSALES_MILESTONES_MONTHLY", "-5"),
    ],
)
def test_bad_values_name_the_variable(variable: str, value: str) -> None:
    with pytest.raises(ConfigError) as error:
        Settings.from_mapping({variable: value})
    assert error.value.variable == variable
    assert str(error.value).startswith(variable)


def test_secrets_never_show() -> None:
    settings = Settings.from_mapping({"KEYCRM_API_KEY": "sk-live-123", "BOT_TOKEN": "123:ABC"})
    assert "sk-live-123" not in repr(settings)
    assert "123:ABC" not in repr(settings)
    assert "123:ABC" not in str(settings.dashboard_secret_key)


def test_secret_key_derives_from_bot_token() -> None:
    one = Settings.from_mapping({"BOT_TOKEN": "123:ABC"}).dashboard_secret_key.value
    assert one == Settings.from_mapping({"BOT_TOKEN": "123:ABC"}).dashboard_secret_key.value
    assert one != "123:ABC"


def test_env_file_is_read_under_the_environment(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("KSALES_CURRENCY=usd\nKEYCRM_RATE_LIMIT=20\n")
    settings = Settings.from_env({"KEYCRM_RATE_LIMIT": "30"}, env_file)
    assert settings.currency == "USD"
    assert settings.keycrm_rate_limit == 30


def test_new_variables_have_the_spec_defaults() -> None:
    settings = Settings.from_mapping({})
    assert settings.sync_budget_pct == 10
    assert settings.full_sync_days == 730
    assert settings.language is Language.UK
    assert settings.goals == ()
    assert settings.weekly_report == WeeklySlot(0, time(9, 0))
    assert settings.alerts is True
    assert settings.alert_silence_hours == 3
    assert settings.restock_days == 14
    assert settings.show_costs is CostVisibility.ADMINS


def test_new_variables_are_parsed() -> None:
    settings = Settings.from_mapping(
        {
            "KSALES_SYNC_BUDGET_PCT": "25",
            "KSALES_FULL_SYNC_DAYS": "90",
            "KSALES_LANGUAGE": "EN",
            "KSALES_GOALS": " b2b:2026-12=900000 , 2026-12=3500000,all:2027-01=4000000.50",
            "KSALES_WEEKLY_REPORT": "Friday 18:30",
            "KSALES_ALERTS": "off",
            "KSALES_ALERT_SILENCE_HOURS": "5",
            "KSALES_RESTOCK_DAYS": "30",
            "KSALES_SHOW_COSTS": "all",
        }
    )
    assert (settings.sync_budget_pct, settings.full_sync_days) == (25, 90)
    assert settings.language is Language.EN
    december = date(2026, 12, 1)
    assert settings.goals == (
        MonthlyGoal(december, SalesType.B2B, Decimal(900000)),
        MonthlyGoal(december, SalesType.RETAIL, Decimal(3500000)),
        MonthlyGoal(date(2027, 1, 1), SalesType.ALL, Decimal("4000000.50")),
    )
    assert settings.weekly_report == WeeklySlot(4, time(18, 30))
    assert settings.alerts is False
    assert (settings.alert_silence_hours, settings.restock_days) == (5, 30)
    assert settings.show_costs is CostVisibility.ALL


def test_weekly_report_can_be_off() -> None:
    assert Settings.from_mapping({"KSALES_WEEKLY_REPORT": "OFF"}).weekly_report is None
    assert Settings.from_mapping({"KSALES_WEEKLY_REPORT": "sun 7:05"}).weekly_report == WeeklySlot(
        6, time(7, 5)
    )


def test_blank_means_default_but_a_blank_id_list_means_none() -> None:
    settings = Settings.from_mapping({"KSALES_FULL_SYNC_DAYS": " ", "KSALES_B2B_MANAGER_IDS": ""})
    assert settings.full_sync_days == 730
    assert settings.b2b_manager_ids == frozenset()


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("KSALES_SYNC_BUDGET_PCT", "0"),
        ("KSALES_SYNC_BUDGET_PCT", "101"),
        ("KSALES_SYNC_BUDGET_PCT", "10%"),
        ("KSALES_FULL_SYNC_DAYS", "0"),
        ("KSALES_FULL_SYNC_DAYS", "all"),
        ("KSALES_LANGUAGE", "ru"),
        ("KSALES_GOALS", "2026-12"),
        ("KSALES_GOALS", "2026-13=100"),
        ("KSALES_GOALS", "2026-12=-5"),
        ("KSALES_GOALS", "2026-12=lots"),
        ("KSALES_GOALS", "wholesale:2026-12=100"),
        ("KSALES_GOALS", "2026-12=100,retail:2026-12=200"),
        ("KSALES_WEEKLY_REPORT", "mon"),
        ("KSALES_WEEKLY_REPORT", "someday 09:00"),
        ("KSALES_WEEKLY_REPORT", "mon 24:00"),
        ("KSALES_WEEKLY_REPORT", "mon 9am"),
        ("KSALES_ALERTS", "maybe"),
        ("KSALES_ALERT_SILENCE_HOURS", "0"),
        ("KSALES_ALERT_SILENCE_HOURS", "13"),
        ("KSALES_RESTOCK_DAYS", "0"),
        ("KSALES_SHOW_COSTS", "nobody"),
        ("KSALES_CURRENCY", "hryvnia"),
        ("KSALES_LOG_FORMAT", "xml"),
    ],
)
def test_bad_new_values_name_the_variable(variable: str, value: str) -> None:
    with pytest.raises(ConfigError) as error:
        Settings.from_mapping({variable: value})
    assert error.value.variable == variable
    assert str(error.value).startswith(f"{variable}: ")
    assert "\n" not in str(error.value)


def test_settings_are_frozen() -> None:
    settings = Settings.from_mapping({})
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        settings.full_sync_days = 1  # type: ignore[misc]


def test_the_example_file_holds_the_defaults() -> None:
    example = Settings.from_env({}, EXAMPLE)
    defaults = Settings.from_mapping({})
    assert attrs.evolve(example, dashboard_secret_key=defaults.dashboard_secret_key) == defaults
    listed = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", EXAMPLE.read_text(), re.MULTILINE))
    assert listed == {v.name for v in Settings.variables()}
