"""The languages people read ksales in (KSALES_LANGUAGE, a user's /settings, the page's `?lang=`)."""

from __future__ import annotations

from enum import StrEnum


class Language(StrEnum):
    UK = "uk"
    EN = "en"

    @classmethod
    def from_tag(cls, tag: str | None) -> Language | None:
        """The language of a tag such as `uk`, `en-US` or `EN_gb` (a region counts as its language)."""
        if not tag:
            return None
        primary = tag.strip().replace("_", "-").split("-", 1)[0].lower()
        try:
            return cls(primary)
        except ValueError:
            return None


def preferred(accept_language: str | None) -> Language | None:
    """The first language we speak in an `Accept-Language` header, by the browser's order of preference."""
    ranked: list[tuple[float, int, Language]] = []
    for position, part in enumerate((accept_language or "")[:1000].split(",")):
        tag, _, params = part.partition(";")
        language = Language.from_tag(tag)
        if language is None:
            continue
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            ranked.append((-quality, position, language))
    return min(ranked)[2] if ranked else None


def N_(message: str) -> str:
    """Mark a message for the catalog where it is defined; it is translated where it is shown."""
    return message
