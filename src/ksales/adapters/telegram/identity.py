"""`BotApiIdentity`: the bot's @username from the Bot API's `getMe`, asked once and then remembered."""

from __future__ import annotations

import json
import logging

import httpx

log = logging.getLogger(__name__)

#: The login page waits at most this long for Telegram before it says sign-in is unavailable.
TIMEOUT_S = 5.0


class BotApiIdentity:
    """Implements `BotIdentity` over HTTP. A failure is not remembered: the next call asks again."""

    def __init__(self, api_base_url: str, token: str) -> None:
        self._url = f"{api_base_url}{token}/getMe"
        self._username: str | None = None

    def __repr__(self) -> str:
        return "BotApiIdentity(<token>)"

    async def username(self) -> str | None:
        if self._username is not None:
            return self._username
        timeout = {"connect": TIMEOUT_S, "read": TIMEOUT_S, "write": TIMEOUT_S, "pool": TIMEOUT_S}
        try:
            # The bare transport, not a Client: httpx's client logs every URL, and this one holds the token.
            async with httpx.AsyncHTTPTransport() as transport:
                reply = await transport.handle_async_request(
                    httpx.Request("GET", self._url, extensions={"timeout": timeout})
                )
                await reply.aread()
            username = json.loads(reply.content)["result"]["username"]
        except (httpx.HTTPError, httpx.InvalidURL, ValueError, KeyError, TypeError):
            log.warning("could not ask the Bot API for the bot's username; the login widget is unavailable")
            return None
        if not isinstance(username, str) or not username:
            return None
        self._username = username
        return username
