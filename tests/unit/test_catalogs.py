"""The message catalogs: complete, with the right plural forms, compiled, and every text wrapped."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from ksales.adapters.babel import LOCALE_DIR
from ksales.domain.language import Language

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "ksales"
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None}
#: Every language but English, whose texts are the message ids themselves.
TRANSLATED = [language for language in Language if language is not Language.EN]


def extracted() -> set[str | tuple[str, str]]:
    """What `pybabel extract -F babel.cfg -k N_` finds in src/ (the README's command)."""
    method_map = [
        ("src/ksales/**.py", "python"),
        ("src/ksales/entrypoints/web/static/*.js", "javascript"),
        ("src/ksales/entrypoints/web/templates/*.html", "jinja2.ext:babel_extract"),
    ]
    found: set[str | tuple[str, str]] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(ROOT, method_map, keywords=KEYWORDS):
        found.add((message[0], message[1]) if isinstance(message, tuple) else message)
    return found


def catalog(language: Language) -> Catalog:
    with (LOCALE_DIR / language.value / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=language.value)


def _key(value: object) -> object:
    return tuple(value) if isinstance(value, list | tuple) else value


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_extracted_message_is_translated(language: Language) -> None:
    messages = catalog(language)
    missing = []
    for message in extracted():
        key = message[0] if isinstance(message, tuple) else message
        entry = messages.get(key)
        strings = entry.string if entry is not None else ""
        if isinstance(strings, str):
            strings = (strings,)
        if entry is None or not all(strings):
            missing.append(key)
    assert not missing, f"untranslated in {language}: {sorted(missing)}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_plural_messages_have_the_languages_forms(language: Language) -> None:
    messages = catalog(language)
    forms = get_plural(language.value)
    assert messages.plural_forms == forms.plural_forms
    for message in messages:
        if message.pluralizable:
            assert len(message.string) == forms.num_plurals, message.id
            assert all(message.string), message.id


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_the_placeholders(language: Language) -> None:
    for message in catalog(language):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set().union(*(placeholders(i) for i in ids))
        for text in strings:
            assert placeholders(text) == expected, (message.id, text)


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalog_is_up_to_date(language: Language) -> None:
    with (LOCALE_DIR / language.value / "LC_MESSAGES" / "messages.mo").open("rb") as mo:
        compiled = read_mo(mo)
    source = catalog(language)
    as_compiled = {_key(m.id): _key(m.string) for m in compiled if m.id}
    as_written = {_key(m.id): _key(m.string) for m in source if m.id and not m.fuzzy}
    assert as_compiled == as_written, "run: pybabel compile -d src/ksales/locale"


def test_the_template_lists_every_message() -> None:
    with (LOCALE_DIR / "messages.pot").open("rb") as pot:
        template = {m.id[0] if isinstance(m.id, tuple) else m.id for m in read_po(pot) if m.id}
    found = {m[0] if isinstance(m, tuple) else m for m in extracted()}
    assert found == template, "run the README's extract command"


# --- every text a person reads is wrapped -------------------------------------------------------------

#: Where texts a person reads are written (the JSON API's English messages live elsewhere).
USER_FACING = [
    *(f"entrypoints/bot/{name}.py" for name in ("access_handlers", "app", "custom", "errors", "gate")),
    *(f"entrypoints/bot/{name}.py" for name in ("jobs", "keyboards", "ranges", "report_handlers")),
    *(f"entrypoints/bot/{name}.py" for name in ("search_handlers", "settings_handlers", "texts")),
    "entrypoints/cli.py",
    "adapters/excel/*.py",
    "entrypoints/web/pages.py",
    "domain/names.py",
]
#: Calls whose string arguments are not shown to a person.
NOT_SHOWN = {
    "_",
    "ValueError",
    "UnreadableRange",
    # Domain errors carry English messages (the JSON API's); the CLI prints them in a translated line.
    "KsalesError",
    "BackupError",
    "ConfigError",
    "N_",
    "gettext",
    "ngettext",
    "getLogger",
    "debug",
    "info",
    "warning",
    "error",
    "exception",
    "add_argument",
    "add_parser",
    "ArgumentParser",
    "CommandHandler",
    "CallbackQueryHandler",
    "filterwarnings",
    "Font",
    "PatternFill",
    "Side",
    "Alignment",
    "Column",
    "Route",
    "TemplateResponse",
    "get",
    "getattr",
    "split",
    "startswith",
    "replace",
    "strftime",
    "format_time",
    "join",
    "setLevel",
}
#: Strings in those modules that look like words but are not prose (names of things, data, formats).
ALLOWED = {"Українська", "English", "Vary", "Accept-Language", "Cache-Control", "dd.mm.yyyy", "General"}
PROSE = re.compile(r"[A-Za-z]{2,}[,.:;!?']? [^{}]*[A-Za-z]{2,}|^[A-Z][a-z]{2,}\b")


def _unwrapped(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        parent = parents.get(node)
        if isinstance(parent, ast.Expr):  # a docstring
            continue
        if isinstance(parent, ast.JoinedStr):
            parent = parents.get(parent)
        if isinstance(parent, ast.keyword | ast.BinOp):
            parent = parents.get(parent)
        callee = parent.func if isinstance(parent, ast.Call) else None
        name = getattr(callee, "attr", None) or getattr(callee, "id", None)
        if name in NOT_SHOWN or isinstance(parent, ast.Compare | ast.Subscript | ast.Assert):
            continue
        text = node.value.strip()
        if (
            text in ALLOWED
            or text.startswith("<svg")
            or not PROSE.search(text)
            or "_" in text
            or "/" in text.split(" ")[0]
        ):
            continue
        found.append(f"{path.relative_to(SRC)}:{node.lineno}: {text[:60]!r}")
    return found


def test_every_text_a_person_reads_is_wrapped_for_translation() -> None:
    unwrapped = [line for pattern in USER_FACING for path in SRC.glob(pattern) for line in _unwrapped(path)]
    assert not unwrapped, "wrap these in t.gettext() / N_():\n" + "\n".join(unwrapped)


def test_the_check_finds_an_unwrapped_text(tmp_path: Path) -> None:
    module = tmp_path / "handler.py"
    module.write_text('async def f(m):\n    await m.reply_text("Your report is ready")\n')
    assert len(_unwrapped_in(module)) == 1


def _unwrapped_in(path: Path) -> list[str]:
    global SRC
    saved, SRC = SRC, path.parent
    try:
        return _unwrapped(path)
    finally:
        SRC = saved
