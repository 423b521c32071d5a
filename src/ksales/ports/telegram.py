"""Who the bot is on Telegram: the login page needs the bot's @username for the Login Widget."""

from __future__ import annotations

from typing import Protocol


class BotIdentity(Protocol):
    async def username(self) -> str | None:
        """The bot's @username, or None while Telegram cannot tell (unreachable, token rejected)."""
        ...
