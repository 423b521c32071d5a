"""A hand-worked shop of six buyers for the cohort and segment tests (every figure worked out on paper).

Sep–Nov 2026, Kyiv (tests/shop.py's rules: manager 15 is B2B, source 9 excluded, status 42 canceled):
A 1  5 Sep 100, 10 Oct 200, 20 Nov 300                   → cohort Sep; retail: champions
B 2  20 Sep 50                                            → cohort Sep; one_time (R = 71)
C 3  3 Oct 80 and 20 (same day), 2 Nov canceled (new phone) → cohort Oct; at_risk (R = 58 > 30)
D 4  1 Nov 500 from the excluded source, 15 Nov 70        → cohort Nov; first_timer
E 5  15 Oct 1000 B2B, 10 Nov 40 retail                    → cohort Oct; retail first_timer, all promising
F 6  5 Nov 10, 26 Nov 10                                  → cohort Nov; promising (1.5 × 21 = 31.5 > 4)
"""

from __future__ import annotations

from datetime import date

from ksales.domain.model import Buyer, Order
from ksales.domain.periods import Period
from tests.shop import at, make_order

NOVEMBER = Period.custom(date(2026, 11, 1), date(2026, 11, 30))


def _buyer(buyer_id: int, phone: str = "") -> Buyer:
    name = "ABCDEF"[buyer_id - 1]
    return Buyer(buyer_id, f"Buyer {name}", f"{name.lower()}@example.com", phone or f"38050000000{buyer_id}")


CUSTOMER_ORDERS: tuple[Order, ...] = (
    make_order(101, at(5, month=9), "100", buyer=_buyer(1)),
    make_order(102, at(10, month=10), "200", buyer=_buyer(1)),
    make_order(103, at(20, month=11), "300", buyer=_buyer(1)),
    make_order(201, at(20, month=9), "50", buyer=_buyer(2)),
    make_order(301, at(3, 10, month=10), "80", buyer=_buyer(3)),
    make_order(302, at(3, 18, month=10), "20", buyer=_buyer(3)),
    make_order(303, at(2, month=11), "999", status_id=6, status_group_id=6, buyer=_buyer(3, "380670000333")),
    make_order(401, at(1, month=11), "500", source_id=9, buyer=_buyer(4)),
    make_order(402, at(15, month=11), "70", buyer=_buyer(4)),
    make_order(501, at(15, month=10), "1000", manager_id=15, buyer=_buyer(5)),
    make_order(502, at(10, month=11), "40", buyer=_buyer(5)),
    make_order(601, at(5, month=11), "10", buyer=_buyer(6)),
    make_order(602, at(26, month=11), "10", buyer=_buyer(6)),
    make_order(701, at(12, month=11), "35"),  # no buyer: not a customer
)
