"""Access use cases on the in-memory user store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ksales.adapters.memory.clock import FixedClock
from ksales.adapters.memory.users import InMemoryUserStore
from ksales.domain.access import Decision, RequestOutcome
from ksales.domain.errors import NotAllowed, NotFound
from ksales.domain.periods import PeriodKind
from ksales.domain.users import User, UserSettings, UserStatus
from ksales.services.access import AccessService

ADMIN = 1
T0 = datetime(2026, 11, 18, 9, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def access(clock: FixedClock) -> AccessService:
    return AccessService(InMemoryUserStore(), [ADMIN], clock)


def test_admins_are_always_approved(access: AccessService) -> None:
    admin = access.user(ADMIN)
    assert admin is not None
    assert admin.is_approved
    access.users.save(User(ADMIN, UserStatus.DENIED))
    assert access.may(ADMIN, "users")
    assert access.may(ADMIN, "report")
    assert [u.id for u in access.approved()] == [ADMIN]
    with pytest.raises(NotAllowed):
        access.decide(ADMIN, ADMIN, Decision.REVOKE)


def test_strangers_may_only_start_help_and_ask(access: AccessService) -> None:
    assert access.may(50, "start")
    assert access.may(50, "help")
    assert access.may(50, "request_access")
    assert not access.may(50, "report")
    assert not access.may(50, "users")
    assert access.seen(50, "x", "X") is None  # strangers are not stored until they ask
    assert access.users.get(50) is None


def test_request_then_approve(access: AccessService, clock: FixedClock) -> None:
    assert access.request_access(50, "olena", "Olena") is RequestOutcome.REQUESTED
    assert access.request_access(50, "olena", "Olena") is RequestOutcome.ALREADY_PENDING
    clock.advance(timedelta(minutes=5))
    result = access.decide(ADMIN, 50, Decision.APPROVE)
    assert result.changed
    user = access.users.get(50)
    assert user is not None
    assert user.status is UserStatus.APPROVED
    assert user.requested_at == T0
    assert user.reviewed_at == T0 + timedelta(minutes=5)
    assert user.reviewed_by == ADMIN
    assert access.may(50, "report")
    assert not access.may(50, "users")
    assert access.request_access(50, None, None) is RequestOutcome.ALREADY_APPROVED


def test_five_denials_freeze(access: AccessService) -> None:
    for denial in range(1, 6):
        assert access.request_access(60, None, "Ivan") is RequestOutcome.REQUESTED
        result = access.decide(ADMIN, 60, Decision.DENY)
        assert result.user.denial_count == denial
    frozen = access.users.get(60)
    assert frozen is not None
    assert frozen.status is UserStatus.FROZEN
    assert access.request_access(60, None, "Ivan") is RequestOutcome.FROZEN
    assert [u.id for u in access.listing() if u.status is UserStatus.FROZEN] == [60]
    unfrozen = access.decide(ADMIN, 60, Decision.UNFREEZE).user
    assert unfrozen.status is UserStatus.DENIED
    assert unfrozen.denial_count == 0
    assert access.request_access(60, None, "Ivan") is RequestOutcome.REQUESTED


def test_stale_decisions_change_nothing(access: AccessService) -> None:
    access.request_access(70, None, None)
    access.decide(ADMIN, 70, Decision.APPROVE)
    result = access.decide(ADMIN, 70, Decision.DENY)
    assert not result.changed
    assert result.user.status is UserStatus.APPROVED
    assert access.decide(ADMIN, 70, Decision.REVOKE).user.status is UserStatus.DENIED
    assert not access.may(70, "report")


def test_only_admins_decide(access: AccessService) -> None:
    access.request_access(70, None, None)
    with pytest.raises(NotAllowed):
        access.decide(70, 70, Decision.APPROVE)
    with pytest.raises(NotFound):
        access.decide(ADMIN, 999, Decision.APPROVE)


def test_activity_and_settings(access: AccessService, clock: FixedClock) -> None:
    access.request_access(80, "a", "A")
    access.decide(ADMIN, 80, Decision.APPROVE)
    clock.advance(timedelta(hours=1))
    seen = access.seen(80, "renamed", "A B")
    assert seen is not None
    assert seen.last_active_at == T0 + timedelta(hours=1)
    assert seen.username == "renamed"
    chosen = UserSettings(period=PeriodKind.WEEK, digest_hour=9)
    access.update_settings(80, chosen)
    assert access.settings(80) == chosen
    assert access.settings(12345) == UserSettings()
    with pytest.raises(NotAllowed):
        access.update_settings(12345, chosen)


def test_listing_orders_pending_approved_frozen(access: AccessService) -> None:
    access.users.save(User(5, UserStatus.FROZEN))
    access.users.save(User(4, UserStatus.DENIED))
    access.users.save(User(3, UserStatus.APPROVED))
    access.users.save(User(2, UserStatus.PENDING))
    assert [(u.id, u.status) for u in access.listing()] == [
        (2, UserStatus.PENDING),
        (ADMIN, UserStatus.APPROVED),
        (3, UserStatus.APPROVED),
        (5, UserStatus.FROZEN),
    ]
