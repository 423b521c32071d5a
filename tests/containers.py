"""The Container over fakes: how every test that runs the real wiring swaps out the outside world."""

from __future__ import annotations

from dependency_injector import providers

from ksales.adapters.memory import InMemoryCrm, InMemorySalesStore, InMemoryUserStore
from ksales.entrypoints.container import Container
from ksales.ports.clock import Clock
from ksales.ports.crm import Crm
from ksales.ports.store import SalesStore
from ksales.ports.users import UserStore


def on_fakes(
    container: Container,
    *,
    clock: Clock,
    store: SalesStore | None = None,
    users: UserStore | None = None,
    crm: Crm | None = None,
) -> Container:
    """Override the clock, both stores and the CRM; those not given are empty in-memory fakes."""
    rules = container.settings().rules
    container.clock.override(providers.Object(clock))
    container.sales_store.override(
        providers.Object(store if store is not None else InMemorySalesStore(rules))
    )
    container.user_store.override(providers.Object(users if users is not None else InMemoryUserStore()))
    container.crm.override(providers.Object(crm if crm is not None else InMemoryCrm()))
    return container
