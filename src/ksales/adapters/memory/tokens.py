"""The reference ApiTokens: a list in memory."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import datetime

import attrs

from ksales.domain.tokens import ApiToken, TokenExists, UnknownToken


class InMemoryApiTokens:
    """Implements `ApiTokens` in memory; safe to share between threads."""

    def __init__(self, tokens: Iterable[ApiToken] = ()) -> None:
        self.stored: list[ApiToken] = list(tokens)
        self._lock = threading.Lock()

    def add_token(self, token: ApiToken) -> None:
        with self._lock:
            if any(t.name == token.name and t.is_active for t in self.stored):
                raise TokenExists(token.name)
            self.stored.append(attrs.evolve(token, revoked_at=None))

    def tokens(self) -> list[ApiToken]:
        with self._lock:
            return list(self.stored)

    def revoke_token(self, name: str, at: datetime) -> ApiToken:
        with self._lock:
            for index, token in enumerate(self.stored):
                if token.name == name and token.is_active:
                    self.stored[index] = revoked = attrs.evolve(token, revoked_at=at)
                    return revoked
        raise UnknownToken(name)

    def close(self) -> None:
        """Nothing to release."""
