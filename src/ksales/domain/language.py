"""The language people read ksales in (KSALES_LANGUAGE)."""

from __future__ import annotations

from enum import StrEnum


class Language(StrEnum):
    UK = "uk"
    EN = "en"
