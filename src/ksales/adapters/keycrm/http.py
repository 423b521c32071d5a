"""Requests to KeyCRM: Bearer auth, the shared rate limiter, retries with backoff, and pagination."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
from collections.abc import AsyncIterator, Mapping
from typing import Any

import httpx

from ksales.adapters.keycrm.limiter import Sleep, SlidingWindowLimiter
from ksales.domain.errors import CrmRejected, CrmUnavailable
from ksales.ports.health import KEY_REJECTED, StatusBoard
from ksales.ports.request_meter import count_request

log = logging.getLogger(__name__)

#: KeyCRM cuts larger page sizes to 50 anyway.
PAGE_SIZE = 50
MAX_PAGES = 10_000
#: A Retry-After longer than this is not believed (the window is a minute).
MAX_RETRY_AFTER = 120.0
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)

Params = Mapping[str, str | int]
#: The component this adapter reports to the status board.
KEYCRM = "keycrm"


class KeyCrmHttp:
    """GETs JSON from KeyCRM; every attempt (retries too) passes through the shared limiter."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        limiter: SlidingWindowLimiter,
        *,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
        max_attempts: int = 8,
        backoff_base: float = 1.0,
        backoff_cap: float = 30.0,
        status: StatusBoard | None = None,
    ) -> None:
        self._client = httpx.AsyncClient(
            base_url=base_url.rstrip("/") + "/",
            headers={"Authorization": f"Bearer {api_key}", "Accept": "application/json"},
            timeout=timeout,
            transport=transport,
            follow_redirects=False,
        )
        self._limiter = limiter
        self._sleep = sleep
        self._rng = rng or random.Random()
        self.max_attempts = max(1, max_attempts)
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.requests = 0
        self._status = status

    def _report(self, problem: str | None) -> None:
        if self._status is None:
            return
        if problem is None:
            self._status.up(KEYCRM)
        else:
            self._status.down(KEYCRM, problem)

    async def get(
        self,
        path: str,
        params: Params,
        what: str,
        *,
        missing_ok: bool = False,
        interactive: bool = False,
        limiter: SlidingWindowLimiter | None = None,
    ) -> Any:
        """The decoded JSON body; None for a 404 when `missing_ok`. Raises CrmUnavailable/CrmRejected.

        `interactive`: a person waits for it (a search): it goes ahead of queued requests, or fails fast.
        `limiter`: a stricter limit of its own that every attempt also keeps to (beside the shared one).
        """
        problem = "no attempt made"
        for attempt in range(1, self.max_attempts + 1):
            retry_after: float | None = None
            async with contextlib.AsyncExitStack() as slots:
                if limiter is not None:
                    await slots.enter_async_context(limiter.slot())
                await slots.enter_async_context(self._limiter.slot(interactive=interactive))
                self.requests += 1
                count_request()
                try:
                    response = await self._client.get(path, params=params)
                except httpx.TimeoutException:
                    problem = "timed out"
                except httpx.TransportError as exc:
                    problem = f"connection failed ({type(exc).__name__})"
                else:
                    status = response.status_code
                    if 200 <= status < 300:
                        try:
                            body = response.json()
                        except (json.JSONDecodeError, UnicodeDecodeError):
                            problem = "answered with a body that is not JSON"
                        else:
                            self._report(None)
                            return body
                    elif status == 404 and missing_ok:
                        self._report(None)
                        return None
                    elif status == 429 or status >= 500:
                        problem = f"HTTP {status}"
                        retry_after = _retry_after(response.headers.get("Retry-After"))
                    else:
                        if status in (401, 403):
                            self._report(KEY_REJECTED)
                        raise CrmRejected(f"KeyCRM refused {what}: HTTP {status}{_detail(response)}")
            if attempt >= 2 and not problem.startswith("HTTP 429"):  # a blip or a busy minute is no outage
                self._report(f"KeyCRM {problem} (retrying)")
            if attempt < self.max_attempts:
                delay = retry_after if retry_after is not None else self._backoff(attempt)
                log.info("KeyCRM %s: %s (attempt %d), retrying in %.1f s", what, problem, attempt, delay)
                await self._sleep(delay)
        raise CrmUnavailable(f"KeyCRM did not answer {what} after {self.max_attempts} attempts: {problem}")

    async def pages(
        self, path: str, params: Params, what: str, *, limiter: SlidingWindowLimiter | None = None
    ) -> AsyncIterator[list[Any]]:
        """The `data` of each page, fetched by repeating the query with page + 1 (never the vendor's URL)."""
        page = 1
        while True:
            body = await self.get(
                path, {**params, "limit": PAGE_SIZE, "page": page}, f"{what}, page {page}", limiter=limiter
            )
            data = body.get("data") if isinstance(body, Mapping) else None
            if not isinstance(data, list):
                raise CrmUnavailable(f"KeyCRM answered {what}, page {page} without a list of data")
            if data:
                yield data
            # Stop on next_page_url == null or an empty page, never on a short page.
            if not data or body.get("next_page_url") is None:
                return
            page += 1
            if page > MAX_PAGES:  # a server that ignores `page` would otherwise loop forever
                raise CrmUnavailable(f"KeyCRM kept announcing more pages of {what} after {MAX_PAGES}")

    def _backoff(self, attempt: int) -> float:
        """Capped exponential backoff with jitter: half fixed, half random."""
        ceiling = min(self.backoff_cap, self.backoff_base * 2 ** (attempt - 1))
        return float(ceiling / 2 + self._rng.uniform(0, ceiling / 2))

    async def aclose(self) -> None:
        await self._client.aclose()

    def __repr__(self) -> str:
        return f"KeyCrmHttp(base_url={str(self._client.base_url)!r}, requests={self.requests})"


def _retry_after(value: str | None) -> float | None:
    """Seconds from a numeric Retry-After header (an HTTP date is ignored: backoff applies)."""
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    if seconds != seconds or seconds < 0:  # NaN or negative
        return None
    return min(seconds, MAX_RETRY_AFTER)


def _detail(response: httpx.Response) -> str:
    hint = " (check KEYCRM_API_KEY)" if response.status_code in (401, 403) else ""
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return hint
    message = body.get("message") if isinstance(body, Mapping) else None
    return f"{hint}: {str(message)[:120]}" if message else hint
