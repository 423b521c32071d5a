"""Message catalogs (gettext) and CLDR number and date formats through Babel."""

from ksales.adapters.babel.catalog import LOCALE_DIR, BabelCatalog, BabelTranslator

__all__ = ["LOCALE_DIR", "BabelCatalog", "BabelTranslator"]
