"""The reference UserStore: a dict of users and a set of announcement keys."""

from __future__ import annotations

import threading
from collections.abc import Iterable

from ksales.domain.errors import StoreUnavailable
from ksales.domain.ids import fits_int64
from ksales.domain.users import User, UserStatus


class InMemoryUserStore:
    """Implements `UserStore` in memory; safe to share between threads."""

    def __init__(self, users: Iterable[User] = ()) -> None:
        self.users: dict[int, User] = {u.id: u for u in users}
        self.announced: set[str] = set()
        self._lock = threading.Lock()

    def get(self, user_id: int) -> User | None:
        with self._lock:
            return self.users.get(user_id)

    def save(self, user: User) -> None:
        if not fits_int64(user.id):
            raise StoreUnavailable(f"refusing to store a user with the out-of-range id {user.id}")
        with self._lock:
            self.users[user.id] = user

    def list(self, statuses: Iterable[UserStatus] | None = None) -> list[User]:
        wanted = None if statuses is None else frozenset(statuses)
        with self._lock:
            users = sorted(self.users.values(), key=lambda u: u.id)
        return [u for u in users if wanted is None or u.status in wanted]

    def mark_announced(self, key: str) -> bool:
        with self._lock:
            if key in self.announced:
                return False
            self.announced.add(key)
            return True

    def close(self) -> None:
        """Nothing to release."""
