"""Per-task counts of the requests sent to the CRM, for jobs that share one client at once.

A client's `requests` is its lifetime total, shared by every job that uses it: the stock snapshot running
beside the sync would charge each other's requests if they counted by differences of it. Instead a job
wraps its work in `with counting() as meter:` and reads `meter.requests`; every CRM adapter calls
`count_request()` for each request it sends, which adds it to every meter active in the current context.
Meters nest (an outer meter counts the inner one's requests too). The active meters live in a
`ContextVar`, so an asyncio task, or `asyncio.to_thread`, started inside the `with` counts into its
meters — also after the `with` ends, should it outlive it — while tasks started elsewhere do not.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from attrs import define


@define(eq=False)
class RequestMeter:
    """The requests counted since its `counting()` began."""

    requests: int = 0


_active: ContextVar[tuple[RequestMeter, ...]] = ContextVar("ksales_request_meters", default=())


@contextmanager
def counting() -> Iterator[RequestMeter]:
    """Count the CRM requests this context sends while inside the `with`, nested ones included."""
    meter = RequestMeter()
    token = _active.set((*_active.get(), meter))
    try:
        yield meter
    finally:
        _active.reset(token)


def count_request(requests: int = 1) -> None:
    """Add `requests` just sent to every meter active here (a CRM adapter's part)."""
    for meter in _active.get():
        meter.requests += requests
