"""`FixedBotIdentity`: a bot whose @username is whatever the test says (None: Telegram is unreachable)."""

from __future__ import annotations

from attrs import define


@define
class FixedBotIdentity:
    """Implements `BotIdentity`; set `name` to None to play an unreachable Telegram."""

    name: str | None = "ksales_test_bot"
    asked: int = 0

    async def username(self) -> str | None:
        self.asked += 1
        return self.name
