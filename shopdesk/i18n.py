"""Translations for the core, the CLI, PDFs and the UI alike.

Message ids are English; Bahasa Indonesia is the default language. The
Indonesian catalog is split by area (``resources/i18n/id/*.po``) so that each
part of the app keeps its own file; all files of a language are merged on load.
Placeholders use ``str.format`` names: ``_("Stock of {sku}").format(sku=...)``.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from shopdesk.paths import resource_path

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
# Hand-kept catalogs that are not ours to extract (``qt.po``: Qt's own dialog strings, keyed
# by Qt context). They are never merged into the catalog of ``_``.
HAND_KEPT = ("qt",)
CONTEXT_SEP = "\x04"  # msgctxt + CONTEXT_SEP + msgid, as GNU gettext keys them

_lock = threading.Lock()
_language = DEFAULT_LANGUAGE
_catalogs: dict[str, dict[str, str]] = {}


def catalog_dir(language: str) -> Path:
    return resource_path("i18n", language)


def _parse_po(text: str, *, contexts: bool = False) -> dict[str, str]:
    """Read msgid/msgstr pairs of a .po file (no plural forms are used).

    With ``contexts`` a ``msgctxt`` is kept in the key (``context + CONTEXT_SEP + msgid``);
    without it the context is ignored, as our own catalogs have none.
    Babel reads .po files too, but importing it costs more start-up time than
    this small reader of the subset our catalogs use.
    """
    entries: dict[str, str] = {}
    msgctxt: list[str] | None = None
    msgid: list[str] | None = None
    msgstr: list[str] | None = None
    current: list[str] | None = None

    def flush() -> None:
        if msgid is not None and msgstr is not None:
            key, value = "".join(msgid), "".join(msgstr)
            if key and value:
                if contexts and msgctxt is not None:
                    key = "".join(msgctxt) + CONTEXT_SEP + key
                entries[key] = value

    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("msgctxt "):
            flush()
            msgctxt, msgid, msgstr = [_unquote(line[8:])], None, None
            current = msgctxt
        elif line.startswith("msgid "):
            if msgstr is not None:  # a new entry without msgctxt
                flush()
                msgctxt = None
            msgid, msgstr = [_unquote(line[6:])], None
            current = msgid
        elif line.startswith("msgstr "):
            msgstr = [_unquote(line[7:])]
            current = msgstr
        elif line.startswith('"') and current is not None:
            current.append(_unquote(line))
        elif line.startswith("#~"):
            current = None  # obsolete entries are not translations
    flush()
    return entries


def _unquote(token: str) -> str:
    body = token.strip()[1:-1]
    if "\\" not in body:
        return body  # most lines: no escapes, no per-character work (start-up time)
    out = []
    chars = iter(body)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars, "")
            out.append({"n": "\n", "t": "\t", '"': '"', "\\": "\\"}.get(nxt, nxt))
        else:
            out.append(ch)
    return "".join(out)


def load_catalog(language: str) -> dict[str, str]:
    """All translations of one language, merged from its area files."""
    with _lock:
        if language not in _catalogs:
            merged: dict[str, str] = {}
            folder = catalog_dir(language)
            if folder.is_dir():
                for po in sorted(folder.glob("*.po")):
                    if po.stem not in HAND_KEPT:
                        merged.update(_parse_po(po.read_text(encoding="utf-8")))
            _catalogs[language] = merged
        return _catalogs[language]


def load_context_catalog(language: str, name: str) -> dict[str, str]:
    """One hand-kept catalog with contexts (``HAND_KEPT``), keyed ``context + CONTEXT_SEP +
    msgid``; empty when the language has none. Not cached: its one user keeps it."""
    po = catalog_dir(language) / f"{name}.po"
    try:
        text = po.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    return _parse_po(text, contexts=True)


def set_language(language: str | None) -> str:
    """Switch the language of every later message; returns the one in force."""
    global _language
    language = (language or os.environ.get("SHOPDESK_LANG") or DEFAULT_LANGUAGE).lower()
    language = language.split("_")[0].split("-")[0]
    _language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    return _language


def get_language() -> str:
    return _language


def gettext(message: str) -> str:
    if _language == "en":
        return message
    # A loaded catalog is read without the lock: an import's checks ask ~12 times a row.
    catalog = _catalogs.get(_language)
    if catalog is None:
        catalog = load_catalog(_language)
    return catalog.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    # Indonesian has one form; the catalog translates both ids.
    return gettext(singular if n == 1 else plural)


def decimal(value: float, spec: str = "g") -> str:
    """``value`` formatted with ``spec`` and the language's decimal mark: 52,5 in
    Indonesian, 52.5 in English (no thousands separators: sizes and offsets)."""
    text = format(value, spec)
    return text.replace(".", ",") if _language == "id" else text


def N_(message: str) -> str:
    """Mark a string for extraction; translate it later with ``_``."""
    return message


_ = gettext

set_language(None)
