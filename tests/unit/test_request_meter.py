"""The per-task request meters: nesting, child tasks, sibling tasks, worker threads."""

from __future__ import annotations

import asyncio

from ksales.ports.request_meter import count_request, counting


def test_a_request_outside_any_meter_counts_nowhere_and_a_meter_counts_from_its_start() -> None:
    count_request()
    with counting() as meter:
        assert meter.requests == 0
        count_request()
        count_request(5)
    count_request()
    assert meter.requests == 6


def test_nested_meters_each_count_their_own_stretch() -> None:
    with counting() as outer:
        count_request()
        with counting() as inner:
            count_request(2)
        with counting() as second:
            count_request(3)
        count_request()
    assert (outer.requests, inner.requests, second.requests) == (7, 2, 3)


async def test_a_task_started_inside_counts_into_the_meter_and_one_started_elsewhere_does_not() -> None:
    async def requests(n: int) -> None:
        for _ in range(n):
            await asyncio.sleep(0)
            count_request()

    outside = asyncio.create_task(requests(10))
    with counting() as meter:
        child = asyncio.create_task(requests(3))
        await requests(2)
        await child
    await outside
    assert meter.requests == 5


async def test_sibling_tasks_each_count_only_their_own() -> None:
    async def job(n: int) -> int:
        with counting() as meter:
            for _ in range(n):
                await asyncio.sleep(0)  # the siblings interleave request by request
                count_request()
        return meter.requests

    with counting() as both:
        assert await asyncio.gather(job(3), job(7), job(1)) == [3, 7, 1]
    assert both.requests == 11  # the gather's tasks were started inside


async def test_a_worker_thread_counts_into_the_meters_of_the_task_that_started_it() -> None:
    with counting() as meter:
        await asyncio.to_thread(count_request, 4)
    assert meter.requests == 4
