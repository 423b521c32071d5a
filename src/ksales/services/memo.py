"""`MemoisedReads`: the store's aggregate reads, each computed once per data version of the store.

One dashboard view asks the store for the same figures several times: the day totals (trend, customers,
profit), the period's totals (customers, profit), the expenses (expenses, profit), the lookups every request
resolves its filters against. The page sends its requests at once, so they are also asked at the same time.
An answer computed at one `data_version` stays true until the next write that changes the data (the port's
promise), so each is kept for that version, and a read already being computed is waited for rather than run
again. Nothing is kept across versions: the first view after a write computes every figure afresh.
"""

from __future__ import annotations

import inspect
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import Any, TypeVar, cast

from ksales.ports.store import SalesStore

T = TypeVar("T")

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


class MemoisedReads:
    """A `SalesStore` whose reads in `MEMOISED` answer from a memo of the current data version; every
    other attribute (writes, meta, single orders) is the store's own."""

    def __init__(self, store: SalesStore, limit: int = LIMIT) -> None:
        self.store = store
        self.limit = limit
        self._lock = threading.Lock()
        self._version = -1
        self._answers: OrderedDict[Hashable, Future[Any]] = OrderedDict()

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
            if version != self._version:
                self._version, self._answers = version, OrderedDict()
            found = self._answers.get(key)
            if found is not None:
                self._answers.move_to_end(key)
            else:
                mine: Future[Any] = Future()
                self._answers[key] = mine
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

    def _forget(self, version: int, key: Hashable, future: Future[Any]) -> None:
        with self._lock:
            if self._version == version and self._answers.get(key) is future:
                del self._answers[key]

    def __repr__(self) -> str:
        return f"MemoisedReads({self.store!r})"


def _copy(answer: T) -> T:
    """Lists are handed out as copies (their items are frozen values): a caller may sort or extend its own."""
    return cast(T, list(answer)) if isinstance(answer, list) else answer


def memoised(store: SalesStore) -> SalesStore:
    """The store behind a memo of its reads (`MemoisedReads` implements every method of the port)."""
    if isinstance(store, MemoisedReads):
        return cast(SalesStore, store)
    return cast(SalesStore, MemoisedReads(store))
