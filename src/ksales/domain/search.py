"""What a user may type to find an order: its id, a phone number or an e-mail address."""

from __future__ import annotations

import re
from enum import StrEnum

from attrs import frozen

from ksales.domain.errors import InvalidParameter

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]{1,63}$")
_PHONE_CHARS = re.compile(r"^\+?[\d\s().-]{5,25}$")


class QueryKind(StrEnum):
    ID = "id"
    PHONE = "phone"
    EMAIL = "email"


@frozen
class OrderQuery:
    kind: QueryKind
    value: str

    @classmethod
    def parse(cls, text: str) -> OrderQuery:
        """Recognise an order id (digits, optionally after #), a phone or an e-mail."""
        text = text.strip()
        if _EMAIL.match(text):
            return cls(QueryKind.EMAIL, text.lower())
        bare = text.removeprefix("#")
        if bare.isascii() and bare.isdigit() and len(bare) <= 9:
            return cls(QueryKind.ID, str(int(bare)))
        if _PHONE_CHARS.match(text):
            digits = re.sub(r"\D", "", text)
            if 9 <= len(digits) <= 15:
                if len(digits) == 10 and digits.startswith("0"):
                    digits = "38" + digits  # a Ukrainian number written without the country code
                return cls(QueryKind.PHONE, digits)
        raise InvalidParameter("query", "type an order number, a phone number or an e-mail address")
