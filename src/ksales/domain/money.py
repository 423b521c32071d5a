"""Exact money arithmetic and the rounding rules of the reports."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def round2(value: Decimal) -> Decimal:
    """Round half-up to two decimals (averages and percentages)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def average(total: Decimal, count: int | Decimal) -> Decimal:
    """Total ÷ count rounded half-up to cents; 0 when count is 0."""
    if not count:
        return round2(ZERO)
    return round2(total / Decimal(count))


def percent(part: Decimal | int, whole: Decimal | int) -> Decimal:
    """part ÷ whole × 100 rounded to 2 decimals; 0 when whole is 0."""
    if not whole:
        return round2(ZERO)
    return round2(Decimal(part) * HUNDRED / Decimal(whole))


def change_pct(current: Decimal | int, previous: Decimal | int) -> Decimal | None:
    """(current − previous) ÷ previous × 100 rounded to 2 decimals; None when previous is 0."""
    if not previous:
        return None
    return round2((Decimal(current) - Decimal(previous)) * HUNDRED / Decimal(previous))
