"""Add or change a product: main fields, variants, food label, photos, shipping size.

All checks and saving are the core's (``shopdesk.catalog``); a refusal shows the core's
message at the bottom and keeps everything typed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from shopdesk import catalog
from shopdesk.catalog import ProductInfo
from shopdesk.errors import ShopDeskError
from shopdesk.i18n import _
from shopdesk.money import format_number
from shopdesk.profiles import Session
from ui.widgets.files import IMAGES, choose_open_files
from ui.widgets.money_edit import MoneyEdit
from ui.widgets.photo_strip import PhotoStrip

VARIANT_COLUMNS = ("option1_value", "option2_value", "sku", "price", "cost", "barcode", "low_stock")

# Product field -> the editor's widget that shows it (loaded and saved the same way).
PRODUCT_WIDGETS = (
    ("name", "name"),
    ("category", "category"),
    ("unit", "unit"),
    ("description", "description"),
    ("option1_name", "option1"),
    ("option2_name", "option2"),
    ("is_food", "is_food"),
    ("netto", "netto"),
    ("composition", "composition"),
    ("storage", "storage"),
    ("shelf_life_days", "shelf_life"),
    ("pirt_number", "pirt"),
    ("halal", "halal"),
    ("weight_g", "weight"),
    ("length_cm", "length"),
    ("width_cm", "width_cm"),
    ("height_cm", "height_cm"),
    ("listing_url", "listing_url"),
)


def _spin(high: int, suffix: str = "") -> QSpinBox:
    box = QSpinBox()
    box.setRange(0, high)
    if suffix:
        box.setSuffix(f" {suffix}")
    return box


def _widget_value(widget: QWidget) -> object:
    if isinstance(widget, QComboBox):
        return widget.currentText()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QSpinBox):
        return widget.value()
    return widget.text()


def _set_widget_value(widget: QWidget, value) -> None:
    if isinstance(widget, QComboBox):
        widget.setCurrentText(value)
    elif isinstance(widget, QPlainTextEdit):
        widget.setPlainText(value)
    elif isinstance(widget, QCheckBox):
        widget.setChecked(value)
    elif isinstance(widget, QSpinBox):
        widget.setValue(value)
    else:
        widget.setText(value)


class ProductEditor(QDialog):
    def __init__(
        self, session: Session, product_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.product: ProductInfo | None = (
            catalog.get_product(session, product_id) if product_id else None
        )
        self.saved: ProductInfo | None = None
        self.archived_skus: list[str] = []
        self.setWindowTitle(_("Change product") if self.product else _("New product"))
        self.setMinimumSize(760, 560)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._main_tab(), _("Main"))
        self.tabs.addTab(self._variants_tab(), _("Variants"))
        self.tabs.addTab(self._photos_tab(), _("Photos"))
        self.tabs.addTab(self._food_tab(), _("Food label"))
        self.tabs.addTab(self._shipping_tab(), _("Shipping"))
        self.error = QLabel()
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save (Ctrl+S)"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        if self.product:
            self._load(self.product)
        self._options_changed()
        self.name.setFocus()

    def focus_field(self, key: str) -> None:
        """Open the tab of a label field (``shopdesk.labels.notices`` keys) and put the
        cursor in it: the Label page sends the seller here for what a label lacks."""
        widgets = {
            "name": self.name,
            "price": self.price,
            "variant": self.variants,
            "netto": self.netto,
            "composition": self.composition,
            "pirt": self.pirt,
        }
        widget = widgets.get(key, self.name)
        for index in range(self.tabs.count()):
            if self.tabs.widget(index).isAncestorOf(widget):
                self.tabs.setCurrentIndex(index)
        widget.setFocus()

    # --- tabs ------------------------------------------------------------

    def _main_tab(self) -> QWidget:
        page = QWidget()
        self.name = QLineEdit()
        self.name.setPlaceholderText(_("e.g. Kopi Robusta Sindoro 250 g"))
        self.category = QComboBox()
        self.category.setEditable(True)
        self.category.addItem("")
        for cat in catalog.list_categories(self.session):
            self.category.addItem(cat.name)
        self.unit = QComboBox()
        self.unit.setEditable(True)
        self.unit.addItems(list(catalog.UNITS))
        self.price = MoneyEdit()
        self.cost = MoneyEdit(required=False)
        self.sku = QLineEdit()
        self.sku.setPlaceholderText(_("empty: made for you"))
        self.barcode = QLineEdit()
        self.barcode.setPlaceholderText(_("scan or type"))
        self.low_stock = _spin(1_000_000)
        self.description = QPlainTextEdit()
        self.description.setTabChangesFocus(True)
        self.description.setMaximumHeight(110)
        form = QFormLayout(page)
        form.addRow(_("Product name"), self.name)
        form.addRow(_("Category"), self.category)
        form.addRow(_("Unit"), self.unit)
        form.addRow(_("Selling price"), self.price)
        form.addRow(_("Cost price"), self.cost)
        form.addRow(_("SKU"), self.sku)
        form.addRow(_("Barcode"), self.barcode)
        form.addRow(_("Warn when stock is at or below"), self.low_stock)
        form.addRow(_("Description"), self.description)
        return page

    def _variants_tab(self) -> QWidget:
        page = QWidget()
        self.option1 = QLineEdit()
        self.option1.setPlaceholderText(_("e.g. Rasa or Ukuran"))
        self.option2 = QLineEdit()
        self.option1.textChanged.connect(self._options_changed)
        hint = QLabel(
            _(
                "Variants are the choices of one product, like flavours or sizes. "
                "Name the option first, then add a row for each choice. Empty SKU: made for you."
            )
        )
        hint.setWordWrap(True)
        self.variants = QTableWidget(0, len(VARIANT_COLUMNS))
        self.variants.setHorizontalHeaderLabels(
            [_("Option 1"), _("Option 2"), _("SKU"), _("Price"), _("Cost"), _("Barcode"),
             _("Low stock")]
        )  # fmt: skip
        self.variants.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.variants.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.add_variant_button = QPushButton(_("Add variant"))
        self.add_variant_button.clicked.connect(lambda: self.add_variant_row())
        self.remove_variant_button = QPushButton(_("Remove variant"))
        self.remove_variant_button.setToolTip(
            _("A variant that was already saved is archived: its history stays.")
        )
        self.remove_variant_button.clicked.connect(self._remove_variant_row)
        names = QFormLayout()
        names.addRow(_("Option 1 name"), self.option1)
        names.addRow(_("Option 2 name"), self.option2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_variant_button)
        buttons.addWidget(self.remove_variant_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(hint)
        layout.addLayout(names)
        layout.addWidget(self.variants, 1)
        layout.addLayout(buttons)
        return page

    def _photos_tab(self) -> QWidget:
        page = QWidget()
        self.photos = PhotoStrip()
        hint = QLabel(
            _(
                "The first photo is the main one. Drag photos to change the order, or drop "
                "image files here. Ctrl+Left / Ctrl+Right move the chosen photo."
            )
        )
        hint.setWordWrap(True)
        add = QPushButton(_("Add photos…"))
        add.clicked.connect(self._choose_photos)
        remove = QPushButton(_("Remove photo"))
        remove.clicked.connect(self._remove_photo)
        for keys, step in (("Ctrl+Left", -1), ("Ctrl+Right", 1)):
            move = QShortcut(QKeySequence(keys), self.photos)
            move.setContext(Qt.ShortcutContext.WidgetShortcut)
            move.activated.connect(lambda step=step: self.photos.move_selected(step))
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(hint)
        layout.addWidget(self.photos, 1)
        layout.addLayout(row)
        self.removed_photos: list[int] = []
        return page

    def _food_tab(self) -> QWidget:
        page = QWidget()
        self.is_food = QCheckBox(_("This is food or drink (label needs P-IRT, netto, expiry)"))
        self.is_food.setChecked(True)
        self.netto = QLineEdit()
        self.netto.setPlaceholderText(_("e.g. 250 g"))
        self.composition = QPlainTextEdit()
        self.composition.setTabChangesFocus(True)
        self.composition.setMaximumHeight(80)
        self.storage = QLineEdit()
        self.storage.setPlaceholderText(_("e.g. Store in a cool, dry place"))
        self.shelf_life = _spin(catalog.MAX_SHELF_LIFE_DAYS, _("days"))
        self.pirt = QLineEdit()
        self.pirt.setPlaceholderText(_("empty: the shop's number"))
        self.halal = QCheckBox(_("Halal certified"))
        form = QFormLayout(page)
        form.addRow(self.is_food)
        form.addRow(_("Netto"), self.netto)
        form.addRow(_("Composition"), self.composition)
        form.addRow(_("Storage"), self.storage)
        form.addRow(_("Keeps for"), self.shelf_life)
        form.addRow(_("P-IRT No."), self.pirt)
        form.addRow(self.halal)
        return page

    def _shipping_tab(self) -> QWidget:
        page = QWidget()
        self.weight = _spin(catalog.MAX_WEIGHT_G, "g")
        self.length = _spin(catalog.MAX_DIMENSION_CM, "cm")
        self.width_cm = _spin(catalog.MAX_DIMENSION_CM, "cm")
        self.height_cm = _spin(catalog.MAX_DIMENSION_CM, "cm")
        self.listing_url = QLineEdit()
        self.listing_url.setPlaceholderText("https://…")
        grid = QGridLayout()
        grid.addWidget(self.length, 0, 0)
        grid.addWidget(QLabel("×"), 0, 1)
        grid.addWidget(self.width_cm, 0, 2)
        grid.addWidget(QLabel("×"), 0, 3)
        grid.addWidget(self.height_cm, 0, 4)
        form = QFormLayout(page)
        form.addRow(_("Weight with packing"), self.weight)
        form.addRow(_("Packed size (L × W × H)"), grid)
        form.addRow(_("Listing link"), self.listing_url)
        return page

    # --- loading ---------------------------------------------------------

    def _load(self, p: ProductInfo) -> None:
        for field, widget in PRODUCT_WIDGETS:
            _set_widget_value(getattr(self, widget), getattr(p, field))
        first = p.variants[0] if p.variants else None
        if first:
            self.price.set_value(first.price)
            self.cost.set_value(first.cost or None)
            self.sku.setText(first.sku)
            self.barcode.setText(first.barcode)
            self.low_stock.setValue(first.low_stock)
        if p.option1_name:
            for v in p.variants:
                if not v.archived:
                    self.add_variant_row(v)
        for photo in p.photos:
            try:
                image = catalog.thumbnail(self.session, photo_id=photo.id, size=256)
            except ShopDeskError:
                image = Path()
            self.photos.add_existing(photo.id, image, _("Photo {n}").format(n=photo.position + 1))

    def add_variant_row(self, variant=None) -> int:
        row = self.variants.rowCount()
        self.variants.insertRow(row)
        for col, key in enumerate(VARIANT_COLUMNS):
            value = "" if variant is None else getattr(variant, key)
            if key in ("price", "cost"):
                value = format_number(value) if value else ""
            self.variants.setItem(row, col, QTableWidgetItem(str(value)))
        marker = self.variants.item(row, 0)
        marker.setData(Qt.ItemDataRole.UserRole, variant.sku if variant else None)
        return row

    def _remove_variant_row(self) -> None:
        row = self.variants.currentRow()
        if row < 0:
            return
        sku = self.variants.item(row, 0).data(Qt.ItemDataRole.UserRole)
        if sku:
            self.archived_skus.append(sku)  # archived on save
        self.variants.removeRow(row)

    def set_variant_cell(self, row: int, key: str, text: str) -> None:
        self.variants.item(row, VARIANT_COLUMNS.index(key)).setText(text)

    def _options_changed(self) -> None:
        has_options = bool(self.option1.text().strip())
        self.variants.setEnabled(has_options)
        self.add_variant_button.setEnabled(has_options)
        for field in (self.sku, self.barcode):
            field.setEnabled(not has_options or self.product is None)

    def _choose_photos(self) -> None:
        for path in choose_open_files(self, "photos", _("Add photos"), _(IMAGES)):
            self.photos.add_file(path)

    def _remove_photo(self) -> None:
        row = self.photos.currentRow()
        if row < 0:
            return
        item = self.photos.takeItem(row)
        photo_id = item.data(Qt.ItemDataRole.UserRole)
        if photo_id is not None:
            self.removed_photos.append(int(photo_id))

    # --- saving ----------------------------------------------------------

    def _product_fields(self) -> dict[str, object]:
        return {field: _widget_value(getattr(self, widget)) for field, widget in PRODUCT_WIDGETS}

    def _single_variant_fields(self) -> dict[str, object]:
        """The main tab's price, cost, barcode and low-stock level (product without options)."""
        return {
            "price": self.price.text(),
            "cost": self.cost.text() or 0,
            "barcode": self.barcode.text().strip(),
            "low_stock": self.low_stock.value(),
        }

    def _variant_rows(self) -> list[tuple[str | None, dict[str, object]]]:
        rows = []
        for r in range(self.variants.rowCount()):
            values = {
                key: (self.variants.item(r, c).text().strip() if self.variants.item(r, c) else "")
                for c, key in enumerate(VARIANT_COLUMNS)
            }
            existing = self.variants.item(r, 0).data(Qt.ItemDataRole.UserRole)
            if not existing and not any(values.values()):
                continue
            if not values["sku"]:
                values.pop("sku")
            for key in ("price", "cost"):
                if not values.get(key):
                    values.pop(key, None)
            values["low_stock"] = values.get("low_stock") or 0
            rows.append((existing, values))
        return rows

    def save(self) -> None:
        self.error.clear()
        try:
            self.saved = self._save()
        except ShopDeskError as exc:
            self.error.setText(exc.message)
            return
        self.accept()

    def _save(self) -> ProductInfo:
        fields = self._product_fields()
        has_options = bool(self.option1.text().strip())
        variants = self._variant_rows() if has_options else []
        if self.product is None:
            info = catalog.create_product(
                self.session,
                sku=self.sku.text().strip() or None,
                variants=[v for _sku, v in variants] or None,
                **self._single_variant_fields(),
                **fields,
            )
        else:
            info = self._update(fields, has_options, variants)
        self._save_photos(info.id)
        return catalog.get_product(self.session, info.id)

    def _update(self, fields, has_options, variants) -> ProductInfo:
        product = self.product
        assert product is not None
        info = catalog.update_product(self.session, product.id, **fields)
        if not has_options and product.variants:
            first = product.variants[0]
            changes = self._single_variant_fields()
            if self.sku.text().strip() and self.sku.text().strip() != first.sku:
                changes["sku"] = self.sku.text().strip()
            catalog.update_variant(self.session, first.sku, **changes)
        for sku in self.archived_skus:
            catalog.update_variant(self.session, sku, archived=True)
        self.archived_skus.clear()
        for existing, values in variants:
            if existing:
                if values.get("sku") == existing:
                    values.pop("sku")
                catalog.update_variant(self.session, existing, **values)
            else:
                catalog.add_variant(self.session, product_id=product.id, **values)
        return info

    def _save_photos(self, product_id: int) -> None:
        for photo_id in self.removed_photos:
            catalog.remove_photo(self.session, photo_id=photo_id)
        self.removed_photos.clear()
        order: list[int] = []
        for row, (photo_id, path) in enumerate(self.photos.entries()):
            if photo_id is None and path:
                added = catalog.add_photo(self.session, product_id=product_id, image_path=path)
                self.photos.item(row).setData(Qt.ItemDataRole.UserRole, added.id)
                self.photos.item(row).setData(Qt.ItemDataRole.UserRole + 1, None)
                photo_id = added.id
            order.append(int(photo_id))
        if order:
            catalog.reorder_photos(self.session, product_id=product_id, photo_ids=order)
