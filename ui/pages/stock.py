"""Stok: stock in with a new batch, stock out with a reason, history and the stocktake.

Every write is one core call (``stock.receive`` / ``stock.remove``), the
same the CLI's ``stock in`` / ``stock out`` make; this page only gathers the
input and shows what the core answered.
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from shopdesk import catalog, stock
from shopdesk.catalog import VariantInfo
from shopdesk.clock import local_today
from shopdesk.dates import Month
from shopdesk.errors import ShopDeskError, ValidationError
from shopdesk.i18n import N_, _
from shopdesk.money import format_number
from shopdesk.stock import batch_code_for, default_expiry
from ui.context import AppContext
from ui.pages.base import Page
from ui.pages.stock_count import StocktakeTab
from ui.pages.stock_expired import EXPIRED_TAB, ExpiredTab
from ui.pages.stock_history import HistoryTab
from ui.widgets.ask import ask
from ui.widgets.date_field import DateField
from ui.widgets.feedback import FeedbackLabel, cell, day_text, heading, make_table, note_label
from ui.widgets.product_picker import ProductPicker
from ui.widgets.scan_edit import ScanAwareSpinBox

SAVE_KEYS = "Ctrl+Return"


def variant_summary(info: VariantInfo) -> str:
    text = _("{name} · {sku} · in stock {stock} {unit}").format(
        name=info.name, sku=info.sku, stock=format_number(info.on_hand), unit=info.unit
    )
    if info.shelf_life_days:
        text += " · " + _("shelf life {days} days").format(days=info.shelf_life_days)
    return text


def retry_below_zero(parent: QWidget, exc: ValidationError, info: VariantInfo, qty: int) -> bool:
    """The core refused to go below zero: let the seller confirm this one entry."""
    if info.on_hand - qty >= 0:
        return False
    return ask(
        parent,
        _("Stock below zero"),
        exc.message
        + "\n\n"
        + _("Record it anyway? The stock of {sku} will be {after}.").format(
            sku=info.sku, after=info.on_hand - qty
        ),
        _("Record anyway"),
    )


def allow_expired(parent: QWidget, exc: stock.ExpiredStockError) -> bool:
    """Sold or sample from an expired batch: the seller confirms this one entry (default No)."""
    batches = "\n".join(f"• {lot.text()}" for lot in exc.lots)
    return ask(
        parent,
        _("Expired stock"),
        _(
            "This takes expired stock out for a customer:\n{batches}\n\nRecord it anyway? "
            "It is logged with these batches. Better: write expired stock off."
        ).format(batches=batches),
        _("Record anyway"),
        _("No"),
    )


def reason_combo(codes: tuple[str, ...]) -> QComboBox:
    box = QComboBox()
    for code in codes:
        box.addItem(stock.reason_label(code), code)
    return box


class BatchTable(QWidget):
    """The batches of the chosen product, in the order removals take from them."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.table = make_table([_("Code"), _("Produced"), _("Expires"), _("Left")])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, header.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading(_("Batches of this product")))
        layout.addWidget(note_label(_("Stock out takes from the top batch first.")))
        layout.addWidget(self.table)

    def show_sku(self, sku: str | None) -> list[stock.BatchInfo]:
        rows = stock.batches(self.ctx.session, sku=sku) if sku else []
        self.table.setRowCount(len(rows))
        for r, b in enumerate(rows):
            values = [b.code, day_text(b.produced_on), day_text(b.expires_on)]
            for c, text in enumerate(values):
                self.table.setItem(r, c, cell(text))
            left = cell(format_number(b.on_hand), right=True)
            left.setToolTip(
                _("{left} left of {made} made").format(
                    left=format_number(b.on_hand), made=format_number(b.quantity)
                )
            )
            self.table.setItem(r, 3, left)
        return rows


