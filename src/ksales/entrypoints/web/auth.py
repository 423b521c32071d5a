"""Dashboard login: the Telegram Login Widget's signed data, and a signed session cookie.

Telegram signs the widget's fields with HMAC-SHA256 keyed by SHA256(bot token) over the
"data-check-string" (sorted `key=value` lines, `hash` left out). A session is a signed
`{uid, iat}` pair; the user's approval is re-checked on every request, so revoking works at once.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime, timedelta

from attrs import define, frozen
from itsdangerous import BadSignature, URLSafeSerializer

from ksales.domain.errors import KsalesError
from ksales.domain.ids import id_from_text, is_valid_id
from ksales.domain.language import N_
from ksales.domain.users import User, UserStatus
from ksales.ports.clock import Clock
from ksales.ports.users import UserStore

SESSION_COOKIE = "ksales_session"
NEXT_COOKIE = "ksales_next"
#: Telegram's login data older than this is refused (a replayed link).
LOGIN_MAX_AGE = timedelta(hours=24)
#: Allowed clock difference for an `auth_date` in the future.
CLOCK_SKEW = timedelta(minutes=5)
SESSION_MAX_AGE = timedelta(days=7)


@define
class LoginRefused(KsalesError):
    """The widget data is not Telegram's, is stale, or names someone without access."""

    message: str


def data_check_string(fields: Mapping[str, str]) -> str:
    return "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "hash")


def telegram_hash(fields: Mapping[str, str], bot_token: str) -> str:
    """The hash Telegram sends with these fields."""
    secret = hashlib.sha256(bot_token.encode()).digest()
    return hmac.new(secret, data_check_string(fields).encode(), hashlib.sha256).hexdigest()


def verify_login(fields: Mapping[str, str], bot_token: str, now: datetime) -> int:
    """The Telegram user id of genuine, fresh widget data; raises LoginRefused otherwise."""
    received = fields.get("hash", "")
    expected = telegram_hash(fields, bot_token)
    if not hmac.compare_digest(expected.encode(), received.encode()):
        raise LoginRefused(N_("the login data is not signed by Telegram"))
    raw_date = fields.get("auth_date", "")
    user_id = id_from_text(fields.get("id", ""))
    if not raw_date.isascii() or not raw_date.isdigit() or len(raw_date) > 12 or user_id is None:
        raise LoginRefused(N_("the login data is incomplete"))
    age = now.timestamp() - int(raw_date)
    if age > LOGIN_MAX_AGE.total_seconds() or age < -CLOCK_SKEW.total_seconds():
        raise LoginRefused(N_("the login link has expired; please log in again"))
    return user_id


@frozen
class Auth:
    """Everything login needs: who may enter, how sessions are signed, what time it is."""

    bot_token: str
    secret_key: str
    admin_ids: frozenset[int]
    users: UserStore
    clock: Clock
    secure_cookies: bool = False

    @property
    def _serializer(self) -> URLSafeSerializer:
        return URLSafeSerializer(self.secret_key, salt="ksales-dashboard-session")

    def may_enter(self, user_id: int) -> bool:
        """Admins always; others while their status is approved."""
        if user_id in self.admin_ids:
            return True
        user = self.users.get(user_id)
        return user is not None and user.is_approved

    def login(self, fields: Mapping[str, str]) -> str:
        """A session token for valid widget data of a user with access; raises LoginRefused."""
        user_id = verify_login(fields, self.bot_token, self.clock.now())
        if not self.may_enter(user_id):
            raise LoginRefused(N_("your account is not approved; ask an admin in the bot (/start)"))
        return self.issue(user_id)

    def _generation(self, user_id: int) -> int:
        user = self.users.get(user_id)
        return 0 if user is None else user.session_generation

    def issue(self, user_id: int) -> str:
        now = int(self.clock.now().timestamp())
        return self._serializer.dumps({"uid": user_id, "iat": now, "gen": self._generation(user_id)})

    def logout(self, token: str | None) -> None:
        """End every session of the token's user, this one and any copy of it (server-side)."""
        user_id = self.session_user(token)
        if user_id is None:
            return
        user = self.users.get(user_id) or User(user_id, UserStatus.APPROVED)  # an admin never stored
        self.users.save(user.end_sessions())

    def session_user(self, token: str | None) -> int | None:
        """The user of a genuine, unexpired session whose access still holds; else None."""
        if not token or len(token) > 512:
            return None
        try:
            data = self._serializer.loads(token)
        except BadSignature:
            return None
        if not isinstance(data, dict):
            return None
        uid, iat, generation = data.get("uid"), data.get("iat"), data.get("gen", 0)
        if not isinstance(uid, int) or not is_valid_id(uid) or not isinstance(iat, int):
            return None
        age = self.clock.now().timestamp() - iat
        if age > SESSION_MAX_AGE.total_seconds() or age < -CLOCK_SKEW.total_seconds():
            return None
        user = self.users.get(uid)  # one lookup per request: the generation and the access
        if generation != (0 if user is None else user.session_generation):
            return None  # logged out, revoked, denied or frozen since
        if uid in self.admin_ids or (user is not None and user.is_approved):
            return uid
        return None
