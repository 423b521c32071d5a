"""Who may use the bot and the dashboard."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from ksales.domain.users import User, UserStatus


class UserStore(Protocol):
    def get(self, user_id: int) -> User | None: ...

    def save(self, user: User) -> None:
        """Insert or replace the user."""
        ...

    def list(self, statuses: Iterable[UserStatus] | None = None) -> list[User]:
        """Users with one of these statuses (all when None), by id."""
        ...

    def mark_announced(self, key: str) -> bool:
        """Record an announcement (e.g. a milestone crossing); False if it was recorded before."""
        ...

    def close(self) -> None: ...
