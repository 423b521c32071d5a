"""API tokens for other tools: create (the secret shown once), list, revoke, and check a presented secret."""

from __future__ import annotations

import secrets

from attrs import frozen

from ksales.domain.tokens import ApiToken, check_token_name, matching_token, secret_digest
from ksales.ports.clock import Clock
from ksales.ports.tokens import ApiTokens

#: Bytes of randomness in a secret (`token_urlsafe` writes them as ~43 characters).
SECRET_BYTES = 32
#: Secrets start with this, so that a leaked one is recognisable (e.g. by secret scanners).
SECRET_PREFIX = "ksales_"  # noqa: S105 (a prefix, not a secret)
#: The name under which the owner's own local token (`ksales.owner.json`) is known.
LOCAL_TOKEN_NAME = "local"  # noqa: S105 (a name, not a secret)


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(SECRET_BYTES)


@frozen
class NewToken:
    """A token just created, with its secret: the only time the secret exists outside the caller."""

    token: ApiToken
    secret: str

    def __repr__(self) -> str:
        return f"NewToken(token={self.token!r})"


class TokenService:
    """Tokens stored (as hashes) in `tokens`; `local_secret` is the owner's token for same-machine readers."""

    def __init__(self, tokens: ApiTokens, clock: Clock, local_secret: str) -> None:
        self.tokens = tokens
        self.clock = clock
        self._local = ApiToken(LOCAL_TOKEN_NAME, secret_digest(local_secret), clock.now())

    def create(self, name: str) -> NewToken:
        secret = new_secret()
        token = ApiToken(check_token_name(name), secret_digest(secret), self.clock.now())
        self.tokens.add_token(token)
        return NewToken(token, secret)

    def list(self) -> list[ApiToken]:
        return self.tokens.tokens()

    def revoke(self, name: str) -> ApiToken:
        return self.tokens.revoke_token(name, self.clock.now())

    def check(self, secret: str) -> ApiToken | None:
        """The active token of this secret, read from the store on every call (a revoke holds at once)."""
        if not secret or len(secret) > 512:
            return None
        return matching_token(secret, [self._local, *self.tokens.tokens()])
