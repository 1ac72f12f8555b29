"""A lazy table model over ``shopdesk.search``: the product list of a 100,000-product shop.

``rowCount`` comes from ``search.count``; rows are read in windows of ``PAGE`` through
``search.search(limit, offset)`` only when the view asks for them, and at most
``MAX_PAGES`` windows stay cached. No row becomes an object until it is on screen.

Sorting: the core orders by name. Another column can be sorted when the result has at most
``SORT_LIMIT`` rows (they are read once and sorted for display); larger results keep the
core's order until the seller narrows the search.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from shopdesk import search
from shopdesk.i18n import N_, _
from shopdesk.money import format_number, format_rupiah
from shopdesk.profiles import Session
from shopdesk.search import SearchRow

PAGE = 200
MAX_PAGES = 30
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


class ProductListModel(QAbstractTableModel):
    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.text = ""
        self.category: str | None = None
        self.stock_state: str | None = None
        self._total = 0
        self._pages: OrderedDict[int, list[SearchRow]] = OrderedDict()
        self._sorted: list[SearchRow] | None = None  # all rows, when sorted by another column
        self._sort: tuple[int, Qt.SortOrder] = (0, Qt.SortOrder.AscendingOrder)
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

    def reload(self) -> None:
        self.beginResetModel()
        self._pages.clear()
        self._sorted = None
        self._total = search.count(
            self.session, self.text, category=self.category, stock_state=self.stock_state
        )
        if self._sort[0] != 0 or self._sort[1] != Qt.SortOrder.AscendingOrder:
            self._apply_sort()
        elif self._total:
            self._page(0)
        self.endResetModel()

    def can_sort(self) -> bool:
        return self._total <= SORT_LIMIT

    def _page(self, number: int) -> list[SearchRow]:
        rows = self._pages.get(number)
        if rows is None:
            rows = search.search(
                self.session,
                self.text,
                limit=PAGE,
                offset=number * PAGE,
                category=self.category,
                stock_state=self.stock_state,
            )
            self._pages[number] = rows
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return rows

    def row_at(self, row: int) -> SearchRow | None:
        if row < 0 or row >= self._total:
            return None
        if self._sorted is not None:
            return self._sorted[row] if row < len(self._sorted) else None
        rows = self._page(row // PAGE)
        offset = row % PAGE
        return rows[offset] if offset < len(rows) else None

    def first_exact_row(self) -> int:
        """Row of the product whose SKU or barcode was typed or scanned, else -1."""
        if self._sorted is not None:
            return next((i for i, r in enumerate(self._sorted) if r.exact), -1)
        first = self.row_at(0)
        return 0 if first is not None and first.exact else -1

    # --- Qt model --------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt signature)
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.row_at(index.row())
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
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("price", "on_hand"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and key == "on_hand":
            if row.on_hand <= 0:
                return QBrush(QColor("#b3261e"))
            if row.low_stock and row.on_hand <= row.low_stock:
                return QBrush(QColor("#b85c00"))
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        self.beginResetModel()
        self._apply_sort()
        self.endResetModel()

    def _apply_sort(self) -> None:
        column, order = self._sort
        if (column == 0 and order == Qt.SortOrder.AscendingOrder) or not self.can_sort():
            self._sorted = None
            return
        rows: list[SearchRow] = []
        for number in range((self._total + PAGE - 1) // PAGE):
            rows.extend(self._page(number))
        key = COLUMNS[column][0]

        def sort_key(r: SearchRow):
            value = getattr(r, key)
            return value.lower() if isinstance(value, str) else value

        self._sorted = sorted(rows, key=sort_key, reverse=order == Qt.SortOrder.DescendingOrder)
