"""In-memory fakes of every port: small, real, obviously correct implementations."""

from ksales.adapters.memory.clock import FixedClock
from ksales.adapters.memory.store import InMemorySalesStore

__all__ = ["FixedClock", "InMemorySalesStore"]
