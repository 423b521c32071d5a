from decimal import Decimal
from pathlib import Path

import pytest

from ksales.domain.errors import ConfigError
from ksales.entrypoints.settings import Settings


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
