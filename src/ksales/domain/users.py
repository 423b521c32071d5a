"""People who may use the bot and the dashboard, and what they chose in /settings."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from attrs import evolve, frozen

from ksales.domain.language import Language
from ksales.domain.periods import PeriodKind
from ksales.domain.rules import SalesType

#: A user denied this many times is frozen: further requests are ignored until an admin unfreezes them.
FREEZE_AFTER_DENIALS = 5


class UserStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DENIED = "denied"
    FROZEN = "frozen"


@frozen
class UserSettings:
    sales_type: SalesType = SalesType.RETAIL
    period: PeriodKind = PeriodKind.TODAY
    milestone_notifications: bool = True
    digest_hour: int | None = None
    #: None until chosen (or read from Telegram's language_code): the bot then speaks KSALES_LANGUAGE.
    language: Language | None = None
    #: The weekly report: None until chosen, which means on for admins and off for everyone else.
    weekly_report: bool | None = None


@frozen
class User:
    id: int
    status: UserStatus
    username: str | None = None
    full_name: str | None = None
    requested_at: datetime | None = None
    reviewed_at: datetime | None = None
    reviewed_by: int | None = None
    denial_count: int = 0
    last_active_at: datetime | None = None
    settings: UserSettings = UserSettings()
    #: Dashboard sessions carry the generation they were issued in; bumping it ends them all.
    session_generation: int = 0

    @property
    def is_approved(self) -> bool:
        return self.status is UserStatus.APPROVED

    def speaking(self, language: Language | None) -> User:
        """This user with `language` as their language, unless they already have one."""
        if language is None or self.settings.language is not None:
            return self
        return evolve(self, settings=evolve(self.settings, language=language))

    def request_access(self, at: datetime) -> User:
        return evolve(self, status=UserStatus.PENDING, requested_at=at)

    def end_sessions(self) -> User:
        """Log out every dashboard session of this user (logout, and whenever access is taken away)."""
        return evolve(self, session_generation=self.session_generation + 1)

    def approve(self, by: int, at: datetime) -> User:
        return evolve(self, status=UserStatus.APPROVED, reviewed_by=by, reviewed_at=at)

    def deny(self, by: int, at: datetime) -> User:
        count = self.denial_count + 1
        status = UserStatus.FROZEN if count >= FREEZE_AFTER_DENIALS else UserStatus.DENIED
        return evolve(self.end_sessions(), status=status, denial_count=count, reviewed_by=by, reviewed_at=at)

    def revoke(self, by: int, at: datetime) -> User:
        return evolve(self.end_sessions(), status=UserStatus.DENIED, reviewed_by=by, reviewed_at=at)

    def unfreeze(self, by: int, at: datetime) -> User:
        return evolve(self, status=UserStatus.DENIED, denial_count=0, reviewed_by=by, reviewed_at=at)
