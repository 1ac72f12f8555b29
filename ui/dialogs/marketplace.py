"""The Export page's marketplace dialogs: couriers, product details, stock updates.

Each calls the same core functions as ``shopdesk marketplace``: ``marketplace.set_couriers``,
``marketplace.set_detail``, ``mass_update.preview_list`` / ``import_list`` /
``write_update`` and ``marketplace.set_buffer``. A refusal is shown in the dialog and
changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from shopdesk import catalog
from shopdesk.errors import ShopDeskError
from shopdesk.export import marketplace, mass_update
from shopdesk.i18n import _
from shopdesk.profiles import Session
from ui.widgets.feedback import FeedbackLabel, cell, make_table, note_label
from ui.widgets.files import choose_folder, choose_open_file

XLSX = "Excel (*.xlsx)"


class CouriersDialog(QDialog):
    """One check box per courier column of the saved Shopee template."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(_("Shopee couriers"))
        self.setMinimumWidth(460)
        self.boxes: dict[str, QCheckBox] = {}
        layout = QVBoxLayout(self)
        info = marketplace.template_info(session, "shopee")
        text = (
            _("Shopee writes these couriers as Aktif for every product. Choose at least one.")
            if info and info.couriers
            else _("Choose your Shopee template first: the couriers are its columns.")
        )
        layout.addWidget(note_label(text))
        for courier in info.couriers if info else ():
            box = QCheckBox(courier.name)
            box.setChecked(courier.active)
            self.boxes[courier.key] = box
            layout.addWidget(box)
        self.feedback = FeedbackLabel()
        layout.addWidget(self.feedback)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(bool(self.boxes))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def save(self) -> None:
        chosen = [key for key, box in self.boxes.items() if box.isChecked()]
        try:
            marketplace.set_couriers(self.session, chosen=chosen)
        except ShopDeskError as exc:
            self.feedback.error(exc.message)
            return
        self.accept()


def _category_box(categories: tuple[marketplace.Category, ...], code: str) -> QComboBox:
    """Type a code, or a few letters of a category to pick it from the template's list."""
    box = QComboBox()
    box.setEditable(True)
    box.addItem("", "")
    for category in categories:
        box.addItem(f"{category.code} — {category.name}", category.code)
    completer = QCompleter(box.model(), box)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    box.setCompleter(completer)
    index = box.findData(code)
    if index >= 0:
        box.setCurrentIndex(index)
    else:
        box.setEditText(code)
    return box


def category_code(box: QComboBox) -> str:
    """The code picked or typed ("100636 — Makanan > Kopi" gives 100636)."""
    text = box.currentText().strip()
    index = box.findText(text)
    if index >= 0:
        return str(box.itemData(index) or "")
    return text.split(" ", 1)[0] if text else ""


class ProductDetailsDialog(QDialog):
    """Per product: Produk Berbahaya, pre-order days and both category codes."""

    COLUMNS = 5

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(_("Marketplace details per product"))
        self.resize(1100, 560)
        self.products = catalog.list_products(session)
        saved = marketplace.details(session)
        lists = {t: marketplace.template_info(session, t) for t in marketplace.UPLOAD_TARGETS}
        self.table = make_table(
            [
                _("Product"),
                _("Dangerous goods"),
                _("Pre-order days"),
                _("Shopee category"),
                _("Tokopedia category"),
            ],
            stretch=0,
        )
        self.table.setRowCount(len(self.products))
        self.rows: list[tuple[int, QCheckBox, QSpinBox, QComboBox, QComboBox]] = []
        for r, product in enumerate(self.products):
            detail = saved.get(product.id, marketplace.ProductDetail(product.id))
            self.table.setItem(r, 0, cell(product.name))
            dangerous = QCheckBox()
            dangerous.setChecked(detail.dangerous)
            days = QSpinBox()
            days.setRange(0, marketplace.MAX_PREORDER_DAYS)
            days.setSpecialValueText(_("ready stock"))
            days.setValue(detail.preorder_days)
            boxes = [
                _category_box(lists[t].categories if lists[t] else (), detail.code(t))
                for t in marketplace.UPLOAD_TARGETS
            ]
            for column, widget in enumerate([dangerous, days, *boxes], start=1):
                self.table.setCellWidget(r, column, widget)
            self.rows.append((product.id, dangerous, days, boxes[0], boxes[1]))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 140), (2, 130), (3, 250), (4, 250)):
            self.table.setColumnWidth(column, width)
        self.feedback = FeedbackLabel()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            note_label(
                _(
                    "Produk Berbahaya is No unless ticked. Pre-order: 3 to 90 days, or ready "
                    "stock. Category: type the code, or words of the category to pick it from "
                    "your template's list. Length, width and height are in the product editor."
                )
            )
        )
        layout.addWidget(self.table, 1)
        layout.addWidget(self.feedback)
        layout.addWidget(buttons)

    def save(self) -> None:
        """Every row is checked before any is saved: one refusal saves nothing."""
        try:
            changes = [
                {
                    "product_id": pid,
                    "dangerous": dangerous.isChecked(),
                    "preorder_days": days.value(),
                    "shopee_category": marketplace.check_category_code(category_code(shopee)),
                    "tokopedia_category": marketplace.check_category_code(category_code(toko)),
                }
                for pid, dangerous, days, shopee, toko in self.rows
            ]
            for change in changes:
                marketplace.check_preorder(change["preorder_days"])
            for change in changes:
                marketplace.set_detail(self.session, **change)  # type: ignore[arg-type]
        except ShopDeskError as exc:
            self.feedback.error(exc.message)
            return
        self.accept()


