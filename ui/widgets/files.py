"""File, folder and printer choices, remembered per kind in this PC's ``ui.ini``.

Every file dialog of the app opens through here, so none starts in the program's own
folder (a bare ``""`` start is the working directory): it starts where the seller last
chose a file of that kind, else in Documents, else on the Desktop, else at home.

Tests set ``answers`` (``save``, ``open``, ``folder``, ``printer``) to skip the modal
dialogs: a path or ``None`` (for ``open`` a list of paths, [] for "cancelled"), a
``QPrinter`` (or ``False`` for "cancelled") for ``printer``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QWidget

from shopdesk.i18n import N_, _
from ui.local_settings import ui_settings

answers: dict[str, object] = {}


IMAGES = N_("Images (*.png *.jpg *.jpeg *.webp *.bmp)")
# gLabels saves its files gzip-compressed as .glabels; its template database is .xml.
GLABELS = N_("gLabels files (*.glabels *.xml *.gz);;All files (*)")
_USER_FOLDERS = (
    QStandardPaths.StandardLocation.DocumentsLocation,
    QStandardPaths.StandardLocation.DesktopLocation,
    QStandardPaths.StandardLocation.HomeLocation,
)


def start_folder(kind: str) -> Path:
    """Where a dialog for ``kind`` opens: the last folder used, else the user's own."""
    saved = ui_settings().value(f"folders/{kind}", "", str)
    if saved and Path(saved).is_absolute() and Path(saved).is_dir():
        return Path(saved)
    for location in _USER_FOLDERS:
        folder = QStandardPaths.writableLocation(location)
        if folder and Path(folder).is_dir():
            return Path(folder)
    return Path.home()


def _remember(kind: str, folder: Path) -> None:
    ui_settings().setValue(f"folders/{kind}", str(folder))


def choose_open_files(parent: QWidget | None, kind: str, title: str, filters: str) -> list[Path]:
    """Files to open (several may be picked); [] when the seller cancels."""
    if "open" in answers:
        return [Path(str(p)) for p in answers["open"]]  # type: ignore[attr-defined]
    chosen, _filter = QFileDialog.getOpenFileNames(parent, title, str(start_folder(kind)), filters)
    if chosen:
        _remember(kind, Path(chosen[0]).parent)
    return [Path(c) for c in chosen]


def choose_open_file(parent: QWidget | None, kind: str, title: str, filters: str) -> Path | None:
    """One file to open; None when the seller cancels."""
    if "open" in answers:
        return next(iter(choose_open_files(parent, kind, title, filters)), None)
    chosen, _filter = QFileDialog.getOpenFileName(parent, title, str(start_folder(kind)), filters)
    if not chosen:
        return None
    _remember(kind, Path(chosen).parent)
    return Path(chosen)


def choose_save_pdf(parent: QWidget | None, kind: str, file_name: str) -> Path | None:
    """Ask where to save a PDF; None when the seller cancels."""
    return _choose_save(
        parent, kind, file_name, _("Save as PDF"), _("PDF files (*.pdf)"), (".pdf",)
    )


def choose_save_table(parent: QWidget | None, kind: str, file_name: str) -> Path | None:
    """Ask where to save a table (XLSX, or CSV by its name); None when cancelled."""
    return _choose_save(
        parent, kind, file_name, _("Save table"), _("Spreadsheets (*.xlsx *.csv)"),
        (".xlsx", ".csv"),
    )  # fmt: skip


def _choose_save(
    parent: QWidget | None,
    kind: str,
    file_name: str,
    title: str,
    filters: str,
    suffixes: tuple[str, ...],
) -> Path | None:
    """The save dialog in the kind's folder; a name without one of ``suffixes`` gets
    the first."""
    if "save" in answers:
        value = answers["save"]
        return Path(value) if value else None
    start = str(start_folder(kind) / file_name)
    chosen, _filter = QFileDialog.getSaveFileName(parent, title, start, filters)
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() not in suffixes:
        path = path.with_suffix(suffixes[0])
    _remember(kind, path.parent)
    return path


def choose_folder(parent: QWidget | None, kind: str, title: str) -> Path | None:
    if "folder" in answers:
        value = answers["folder"]
        return Path(value) if value else None
    chosen = QFileDialog.getExistingDirectory(parent, title, str(start_folder(kind)))
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
