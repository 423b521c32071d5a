"""Ids that enter from outside (Telegram users, KeyCRM records, URLs): positive and at most 2^53.

Telegram promises user ids of at most 52 bits; KeyCRM's are far smaller. The bound keeps every id inside
SQLite's and DuckDB's 64-bit integers and exact in JavaScript, so an oversized id is refused at the edge
instead of overflowing an adapter.
"""

from __future__ import annotations

MAX_ID = 2**53
#: What a 64-bit database integer holds: the stores' own guard, below the edges' stricter one.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def is_valid_id(value: object) -> bool:
    """A positive integer no greater than MAX_ID (booleans are not ids)."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID


def fits_int64(value: int) -> bool:
    return INT64_MIN <= value <= INT64_MAX


def id_from_text(text: str) -> int | None:
    """The id written as plain ASCII digits, or None when `text` is not a valid id."""
    if not text or len(text) > 16 or not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if is_valid_id(value) else None
