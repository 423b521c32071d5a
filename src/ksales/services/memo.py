"""`MemoisedReads`: the store's aggregate reads, each computed once per data version of the store.

One dashboard view asks the store for the same figures several times: the day totals (trend, customers,
profit), the period's totals (customers, profit), the expenses (expenses, profit), the lookups every request
resolves its filters against. The page sends its requests at once, so they are also asked at the same time.
An answer computed at one `data_version` stays true until the next write that changes the data (the port's
promise), so each is kept for that version, and a read already being computed is waited for rather than run
again. Nothing is kept across versions: the first view after a write computes every figure afresh —
unless `refresh` ran first: the serving process calls it soon after each write (`keep_warm`), so the reads
people asked for most recently are computed again at the new version before they ask again (a page left
open, reloaded after every sync, stays warm).
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from concurrent.futures import Future
from typing import Any, TypeVar, cast

from ksales.ports.store import SalesStore

T = TypeVar("T")
#: A read of the memo: its key, and how to compute it.
Read = tuple[Hashable, Callable[[], Any]]

#: The reads kept: pure functions of the data, whose arguments are hashable values (scopes, dates, enums).
MEMOISED = frozenset(
    {
        "totals",
        "returns",
        "daily",
        "source_totals",
        "product_totals",
        "product_ranking",
        "category_totals",
        "customer_counts",
        "customer_revenue",
        "brand_breakdown",
        "expense_totals",
        "line_costs",
        "totals_until",
        "daily_before",
        "sources",
        "categories",
        "products",
        "brands",
        "expense_types",
        "goals",
        "cohort_facts",
        "time_to_second_order",
        "segment_totals",
        "customers_entering",
    }
)
#: Answers kept per version at most (the same-time cuts change every minute): the oldest go first.
LIMIT = 512
#: Reads `refresh` computes again at most: the most recently used of the last version, about two views'.
REFRESHED = 48

log = logging.getLogger(__name__)


class MemoisedReads:
    """A `SalesStore` whose reads in `MEMOISED` answer from a memo of the current data version; every
    other attribute (writes, meta, single orders) is the store's own."""

    def __init__(self, store: SalesStore, limit: int = LIMIT) -> None:
        self.store = store
        self.limit = limit
        self._lock = threading.Lock()
        self._version = -1
        #: Each answer kept, with how it is computed (to compute it again at the next version: `refresh`).
        self._answers: OrderedDict[Hashable, tuple[Future[Any], Callable[[], Any]]] = OrderedDict()
        #: The last version's reads, least recently used first.
        self._previous: list[Read] = []

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.store, name)
        if name not in MEMOISED:
            return method
        read = self._read(name, method)
        self.__dict__[name] = read  # found as an attribute from now on: `__getattr__` is not asked again
        return read

    def _read(self, name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        signature = inspect.signature(method)

        def read(*args: Any, **kwargs: Any) -> Any:
            # Keyed by every argument's value, defaults included: `f(scope)` is `f(scope, None)`.
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            key = (name, bound.args, tuple(sorted(bound.kwargs.items())))
            return self.answer(key, lambda: method(*args, **kwargs))

        return read

    def answer(self, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()` at this data version: computed once, by the first caller; the others wait for it."""
        version = self.store.data_version()
        with self._lock:
            self._advance(version)
            kept = self._answers.get(key)
            found = None if kept is None else kept[0]
            if found is not None:
                self._answers.move_to_end(key)
            else:
                mine: Future[Any] = Future()
                self._answers[key] = (mine, compute)
                if len(self._answers) > self.limit:
                    self._answers.popitem(last=False)
        if found is not None:
            return _copy(cast(T, found.result()))
        try:
            answer = compute()
        except BaseException as error:
            self._forget(version, key, mine)
            mine.set_exception(error)
            raise
        if self.store.data_version() != version:  # a write landed meanwhile: `compute` may have seen it
            self._forget(version, key, mine)
        mine.set_result(answer)
        return _copy(answer)

    def _advance(self, version: int) -> None:
        """At a new data version (under the lock): drop every answer, remembering what was read."""
        if version == self._version:
            return
        read = [(key, compute) for key, (_, compute) in self._answers.items()]
        self._previous = self._merged(self._previous, read)
        self._version, self._answers = version, OrderedDict()

    def _merged(self, older: list[Read], newer: list[Read]) -> list[Read]:
        """`older` then `newer` reads, each key once (where `newer` has it), the `limit` last ones."""
        keys = {key for key, _ in newer}
        return ([read for read in older if read[0] not in keys] + newer)[-self.limit :]

    def _forget(self, version: int, key: Hashable, future: Future[Any]) -> None:
        with self._lock:
            kept = self._answers.get(key)
            if self._version == version and kept is not None and kept[0] is future:
                del self._answers[key]

    def refresh(self, limit: int = REFRESHED) -> int:
        """After a write: compute again, at the new data version, the `limit` reads of the last versions
        used most recently (most recent first), so that they answer at once when asked again. Returns how
        many now answer at this version (0 when the data has not changed since the last refresh). Stops
        at the next write, leaving the rest to the next refresh; a read that fails is left for its caller
        to meet."""
        version = self.store.data_version()
        with self._lock:
            self._advance(version)
            previous, self._previous = self._previous, []
        pending = previous[::-1][:limit]  # most recent first
        answered = 0
        while pending and self.store.data_version() == version:
            key, compute = pending[0]
            try:
                self.answer(key, compute)
            except Exception as error:  # the caller who asks it meets the error (and it is not kept)
                log.debug("not refreshed: %r (%s)", key, error)
                pending.pop(0)
                continue
            if self.store.data_version() != version:
                break  # computed across a write: not kept
            pending.pop(0)
            answered += 1
        if pending:
            with self._lock:
                self._previous = self._merged(pending[::-1], self._previous)
        return answered

    def __repr__(self) -> str:
        return f"MemoisedReads({self.store!r})"


def _copy(answer: T) -> T:
    """Lists are handed out as copies (their items are frozen values): a caller may sort or extend its own."""
    return cast(T, list(answer)) if isinstance(answer, list) else answer


async def keep_warm(
    reads: SalesStore, every: float = 1.0, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
) -> None:
    """Until cancelled: `refresh` the memo (in a worker thread) once the store's data has changed and then
    stayed the same for `every` seconds — the serving process's dashboard answers warm after a sync,
    while a run of writes (the history loading) is not slowed by refreshes it would make stale at once.
    A store without a memo has nothing to keep warm."""
    if not isinstance(reads, MemoisedReads):
        return
    seen = refreshed = reads.store.data_version()
    while True:
        await sleep(every)
        try:
            version = reads.store.data_version()
            if version == seen != refreshed:
                started = time.perf_counter()
                answered = await asyncio.to_thread(reads.refresh)
                took = (time.perf_counter() - started) * 1000
                log.debug("%d figures computed again after a write, in %.0f ms", answered, took)
                refreshed = version
            seen = version
        except Exception:  # never stop: the next change is refreshed again
            log.warning("refreshing the dashboard's figures failed", exc_info=True)


def memoised(store: SalesStore) -> SalesStore:
    """The store behind a memo of its reads (`MemoisedReads` implements every method of the port)."""
    if isinstance(store, MemoisedReads):
        return cast(SalesStore, store)
    return cast(SalesStore, MemoisedReads(store))
