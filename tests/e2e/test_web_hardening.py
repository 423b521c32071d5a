"""Issue 9's web findings, each a test that failed before the fix: the API description behind the login,
server-side logout, oversized ids at every edge, no caching of figures, HSTS behind https, gzip q-values."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from itsdangerous import URLSafeSerializer
from starlette.testclient import TestClient

from ksales.adapters.memory import FixedClock
from ksales.adapters.memory.users import InMemoryUserStore
from ksales.adapters.sqlite.users import SqliteUserStore
from ksales.domain.users import User, UserStatus
from ksales.entrypoints.web.auth import SESSION_COOKIE, telegram_hash
from ksales.entrypoints.web.middleware import accepts_gzip
from tests.e2e.test_web_auth import (
    ADMIN,
    APPROVED,
    BOT_TOKEN,
    bot_api,  # noqa: F401 (a fixture)
    log_in,
    secured_client,
)
from tests.shop import NOW

HUGE = [2**63, 2**64 + 7, 10**30]


@pytest.fixture
def users() -> InMemoryUserStore:
    return InMemoryUserStore([User(APPROVED, UserStatus.APPROVED, "olena")])


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def client(users: InMemoryUserStore, clock: FixedClock, bot_api: str) -> Iterator[TestClient]:  # noqa: F811
    with secured_client(users, clock, bot_api) as test_client:
        yield test_client


def test_the_api_description_needs_a_login(client: TestClient, clock: FixedClock) -> None:
    assert client.get("/api/openapi.json").status_code == 401
    log_in(client, APPROVED, clock)
    assert client.get("/api/openapi.json").json()["openapi"].startswith("3.")


def test_logout_ends_every_copy_of_the_session(client: TestClient, clock: FixedClock) -> None:
    log_in(client, APPROVED, clock)
    copied = client.cookies[SESSION_COOKIE]
    assert client.get("/logout").status_code == 303
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, copied)
    assert client.get("/api/summary").status_code == 401
    client.cookies.clear()
    log_in(client, APPROVED, clock)  # a new login works again
    assert client.get("/api/summary").status_code == 200


def test_an_admins_logout_ends_their_session_too(client: TestClient, clock: FixedClock) -> None:
    log_in(client, ADMIN, clock)
    copied = client.cookies[SESSION_COOKIE]
    client.get("/logout")
    client.cookies.set(SESSION_COOKIE, copied)
    assert client.get("/api/summary").status_code == 401
    log_in(client, ADMIN, clock)
    assert client.get("/api/summary").status_code == 200


@pytest.mark.parametrize("take_away", ["revoke", "deny"])
def test_losing_access_ends_sessions_for_good(
    client: TestClient, clock: FixedClock, users: InMemoryUserStore, take_away: str
) -> None:
    log_in(client, APPROVED, clock)
    user = users.get(APPROVED)
    assert user is not None
    users.save(getattr(user, take_away)(by=ADMIN, at=clock.now()))
    again = users.get(APPROVED)
    assert again is not None
    users.save(again.approve(by=ADMIN, at=clock.now()))  # approved again: the old cookie stays dead
    assert client.get("/api/summary").status_code == 401


@pytest.fixture
def sqlite_client(tmp_path: Path, clock: FixedClock, bot_api: str) -> Iterator[TestClient]:  # noqa: F811
    """The real user store: it is SQLite that overflowed on an id above 2^63."""
    users = SqliteUserStore(tmp_path / "users.sqlite3")
    users.save(User(APPROVED, UserStatus.APPROVED, "olena"))
    try:
        with secured_client(users, clock, bot_api) as test_client:  # type: ignore[arg-type]
            yield test_client
    finally:
        users.close()


@pytest.mark.parametrize("huge", HUGE)
def test_oversized_ids_are_refused_not_crashed_on(
    sqlite_client: TestClient, clock: FixedClock, huge: int, caplog: pytest.LogCaptureFixture
) -> None:
    client = sqlite_client
    fields = {"id": str(huge), "first_name": "X", "auth_date": str(int(clock.now().timestamp()))}
    with caplog.at_level(logging.WARNING):
        login = client.get(
            "/auth/telegram/callback", params={**fields, "hash": telegram_hash(fields, BOT_TOKEN)}
        )
        assert login.status_code == 403
        forged = URLSafeSerializer(secured_secret(client), salt="ksales-dashboard-session").dumps(
            {"uid": huge, "iat": int(clock.now().timestamp())}
        )
        client.cookies.set(SESSION_COOKIE, forged)
        assert client.get("/api/summary").status_code == 401
        client.cookies.clear()
        log_in(client, APPROVED, clock)
        assert client.get("/api/summary", params={"source_id": str(huge)}).status_code == 400
        assert client.get("/api/summary", params={"category_id": str(huge)}).status_code == 400
        assert client.get(f"/api/categories/{huge}/children").status_code == 404
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def secured_secret(client: TestClient) -> str:
    auth = client.app_state["auth"]  # type: ignore[attr-defined]
    return str(auth.secret_key)


def test_figures_and_pages_are_never_cached(client: TestClient, clock: FixedClock) -> None:
    log_in(client, APPROVED, clock)
    for path in ("/", "/api/summary", "/api/health", "/login", "/api/openapi.json"):
        assert client.get(path).headers.get("cache-control") == "no-store", path
    assert "no-store" not in client.get("/static/app.css").headers.get("cache-control", "")
    assert client.get("/api/summary").headers.get("strict-transport-security") is None


def test_hsts_behind_https(users: InMemoryUserStore, clock: FixedClock, bot_api: str) -> None:  # noqa: F811
    with secured_client(users, clock, bot_api, url="https://sales.example.com") as client:
        assert "max-age=" in client.get("/api/health").headers["strict-transport-security"]
        assert "max-age=" in client.get("/login").headers["strict-transport-security"]


@pytest.mark.parametrize(
    ("header", "gzipped"),
    [
        ("gzip", True),
        ("gzip, deflate, br", True),
        ("br;q=1.0, gzip;q=0.8", True),
        ("*", True),
        ("gzip;q=0", False),
        ("gzip;q=0.000, *;q=1", False),
        ("identity", False),
        ("*;q=0", False),
        ("GZIP;Q=0", False),
        ("gzip;q=abc", False),
        ("", False),
    ],
)
def test_gzip_follows_the_q_values(header: str, gzipped: bool, bot_api: str) -> None:  # noqa: F811
    from ksales.entrypoints.web import create_app
    from tests.e2e.conftest import make_container

    assert accepts_gzip(header) is gzipped
    with TestClient(create_app(make_container(), background=False)) as client:
        response = client.get(
            "/api/revenue/trend", params={"period": "last_28_days"}, headers={"Accept-Encoding": header}
        )
        assert response.status_code == 200
        assert (response.headers.get("content-encoding") == "gzip") is gzipped
        assert response.json()["points"]
