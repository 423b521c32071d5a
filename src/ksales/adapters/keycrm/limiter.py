"""A client-side rate limiter: at most N requests in any rolling window (KeyCRM: 60 per minute)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from ksales.domain.errors import CrmUnavailable

Sleep = Callable[[float], Awaitable[None]]
Monotonic = Callable[[], float]


class LimiterBusy(CrmUnavailable):
    """An interactive request found no free slot within its wait (the sync holds the limit)."""


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
        reserve: int = 0,
        interactive_wait: float = 2.0,
    ) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("a rate limit needs limit >= 1 and window > 0")
        self.limit = limit
        self.window = window
        #: Slots only interactive requests may take, so that a search never waits for a sync's backlog.
        self.reserve = max(0, min(reserve, limit - 1))
        self.interactive_wait = interactive_wait
        self._clock = clock
        self._sleep = sleep
        self._slots: list[_Slot] = []
        self._turn = asyncio.Lock()
        self._released = asyncio.Event()
        self._urgent = 0

    @asynccontextmanager
    async def slot(self, *, interactive: bool = False) -> AsyncIterator[None]:
        """Hold one request slot for the duration of the block (send the request inside it).

        An interactive request (a person waiting) goes ahead of the queued ones, may use the reserve,
        and raises `LimiterBusy` rather than wait longer than `interactive_wait` seconds.
        """
        slot = await (self._acquire_interactive() if interactive else self._acquire())
        try:
            yield
        finally:
            slot.done_at = self._clock()
            self._released.set()

    async def _acquire(self) -> _Slot:
        async with self._turn:  # first come, first served
            while True:
                now = self._prune()
                if self._urgent == 0 and len(self._slots) < self.limit - self.reserve:
                    return self._take()
                if self._urgent:  # an interactive request goes first: wait until it has its slot
                    self._released.clear()
                    await self._released.wait()
                else:
                    await self._wait(now)

    async def _acquire_interactive(self) -> _Slot:
        self._urgent += 1
        try:
            deadline = self._clock() + self.interactive_wait
            while True:
                now = self._prune()
                if len(self._slots) < self.limit:
                    return self._take()
                finished = [s.done_at for s in self._slots if s.done_at is not None]
                if not finished or min(finished) + self.window > deadline:
                    raise LimiterBusy(
                        f"KeyCRM's request limit is in use: no slot free within {self.interactive_wait:g} s"
                    )
                await self._wait(now)
        finally:
            self._urgent -= 1
            self._released.set()  # queued requests held back for this one may go on

    def _prune(self) -> float:
        now = self._clock()
        self._slots = [s for s in self._slots if s.done_at is None or s.done_at + self.window > now]
        return now

    def _take(self) -> _Slot:
        slot = _Slot()
        self._slots.append(slot)
        return slot

    async def _wait(self, now: float) -> None:
        finished = [s.done_at for s in self._slots if s.done_at is not None]
        if finished:
            await self._sleep(max(min(finished) + self.window - now, 0.0))
        else:  # every slot is in flight: wait for one to come back
            self._released.clear()
            await self._released.wait()
