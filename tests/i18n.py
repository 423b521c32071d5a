"""The two translators the tests read texts in."""

from __future__ import annotations

from ksales.adapters.babel import BabelCatalog
from ksales.domain.language import Language

CATALOG = BabelCatalog()
EN = CATALOG.translator(Language.EN)
UK = CATALOG.translator(Language.UK)


def plain(text: str) -> str:
    """CLDR's no-break and thin spaces as plain spaces, for readable assertions."""
    return text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2009", " ")
