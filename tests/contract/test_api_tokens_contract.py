"""The in-memory ApiTokens and SqliteApiTokens give the same answers for any sequence of operations."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from ksales.adapters.memory.tokens import InMemoryApiTokens
from ksales.adapters.sqlite.tokens import SqliteApiTokens
from ksales.adapters.sqlite.users import SqliteUserStore
from ksales.domain.errors import KsalesError
from ksales.domain.tokens import ApiToken, TokenExists, UnknownToken, secret_digest
from ksales.domain.users import User, UserStatus

names = st.sampled_from(["grafana", "sheets", "bi.tool"]) | st.from_regex(
    r"\A[a-z0-9][a-z0-9._-]{0,20}\Z", fullmatch=True
)
moments = st.datetimes(
    min_value=datetime(2020, 1, 1),
    max_value=datetime(2035, 1, 1),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=2))]),
)


def outcome(call: object) -> object:
    try:
        return call()  # type: ignore[operator]
    except KsalesError as error:
        return type(error)


class ApiTokensMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self._dir = tempfile.TemporaryDirectory()
        self.real = SqliteApiTokens(Path(self._dir.name) / "users.sqlite3")
        self.fake = InMemoryApiTokens()
        self.secrets = 0

    @rule(name=names, at=moments)
    def add(self, name: str, at: datetime) -> None:
        self.secrets += 1  # every secret is new, so digests never collide
        token = ApiToken(name, secret_digest(f"secret-{self.secrets}"), at)
        assert outcome(lambda: self.real.add_token(token)) == outcome(lambda: self.fake.add_token(token))

    @rule(name=names, at=moments)
    def revoke(self, name: str, at: datetime) -> None:
        real = outcome(lambda: self.real.revoke_token(name, at))
        assert real == outcome(lambda: self.fake.revoke_token(name, at))
        assert real is UnknownToken or (isinstance(real, ApiToken) and real.revoked_at == at)

    @invariant()
    def same_tokens(self) -> None:
        assert self.real.tokens() == self.fake.tokens()

    @invariant()
    def one_active_token_per_name(self) -> None:
        active = [t.name for t in self.real.tokens() if t.is_active]
        assert len(active) == len(set(active))

    def teardown(self) -> None:
        self.real.close()
        self._dir.cleanup()


TestApiTokensContract = ApiTokensMachine.TestCase


def test_tokens_live_beside_the_users_and_a_second_connection_sees_them(tmp_path: Path) -> None:
    path = tmp_path / "users.sqlite3"
    users = SqliteUserStore(path)
    users.save(User(5, UserStatus.APPROVED))
    first, second = SqliteApiTokens(path), SqliteApiTokens(path)
    try:
        moment = datetime(2026, 12, 1, tzinfo=UTC)
        first.add_token(ApiToken("grafana", secret_digest("s"), moment))
        assert [t.name for t in second.tokens()] == ["grafana"]
        with pytest.raises(TokenExists):
            second.add_token(ApiToken("grafana", secret_digest("t"), moment))
        second.revoke_token("grafana", moment)
        assert not first.tokens()[0].is_active
        first.add_token(ApiToken("grafana", secret_digest("u"), moment))  # a revoked name may come back
        assert [t.is_active for t in second.tokens()] == [False, True]
        assert users.get(5) == User(5, UserStatus.APPROVED)
    finally:
        for store in (users, first, second):
            store.close()
