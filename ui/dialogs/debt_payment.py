"""Record a payment of a customer's kasbon: the oldest sales first, or one sale."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from shopdesk import debts
from shopdesk.clock import to_local
from shopdesk.errors import ShopDeskError
from shopdesk.i18n import _
from shopdesk.money import format_rupiah
from ui.context import AppContext
from ui.widgets.feedback import FeedbackLabel, day_text
from ui.widgets.money_edit import MoneyEdit


class PaymentDialog(QDialog):
    """``paid`` holds the recorded payment once accepted."""

    def __init__(
        self, ctx: AppContext, customer: debts.CustomerInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.customer = customer
        self.paid: debts.PaymentInfo | None = None
        self.setWindowTitle(_("Payment of kasbon"))
        owes = QLabel(
            _("{name} owes {amount}.").format(
                name=customer.name, amount=format_rupiah(customer.balance)
            )
        )
        owes.setObjectName("cardTitle")
        self.amount = MoneyEdit()
        self.sale = QComboBox()
        self.sale.addItem(_("Oldest sales first"), None)
        for sale in debts.open_sales(ctx.session, customer.id):
            day = to_local(sale.at, ctx.session.timezone).date()
            self.sale.addItem(
                _("Sale {number} of {day}: {amount} unpaid").format(
                    number=sale.number, day=day_text(day), amount=format_rupiah(sale.remaining)
                ),
                sale.number,
            )
        self.method = QComboBox()
        for code, label in debts.METHODS.items():
            self.method.addItem(_(label), code)
        self.note = QLineEdit()
        self.feedback = FeedbackLabel()
        form = QFormLayout()
        form.addRow(_("Amount paid"), self.amount)
        form.addRow(_("Pays"), self.sale)
        form.addRow(_("Paid by"), self.method)
        form.addRow(_("Note"), self.note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Record payment"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.record)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(owes)
        layout.addLayout(form)
        layout.addWidget(self.feedback)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)
        self.amount.setFocus()

    def record(self) -> None:
        try:
            self.paid = debts.record_payment(
                self.ctx.session,
                customer=self.customer.id,
                amount=self.amount.text(),
                sale_number=self.sale.currentData(),
                method=self.method.currentData(),
                note=self.note.text(),
            )
        except ShopDeskError as exc:
            self.feedback.error(exc.message)
            return
        self.ctx.notify("debts")
        self.accept()
