"""Interactive requests (the bot's /search) go ahead of queued sync requests and wait at most 2 s."""

from __future__ import annotations

import asyncio

import pytest

from ksales.adapters.keycrm.limiter import LimiterBusy, SlidingWindowLimiter


class ManualTime:
    """Time that moves only when the test says so; sleepers wake when it passes their moment."""

    def __init__(self) -> None:
        self.now = 0.0
        self._sleepers: list[tuple[float, asyncio.Future[None]]] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._sleepers.append((self.now + seconds, future))
        await future

    async def advance(self, to: float) -> None:
        self.now = to
        for wake, future in list(self._sleepers):
            if wake <= to and not future.done():
                future.set_result(None)
        self._sleepers = [(w, f) for w, f in self._sleepers if not f.done()]
        for _ in range(20):
            await asyncio.sleep(0)


async def use(
    limiter: SlidingWindowLimiter,
    who: str,
    log: list[tuple[str, float]],
    time: ManualTime,
    *,
    interactive: bool = False,
) -> None:
    async with limiter.slot(interactive=interactive):
        log.append((who, time.now))


async def settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


async def test_an_interactive_request_goes_ahead_of_a_queued_sync_request() -> None:
    time = ManualTime()
    limiter = SlidingWindowLimiter(2, 60.0, clock=time.clock, sleep=time.sleep)
    log: list[tuple[str, float]] = []
    await use(limiter, "sync", log, time)
    await use(limiter, "sync", log, time)
    queued = asyncio.create_task(use(limiter, "queued sync", log, time))
    await settle()
    await time.advance(59.0)
    search = asyncio.create_task(use(limiter, "search", log, time, interactive=True))
    await settle()
    await time.advance(60.0)
    await asyncio.gather(queued, search)
    assert [who for who, _ in log] == ["sync", "sync", "search", "queued sync"]
    assert log[2][1] - 59.0 <= 2.0


async def test_the_reserve_answers_a_search_at_once_while_the_sync_has_a_backlog() -> None:
    time = ManualTime()
    limiter = SlidingWindowLimiter(6, 60.0, clock=time.clock, sleep=time.sleep, reserve=1)
    log: list[tuple[str, float]] = []
    backlog = [asyncio.create_task(use(limiter, "sync", log, time)) for _ in range(20)]
    await settle()
    assert len(log) == 5  # the sync never takes the reserved slot
    await time.advance(1.0)
    await use(limiter, "search", log, time, interactive=True)
    assert log[-1] == ("search", 1.0)
    for task in backlog:
        task.cancel()
    await asyncio.gather(*backlog, return_exceptions=True)


async def test_a_search_that_would_wait_longer_than_two_seconds_fails_fast() -> None:
    time = ManualTime()
    limiter = SlidingWindowLimiter(2, 60.0, clock=time.clock, sleep=time.sleep)
    log: list[tuple[str, float]] = []
    await use(limiter, "sync", log, time)
    await use(limiter, "sync", log, time)
    with pytest.raises(LimiterBusy):
        await use(limiter, "search", log, time, interactive=True)
    assert time.now == 0.0 and [who for who, _ in log] == ["sync", "sync"]
    await time.advance(60.0)
    await use(limiter, "sync", log, time)  # the failed search left nothing held
    assert log[-1] == ("sync", 60.0)
