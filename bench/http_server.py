"""The server side of `bench/dashboard.py --http`: the dashboard under uvicorn, as `ksales serve` runs it.

    python bench/http_server.py STORE [--today YYYY-MM-DD] [--raw]

Serves the app (no background syncs) on a free port of 127.0.0.1, prints `listening PORT` once it
answers, then for each line `write` read from stdin writes an order (`dashboard.new_version`: the memo's
figures are dropped, as after a sync) and prints `ok` once it is committed; the order is removed at the end.
"""

from __future__ import annotations

import argparse
import logging
import socket
import sys
import threading
from pathlib import Path

import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dashboard import build_container, forget_bench_order, new_version

from ksales.entrypoints.web import create_app
from ksales.entrypoints.web.server import GuardedApp, quiet_uvicorn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--today")
    parser.add_argument("--raw", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    container = build_container(args.store, args.today, rollups=not args.raw)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    quiet_uvicorn()
    config = uvicorn.Config(
        GuardedApp(create_app(container, background=False)),
        host="127.0.0.1",
        port=port,
        log_config=None,
        log_level="error",
        access_log=False,
    )
    server = uvicorn.Server(config)

    def commands() -> None:
        while not server.started:
            threading.Event().wait(0.01)
        print(f"listening {port}", flush=True)
        for line in sys.stdin:
            if line.strip() == "write":
                new_version(container)
                print("ok", flush=True)
        server.should_exit = True

    threading.Thread(target=commands, daemon=True).start()
    server.run()
    forget_bench_order(container)
    container.sales_store().close()


if __name__ == "__main__":
    main()
