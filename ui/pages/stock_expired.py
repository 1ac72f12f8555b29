"""Kedaluwarsa: the batches past their expiry date that still hold stock, and
one button that writes them all off (``stock.write_off_expired``, the CLI's
``batch write-off``). The home page's expiry card leads here."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from shopdesk import stock
from shopdesk.errors import ShopDeskError
from shopdesk.i18n import _
from shopdesk.money import format_number
from ui.context import AppContext
from ui.widgets.ask import ask
from ui.widgets.feedback import FeedbackLabel, cell, day_text, heading, make_table, note_label

# ``ctx.navigate("stock", EXPIRED_TAB)`` opens this tab (an SKU never has a space).
EXPIRED_TAB = "expired tab"


class ExpiredTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.rows: list[stock.BatchInfo] = []
        self.table = make_table(
            [_("Product"), _("SKU"), _("Batch"), _("Expired on"), _("Left")], stretch=0
        )
        self.write_off_button = QPushButton(_("Write off all expired stock…"))
        self.write_off_button.setProperty("primary", True)
        self.write_off_button.clicked.connect(self.write_off)
        self.feedback = FeedbackLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.write_off_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Expired batches with stock")))
        layout.addWidget(
            note_label(
                _(
                    "These may not be sold. Take them off the shelf, then write them off: "
                    "they leave the stock with the reason “expired”."
                )
            )
        )
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.feedback)

    def primary_widget(self) -> QWidget:
        return self.write_off_button

    def reload(self) -> None:
        self.rows = stock.expired(self.ctx.session)
        self.table.setRowCount(len(self.rows))
        for r, b in enumerate(self.rows):
            values = (b.product_name, b.sku, b.code, day_text(b.expires_on))
            for c, text in enumerate(values):
                self.table.setItem(r, c, cell(text))
            self.table.setItem(r, 4, cell(format_number(b.on_hand), right=True))
        self.write_off_button.setEnabled(bool(self.rows))
        if not self.rows:
            self.feedback.note(_("No expired stock."))

    def write_off(self) -> None:
        self.reload()  # what is expired now, not when the tab was opened
        if not self.rows:
            return
        units = sum(b.on_hand for b in self.rows)
        question = _(
            "Write off {units} units from {batches} expired batches? They leave the stock "
            "with the reason “expired”; this is recorded in the activity log."
        ).format(units=format_number(units), batches=len(self.rows))
        if not ask(self, _("Write off expired stock"), question, _("Write off")):
            return
        try:
            moves = stock.write_off_expired(self.ctx.session)
        except ShopDeskError as exc:
            self.feedback.error(exc.message)
            self.ctx.show_error(exc, self)
            return
        self.ctx.notify("stock")
        self.reload()
        self.feedback.ok(
            _("Written off: {units} units from {batches} batches.").format(
                units=format_number(-sum(m.quantity for m in moves)),
                batches=len({(m.sku, m.batch_code) for m in moves}),
            )
        )
