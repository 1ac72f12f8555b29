"""The lines of an open stocktake as a table model: a shop of thousands of products
opens its count without making one widget per cell.

The "Counted" column is editable; what is typed goes to ``on_enter(sku, text)``
(the page calls the core) and the page answers with ``replace(line)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from shopdesk.i18n import N_, _
from shopdesk.money import format_number
from shopdesk.stock.stocktake import CountLineInfo

COLUMNS = (
    N_("Product"),
    N_("SKU"),
    N_("Barcode"),
    N_("Stock now"),
    N_("Expected"),
    N_("Counted"),
    N_("Difference"),
)
COUNTED = 5
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_GREEN, _RED = QBrush(QColor("#1f6f3f")), QBrush(QColor("#b3261e"))
_TO_TYPE = QBrush(QColor("#fffbe6"))
_Index = QModelIndex | QPersistentModelIndex


def line_name(line: CountLineInfo) -> str:
    return line.product_name + (f" — {line.options}" if line.options else "")


def _signed(value: int) -> str:
    return f"+{format_number(value)}" if value > 0 else format_number(value)


class CountLinesModel(QAbstractTableModel):
    def __init__(self, on_enter: Callable[[str, str], bool], parent=None) -> None:
        super().__init__(parent)
        self.on_enter = on_enter
        self.lines: list[CountLineInfo] = []
        self.visible: list[int] = []  # indexes into ``lines`` after the filter
        self.only_open = False
        self._where: dict[str, int] = {}
        self._headers = [_(title) for title in COLUMNS]

    # --- content --------------------------------------------------------------------

    def set_lines(self, lines) -> None:
        self.beginResetModel()
        self.lines = list(lines)
        self._where = {line.sku: i for i, line in enumerate(self.lines)}
        self._filter()
        self.endResetModel()

    def set_only_open(self, only_open: bool) -> None:
        self.beginResetModel()
        self.only_open = only_open
        self._filter()
        self.endResetModel()

    def _filter(self) -> None:
        self.visible = [
            i for i, line in enumerate(self.lines) if not self.only_open or line.counted is None
        ]

    def replace(self, line: CountLineInfo) -> int:
        """Show one changed line (added at the end if it was not in the list); its row."""
        index = self._where.get(line.sku)
        if index is None:
            index = len(self.lines)
            self._where[line.sku] = index
            row = len(self.visible)
            self.beginInsertRows(QModelIndex(), row, row)
            self.lines.append(line)
            self.visible.append(index)
            self.endInsertRows()
            return row
        self.lines[index] = line
        row = self.row_of(line.sku)
        if row >= 0:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        return row

    def row_of(self, sku: str) -> int:
        index = self._where.get(sku)
        try:
            return self.visible.index(index) if index is not None else -1
        except ValueError:
            return -1

    def line_at(self, row: int) -> CountLineInfo | None:
        return self.lines[self.visible[row]] if 0 <= row < len(self.visible) else None

    def counted_lines(self) -> int:
        return sum(1 for line in self.lines if line.counted is not None)

    # --- Qt model ----------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt signature)
        return 0 if parent.isValid() else len(self.visible)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == COUNTED:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        line = self.line_at(index.row()) if index.isValid() else None
        if line is None:
            return None
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(line, col, edit=role == Qt.ItemDataRole.EditRole)
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= 3:
            return int(_RIGHT)
        if role == Qt.ItemDataRole.BackgroundRole and col == COUNTED:
            return _TO_TYPE
        if role == Qt.ItemDataRole.ForegroundRole and col == 6 and line.difference:
            return _GREEN if line.difference > 0 else _RED
        if role == Qt.ItemDataRole.UserRole:
            return line.sku
        return None

    @staticmethod
    def _text(line: CountLineInfo, col: int, *, edit: bool) -> str:
        if col == 0:
            return line_name(line)
        if col == 1:
            return line.sku
        if col == 2:
            return line.barcode
        if col == 3:
            return format_number(line.on_hand)
        if col == 4:
            return "" if line.expected is None else format_number(line.expected)
        if col == COUNTED:
            if line.counted is None:
                return ""
            return str(line.counted) if edit else format_number(line.counted)
        diff = line.difference
        return "" if diff is None else _signed(diff)

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != COUNTED:
            return False
        line = self.line_at(index.row())
        text = str(value).strip()
        if line is None or not text:
            return False
        return self.on_enter(line.sku, text)
