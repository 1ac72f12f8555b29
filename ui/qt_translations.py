"""Qt's own strings (standard buttons, context menus, the Qt file and print dialogs) in
the app's language.

PySide6 ships no Indonesian Qt catalog (no ``qtbase_id.qm``), so this translator answers
Qt from our hand-kept ``resources/i18n/<lang>/qt.po``: ``msgctxt`` is the Qt context,
``msgid`` Qt's exact source text. The file is read at the first question Qt asks, with the
core's .po reader. Qt's disambiguation comments are ignored: no context we translate uses
one source text twice.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTranslator

from shopdesk import i18n

CATALOG = "qt"
_loaded: dict[str, dict[str, str]] = {}  # language -> entries, kept across re-installs (login)
# Asked at every install (layout direction) or for key names, never translated here: answered
# without reading the file, so start-up does not pay for it.
_UNTRANSLATED = frozenset({"QGuiApplication", "QShortcut"})


class CatalogTranslator(QTranslator):
    def __init__(self, language: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.language = language
        self._entries: dict[str, str] | None = None

    def entries(self) -> dict[str, str]:
        if self._entries is None:
            if self.language not in _loaded:
                _loaded[self.language] = i18n.load_context_catalog(self.language, CATALOG)
            self._entries = _loaded[self.language]
        return self._entries

    def isEmpty(self) -> bool:
        # Qt skips the LanguageChange event for an empty translator; reading the file
        # here would cost start-up time, and the catalog is never empty.
        return False

    def translate(
        self,
        context: str,
        source_text: str,
        disambiguation: str | None = None,
        n: int = -1,
    ) -> str | None:
        # None is Qt's "no translation" (a null QString): Qt then keeps its English.
        if context in _UNTRANSLATED:
            return None
        return self.entries().get(context + i18n.CONTEXT_SEP + source_text)
