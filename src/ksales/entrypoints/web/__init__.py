"""The dashboard: a Starlette app over the analytics service (SPEC §6)."""

from ksales.entrypoints.web.app import create_app

__all__ = ["create_app"]
