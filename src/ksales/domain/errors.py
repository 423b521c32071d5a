"""The errors ksales raises; entrypoints translate them (HTTP 400/404, a bot reply, a CLI line)."""

from __future__ import annotations

from attrs import define


class KsalesError(Exception):
    """Base of every error that ksales raises on purpose."""

    def __str__(self) -> str:
        return str(getattr(self, "message", super().__str__()))


@define
class InvalidParameter(KsalesError):
    """A request parameter is malformed, out of range, or names something that does not exist."""

    field: str
    message: str


class InvalidPeriod(InvalidParameter):
    """A period or date range cannot be built."""


class InvalidFilter(InvalidParameter):
    """A filter value is not acceptable."""


@define
class NotFound(KsalesError):
    """Something addressed by id (in a path, a lookup) does not exist."""

    message: str


@define
class ConfigError(KsalesError):
    """A setting is missing or malformed; `variable` names it."""

    variable: str
    message: str

    def __str__(self) -> str:
        return f"{self.variable}: {self.message}"


@define
class CrmError(KsalesError):
    """The CRM could not answer."""

    message: str


class CrmUnavailable(CrmError):
    """The CRM did not answer after retries (network, timeouts, 5xx, 429)."""


class CrmRejected(CrmError):
    """The CRM refused the request (bad key, bad request): retrying will not help."""


@define
class StoreError(KsalesError):
    """The analytics or user store failed."""

    message: str


class StoreUnavailable(StoreError):
    """The store cannot be opened or queried."""


class StoreLocked(StoreError):
    """Another process owns the store."""


@define
class NotAllowed(KsalesError):
    """The user may not do this."""

    message: str = "only admins may do that"


@define
class BackupError(KsalesError):
    """A backup cannot be written, read or restored."""

    message: str
