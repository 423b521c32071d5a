"""Who may do what: the bot's actions, the admins' decisions on access requests, who sees costs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import StrEnum

from ksales.domain.users import User, UserStatus

#: What a stranger (or anyone not approved) may do.
PUBLIC_ACTIONS = frozenset({"start", "help", "request_access"})
#: What only admins may do; every other action needs an approved user.
ADMIN_ACTIONS = frozenset({"users", "review", "goal"})


class RequestOutcome(StrEnum):
    REQUESTED = "requested"
    ALREADY_PENDING = "already_pending"
    ALREADY_APPROVED = "already_approved"
    FROZEN = "frozen"


class Decision(StrEnum):
    APPROVE = "approve"
    DENY = "deny"
    REVOKE = "revoke"
    UNFREEZE = "unfreeze"


class CostVisibility(StrEnum):
    """Who sees cost of goods, gross profit and margins (KSALES_SHOW_COSTS)."""

    ADMINS = "admins"
    ALL = "all"


#: Which statuses each decision applies to (anything else is stale: someone decided already).
_APPLIES_TO = {
    Decision.APPROVE: frozenset({UserStatus.PENDING, UserStatus.DENIED}),
    Decision.DENY: frozenset({UserStatus.PENDING}),
    Decision.REVOKE: frozenset({UserStatus.APPROVED}),
    Decision.UNFREEZE: frozenset({UserStatus.FROZEN}),
}

_STEP: dict[Decision, Callable[[User, int, datetime], User]] = {
    Decision.APPROVE: User.approve,
    Decision.DENY: User.deny,
    Decision.REVOKE: User.revoke,
    Decision.UNFREEZE: User.unfreeze,
}


def may(action: str, user: User | None, *, is_admin: bool) -> bool:
    """Whether someone may perform the action (a command name or a button kind)."""
    if action in PUBLIC_ACTIONS:
        return True
    if action in ADMIN_ACTIONS:
        return is_admin
    return is_admin or (user is not None and user.is_approved)


def request_outcome(user: User | None) -> RequestOutcome:
    """What asking for access does: only a stranger or a denied user gets a new request."""
    if user is not None and user.is_approved:
        return RequestOutcome.ALREADY_APPROVED
    if user is not None and user.status is UserStatus.FROZEN:
        return RequestOutcome.FROZEN
    if user is not None and user.status is UserStatus.PENDING:
        return RequestOutcome.ALREADY_PENDING
    return RequestOutcome.REQUESTED


def applies(decision: Decision, status: UserStatus) -> bool:
    """Whether the decision applies to a user in this status (False: someone decided already)."""
    return status in _APPLIES_TO[decision]


def decided(user: User, decision: Decision, by: int, at: datetime) -> User | None:
    """The user after an admin's decision, or None when it no longer applies."""
    if not applies(decision, user.status):
        return None
    return _STEP[decision](user, by, at)


def sees_costs(visibility: CostVisibility, *, is_admin: bool) -> bool:
    """Whether cost of goods, gross profit and margins are shown to this person."""
    return visibility is CostVisibility.ALL or is_admin
