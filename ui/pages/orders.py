"""Pesanan masuk: a marketplace's order export back into the shop's sales and stock.

The seller picks the file the marketplace let them download; the table shows
what each row would do (``orders.preview_orders``), and one button imports it
all or nothing (``orders.apply_orders``, the CLI's ``orders import``). Nothing
is written before that button, and importing the same file again changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shopdesk import orders, stock
from shopdesk.errors import ShopDeskError
from shopdesk.i18n import N_, _
from ui.context import AppContext
from ui.pages.base import Page
from ui.widgets.ask import ask
from ui.widgets.feedback import FeedbackLabel, cell, heading, make_table
from ui.widgets.files import choose_open_file

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
FILES = N_("Order exports (*.xlsx *.csv *.xlsm *.txt)")
HELP = N_(
    "Download the order export from Shopee (Pesanan Saya → Ekspor), Tokopedia / TikTok Shop, "
    "Shopify or WooCommerce and open it here as it is. Paid, shipped and completed orders "
    "become sales with their order number, returns come back into stock, cancelled and "
    "unpaid orders are listed and skipped. Importing the same file again changes nothing."
)


class OrdersPage(Page):
    title = N_("Orders in")
    refresh_on = ("sales", "stock", "products")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.path: Path | None = None
        self.preview: orders.OrdersPreview | None = None
        intro = QLabel(_(HELP))
        intro.setWordWrap(True)
        self.choose_button = QPushButton(_("Open an order export…"))
        self.choose_button.setProperty("primary", True)
        self.choose_button.clicked.connect(self.choose)
        self.file_label = QLabel(_("No file chosen."))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = make_table(
            [_("Row"), _("Order no."), "SKU", _("Qty"), _("What happens"), _("Details")],
            stretch=5,
        )
        self.table.setWordWrap(True)
        self.allow_negative = QCheckBox(_("Stock may go below zero (count it later)"))
        self.apply_button = QPushButton(_("Import the orders"))
        self.apply_button.setProperty("primary", True)
        self.apply_button.setMinimumHeight(40)
        self.apply_button.clicked.connect(self.apply)
        self.feedback = FeedbackLabel()

        top = QHBoxLayout()
        top.addWidget(self.choose_button)
        top.addWidget(self.file_label, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.allow_negative)
        bottom.addStretch(1)
        bottom.addWidget(self.apply_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Orders from the marketplaces")))
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.feedback)
        self._show(None)

    def primary_widget(self) -> QWidget:
        return self.choose_button

    def refresh(self) -> None:
        """The shop changed elsewhere: what the file would do may have changed too."""
        if self.path is not None:
            self.load(self.path)

    def choose(self) -> None:
        path = choose_open_file(self, "orders", _("Open an order export"), _(FILES))
        if path is not None:
            self.load(path)

    def load(self, path: Path) -> None:
        self.path = path
        self.file_label.setText(path.name)
        self.feedback.clear()
        try:
            preview = orders.preview_orders(self.ctx.session, path)
        except ShopDeskError as exc:
            self._show(None)
            self.feedback.error(exc.message)
            return
        self._show(preview)

    def _show(self, preview: orders.OrdersPreview | None) -> None:
        self.preview = preview
        rows = preview.rows if preview else ()
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            label, colour = ACTIONS[row.action]
            items = (
                cell(row.line, right=True),
                cell(row.order),
                cell(row.sku),
                cell(row.quantity, right=True),
                cell(_(label)),
                cell("; ".join(row.messages)),
            )
            for column, item in enumerate(items):
                if colour:
                    item.setBackground(QBrush(QColor(colour)))
                self.table.setItem(i, column, item)
        self.table.resizeRowsToContents()
        self.summary.setText(self._summary(preview))
        ready = preview is not None and preview.has_work and not preview.rejected
        self.apply_button.setEnabled(ready)
        self.allow_negative.setEnabled(ready)

    def _summary(self, preview: orders.OrdersPreview | None) -> str:
        if preview is None:
            return ""
        text = _(
            "{format}: {record} orders become sales, {ret} bring returns back, {void} sales "
            "are voided, {same} already recorded, {cancelled} cancelled, {waiting} not paid "
            "yet, {unknown} with a SKU the shop does not have."
        ).format(format=_(preview.format_title), **preview.counts())
        if preview.rejected:
            text += " " + _(
                "{n} rows have a problem (in red): fix the file and open it again; nothing "
                "can be imported until then."
            ).format(n=len(preview.rejected))
        elif not preview.has_work:
            text += " " + _("Nothing to import: the shop is up to date with this file.")
        for note in preview.notes:
            text += " " + note
        return text

    def apply(self) -> None:
        if self.path is None:
            return
        self.ctx.activity()
        allowed = {"allow_negative": self.allow_negative.isChecked(), "allow_expired": False}
        while True:
            try:
                result = orders.apply_orders(self.ctx.session, self.path, **allowed)
                break
            except stock.ExpiredStockError as exc:
                if allowed["allow_expired"] or not self._confirm_expired(exc):
                    self.feedback.error(exc.message)
                    return
                allowed["allow_expired"] = True
            except ShopDeskError as exc:
                self.feedback.error(exc.message)
                return
        self.ctx.notify("sales", "stock")  # this page reads the file again: all "recorded"
        self.feedback.ok(
            _(
                "Imported: {recorded} orders recorded as sales, {units} returned units back in "
                "stock, {voided} sales voided."
            ).format(recorded=result.recorded, units=result.returned_units, voided=result.voided)
        )

    def _confirm_expired(self, exc: stock.ExpiredStockError) -> bool:
        batches = "\n".join(f"• {lot.text()}" for lot in exc.lots)
        text = _(
            "These orders would sell expired stock:\n{batches}\n\nThe marketplace has sent "
            "them already. Record them anyway? The sales are logged with these batches."
        ).format(batches=batches)
        return ask(self, _("Expired stock"), text, _("Record anyway"), _("No, import nothing"))
