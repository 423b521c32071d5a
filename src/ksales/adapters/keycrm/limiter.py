"""A client-side rate limiter: at most N requests in any rolling window (KeyCRM: 60 per minute)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

Sleep = Callable[[float], Awaitable[None]]
Monotonic = Callable[[], float]


class _Slot:
    __slots__ = ("done_at",)

    def __init__(self) -> None:
        self.done_at: float | None = None  # None while the request is in flight


class SlidingWindowLimiter:
    """Never more than `limit` requests in any rolling `window` seconds, as the server counts them.

    Each recent request holds a slot stamped with the moment its *response* arrived; a request in
    flight holds its slot open. A new request waits until fewer than `limit` slots are younger than a
    window. The server saw each request arrive no later than its response came back, so any `limit + 1`
    consecutive arrivals are more than a window apart whatever the latency — and under load the budget
    is used to within one round trip per window.
    """

    def __init__(
        self,
        limit: int,
        window: float = 60.0,
        *,
        clock: Monotonic = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("a rate limit needs limit >= 1 and window > 0")
        self.limit = limit
        self.window = window
        self._clock = clock
        self._sleep = sleep
        self._slots: list[_Slot] = []
        self._turn = asyncio.Lock()
        self._released = asyncio.Event()

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one request slot for the duration of the block (send the request inside it)."""
        slot = await self._acquire()
        try:
            yield
        finally:
            slot.done_at = self._clock()
            self._released.set()

    async def _acquire(self) -> _Slot:
        async with self._turn:  # first come, first served
            while True:
                now = self._clock()
                self._slots = [s for s in self._slots if s.done_at is None or s.done_at + self.window > now]
                if len(self._slots) < self.limit:
                    slot = _Slot()
                    self._slots.append(slot)
                    return slot
                finished = [s.done_at for s in self._slots if s.done_at is not None]
                if finished:
                    await self._sleep(max(min(finished) + self.window - now, 0.0))
                else:  # every slot is in flight: wait for one to come back
                    self._released.clear()
                    await self._released.wait()
