"""The access decision table (domain/access.py)."""

from datetime import UTC, datetime

import pytest

from ksales.domain.access import (
    ADMIN_ACTIONS,
    PUBLIC_ACTIONS,
    CostVisibility,
    Decision,
    RequestOutcome,
    applies,
    decided,
    may,
    request_outcome,
    sees_costs,
)
from ksales.domain.users import FREEZE_AFTER_DENIALS, User, UserStatus

T0 = datetime(2026, 11, 18, 9, tzinfo=UTC)
ADMIN = 1


def user(status: UserStatus, **changes: object) -> User:
    return User(50, status, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize("action", sorted(PUBLIC_ACTIONS))
def test_public_actions_are_for_everyone(action: str) -> None:
    assert may(action, None, is_admin=False)
    assert may(action, user(UserStatus.FROZEN), is_admin=False)


@pytest.mark.parametrize("action", sorted(ADMIN_ACTIONS))
def test_admin_actions_are_for_admins_only(action: str) -> None:
    assert may(action, None, is_admin=True)
    assert not may(action, user(UserStatus.APPROVED), is_admin=False)


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        (None, False),
        (user(UserStatus.PENDING), False),
        (user(UserStatus.DENIED), False),
        (user(UserStatus.FROZEN), False),
        (user(UserStatus.APPROVED), True),
    ],
)
def test_other_actions_need_an_approved_user(who: User | None, allowed: bool) -> None:
    assert may("report", who, is_admin=False) is allowed
    assert may("report", who, is_admin=True)


@pytest.mark.parametrize(
    ("who", "outcome"),
    [
        (None, RequestOutcome.REQUESTED),
        (user(UserStatus.DENIED), RequestOutcome.REQUESTED),
        (user(UserStatus.PENDING), RequestOutcome.ALREADY_PENDING),
        (user(UserStatus.APPROVED), RequestOutcome.ALREADY_APPROVED),
        (user(UserStatus.FROZEN), RequestOutcome.FROZEN),
    ],
)
def test_request_outcome(who: User | None, outcome: RequestOutcome) -> None:
    assert request_outcome(who) is outcome


#: decision → the statuses it applies to; every other pair is stale.
TABLE = {
    Decision.APPROVE: {UserStatus.PENDING, UserStatus.DENIED},
    Decision.DENY: {UserStatus.PENDING},
    Decision.REVOKE: {UserStatus.APPROVED},
    Decision.UNFREEZE: {UserStatus.FROZEN},
}


@pytest.mark.parametrize("decision", list(Decision))
@pytest.mark.parametrize("status", list(UserStatus))
def test_decision_table(decision: Decision, status: UserStatus) -> None:
    expected = status in TABLE[decision]
    assert applies(decision, status) is expected
    result = decided(user(status), decision, ADMIN, T0)
    assert (result is not None) is expected
    if result is not None:
        assert (result.reviewed_by, result.reviewed_at) == (ADMIN, T0)


def status_after(before: User, decision: Decision) -> UserStatus:
    after = decided(before, decision, ADMIN, T0)
    assert after is not None
    return after.status


def test_decisions_lead_to_their_status() -> None:
    assert status_after(user(UserStatus.PENDING), Decision.APPROVE) is UserStatus.APPROVED
    assert status_after(user(UserStatus.PENDING), Decision.DENY) is UserStatus.DENIED
    assert status_after(user(UserStatus.APPROVED), Decision.REVOKE) is UserStatus.DENIED
    last_chance = user(UserStatus.PENDING, denial_count=FREEZE_AFTER_DENIALS - 1)
    assert status_after(last_chance, Decision.DENY) is UserStatus.FROZEN
    unfrozen = decided(
        user(UserStatus.FROZEN, denial_count=FREEZE_AFTER_DENIALS), Decision.UNFREEZE, ADMIN, T0
    )
    assert unfrozen is not None
    assert (unfrozen.status, unfrozen.denial_count) == (UserStatus.DENIED, 0)


def test_who_sees_costs() -> None:
    assert sees_costs(CostVisibility.ADMINS, is_admin=True)
    assert not sees_costs(CostVisibility.ADMINS, is_admin=False)
    assert sees_costs(CostVisibility.ALL, is_admin=False)
