"""The client-side limiter never lets more than N requests into any rolling window, yet uses the budget."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ksales.adapters.keycrm.limiter import SlidingWindowLimiter


class Timeline:
    """Fake monotonic time: it moves only when a task sleeps on it."""

    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)
        await asyncio.sleep(0)


def max_in_rolling_window(arrivals: list[float], window: float) -> int:
    arrivals = sorted(arrivals)
    best, first = 0, 0
    for last, moment in enumerate(arrivals):
        while arrivals[first] + window <= moment:  # the limiter's own arithmetic (no float drift)
            first += 1
        best = max(best, last - first + 1)
    return best


async def send(limiter: SlidingWindowLimiter, time: Timeline, latency: float, log: list[float]) -> None:
    async with limiter.slot():
        log.append(time.now + latency / 2)  # the server sees it somewhere in flight
        await time.sleep(latency)


@settings(max_examples=60, deadline=None)
@given(
    limit=st.integers(1, 8),
    latencies=st.lists(st.floats(0.0, 3.0), min_size=1, max_size=60),
    concurrency=st.integers(1, 4),
)
def test_never_more_than_the_limit_in_any_rolling_window(
    limit: int, latencies: list[float], concurrency: int
) -> None:
    time = Timeline()
    limiter = SlidingWindowLimiter(limit, 60.0, clock=time.clock, sleep=time.sleep)
    arrivals: list[float] = []

    async def worker(share: list[float]) -> None:
        for latency in share:
            await send(limiter, time, latency, arrivals)

    async def main() -> None:
        await asyncio.gather(*(worker(latencies[i::concurrency]) for i in range(concurrency)))

    asyncio.run(main())
    assert len(arrivals) == len(latencies)
    assert max_in_rolling_window(arrivals, 60.0) <= limit


async def test_uses_at_least_95_percent_of_the_budget_under_load() -> None:
    time = Timeline()
    limiter = SlidingWindowLimiter(60, 60.0, clock=time.clock, sleep=time.sleep)
    arrivals: list[float] = []
    for _ in range(600):
        await send(limiter, time, 0.25, arrivals)
    per_minute = (len(arrivals) - 1) / (arrivals[-1] - arrivals[0]) * 60
    assert max_in_rolling_window(arrivals, 60.0) <= 60
    assert per_minute >= 0.95 * 60


async def test_a_burst_goes_out_at_once_then_waits_a_full_window() -> None:
    time = Timeline()
    limiter = SlidingWindowLimiter(3, 60.0, clock=time.clock, sleep=time.sleep)
    arrivals: list[float] = []
    for _ in range(7):
        await send(limiter, time, 0.0, arrivals)
    assert arrivals == [0.0, 0.0, 0.0, 60.0, 60.0, 60.0, 120.0]


async def test_concurrent_requests_share_one_budget() -> None:
    time = Timeline()
    limiter = SlidingWindowLimiter(5, 10.0, clock=time.clock, sleep=time.sleep)
    arrivals: list[float] = []
    await asyncio.gather(*(send(limiter, time, 0.1, arrivals) for _ in range(23)))
    assert len(arrivals) == 23
    assert max_in_rolling_window(arrivals, 10.0) <= 5


def test_rejects_a_nonsense_limit() -> None:
    with pytest.raises(ValueError, match="limit"):
        SlidingWindowLimiter(0)
