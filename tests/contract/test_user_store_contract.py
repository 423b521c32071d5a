"""The in-memory UserStore and SqliteUserStore give the same answers for any sequence of operations."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from ksales.adapters.memory.users import InMemoryUserStore
from ksales.adapters.sqlite.users import SqliteUserStore
from ksales.domain.errors import StoreUnavailable
from ksales.domain.language import Language
from ksales.domain.periods import PeriodKind
from ksales.domain.rules import SalesType
from ksales.domain.users import User, UserSettings, UserStatus

user_ids = st.integers(1, 6) | st.integers(1, 2**62)
#: Ids no 64-bit column holds: both stores answer None, and both refuse to save them.
out_of_range_ids = st.integers(2**63, 2**70) | st.integers(-(2**70), -(2**63) - 1)
texts = st.none() | st.text(max_size=30)
moments = st.none() | st.datetimes(
    min_value=datetime(2020, 1, 1),
    max_value=datetime(2035, 1, 1),
    timezones=st.sampled_from(
        [UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5, minutes=-30))]
    ),
)
settings = st.builds(
    UserSettings,
    sales_type=st.sampled_from(SalesType),
    period=st.sampled_from([k for k in PeriodKind if k is not PeriodKind.CUSTOM]),
    milestone_notifications=st.booleans(),
    digest_hour=st.none() | st.integers(0, 23),
    language=st.none() | st.sampled_from(Language),
    weekly_report=st.none() | st.booleans(),
)
users = st.builds(
    User,
    id=user_ids,
    status=st.sampled_from(UserStatus),
    username=texts,
    full_name=texts,
    requested_at=moments,
    reviewed_at=moments,
    reviewed_by=st.none() | user_ids,
    denial_count=st.integers(0, 10),
    last_active_at=moments,
    settings=settings,
    session_generation=st.integers(0, 2**31),
)
keys = st.sampled_from(["a", "b", "milestone:daily:2026-11-18:retail:200000"]) | st.text(
    min_size=1, max_size=40
)


class UserStoreMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self._dir = tempfile.TemporaryDirectory()
        self.real = SqliteUserStore(Path(self._dir.name) / "users.sqlite3")
        self.fake = InMemoryUserStore()

    @rule(user=users)
    def save(self, user: User) -> None:
        self.real.save(user)
        self.fake.save(user)

    @rule(user_id=user_ids | out_of_range_ids)
    def get(self, user_id: int) -> None:
        assert self.real.get(user_id) == self.fake.get(user_id)

    @rule(user=users, user_id=out_of_range_ids)
    def save_out_of_range(self, user: User, user_id: int) -> None:
        for store in (self.real, self.fake):
            with pytest.raises(StoreUnavailable):
                store.save(attrs.evolve(user, id=user_id))

    @rule(statuses=st.none() | st.lists(st.sampled_from(UserStatus), max_size=4))
    def list(self, statuses: list[UserStatus] | None) -> None:
        assert self.real.list(statuses) == self.fake.list(statuses)

    @rule(key=keys)
    def mark_announced(self, key: str) -> None:
        assert self.real.mark_announced(key) == self.fake.mark_announced(key)

    @invariant()
    def same_users(self) -> None:
        assert self.real.list() == self.fake.list()

    def teardown(self) -> None:
        self.real.close()
        self._dir.cleanup()


TestUserStoreContract = UserStoreMachine.TestCase


@given(user=users)
def test_a_saved_user_reads_back_equal(user: User) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = SqliteUserStore(Path(folder) / "users.sqlite3")
        try:
            store.save(user)
            assert store.get(user.id) == user
        finally:
            store.close()
