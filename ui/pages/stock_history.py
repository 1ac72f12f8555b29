"""Riwayat: the stock ledger, newest first, with a way to undo one movement."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shopdesk import stock
from shopdesk.errors import ShopDeskError
from shopdesk.i18n import _
from shopdesk.money import format_number
from ui.context import AppContext
from ui.widgets.ask import ask
from ui.widgets.feedback import FeedbackLabel, cell, local_time, make_table, signed
from ui.widgets.product_picker import ProductPicker

PAGE_ROWS = 200


class HistoryTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.sku: str | None = None
        self.limit = PAGE_ROWS
        self.picker = ProductPicker(ctx.session, placeholder=_("Show one product: scan or type"))
        self.picker.picked.connect(self.filter_sku)
        self.product_label = QLabel(_("All products"))
        self.all_button = QPushButton(_("Show all"))
        self.all_button.clicked.connect(lambda: self.filter_sku(None))
        self.all_button.setEnabled(False)
        self.reason = QComboBox()
        self.reason.addItem(_("All reasons"), None)
        for code in stock.REASONS:
            self.reason.addItem(stock.reason_label(code), code)
        self.reason.currentIndexChanged.connect(self.reload)
        # The change and the reason first: at 125% the right-hand columns scroll away.
        self.table = make_table(
            [
                _("Time"),
                _("Product"),
                _("Change"),
                _("Reason"),
                _("Batch"),
                _("Note"),
                _("By"),
                _("SKU"),
            ],
            stretch=5,
        )
        self.table.itemSelectionChanged.connect(self._selection)
        self.more_button = QPushButton(_("Show more"))
        self.more_button.clicked.connect(self._more)
        self.void_button = QPushButton(_("Undo the chosen movement…"))
        self.void_button.setEnabled(False)
        self.void_button.clicked.connect(self.void_selected)
        self.feedback = FeedbackLabel()

        filters = QHBoxLayout()
        filters.addWidget(self.picker, 3)
        filters.addWidget(self.product_label, 2)
        filters.addWidget(self.all_button)
        filters.addWidget(self.reason, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.void_button)
        bottom.addWidget(self.feedback, 1)
        bottom.addWidget(self.more_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self._names: dict[str, str] = {}

    def primary_widget(self) -> QWidget:
        return self.picker.edit

    def filter_sku(self, sku: str | None) -> None:
        self.sku = sku
        self.limit = PAGE_ROWS
        name = sku
        if sku:
            name = _("{name} ({sku})").format(name=self._name(sku), sku=sku)
        self.product_label.setText(name or _("All products"))
        self.all_button.setEnabled(bool(sku))
        self.reload()

    def _more(self) -> None:
        self.limit += PAGE_ROWS
        self.reload()

    def reload(self) -> None:
        rows = stock.history(
            self.ctx.session, sku=self.sku, reason=self.reason.currentData(), limit=self.limit
        )
        zone = self.ctx.session.timezone
        self.table.setRowCount(len(rows))
        for r, m in enumerate(rows):
            name = cell(local_time(m.at, zone), data=m)
            self.table.setItem(r, 0, name)
            self.table.setItem(r, 1, cell(self._name(m.sku)))
            change = cell(signed(m.quantity), right=True)
            change.setForeground(Qt.GlobalColor.darkGreen if m.quantity > 0 else Qt.GlobalColor.red)
            self.table.setItem(r, 2, change)
            self.table.setItem(r, 3, cell(stock.reason_label(m.reason)))
            self.table.setItem(r, 4, cell(m.batch_code or ""))
            note = m.note
            if m.voided_by_id:
                note = _("(undone) {note}").format(note=note).strip()
            self.table.setItem(r, 5, cell(note))
            self.table.setItem(r, 6, cell(m.actor.split(":", 1)[-1]))
            self.table.setItem(r, 7, cell(m.sku))
        self.more_button.setEnabled(len(rows) >= self.limit)
        self._selection()

    def _name(self, sku: str) -> str:
        if sku not in self._names:
            from shopdesk import catalog

            try:
                self._names[sku] = catalog.get_variant(self.ctx.session, sku).name
            except ShopDeskError:
                self._names[sku] = sku
        return self._names[sku]

    def selected(self) -> stock.MovementInfo | None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _selection(self) -> None:
        m = self.selected()
        self.void_button.setEnabled(
            m is not None
            and m.reason != stock.VOID
            and m.voided_by_id is None
            and m.sale_line_id is None
        )

    def void_selected(self) -> None:
        m = self.selected()
        if m is None:
            return
        question = _(
            "Undo movement {id}: {change} {sku} ({reason})? A new movement reverses it; "
            "the history keeps both."
        ).format(
            id=m.id,
            change=signed(m.quantity),
            sku=m.sku,
            reason=stock.reason_label(m.reason),
        )
        if not ask(self, _("Undo movement"), question, _("Undo it")):
            return
        try:
            done = stock.void_movement(self.ctx.session, movement_id=m.id)
        except ShopDeskError as exc:
            self.ctx.show_error(exc, self)
            return
        self.feedback.ok(
            _("Movement {id} undone ({change}).").format(
                id=m.id, change=format_number(done.quantity)
            )
        )
        self.ctx.notify("stock")  # the Stock page reloads this tab
