"""A lazy table model over ``shopdesk.catalog.search``: the product list of a 100,000-product shop.

Rows are read in windows of ``PAGE`` through ``search.search(limit, offset)``: the first
window when the query changes, the next ones only when the view scrolls near the end
(``canFetchMore``/``fetchMore``). Nothing counts or reads the whole result up front, so
opening the list and each keystroke cost one small query, whatever the shop's size. The
page asks for the total (``search.count``) in the background for its "N items" line.

Sorting: the core orders by name. Another column can be sorted when the result has at most
``SORT_LIMIT`` rows (they are read and sorted for display); larger results keep the core's
order until the seller narrows the search.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from shopdesk.catalog import search
from shopdesk.catalog.search import SearchRow
from shopdesk.i18n import N_, _
from shopdesk.money import format_number, format_rupiah
from shopdesk.profiles import Session

PAGE = 200
SORT_LIMIT = 5000

COLUMNS = (
    ("name", N_("Name")),
    ("sku", N_("SKU")),
    ("category", N_("Category")),
    ("price", N_("Price")),
    ("on_hand", N_("Stock")),
    ("barcode", N_("Barcode")),
)
_Index = QModelIndex | QPersistentModelIndex
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_SOLD_OUT, _LOW = QBrush(QColor("#b3261e")), QBrush(QColor("#b85c00"))  # made once, not per cell


class ProductListModel(QAbstractTableModel):
    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.text = ""
        self.category: str | None = None
        self.stock_state: str | None = None
        self._rows: list[SearchRow] = []
        self._more = False
        self._sort: tuple[int, Qt.SortOrder] = (0, Qt.SortOrder.AscendingOrder)
        self._sortable = True
        self._headers = [_(title) for _key, title in COLUMNS]

    # --- query -----------------------------------------------------------

    def set_query(
        self,
        text: str | None = None,
        *,
        category: str | type[Ellipsis] | None = ...,
        stock_state: str | type[Ellipsis] | None = ...,
    ) -> None:
        """Change the search; only the first window is read now."""
        if text is not None:
            self.text = text
        if category is not ...:
            self.category = category or None
        if stock_state is not ...:
            self.stock_state = stock_state or None
        self.reload()

    def query(self) -> dict[str, object]:
        """The current search as keyword arguments of ``search.count``."""
        return {"category": self.category, "stock_state": self.stock_state}

    def _window(self, offset: int) -> list[SearchRow]:
        return search.search(
            self.session,
            self.text,
            limit=PAGE,
            offset=offset,
            category=self.category,
            stock_state=self.stock_state,
        )

    def reload(self) -> None:
        self.beginResetModel()
        self._rows = self._window(0)
        self._more = len(self._rows) == PAGE
        self._sortable = True
        if self._sort != (0, Qt.SortOrder.AscendingOrder):
            self._apply_sort()
        self.endResetModel()

    def can_sort(self) -> bool:
        return self._sortable

    def row_at(self, row: int) -> SearchRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def first_exact_row(self) -> int:
        """Row of the product whose SKU or barcode was typed or scanned, else -1."""
        return next((i for i, r in enumerate(self._rows) if r.exact), -1)

    def loaded(self) -> int:
        return len(self._rows)

    # --- Qt model --------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._more:
            return
        more = self._window(len(self._rows))
        self._more = len(more) == PAGE
        if more:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
            self._rows.extend(more)
            self.endInsertRows()

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None:
            return None
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            value = getattr(row, key)
            if key == "price":
                return format_rupiah(value)
            if key == "on_hand":
                return f"{format_number(value)} {row.unit}"
            return value
        if role == Qt.ItemDataRole.ToolTipRole and key in ("name", "sku", "category"):
            return getattr(row, key)  # the whole text when a narrow column elides it
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("price", "on_hand"):
            return _RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and key == "on_hand":
            if row.on_hand <= 0:
                return _SOLD_OUT
            if row.low_stock and row.on_hand <= row.low_stock:
                return _LOW
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if (column, order) == self._sort:
            return
        self._sort = (column, order)
        if column == 0 and order == Qt.SortOrder.AscendingOrder:
            self.reload()  # the core's own order: its first window again
            return
        self.beginResetModel()
        self._apply_sort()
        self.endResetModel()

    def _apply_sort(self) -> None:
        """Read the whole result (when small enough) and sort it for display."""
        while self._more and len(self._rows) <= SORT_LIMIT:
            more = self._window(len(self._rows))
            self._more = len(more) == PAGE
            self._rows.extend(more)
        if self._more:
            self._sortable = False  # too many rows: keep the core's order
            del self._rows[PAGE:]
            self._more = True
            return
        column, order = self._sort
        key = COLUMNS[column][0]

        def sort_key(r: SearchRow):
            value = getattr(r, key)
            return value.lower() if isinstance(value, str) else value

        self._rows.sort(key=sort_key, reverse=order == Qt.SortOrder.DescendingOrder)
