"""Pesanan masuk: a marketplace's order export back into the shop's sales and stock.

The seller picks the file the marketplace let them download; the table shows
what each row would do (``orders.preview_orders``), and one button imports it
all or nothing (``orders.apply_orders``, the CLI's ``orders import``). Nothing
is written before that button, and importing the same file again changes nothing.
Both run off the GUI thread (``run_owned`` on the app's task runner): a marketplace
file of thousands of rows takes seconds to read, and the window stays usable.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from shopdesk import orders, stock
from shopdesk.errors import ShopDeskError
from shopdesk.i18n import N_, _
from ui.context import AppContext
from ui.models.order_rows import DETAILS, OrderRowsModel
from ui.pages.base import Page
from ui.tasks import Task
from ui.widgets.ask import ask
from ui.widgets.feedback import FeedbackLabel, fit_columns, heading, read_only_view
from ui.widgets.files import choose_open_file
from ui.widgets.task_bar import TaskBar, run_owned

# Rows measured to fit: their heights (wrapped details) and the columns' widths. A day's
# export is shown whole; beyond, rows keep one line and the details are in a tooltip.
SIZED_ROWS = 200
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
        self._read_again = False  # the shop changed while a task ran: read the file after it
        intro = QLabel(_(HELP))
        intro.setWordWrap(True)
        self.choose_button = QPushButton(_("Open an order export…"))
        self.choose_button.setProperty("primary", True)
        self.choose_button.clicked.connect(self.choose)
        self.file_label = QLabel(_("No file chosen."))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.rows = OrderRowsModel()
        self.table = QTableView()
        self.table.setModel(self.rows)
        read_only_view(self.table, stretch=DETAILS)
        fit_columns(self.table, stretch=DETAILS)
        self.table.horizontalHeader().setResizeContentsPrecision(SIZED_ROWS)
        self.table.setWordWrap(True)
        self.allow_negative = QCheckBox(_("Stock may go below zero (count it later)"))
        self.apply_button = QPushButton(_("Import the orders"))
        self.apply_button.setProperty("primary", True)
        self.apply_button.setMinimumHeight(40)
        self.apply_button.clicked.connect(self.apply)
        self.feedback = FeedbackLabel()
        self.bar = TaskBar()

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
        layout.addWidget(self.bar)
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
            self._read(self.path)

    def choose(self) -> None:
        path = choose_open_file(self, "orders", _("Open an order export"), _(FILES))
        if path is not None:
            self.load(path)

    def load(self, path: Path) -> None:
        """Show what ``path`` would do; the table fills when the file has been read."""
        self.path = path
        self.file_label.setText(path.name)
        self.feedback.clear()
        self._show(None)
        self._read(path)

    def _read(self, path: Path) -> None:
        if self.bar.busy:  # one task at a time; the newest file is read when it ends
            self._read_again = True
            return
        session = self.ctx.session

        def done(preview: orders.OrdersPreview) -> None:
            if path == self.path:  # not a file the seller has since replaced
                self._show(preview)

        def failed(exc: BaseException) -> None:
            if path == self.path:
                self._show(None)
                self._failed(exc)

        def cancelled() -> None:
            self.path = None
            self.file_label.setText(_("No file chosen."))
            self._show(None)
            self.feedback.note(_("Cancelled. The file was not read and nothing was imported."))

        task = run_owned(
            self.ctx,
            self,
            lambda _ctl: orders.preview_orders(session, path),
            on_done=done,
            on_error=failed,
            on_cancelled=cancelled,
        )
        self._attach(task, _("Reading {name}…").format(name=path.name), cancellable=True)

    def _attach(self, task: Task, text: str, *, cancellable: bool) -> None:
        self.bar.attach(task, text, cancellable=cancellable)
        task.finished.connect(self._task_ended)
        self._buttons()

    def _task_ended(self) -> None:
        if not self.bar.busy and self._read_again:
            self._read_again = False
            if self.path is not None:
                self._read(self.path)
        self._buttons()

    def _failed(self, exc: BaseException) -> None:
        """A ShopDeskError says what is wrong in the seller's words; anything else is a bug."""
        if isinstance(exc, ShopDeskError):
            self.feedback.error(exc.message)
        else:
            self.ctx.show_error(exc, self)

    def _buttons(self) -> None:
        idle = not self.bar.busy
        preview = self.preview
        ready = idle and preview is not None and preview.has_work and not preview.rejected
        self.choose_button.setEnabled(idle)
        self.apply_button.setEnabled(ready)
        self.allow_negative.setEnabled(ready)

    def _show(self, preview: orders.OrdersPreview | None) -> None:
        self.preview = preview
        self.rows.set_rows(preview.rows if preview else ())
        for row in range(min(self.rows.rowCount(), SIZED_ROWS)):  # long details wrap
            self.table.resizeRowToContents(row)
        self.summary.setText(self._summary(preview))
        self._buttons()

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
        if self.path is None or self.bar.busy:
            return
        self.ctx.activity()
        self.feedback.clear()
        self._apply(self.path, self.allow_negative.isChecked(), allow_expired=False)

    def _apply(self, path: Path, allow_negative: bool, *, allow_expired: bool) -> None:
        session = self.ctx.session

        def work(_ctl) -> orders.OrdersResult:
            return orders.apply_orders(
                session, path, allow_negative=allow_negative, allow_expired=allow_expired
            )

        def failed(exc: BaseException) -> None:
            expired = isinstance(exc, stock.ExpiredStockError) and not allow_expired
            if expired and self._confirm_expired(cast(stock.ExpiredStockError, exc)):
                self._apply(path, allow_negative, allow_expired=True)  # the file again, allowed
                return
            self._failed(exc)

        task = run_owned(self.ctx, self, work, on_done=self._imported, on_error=failed)
        # No Cancel: the import is one transaction that commits or not; stopping halfway
        # would only hide which of the two happened.
        self._attach(
            task, _("Importing the orders of {name}…").format(name=path.name), cancellable=False
        )

    def _imported(self, result: orders.OrdersResult) -> None:
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