class _StockForm(QWidget):
    """Shared by stock in and stock out: a product picker and the chosen product."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.info: VariantInfo | None = None
        self.picker = ProductPicker(ctx.session)
        self.picker.picked.connect(self.choose)
        self.chosen = QLabel(_("No product chosen yet."))
        self.chosen.setWordWrap(True)
        self.chosen.setObjectName("chosenProduct")
        self.chosen.setStyleSheet("font-weight: bold; color: #1f3b2d;")
        self.quantity = ScanAwareSpinBox()
        self.quantity.scanned.connect(self.picker.submit_code)
        self.quantity.setRange(1, stock.MAX_QUANTITY)
        self.quantity.setGroupSeparatorShown(True)
        self.quantity.setMinimumWidth(110)
        self.unit = QLabel()
        self.note = QLineEdit()
        self.note.setMaxLength(stock.MAX_NOTE)
        self.feedback = FeedbackLabel()
        self.batches = BatchTable(ctx)
        self.save_button = QPushButton()
        self.save_button.setProperty("primary", True)
        self.save_button.setShortcut(QKeySequence(SAVE_KEYS))
        self.save_button.clicked.connect(self.save)

    def quantity_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(self.quantity)
        row.addWidget(self.unit)
        row.addStretch(1)
        return row

    def form_head(self) -> QFormLayout:
        """The form's first rows: product, the chosen product, quantity and reason."""
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(_("Product"), self.picker)
        form.addRow("", self.chosen)
        form.addRow(_("Quantity"), self.quantity_row())
        form.addRow(_("Reason"), self.reason)
        return form

    def tab_chain(self, *middle: QWidget) -> None:
        """Tab from the picker through quantity, reason, `middle` and note to Save."""
        order = (self.picker.edit, self.quantity, self.reason, *middle, self.note, self.save_button)
        for first, second in pairwise(order):
            self.setTabOrder(first, second)

    def assemble(self, form: QFormLayout) -> None:
        left = QVBoxLayout()
        left.addLayout(form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        self.extra_buttons = buttons
        left.addLayout(buttons)
        left.addWidget(self.feedback)
        left.addStretch(1)
        holder = QWidget()
        holder.setLayout(left)
        holder.setMaximumWidth(620)
        layout = QHBoxLayout(self)
        layout.addWidget(holder, 3)
        layout.addWidget(self.batches, 2)

    def choose(self, sku: str) -> None:
        try:
            self.info = catalog.get_variant(self.ctx.session, sku)
        except ShopDeskError as exc:
            self.ctx.show_error(exc, self)
            return
        self.chosen.setText(variant_summary(self.info))
        self.unit.setText(self.info.unit)
        self.product_chosen(self.batches.show_sku(self.info.sku))
        self.quantity.setFocus()
        self.quantity.selectAll()

    def product_chosen(self, batches: list[stock.BatchInfo]) -> None:
        """Fill the fields that depend on the product and its ``batches`` (override)."""

    def reload(self) -> None:
        if self.info is not None:
            self.choose(self.info.sku)

    def save(self) -> None:
        raise NotImplementedError


class StockInTab(_StockForm):
    """A production run or delivery: a new batch with its dates, typed or picked."""

    REASONS = (stock.RECEIVED, stock.RETURNED)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.reason = reason_combo(self.REASONS)
        self.produced = DateField(_("production date"), month=Month.FIRST_DAY, optional=True)
        self.produced.set_value(local_today(ctx.session.timezone))
        self.produced.edited.connect(self._produced_changed)
        self.expires = DateField(_("expiry date"), month=Month.LAST_DAY, optional=True)
        self.expires.edited.connect(self._expiry_edited)
        self.expiry_hint = note_label()
        self.code = QLineEdit()
        self.code.setMaxLength(stock.MAX_BATCH_CODE)
        self._expiry_touched = False
        self.save_button.setText(_("Save stock in (Ctrl+Enter)"))

        form = self.form_head()
        form.addRow(_("Production date"), self.produced)
        form.addRow(_("Expiry date"), self.expires)
        form.addRow("", self.expiry_hint)
        form.addRow(_("Production code"), self.code)
        form.addRow(_("Note"), self.note)
        self.assemble(form)
        self.labels_button = QPushButton(_("Print labels for this batch…"))
        self.labels_button.setVisible(False)
        self.labels_button.clicked.connect(self.print_labels)
        self.extra_buttons.insertWidget(1, self.labels_button)
        self.last_batch: tuple[str, str] | None = None
        self._update_code_hint()
        self._fill_expiry()
        self.tab_chain(self.produced.edit, self.expires.edit, self.code)

    # --- dates -----------------------------------------------------------------

    def product_chosen(self, batches: list[stock.BatchInfo]) -> None:
        self._expiry_touched = False
        self._fill_expiry()

    def _produced_changed(self) -> None:
        self._update_code_hint()
        if not self._expiry_touched:
            self._fill_expiry()

    def _expiry_edited(self) -> None:
        self._expiry_touched = True
        self.expiry_hint.setText(
            _("Typed by you. A month alone, like 06/2027, means its last day.")
        )

    def _produced_day(self) -> date | None:
        return None if self.produced.problem() else self.produced.value()

    def _fill_expiry(self) -> None:
        """Show the expiry the core will give: production date plus the shelf life."""
        life = self.info.shelf_life_days if self.info else 0
        produced = self._produced_day()
        expiry = default_expiry(produced, life) if produced else None
        self.expires.set_value(expiry)
        if expiry is not None:
            self.expiry_hint.setText(
                _("Filled in from the shelf life of {days} days; change it if needed.").format(
                    days=life
                )
            )
        else:
            self.expiry_hint.setText(
                _(
                    "This product has no shelf life set: type the expiry date "
                    "(06-06-2027, or 06/2027 for the end of that month), or leave it empty."
                )
                if self.info
                else ""
            )

    def _update_code_hint(self) -> None:
        made = self._produced_day() or local_today(self.ctx.session.timezone)
        self.code.setPlaceholderText(_("automatic: {code}").format(code=batch_code_for(made)))

    def _dates(self) -> tuple[date | None, date | None] | None:
        """The two dates as typed, or None after saying what is wrong with them."""
        try:
            produced = self.produced.value()
            expires = self.expires.value()
        except ValidationError as exc:
            self.feedback.error(exc.message)
            bad = self.produced if self.produced.problem() else self.expires
            bad.setFocus()
            return None
        if (
            expires is not None
            and expires == produced
            and not ask(
                self,
                _("Expiry date"),
                _(
                    "The expiry date is the production day, {day}: the batch can be sold "
                    "only today. Is that right?"
                ).format(day=day_text(expires)),
                _("Yes, it keeps one day"),
                _("No, let me change it"),
            )
        ):
            self.expires.setFocus()
            return None
        return produced, expires

    # --- saving ------------------------------------------------------------------

    def save(self) -> None:
        if self.info is None:
            self.feedback.error(_("Choose a product first: scan it or type its name."))
            self.picker.setFocus()
            return
        dates = self._dates()
        if dates is None:
            return
        produced, expires = dates
        qty = self.quantity.value()
        try:
            move = stock.receive(
                self.ctx.session,
                sku=self.info.sku,
                quantity=qty,
                batch_code=self.code.text().strip() or None,
                produced_on=produced,
                expires_on=expires,
                note=self.note.text(),
                reason=self.reason.currentData(),
            )
        except ShopDeskError as exc:
            self.feedback.error(exc.message)
            self.ctx.show_error(exc, self)
            return
        batch = next(
            (b for b in self.batches.show_sku(self.info.sku) if b.code == move.batch_code), None
        )
        expiry = day_text(batch.expires_on) if batch and batch.expires_on else _("none")
        self.feedback.ok(
            _("Saved: +{qty} {name} in batch {code} (expires {expiry}).").format(
                qty=format_number(qty), name=self.info.name, code=move.batch_code, expiry=expiry
            )
        )
        self.code.clear()
        self.note.clear()
        self.last_batch = (self.info.sku, move.batch_code)
        self.labels_button.setVisible(bool(move.batch_code))
        self.ctx.notify("stock")  # the Stock page reloads this tab: choose() again
        self.picker.setFocus()

    def print_labels(self) -> None:
        """Open the Label page with this batch: one label per unit made."""
        if self.last_batch:
            self.ctx.navigate("labels", self.last_batch)


class StockOutTab(_StockForm):
    """Damaged, expired, given away as a sample: out of stock with a reason."""

    REASONS = (stock.DAMAGED, stock.EXPIRED, stock.SAMPLE, stock.SOLD)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.reason = reason_combo(self.REASONS)
        self.batch = QComboBox()
        self.batch.setMinimumContentsLength(28)
        self.save_button.setText(_("Save stock out (Ctrl+Enter)"))
        form = self.form_head()
        form.addRow(_("Batch"), self.batch)
        form.addRow(_("Note"), self.note)
        self.assemble(form)
        self._fill_batches([])
        self.tab_chain(self.batch)

    def product_chosen(self, batches: list[stock.BatchInfo]) -> None:
        self._fill_batches(batches)  # the batch table's rows: no second read

    def _fill_batches(self, rows) -> None:
        self.batch.clear()
        self.batch.addItem(_("Automatic: the earliest expiry first"), None)
        for b in rows:
            if b.on_hand <= 0:
                continue
            self.batch.addItem(
                _("{code} · expires {expiry} · {left} left").format(
                    code=b.code,
                    expiry=day_text(b.expires_on) or "-",
                    left=format_number(b.on_hand),
                ),
                b.code,
            )

    def save(self) -> None:
        if self.info is None:
            self.feedback.error(_("Choose a product first: scan it or type its name."))
            self.picker.setFocus()
            return
        qty = self.quantity.value()
        args = {
            "sku": self.info.sku,
            "quantity": qty,
            "reason": self.reason.currentData(),
            "batch_code": self.batch.currentData(),
            "note": self.note.text(),
        }
        try:
            self._remove_asking(args, qty)
        except ShopDeskError as exc:
            self.feedback.error(exc.message)
            self.ctx.show_error(exc, self)
            return
        self.feedback.ok(
            _("Saved: -{qty} {name} ({reason}).").format(
                qty=format_number(qty), name=self.info.name, reason=self.reason.currentText()
            )
        )
        self.note.clear()
        self.ctx.notify("stock")  # the Stock page reloads this tab: choose() again
        self.picker.setFocus()

    def _remove_asking(self, args: dict, qty: int) -> None:
        """``stock.remove``, asking before going below zero or giving out expired stock."""
        assert self.info is not None
        allowed: dict[str, bool] = {}
        while True:
            try:
                stock.remove(self.ctx.session, **args, **allowed)
                return
            except stock.ExpiredStockError as exc:
                if allowed.get("allow_expired") or not allow_expired(self, exc):
                    raise
                allowed["allow_expired"] = True
            except ValidationError as exc:
                if allowed.get("allow_negative") or not retry_below_zero(self, exc, self.info, qty):
                    raise
                allowed["allow_negative"] = True


class StockPage(Page):
    title = N_("Stock")
    refresh_on = ("stock", "products", "sales")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.stock_in = StockInTab(ctx)
        self.stock_out = StockOutTab(ctx)
        self.history = HistoryTab(ctx)
        self.count = StocktakeTab(ctx)
        self.expired = ExpiredTab(ctx)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.stock_in, _("Stock &in"))
        self.tabs.addTab(self.stock_out, _("Stock &out"))
        self.tabs.addTab(self.history, _("&History"))
        self.tabs.addTab(self.count, _("Stock&take"))
        self.tabs.addTab(self.expired, _("&Expired"))
        self.tabs.currentChanged.connect(self._tab_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def _tab_changed(self, _index: int) -> None:
        self._refresh_tab()
        focus = self.primary_widget()
        if focus is not None:
            focus.setFocus()

    def _refresh_tab(self) -> None:
        tab = self.tabs.currentWidget()
        try:
            tab.reload()
        except ShopDeskError as exc:
            self.ctx.show_error(exc, self)

    def refresh(self) -> None:
        self._refresh_tab()

    def primary_widget(self) -> QWidget | None:
        tab = self.tabs.currentWidget()
        return getattr(tab, "primary_widget", lambda: tab.picker.edit)()

    def show_item(self, item: object) -> None:
        """``navigate("stock", sku)`` opens stock in for that SKU; ``EXPIRED_TAB``
        the expired batches and their write-off."""
        if item == EXPIRED_TAB:
            self.tabs.setCurrentWidget(self.expired)
        elif isinstance(item, str):
            self.tabs.setCurrentWidget(self.stock_in)
            self.stock_in.choose(item)


__all__ = ["StockPage"]
