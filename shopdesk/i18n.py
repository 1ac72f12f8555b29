"""Translations for the core, the CLI, PDFs and the UI alike.

Message ids are English; Bahasa Indonesia is the default language. The
Indonesian catalog is split by area (``resources/i18n/id/*.po``) so that each
part of the app keeps its own file; all files of a language are merged on load.
Placeholders use ``str.format`` names: ``_("Stock of {sku}").format(sku=...)``.
"""

from __future__ import annotations

import os
import re
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


# One keyword line of an entry and the string lines that continue it. Obsolete entries
# (``#~ msgid``) and comments never match: they do not begin with a keyword.
_KEYWORD_LINE = re.compile(r'^(msgctxt|msgid|msgstr) "(.*)"[ \t]*\n((?:"(?:.*)"[ \t]*\n)*)', re.M)
_STRING_LINE = re.compile(r'^"(.*)"[ \t]*$', re.M)


def _parse_po(text: str, *, contexts: bool = False) -> dict[str, str]:
    """Read msgid/msgstr pairs of a .po file (no plural forms are used).

    With ``contexts`` a ``msgctxt`` is kept in the key (``context + CONTEXT_SEP + msgid``);
    without it the context is ignored, as our own catalogs have none.
    Babel reads .po files too, but importing it costs more start-up time than
    this small reader of the subset our catalogs use (one regular expression: a
    line-by-line reader took twice as long, and the login window waits for it).
    """
    entries: dict[str, str] = {}
    msgctxt = msgid = None
    for keyword, first, rest in _KEYWORD_LINE.findall(text if text.endswith("\n") else text + "\n"):
        value = _unquote(first + "".join(_STRING_LINE.findall(rest)) if rest else first)
        if keyword == "msgctxt":
            msgctxt, msgid = value, None
        elif keyword == "msgid":
            msgid = value
        elif msgid:  # msgstr
            if value:
                entries[msgctxt + CONTEXT_SEP + msgid if contexts and msgctxt else msgid] = value
            msgctxt = msgid = None
    return entries


def _unquote(body: str) -> str:
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


class _Areas:
    """One language's area files, read one at a time as lookups need them: the login
    window's few messages are all in ``ui.po``, and the other files wait until a message
    is not found there. A later file (sorted by name) wins, as when they were merged."""

    def __init__(self, language: str) -> None:
        folder = catalog_dir(language)
        found = sorted(folder.glob("*.po")) if folder.is_dir() else []
        self.unread = [po for po in reversed(found) if po.stem not in HAND_KEPT]
        self.read: list[dict[str, str]] = []  # the last file first

    def find(self, message: str) -> str | None:
        for entries in self.read:
            if message in entries:
                return entries[message]
        while self.unread:
            entries = _parse_po(self.unread.pop(0).read_text(encoding="utf-8"))
            self.read.append(entries)
            if message in entries:
                return entries[message]
        return None

    def merged(self) -> dict[str, str]:
        while self.unread:
            self.read.append(_parse_po(self.unread.pop(0).read_text(encoding="utf-8")))
        merged: dict[str, str] = {}
        for entries in reversed(self.read):
            merged.update(entries)
        return merged


_areas: dict[str, _Areas] = {}


def load_catalog(language: str) -> dict[str, str]:
    """All translations of one language, merged from its area files."""
    with _lock:
        if language not in _catalogs:
            areas = _areas.pop(language, None) or _Areas(language)
            _catalogs[language] = areas.merged()
        return _catalogs[language]


def _translate(language: str, message: str) -> str:
    """``message`` in ``language``, reading only the area files it takes to find it; once
    a message was not found in any, all are read and merged for every later lookup."""
    with _lock:
        if language not in _catalogs:
            if language not in _areas:
                _areas[language] = _Areas(language)
            found = _areas[language].find(message)
            if found is not None:
                return found
            _catalogs[language] = _areas.pop(language).merged()  # a miss read every file
    return _catalogs[language].get(message, message)


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
    return catalog.get(message, message) if catalog is not None else _translate(_language, message)


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
