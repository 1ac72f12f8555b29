"""The app's language: our messages (the core's catalogs) and Qt's own strings.

Used at start-up (``ui.app``) and when a seller with another language logs in
(``ui.main_window``); kept apart from both so neither imports the other.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from shopdesk import i18n

_qt_translators: list[QTranslator] = []


def install_language(language: str | None) -> str:
    """Switch our messages and Qt's own (buttons of standard dialogs) to ``language``."""
    lang = i18n.set_language(language)
    app = QApplication.instance()
    if app is None:
        return lang
    for old in _qt_translators:
        app.removeTranslator(old)
    _qt_translators.clear()
    if lang != "en":  # Qt's English needs nothing; PySide6 has no qtbase_id.qm, so our qt.po
        from ui.qt_translations import CatalogTranslator

        translator = CatalogTranslator(lang, app)
        app.installTranslator(translator)
        _qt_translators.append(translator)
    QLocale.setDefault(
        QLocale(
            QLocale.Language.Indonesian if lang == "id" else QLocale.Language.English,
            QLocale.Country.Indonesia,
        )
    )
    return lang
