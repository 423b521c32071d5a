"""The store contract compares every read of the SalesStore port: its lists come from the Protocol."""

from __future__ import annotations

from ksales.domain.filters import Scope
from ksales.domain.results import Totals
from ksales.ports.store import SalesStore
from tests.contract.store_checks import BY_HAND, SALES_STORE, WRITES, queries_of


class GrownStore(SalesStore):
    """The port with three more reads, as a new dashboard query would add them."""

    def weekday_totals(self, scope: Scope, weekday: int = 0) -> Totals: ...

    def currencies(self) -> list[str]: ...

    def order_ids_of_buyer(self, buyer_id: int) -> frozenset[int]: ...


def test_every_read_of_the_port_is_compared() -> None:
    assert SALES_STORE.unsorted == ()
    methods = {name for name in vars(SalesStore) if callable(getattr(SalesStore, name)) and name[0] != "_"}
    compared = {*SALES_STORE.aggregates, *SALES_STORE.lookups, *BY_HAND}
    assert methods - WRITES == compared
    assert methods >= WRITES | BY_HAND, "a renamed method left a stale name behind"


def test_a_new_query_is_compared_without_being_listed() -> None:
    grown = queries_of(GrownStore)
    assert grown.aggregates == (*SALES_STORE.aggregates, "weekday_totals")
    assert grown.lookups == (*SALES_STORE.lookups, "currencies")
    # a query with arguments of its own must be compared by hand: the guard above names it
    assert grown.unsorted == ("order_ids_of_buyer",)
