"""Human formatting of money and percentages for the terminal and chat: `1 234 567 ₴`."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CURRENCY_SIGNS = {"UAH": "₴", "USD": "$", "EUR": "€", "PLN": "zł"}
NBSP = "\u00a0"


def group(value: Decimal | int, decimals: int = 0) -> str:
    """Digits grouped by thin spaces of three: 1 234 567 (with `decimals` places)."""
    quantum = Decimal(1).scaleb(-decimals)
    number = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{abs(number):,.{decimals}f}".replace(",", NBSP)
    return f"-{text}" if number < 0 else text


def money(value: Decimal | int, currency: str = "UAH", decimals: int = 0) -> str:
    sign = CURRENCY_SIGNS.get(currency, currency)
    return f"{group(value, decimals)}{NBSP}{sign}"


def pct(value: Decimal | None, signed: bool = False) -> str:
    if value is None:
        return "—"
    text = f"{value:+.2f}" if signed else f"{value:.2f}"
    return f"{text}%"
