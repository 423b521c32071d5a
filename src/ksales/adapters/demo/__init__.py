"""A synthetic, deterministic shop behind the `Crm` port, so ksales runs with no KeyCRM key."""

from ksales.adapters.demo.crm import DemoCrm

__all__ = ["DemoCrm"]
