"""This PC's own UI settings (window place, last folders): not business data."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from shopdesk import paths


def ui_settings() -> QSettings:
    """``ui.ini`` in the data folder, so a portable install keeps it on the stick and tests
    keep it in their own folder."""
    return QSettings(str(paths.data_dir() / "ui.ini"), QSettings.Format.IniFormat)
