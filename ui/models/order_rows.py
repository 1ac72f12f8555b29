"""The rows of an order import's preview as a table model.

A marketplace export can hold tens of thousands of rows. A model hands the view
only the cells it draws, so showing a preview costs the same for 8 rows or
20,000; filling a QTableWidget item by item froze the window for seconds.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from shopdesk import orders
from shopdesk.i18n import N_, _

ACTIONS = {
    orders.RECORD: (N_("becomes a sale"), "#e6f1ea"),
    orders.RETURN: (N_("return into stock"), "#e6f1ea"),
    orders.VOID: (N_("sale voided"), "#fdf3d8"),
    orders.UNCHANGED: (N_("already recorded"), ""),
    orders.CANCELLED_SKIP: (N_("cancelled: skipped"), "#f2f2f2"),
    orders.WAITING: (N_("not paid yet"), "#f2f2f2"),
    orders.UNKNOWN_SKU: (N_("unknown SKU"), "#fdf3d8"),
    orders.REJECT: (N_("problem"), "#fbe3e3"),
}
HEADERS = (N_("Row"), N_("Order no."), "SKU", N_("Qty"), N_("What happens"), N_("Details"))
DETAILS = 5
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_BRUSHES = {colour: QBrush(QColor(colour)) for _label, colour in ACTIONS.values() if colour}
_Index = QModelIndex | QPersistentModelIndex


class OrderRowsModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: tuple[orders.OrderRow, ...] = ()
        self._texts: dict[int, tuple[str, ...]] = {}  # a row's cells, made when first drawn
        self._labels: dict[str, str] = {}

    def set_rows(self, rows: tuple[orders.OrderRow, ...]) -> None:
        self.beginResetModel()
        self.rows, self._texts = rows, {}
        self._labels = {action: _(label) for action, (label, _colour) in ACTIONS.items()}
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt signature)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(HEADERS[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole or (
            role == Qt.ItemDataRole.ToolTipRole and column == DETAILS
        ):
            return self.texts(index.row())[column]
        if role == Qt.ItemDataRole.BackgroundRole:
            return _BRUSHES.get(ACTIONS[self.rows[index.row()].action][1])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column in (0, 3) else _LEFT
        return None

    def texts(self, number: int) -> tuple[str, ...]:
        """The cells of row ``number`` as shown."""
        cells = self._texts.get(number)
        if cells is None:
            row = self.rows[number]
            cells = self._texts[number] = (
                str(row.line),
                row.order,
                row.sku,
                str(row.quantity),
                self._labels[row.action],
                "; ".join(row.messages),
            )
        return cells
