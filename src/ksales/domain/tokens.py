"""Read-only API tokens for other tools (SPEC §6): only a hash of each secret is ever kept."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable
from datetime import datetime

from attrs import define, frozen

from ksales.domain.errors import KsalesError

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


@define
class InvalidTokenName(KsalesError):
    name: str

    def __str__(self) -> str:
        return (
            f"invalid token name {self.name[:70]!r}: use 1–64 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )


@define
class TokenExists(KsalesError):
    name: str

    def __str__(self) -> str:
        return f"a token named {self.name!r} already exists; revoke it first or choose another name"


@define
class UnknownToken(KsalesError):
    name: str

    def __str__(self) -> str:
        return f"no active token named {self.name!r} (see `ksales token list`)"


def check_token_name(name: str) -> str:
    """The name, if it is a valid token name; raises InvalidTokenName otherwise."""
    if not _NAME.match(name):
        raise InvalidTokenName(name)
    return name


def secret_digest(secret: str) -> str:
    """What is stored of a secret: its SHA-256, in hex (a 32-byte random secret needs no salt)."""
    return hashlib.sha256(secret.encode("utf-8", errors="surrogatepass")).hexdigest()


@frozen
class ApiToken:
    """A named token; `digest` is the hash of its secret, which is shown once and never stored."""

    name: str
    digest: str
    created_at: datetime
    revoked_at: datetime | None = None

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def __repr__(self) -> str:  # the digest is not a secret, but keep it out of logs all the same
        state = "active" if self.is_active else f"revoked {self.revoked_at}"
        return f"ApiToken(name={self.name!r}, created_at={self.created_at}, {state})"


def matching_token(secret: str, tokens: Iterable[ApiToken]) -> ApiToken | None:
    """The active token whose digest is the secret's, compared in constant time with every candidate."""
    digest = secret_digest(secret).encode()
    found = None
    for token in tokens:
        if hmac.compare_digest(token.digest.encode(), digest) and token.is_active:
            found = token
    return found
