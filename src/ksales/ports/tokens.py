"""Where the API tokens' hashes are kept."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from ksales.domain.tokens import ApiToken


class ApiTokens(Protocol):
    def add_token(self, token: ApiToken) -> None:
        """Store a new active token; raises TokenExists while an active token has its name."""
        ...

    def tokens(self) -> list[ApiToken]:
        """Every token, revoked ones included, oldest first."""
        ...

    def revoke_token(self, name: str, at: datetime) -> ApiToken:
        """Mark the active token of that name revoked; raises UnknownToken when there is none."""
        ...

    def close(self) -> None: ...
