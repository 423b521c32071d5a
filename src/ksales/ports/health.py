"""Where adapters report that their dependency is down or back (the service's `Health` board)."""

from __future__ import annotations

from typing import Protocol

#: KeyCRM's component reason while it answers 401/403 (the key alert looks for it).
KEY_REJECTED = "KeyCRM rejects KEYCRM_API_KEY"


class StatusBoard(Protocol):
    def down(self, component: str, reason: str) -> None:
        """`component` failed for `reason` (logged once per change of state)."""
        ...

    def up(self, component: str) -> None:
        """`component` works (again)."""
        ...
