"""The list of backups (when, kind, size, file): the seller's Backups page shows their
shop's, the operator's dialog the whole PC's."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem, QWidget

from shopdesk.backup import reason_label
from shopdesk.backup.archive import BackupInfo
from shopdesk.clock import to_local
from shopdesk.errors import ShopDeskError
from shopdesk.i18n import _
from ui.widgets.feedback import read_only_table

Listed = tuple[Path, BackupInfo | ShopDeskError]  # as ``backup.list_backups`` returns them


def size_text(n: int) -> str:
    return _("{n} MB").format(n=f"{n / 1_000_000:.1f}".replace(".", ",")) if n else "–"


def _when(moment: datetime, zone: str | None) -> str:
    """In the shop's ``zone``; ``None``: the PC's own clock zone (the operator's view)."""
    if zone is not None:
        return to_local(moment, zone).strftime("%d/%m/%Y %H:%M")
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    return aware.astimezone().strftime("%d/%m/%Y %H:%M")


def _cells(path: Path, info: BackupInfo | ShopDeskError, zone: str | None) -> list[str]:
    if isinstance(info, ShopDeskError):
        return ["?", _("damaged"), "–", path.name]
    when = _when(info.created_at, zone)
    return [when, reason_label(info.reason), size_text(info.db_size), path.name]


class BackupTable(QTableWidget):
    """One backup a row, every cell holding the file's path; ``fill`` chooses the first row."""

    def __init__(self, *, path_tips: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(0, 4, parent)
        self.path_tips = path_tips  # the whole path as a tooltip (files from other folders)
        read_only_table(self, [_("When"), _("Kind"), _("Size"), _("File")], 3)

    def fill(self, rows: list[Listed], *, zone: str | None) -> None:
        self.setRowCount(len(rows))
        for r, (path, info) in enumerate(rows):
            for c, text in enumerate(_cells(path, info, zone)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, str(path))
                if self.path_tips:
                    item.setToolTip(str(path))
                self.setItem(r, c, item)
        if rows:
            self.selectRow(0)

    def selected_path(self) -> Path | None:
        row = self.currentRow()
        item = self.item(row, 0) if row >= 0 else None
        return Path(item.data(Qt.ItemDataRole.UserRole)) if item else None
