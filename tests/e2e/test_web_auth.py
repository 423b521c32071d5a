"""Dashboard login with BOT_TOKEN set: the Telegram widget's HMAC, session cookies, approval per request."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from starlette.testclient import TestClient

from ksales.adapters.memory import FixedClock
from ksales.adapters.memory.users import InMemoryUserStore
from ksales.domain.users import User, UserStatus
from ksales.entrypoints.web import create_app
from ksales.entrypoints.web.auth import SESSION_COOKIE, telegram_hash
from tests.e2e.conftest import make_container
from tests.shop import NOW

BOT_TOKEN = "123456:TEST-token"
ADMIN = 1
APPROVED, PENDING, DENIED = 42, 43, 44
Tamper = Callable[[dict[str, str]], dict[str, str]]


class FakeBotApi(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        ok = self.path.endswith(f"/bot{BOT_TOKEN}/getMe")
        body = json.dumps(
            {"ok": True, "result": {"id": 123456, "is_bot": True, "username": "ksales_test_bot"}}
        )
        self.send_response(200 if ok else 404)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, format: str, *args: object) -> None:
        return None


@pytest.fixture(scope="module")
def bot_api() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), FakeBotApi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/bot"
    server.shutdown()
    server.server_close()


@pytest.fixture
def users() -> InMemoryUserStore:
    return InMemoryUserStore(
        [
            User(APPROVED, UserStatus.APPROVED, "olena"),
            User(PENDING, UserStatus.PENDING, "ivan"),
            User(DENIED, UserStatus.DENIED, "ghost"),
        ]
    )


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


def secured_client(
    users: InMemoryUserStore, clock: FixedClock, bot_api: str, url: str = "http://127.0.0.1:8080"
) -> TestClient:
    env = {
        "BOT_TOKEN": BOT_TOKEN,
        "ADMIN_USER_IDS": str(ADMIN),
        "TELEGRAM_API_BASE_URL": bot_api,
        "DASHBOARD_URL": url,
    }
    container = make_container(env, users=users, clock=clock)
    return TestClient(create_app(container, background=False), follow_redirects=False)


@pytest.fixture
def client(users: InMemoryUserStore, clock: FixedClock, bot_api: str) -> Iterator[TestClient]:
    with secured_client(users, clock, bot_api) as test_client:
        yield test_client


def widget_fields(user_id: int, clock: FixedClock, age: timedelta = timedelta(minutes=1)) -> dict[str, str]:
    fields = {
        "id": str(user_id),
        "first_name": "Olena",
        "username": "olena",
        "auth_date": str(int((clock.now() - age).timestamp())),
    }
    return {**fields, "hash": telegram_hash(fields, BOT_TOKEN)}


def log_in(client: TestClient, user_id: int, clock: FixedClock) -> None:
    response = client.get("/auth/telegram/callback", params=widget_fields(user_id, clock))
    assert response.status_code == 303, response.text


def test_without_a_session_pages_redirect_and_the_api_answers_401(client: TestClient) -> None:
    page = client.get("/?period=month")
    assert (page.status_code, page.headers["location"]) == (303, "/login")
    api = client.get("/api/summary")
    assert api.status_code == 401
    assert api.json()["error"] == "unauthorized"
    assert client.get("/api/nope").status_code == 401


def test_health_and_static_files_stay_public(client: TestClient) -> None:
    assert client.get("/api/health").status_code == 200
    assert client.get("/static/app.css").status_code == 200


def test_login_page_embeds_the_telegram_widget(client: TestClient) -> None:
    page = client.get("/login")
    assert page.status_code == 200
    assert 'data-telegram-login="ksales_test_bot"' in page.text
    assert 'src="https://telegram.org/js/telegram-widget.js?22"' in page.text
    assert "https://telegram.org" in page.headers["content-security-policy"]
    assert BOT_TOKEN not in page.text


def test_login_page_says_so_when_the_bot_api_is_unreachable(
    users: InMemoryUserStore, clock: FixedClock
) -> None:
    with secured_client(users, clock, "http://127.0.0.1:9/bot") as client:
        page = client.get("/login")
    assert page.status_code == 200
    assert "unavailable" in page.text
    assert "telegram-widget.js" not in page.text


def test_approved_user_logs_in_and_returns_to_the_page_asked_for(
    client: TestClient, clock: FixedClock
) -> None:
    client.get("/?period=month&sales_type=all")
    response = client.get("/auth/telegram/callback", params=widget_fields(APPROVED, clock))
    assert response.status_code == 303
    assert response.headers["location"] == "/?period=month&sales_type=all"
    cookie = next(h for h in response.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE))
    lowered = cookie.lower()
    assert "httponly" in lowered and "samesite=lax" in lowered and "max-age=604800" in lowered
    assert "secure" not in lowered
    assert client.get("/api/summary").status_code == 200
    assert client.get("/").status_code == 200


def test_admin_enters_without_being_in_the_user_store(client: TestClient, clock: FixedClock) -> None:
    log_in(client, ADMIN, clock)
    assert client.get("/api/summary").status_code == 200


@pytest.mark.parametrize(
    "tamper",
    [
        lambda f: {**f, "hash": "0" * 64},
        lambda f: {**f, "id": str(APPROVED + 1)},
        lambda f: {**f, "username": "mallory"},
        lambda f: {k: v for k, v in f.items() if k != "hash"},
        lambda f: {**f, "hash": f["hash"].upper()},
    ],
    ids=["forged-hash", "other-id", "changed-field", "no-hash", "uppercase-hash"],
)
def test_forged_login_data_is_refused(client: TestClient, clock: FixedClock, tamper: Tamper) -> None:
    response = client.get("/auth/telegram/callback", params=tamper(widget_fields(APPROVED, clock)))
    assert response.status_code == 403
    assert SESSION_COOKIE not in response.headers.get("set-cookie", "")
    assert client.get("/api/summary").status_code == 401


@pytest.mark.parametrize("age", [timedelta(hours=24, seconds=1), timedelta(days=30), timedelta(hours=-1)])
def test_stale_or_future_login_data_is_refused(client: TestClient, clock: FixedClock, age: timedelta) -> None:
    response = client.get("/auth/telegram/callback", params=widget_fields(APPROVED, clock, age))
    assert response.status_code == 403
    assert "expired" in response.text


def test_login_data_just_under_a_day_old_is_accepted(client: TestClient, clock: FixedClock) -> None:
    fields = widget_fields(APPROVED, clock, timedelta(hours=23, minutes=59))
    assert client.get("/auth/telegram/callback", params=fields).status_code == 303


@pytest.mark.parametrize("user_id", [PENDING, DENIED, 999])
def test_users_without_approval_are_refused(client: TestClient, clock: FixedClock, user_id: int) -> None:
    response = client.get("/auth/telegram/callback", params=widget_fields(user_id, clock))
    assert response.status_code == 403
    assert "not approved" in response.text


def test_revoking_a_user_ends_their_session_at_once(
    client: TestClient, clock: FixedClock, users: InMemoryUserStore
) -> None:
    log_in(client, APPROVED, clock)
    assert client.get("/api/summary").status_code == 200
    user = users.get(APPROVED)
    assert user is not None
    users.save(user.revoke(by=ADMIN, at=clock.now()))
    assert client.get("/api/summary").status_code == 401
    assert client.get("/").headers["location"] == "/login"


def test_tampered_or_foreign_cookies_are_refused(client: TestClient, clock: FixedClock) -> None:
    log_in(client, APPROVED, clock)
    token = client.cookies[SESSION_COOKIE]
    for forged in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "not-a-session", token + "x"):
        client.cookies.clear()
        client.cookies.set(SESSION_COOKIE, forged)
        assert client.get("/api/summary").status_code == 401
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, token)
    assert client.get("/api/summary").status_code == 200
    from itsdangerous import URLSafeSerializer

    foreign = URLSafeSerializer("another-key", salt="ksales-dashboard-session").dumps(
        {"uid": APPROVED, "iat": int(clock.now().timestamp())}
    )
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, foreign)
    assert client.get("/api/summary").status_code == 401


def test_sessions_expire_after_seven_days(client: TestClient, clock: FixedClock) -> None:
    log_in(client, APPROVED, clock)
    clock.advance(timedelta(days=6, hours=23))
    assert client.get("/api/summary").status_code == 200
    clock.advance(timedelta(hours=1, seconds=1))
    assert client.get("/api/summary").status_code == 401


def test_logout_clears_the_session(client: TestClient, clock: FixedClock) -> None:
    log_in(client, APPROVED, clock)
    response = client.get("/logout")
    assert response.headers["location"] == "/login"
    assert f'{SESSION_COOKIE}=""' in response.headers["set-cookie"]
    client.cookies.clear()
    assert client.get("/api/summary").status_code == 401


def test_cookie_is_secure_behind_https(users: InMemoryUserStore, clock: FixedClock, bot_api: str) -> None:
    with secured_client(users, clock, bot_api, url="https://sales.example.com") as client:
        response = client.get("/auth/telegram/callback", params=widget_fields(APPROVED, clock))
    assert "secure" in response.headers["set-cookie"].lower()


def test_open_dashboard_warns_at_startup(caplog: pytest.LogCaptureFixture) -> None:
    with (
        caplog.at_level(logging.WARNING),
        TestClient(create_app(make_container(), background=False)) as client,
    ):
        assert client.get("/api/summary").status_code == 200
    assert any(
        "BOT_TOKEN is not set" in r.getMessage() and r.levelno == logging.WARNING for r in caplog.records
    )


def test_bot_token_never_reaches_the_logs(
    users: InMemoryUserStore, clock: FixedClock, bot_api: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG), secured_client(users, clock, bot_api) as client:
        client.get("/login")
        client.get("/auth/telegram/callback", params={"id": "1", "hash": "x"})
    assert all(BOT_TOKEN not in r.getMessage() for r in caplog.records)
