"""The page's first render with data, in headless Chromium, against a DuckDB store.

    .venv/bin/python bench/render.py STORE.duckdb [--runs 10] [--today 2026-11-26]

Serves the app with uvicorn on 127.0.0.1 (no background sync) and opens `/?period=month` in a fresh
browser context each run; reports the median and worst time from navigation start until every section is
filled (`body[data-state=ready]`), and the browser's own DOMContentLoaded and load times.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import threading
import time
from pathlib import Path

import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dashboard import build_container

from ksales.entrypoints.web import create_app

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def serve(app: object) -> tuple[uvicorn.Server, str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))  # type: ignore[arg-type]
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise SystemExit("the server did not start")
        time.sleep(0.01)
    return server, f"http://127.0.0.1:{port}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--today", help="pin the dashboard's today (YYYY-MM-DD)")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    container = build_container(args.store, args.today)
    server, url = serve(create_app(container, background=False))
    ready: list[float] = []
    dom: list[float] = []
    load: list[float] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
            for _ in range(args.runs + 1):  # the first run warms the server and the disk cache
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                started = time.perf_counter()
                page.goto(f"{url}/?period=month")
                page.wait_for_selector("body[data-state=ready]", timeout=30_000)
                elapsed = (time.perf_counter() - started) * 1000
                timing = page.evaluate(
                    "() => { const t = performance.getEntriesByType('navigation')[0];"
                    " return [t.domContentLoadedEventEnd, t.loadEventEnd]; }"
                )
                ready.append(elapsed)
                dom.append(timing[0])
                load.append(timing[1])
                context.close()
            browser.close()
    finally:
        server.should_exit = True
    ready, dom, load = ready[1:], dom[1:], load[1:]
    print(f"store: {args.store} ({args.store.stat().st_size / 2**20:.0f} MiB)")
    print(f"first render with data (navigation → every section filled), {args.runs} runs:")
    print(f"  median {statistics.median(ready):.0f} ms, worst {max(ready):.0f} ms")
    dom_ms, load_ms = statistics.median(dom), statistics.median(load)
    print(f"  DOMContentLoaded median {dom_ms:.0f} ms, load median {load_ms:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
