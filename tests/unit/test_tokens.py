from datetime import UTC, datetime

import pytest

from ksales.adapters.memory import FixedClock
from ksales.adapters.memory.tokens import InMemoryApiTokens
from ksales.domain.tokens import (
    ApiToken,
    InvalidTokenName,
    TokenExists,
    UnknownToken,
    check_token_name,
    matching_token,
    secret_digest,
)
from ksales.services.tokens import LOCAL_TOKEN_NAME, SECRET_PREFIX, TokenService

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def service(store: InMemoryApiTokens | None = None) -> TokenService:
    return TokenService(store or InMemoryApiTokens(), FixedClock(NOW), local_secret="the-local-secret")


def test_only_the_hash_of_a_secret_is_stored() -> None:
    store = InMemoryApiTokens()
    created = service(store).create("grafana")
    assert created.secret.startswith(SECRET_PREFIX) and len(created.secret) > 40
    [stored] = store.stored
    assert stored == ApiToken("grafana", secret_digest(created.secret), NOW)
    assert created.secret not in repr(stored) + repr(created) + stored.digest


def test_check_accepts_active_tokens_and_the_local_one_only() -> None:
    tokens = service()
    created = tokens.create("grafana")
    assert tokens.check(created.secret) == created.token
    assert tokens.check("the-local-secret").name == LOCAL_TOKEN_NAME  # type: ignore[union-attr]
    for wrong in ("", created.secret[:-1], created.secret + "x", "x" * 10_000, created.token.digest):
        assert tokens.check(wrong) is None
    tokens.revoke("grafana")
    assert tokens.check(created.secret) is None


def test_names_are_checked_and_unique_among_active_tokens() -> None:
    tokens = service()
    tokens.create("sheets")
    with pytest.raises(TokenExists):
        tokens.create("sheets")
    for bad in ("", "-x", "has space", "x" * 65, "токен"):
        with pytest.raises(InvalidTokenName):
            tokens.create(bad)
    with pytest.raises(UnknownToken):
        tokens.revoke("nobody")
    assert check_token_name("bi.tool_2-x") == "bi.tool_2-x"
    assert [t.name for t in tokens.list()] == ["sheets"]


def test_matching_ignores_revoked_tokens_with_the_same_digest() -> None:
    revoked = ApiToken("old", secret_digest("s"), NOW, revoked_at=NOW)
    assert matching_token("s", [revoked]) is None
    assert matching_token("s", [revoked, ApiToken("new", secret_digest("s"), NOW)]).name == "new"  # type: ignore[union-attr]
