"""In-memory fakes of every port: small, real, obviously correct implementations."""

from ksales.adapters.memory.clock import FixedClock
from ksales.adapters.memory.crm import InMemoryCrm
from ksales.adapters.memory.store import InMemorySalesStore
from ksales.adapters.memory.users import InMemoryUserStore

__all__ = ["FixedClock", "InMemoryCrm", "InMemorySalesStore", "InMemoryUserStore"]
