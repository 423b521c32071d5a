"""Stock snapshot benchmark: the requests and time of one snapshot of N offers from the fake KeyCRM over HTTP.

`StockSnapshots.take` with a real `KeyCrmClient` (limited to `--limit` requests per `--window` seconds, scaled
down like bench/sync.py) and a DuckDB store in a temporary directory.

    .venv/bin/python bench/stocks.py [--offers 5000] [--limit 60] [--window 3]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tests.integration.fake_keycrm

from tests.integration.fake_keycrm import API_KEY, FakeKeyCrm, make_stock, serving  # noqa: E402

from ksales.adapters.duckdb import DuckDbSalesStore  # noqa: E402
from ksales.adapters.keycrm.client import KeyCrmClient  # noqa: E402
from ksales.adapters.memory import FixedClock  # noqa: E402
from ksales.domain.rules import Rules  # noqa: E402
from ksales.services.stocks import StockSnapshots  # noqa: E402

KYIV = ZoneInfo("Europe/Kyiv")


async def snapshot(fake: FakeKeyCrm, store: DuckDbSalesStore, limit: int, window: float) -> tuple[int, int]:
    client = KeyCrmClient(fake.base_url, API_KEY, rate_limit=limit, rate_window=window, timeout=10.0)
    service = StockSnapshots(client, store, FixedClock(datetime(2026, 3, 10, 8, tzinfo=UTC)), KYIV)
    try:
        report = await service.take()
    finally:
        await client.aclose()
    return report.requests, report.offers


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--offers", type=int, default=5000)
    parser.add_argument("--limit", type=int, default=60)
    parser.add_argument("--window", type=float, default=3.0)
    args = parser.parse_args()
    fake = FakeKeyCrm(rate_limit=args.limit, window=args.window)
    with serving(fake), tempfile.TemporaryDirectory() as folder:
        fake.load_stock(make_stock(1, args.offers))
        store = DuckDbSalesStore(Path(folder) / "analytics.duckdb", Rules(timezone=KYIV))
        started = time.perf_counter()
        requests, offers = asyncio.run(snapshot(fake, store, args.limit, args.window))
        seconds = time.perf_counter() - started
        store.close()
    pages = math.ceil(args.offers / 50)
    print(f"offers stored: {offers}")
    print(f"requests: {requests} (expected 2 × {pages} pages = {2 * pages}); HTTP 429: {fake.rejected_429}")
    print(f"seconds (window {args.window:g} s for {args.limit} requests): {seconds:.1f}")
    print(f"at KeyCRM's real {args.limit}/min: ≈ {requests / args.limit:.1f} min of the whole limit")


if __name__ == "__main__":
    main()
