"""File, folder and printer choices, remembered per kind in QSettings.

Tests set ``answers`` (``save``, ``folder``, ``printer``) to skip the modal dialogs:
a path for ``save``/``folder``, a ``QPrinter`` (or ``False`` for "cancelled") for ``printer``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QWidget

from shopdesk.i18n import _

answers: dict[str, object] = {}


def _last_folder(kind: str) -> str:
    saved = QSettings().value(f"folders/{kind}", "", str)
    if saved and Path(saved).is_dir():
        return saved
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)


def _remember(kind: str, folder: Path) -> None:
    QSettings().setValue(f"folders/{kind}", str(folder))


def choose_save_pdf(parent: QWidget | None, kind: str, file_name: str) -> Path | None:
    """Ask where to save a PDF; None when the seller cancels."""
    if "save" in answers:
        value = answers["save"]
        return Path(value) if value else None
    start = str(Path(_last_folder(kind)) / file_name)
    chosen, _filter = QFileDialog.getSaveFileName(
        parent, _("Save as PDF"), start, _("PDF files (*.pdf)")
    )
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() != ".pdf":
        path = path.with_suffix(".pdf")
    _remember(kind, path.parent)
    return path


def choose_folder(parent: QWidget | None, kind: str, title: str) -> Path | None:
    if "folder" in answers:
        value = answers["folder"]
        return Path(value) if value else None
    chosen = QFileDialog.getExistingDirectory(parent, title, _last_folder(kind))
    if not chosen:
        return None
    _remember(kind, Path(chosen))
    return Path(chosen)


def choose_printer(parent: QWidget | None, printer: QPrinter) -> bool:
    """Show the system print dialog for ``printer``; False when cancelled."""
    if "printer" in answers:
        value = answers["printer"]
        if isinstance(value, QPrinter):
            printer.setOutputFormat(value.outputFormat())
            printer.setOutputFileName(value.outputFileName())
            return True
        return bool(value)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(_("Print"))
    return dialog.exec() == QPrintDialog.DialogCode.Accepted