class StockUpdateDialog(QDialog):
    """The marketplace's product list in (preview, then keep the ids), the mass-update
    file out, with the units kept back for the counter."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(_("Stock and price update"))
        self.resize(980, 560)
        self.data: bytes | None = None
        self.path: Path | None = None
        self.target = QComboBox()
        for target in marketplace.UPLOAD_TARGETS:
            self.target.addItem(marketplace.TARGET_NAMES[target], target)
        self.target.currentIndexChanged.connect(self._clear)
        self.choose_button = QPushButton(_("Choose the product list…"))
        self.choose_button.clicked.connect(self.choose_list)
        self.keep_button = QPushButton(_("Keep these ids"))
        self.keep_button.setEnabled(False)
        self.keep_button.clicked.connect(self.keep)
        self.buffer = QSpinBox()
        self.buffer.setRange(0, marketplace.MAX_BUFFER)
        self.buffer.setValue(marketplace.buffer(session))
        self.buffer.setSuffix(" " + _("units"))
        self.write_button = QPushButton(_("Write the update file…"))
        self.write_button.setProperty("primary", True)
        self.write_button.clicked.connect(self.write)
        self.table = make_table(
            [_("Row"), "SKU", _("Product id"), _("Variation id"), _("Result")], stretch=4
        )
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.feedback = FeedbackLabel()
        self._layout()
        self._linked()

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Marketplace")))
        top.addWidget(self.target)
        top.addWidget(self.choose_button)
        top.addWidget(self.keep_button)
        top.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel(_("Keep for the counter")))
        bottom.addWidget(self.buffer)
        bottom.addStretch(1)
        bottom.addWidget(self.write_button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            note_label(
                _(
                    "1. In the seller centre download your product list for a mass update of "
                    "price and stock. 2. Choose it here and keep the ids. 3. Write the update "
                    "file and upload it in the seller centre."
                )
            )
        )
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addLayout(bottom)
        layout.addWidget(self.feedback)
        layout.addWidget(close)

    def chosen(self) -> str:
        return str(self.target.currentData())

    def _clear(self) -> None:
        self.data = None
        self.table.setRowCount(0)
        self.keep_button.setEnabled(False)
        self._linked()

    def _linked(self) -> None:
        count = len(mass_update.links(self.session, target=self.chosen()))
        self.summary.setText(
            _("{count} variants have their {target} ids.").format(
                count=count, target=marketplace.TARGET_NAMES[self.chosen()]
            )
        )

    def choose_list(self) -> None:
        path = choose_open_file(self, "marketplace", _("Choose the product list"), XLSX)
        if path is None:
            return
        self.open_list(path)

    def open_list(self, path: Path) -> None:
        self._clear()
        try:
            data = marketplace.read_file(path)
            preview = mass_update.preview_list(
                self.session, target=self.chosen(), data=data, filename=path.name
            )
        except ShopDeskError as exc:
            self.feedback.error(exc.message)
            return
        self.show_preview(preview)
        if preview.problems:
            text = "\n".join(p.text() for p in preview.problems[:8])
            self.feedback.error(
                _("Fix these rows first; nothing was kept:\n{rows}").format(rows=text)
            )
            return
        self.data, self.path = data, path
        self.keep_button.setEnabled(preview.count(mass_update.MATCHED) > 0)
        self.feedback.note(
            _(
                "{matched} match your SKUs, {unknown} are not in your shop, {none} have no SKU."
            ).format(
                matched=preview.count(mass_update.MATCHED),
                unknown=preview.count(mass_update.UNKNOWN),
                none=preview.count(mass_update.NO_SKU),
            )
        )

    def show_preview(self, preview: mass_update.ListPreview) -> None:
        labels = {
            mass_update.MATCHED: _("matched"),
            mass_update.UNKNOWN: _("SKU not in your shop"),
            mass_update.NO_SKU: _("no SKU"),
        }
        self.table.setRowCount(len(preview.matches))
        for r, match in enumerate(preview.matches):
            line = match.line
            values = [line.row, line.sku, line.item_id, line.model_id or "-", labels[match.status]]
            for column, value in enumerate(values):
                self.table.setItem(r, column, cell(value))

    def keep(self) -> None:
        if self.path is None:
            return
        try:
            mass_update.import_list(self.session, target=self.chosen(), path=self.path)
        except ShopDeskError as exc:
            self.feedback.error(exc.message)
            return
        self.keep_button.setEnabled(False)
        self._linked()
        self.feedback.note(_("Ids kept. Write the update file whenever your stock changed."))

    def write(self) -> None:
        folder = choose_folder(self, "marketplace", _("Choose the folder for the update file"))
        if folder is not None:
            self.write_to(folder)

    def write_to(self, folder: Path) -> None:
        try:
            marketplace.set_buffer(self.session, self.buffer.value())
            result = mass_update.write_update(self.session, target=self.chosen(), out_dir=folder)
        except ShopDeskError as exc:
            self.feedback.error(exc.message)
            return
        self.result = result
        self.feedback.note(
            _("Written: {path} ({count} listings, {units} units kept for the counter).").format(
                path=result.path, count=len(result.lines), units=result.buffer
            )
        )


__all__ = ["CouriersDialog", "ProductDetailsDialog", "StockUpdateDialog"]
