"""Produk: the product list (search as you type, filters, sorting, scanner) and the editor."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from shopdesk import catalog
from shopdesk.catalog import ProductInfo, search
from shopdesk.catalog.search import SearchRow
from shopdesk.i18n import N_, _
from shopdesk.money import format_number
from ui.context import AppContext
from ui.models.product_list import ProductListModel
from ui.pages.base import Page
from ui.widgets.ask import choose
from ui.widgets.first_steps import NEW_PRODUCT

TYPING_PAUSE_MS = 120  # one query per pause in typing, not per key of a fast typist
COUNT_PAUSE_MS = 400  # the total (a slower query on big shops) waits for a longer pause
STOCK_FILTERS = (
    ("", N_("All stock")),
    ("in", N_("In stock")),
    ("low", N_("Running low")),
    ("out", N_("Sold out")),
)


class ProductsPage(Page):
    title = N_("Products")
    refresh_on = ("products", "stock", "sales")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.search = QLineEdit()
        self.search.setObjectName("productSearch")
        self.search.setPlaceholderText(_("Search name, SKU or barcode, or scan… (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.textEdited.connect(self._typed)
        self.search.returnPressed.connect(self.find_now)
        self.category = QComboBox()
        self.category.addItem(_("All categories"), "")
        self.category.setMinimumWidth(150)
        self.search.setMinimumWidth(300)
        self.category.activated.connect(self._filters_changed)
        self.stock = QComboBox()
        for key, label in STOCK_FILTERS:
            self.stock.addItem(_(label), key)
        self.stock.activated.connect(self._filters_changed)
        self.add_button = QPushButton(_("Add product"))
        self.add_button.setToolTip("Ctrl+N")
        self.add_button.setProperty("primary", True)
        self.add_button.clicked.connect(self.add_product)
        self.edit_button = QPushButton(_("Open (Enter)"))
        self.edit_button.clicked.connect(self.edit_current)

        self.model = ProductListModel(ctx.session, self)
        self.table = QTableView()
        self.table.setObjectName("productTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(30)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        metrics = self.table.fontMetrics()  # widths follow the font (125% scaling)
        samples = ("KRPK-0001-PED", "Kerajinan", "Rp 1.200.000", "100 bungkus", "2000000000176")
        for col, sample in enumerate(samples, start=1):
            header.resizeSection(col, metrics.horizontalAdvance(sample) + 24)
        header.sortIndicatorChanged.connect(self._sort_changed)
        self.table.doubleClicked.connect(lambda _i: self.edit_current())
        self.info = QLabel()
        self.info.setObjectName("subtitle")

        self._count_serial = 0
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(COUNT_PAUSE_MS)
        self._count_timer.timeout.connect(self._start_count)
        self.categories_loaded = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_PAUSE_MS)
        self._timer.timeout.connect(self.apply_search)

        self.empty = self._empty_panel()
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.category)
        bar.addWidget(self.stock)
        bar.addWidget(self.edit_button)
        bar.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.info)
        QWidget.setTabOrder(self.search, self.category)
        QWidget.setTabOrder(self.category, self.stock)
        QWidget.setTabOrder(self.stock, self.table)

        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.focus_search)
        QShortcut(QKeySequence.StandardKey.New, self, activated=self.add_product)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            edit = QShortcut(QKeySequence(key), self.table, activated=self.edit_current)
            edit.setContext(Qt.ShortcutContext.WidgetShortcut)

    def _empty_panel(self) -> QFrame:
        """What an empty shop sees instead of an empty table: what to do first."""
        panel = QFrame()
        panel.setObjectName("card")
        title = QLabel(_("No products yet"))
        title.setObjectName("pageTitle")
        text = QLabel(
            _(
                "Add your first product: a name and a price are enough to start (15rb is "
                "fine). Then receive its stock, print its labels and sell it."
            )
        )
        text.setWordWrap(True)
        button = QPushButton(_("Add your first product (Ctrl+N)"))
        button.setProperty("primary", True)
        button.clicked.connect(self.add_product)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addWidget(title)
        layout.addWidget(text)
        layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        panel.setVisible(False)
        return panel

    def _show_empty(self) -> None:
        """The panel only when the shop has no product at all, not when a search finds none."""
        filtered = bool(
            self.search.text().strip() or self.category.currentData() or self.stock.currentData()
        )
        empty = not filtered and self.model.rowCount() == 0
        self.empty.setVisible(empty)
        self.table.setVisible(not empty)

    def primary_widget(self) -> QWidget:
        return self.search

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # --- data ------------------------------------------------------------

    def refresh(self) -> None:
        self.apply_search()
        self._load_categories()

    def _load_categories(self) -> None:
        """Categories come from a slow-ish core query on a big shop: read them off the GUI
        thread and fill the filter when they arrive."""
        session = self.ctx.session
        self.ctx.run(
            lambda _ctl: [c.name for c in catalog.list_categories(session)],
            on_done=self._fill_categories,
            parent=self,
        )

    def _fill_categories(self, names: list[str]) -> None:
        current = self.category.currentData()
        self.category.blockSignals(True)
        self.category.clear()
        self.category.addItem(_("All categories"), "")
        for name in names:
            self.category.addItem(name, name)
        index = self.category.findData(current) if current else 0
        self.category.setCurrentIndex(max(index, 0))
        self.category.blockSignals(False)
        self.categories_loaded = True

    def _typed(self, _text: str) -> None:
        self._timer.start()

    def apply_search(self) -> None:
        self._timer.stop()
        self.model.set_query(
            self.search.text(),
            category=self.category.currentData() or None,
            stock_state=self.stock.currentData() or None,
        )
        self._show_empty()
        self._show_count()

    def _filters_changed(self, _index: int = 0) -> None:
        self.apply_search()

    def _sort_changed(self, column: int, order: Qt.SortOrder) -> None:
        self._show_count()

    def _show_count(self) -> None:
        """The total comes from ``search.count`` in the background; a late answer for an
        older query is dropped."""
        self._count_serial += 1
        loaded = self.model.loaded()
        if not self.model.canFetchMore():
            self._count_timer.stop()
            self._set_count(self._count_serial, loaded)
            return
        self.info.setText(_("{count}+ items").format(count=loaded))
        self._count_timer.start()  # counted once typing pauses, not for every key

    def _start_count(self) -> None:
        serial = self._count_serial
        session, text, query = self.ctx.session, self.model.text, self.model.query()
        self.ctx.run(
            lambda _ctl: search.count(session, text, **query),
            on_done=lambda total: self._set_count(serial, total),
            parent=self,
        )

    def _set_count(self, serial: int, total: int) -> None:
        if serial != self._count_serial:
            return
        text = _("{count} items").format(count=format_number(total))
        if not self.model.can_sort():
            text += "  ·  " + _("Narrow the search to sort by other columns.")
        self.info.setText(text)

    def find_now(self) -> None:
        """Enter in the search field (a scanner ends with Enter): select what the code names."""
        self.apply_search()
        row = self.model.first_exact_row()
        if row < 0 and self.model.rowCount() == 1:
            row = 0
        if row < 0:
            if self.search.text().strip() and self.model.rowCount() == 0:
                self._count_serial += 1  # a count still running must not overwrite this
                self.info.setText(
                    _("Nothing found for “{text}”.").format(text=self.search.text().strip())
                )
            return
        self.select_row(row)
        self.search.selectAll()  # the next scan replaces the code

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)

    def current_row(self) -> SearchRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    # --- editing ---------------------------------------------------------

    def add_product(self) -> None:
        self.open_editor(None)

    def edit_current(self) -> None:
        row = self.current_row()
        if row is not None:
            self.open_editor(row.product_id)

    def show_item(self, item: object) -> None:
        """A product id opens it; ``NEW_PRODUCT`` (the first steps) opens a new one."""
        if isinstance(item, int):
            self.open_editor(item)
        elif item == NEW_PRODUCT:
            self.add_product()

    def open_editor(self, product_id: int | None):
        from ui.dialogs.product_editor import ProductEditor

        try:
            editor = ProductEditor(self.ctx.session, product_id, self)
        except Exception as exc:
            self.ctx.show_error(exc, self)
            return None
        self.last_editor = editor
        if editor.exec() and editor.saved is not None:
            self.ctx.notify("products")
            if product_id is None:
                self.offer_next_steps(editor.saved)
        return editor

    def offer_next_steps(self, product: ProductInfo) -> None:
        """A new product: on to receiving its stock or printing its labels, in one click."""
        if not product.variants:
            return
        sku = product.variants[0].sku
        step = choose(
            self,
            _("Product saved"),
            _("{name} is saved. What next?").format(name=product.name),
            [("stock", _("Receive stock")), ("labels", _("Print labels"))],
        )
        if step:
            self.ctx.navigate(step, sku)
