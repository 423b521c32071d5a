"""Who may use the bot: access requests, the admins' decisions, and what each user may do."""

from __future__ import annotations

from collections.abc import Iterable

from attrs import evolve, frozen

from ksales.domain import access
from ksales.domain.access import Decision, RequestOutcome
from ksales.domain.errors import NotAllowed, NotFound
from ksales.domain.language import Language
from ksales.domain.users import User, UserSettings, UserStatus
from ksales.ports.clock import Clock
from ksales.ports.users import UserStore


@frozen
class DecisionResult:
    user: User
    changed: bool


class AccessService:
    """Access control over a UserStore; admins (ADMIN_USER_IDS) are always approved."""

    def __init__(self, users: UserStore, admin_ids: Iterable[int], clock: Clock) -> None:
        self.users = users
        self.admin_ids = frozenset(admin_ids)
        self.clock = clock

    def is_admin(self, user_id: int) -> bool:
        return user_id in self.admin_ids

    def user(self, user_id: int) -> User | None:
        """The stored user; an admin is approved even before their first message."""
        user = self.users.get(user_id)
        if self.is_admin(user_id) and (user is None or not user.is_approved):
            return evolve(user or User(user_id, UserStatus.APPROVED), status=UserStatus.APPROVED)
        return user

    def may(self, user_id: int, action: str) -> bool:
        """Whether this user may perform the action (a command name or a button kind)."""
        return access.may(action, self.user(user_id), is_admin=self.is_admin(user_id))

    def seen(
        self, user_id: int, username: str | None, full_name: str | None, language: Language | None = None
    ) -> User | None:
        """Record a known user's activity (and current names); strangers are not stored until they ask.

        `language` (Telegram's) becomes the user's language when they have none yet.
        """
        user = self.user(user_id)
        if user is None:
            return None
        user = evolve(user, username=username, full_name=full_name, last_active_at=self.clock.now())
        user = user.speaking(language)
        self.users.save(user)
        return user

    def request_access(
        self,
        user_id: int,
        username: str | None,
        full_name: str | None,
        language: Language | None = None,
    ) -> RequestOutcome:
        user = self.user(user_id)
        outcome = access.request_outcome(user)
        if outcome is not RequestOutcome.REQUESTED:
            return outcome
        now = self.clock.now()
        base = user or User(user_id, UserStatus.PENDING)
        base = evolve(base, username=username, full_name=full_name, last_active_at=now).speaking(language)
        self.users.save(base.request_access(now))
        return RequestOutcome.REQUESTED

    def decide(self, admin_id: int, user_id: int, decision: Decision) -> DecisionResult:
        """Apply an admin's decision; unchanged (changed=False) when someone already decided."""
        if not self.is_admin(admin_id):
            raise NotAllowed()
        if self.is_admin(user_id):
            raise NotAllowed("admins are always approved")
        user = self.users.get(user_id)
        if user is None:
            raise NotFound(f"no user with id {user_id}")
        updated = access.decided(user, decision, admin_id, self.clock.now())
        if updated is None:
            return DecisionResult(user, changed=False)
        self.users.save(updated)
        return DecisionResult(updated, changed=True)

    def listing(self) -> list[User]:
        """Pending, approved and frozen users, as /users shows them (admins included)."""
        stored = {u.id: u for u in self.users.list()}
        for admin_id in self.admin_ids:
            stored[admin_id] = self.user(admin_id) or User(admin_id, UserStatus.APPROVED)
        shown = (UserStatus.PENDING, UserStatus.APPROVED, UserStatus.FROZEN)
        return sorted(
            (u for u in stored.values() if u.status in shown),
            key=lambda u: (shown.index(u.status), u.id),
        )

    def settings(self, user_id: int) -> UserSettings:
        user = self.user(user_id)
        return user.settings if user is not None else UserSettings()

    def shown_settings(self, user_id: int) -> UserSettings:
        """The settings with the weekly report's default resolved (on for admins until they choose)."""
        settings = self.settings(user_id)
        if settings.weekly_report is None:
            settings = evolve(settings, weekly_report=self.is_admin(user_id))
        return settings

    def update_settings(self, user_id: int, settings: UserSettings) -> User:
        user = self.user(user_id)
        if user is None or not user.is_approved:
            raise NotAllowed("only approved users have settings")
        updated = evolve(user, settings=settings)
        self.users.save(updated)
        return updated

    def approved(self) -> list[User]:
        """Every approved user, admins included."""
        users = {u.id: u for u in self.users.list([UserStatus.APPROVED])}
        for admin_id in self.admin_ids:
            users.setdefault(admin_id, self.user(admin_id) or User(admin_id, UserStatus.APPROVED))
        return sorted(users.values(), key=lambda u: u.id)
