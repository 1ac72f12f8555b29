"""Customer dialogs: add or edit one, and choose who a sale's kasbon belongs to.

Both only call ``shopdesk.debts``: the number is checked and normalised there."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shopdesk import debts
from shopdesk.errors import ShopDeskError
from shopdesk.i18n import _
from shopdesk.money import format_rupiah
from ui.context import AppContext
from ui.widgets.feedback import FeedbackLabel


class CustomerDialog(QDialog):
    """Add a customer, or edit ``customer``; ``saved`` holds the result."""

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        customer: debts.CustomerInfo | None = None,
        name: str = "",
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.customer = customer
        self.saved: debts.CustomerInfo | None = None
        self.setWindowTitle(_("Edit customer") if customer else _("New customer"))
        self.name = QLineEdit(customer.name if customer else name)
        self.whatsapp = QLineEdit(customer.whatsapp if customer else "")
        self.whatsapp.setPlaceholderText(_("e.g. 0812 3456 7890"))
        self.note = QLineEdit(customer.note if customer else "")
        self.feedback = FeedbackLabel()
        form = QFormLayout()
        form.addRow(_("Name"), self.name)
        form.addRow(_("WhatsApp"), self.whatsapp)
        form.addRow(_("Note"), self.note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.feedback)
        layout.addWidget(buttons)
        self.setMinimumWidth(380)

    def save(self) -> None:
        session = self.ctx.session
        fields = {
            "name": self.name.text(),
            "whatsapp": self.whatsapp.text(),
            "note": self.note.text(),
        }
        try:
            if self.customer is None:
                self.saved = debts.add_customer(session, **fields)
            else:
                self.saved = debts.update_customer(session, self.customer.id, **fields)
        except ShopDeskError as exc:
            self.feedback.error(exc.message)
            return
        self.ctx.notify("customers")
        self.accept()


class ChooseCustomerDialog(QDialog):
    """Find a customer by name or number, or add a new one; ``chosen`` holds who."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, why: str = "") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.chosen: debts.CustomerInfo | None = None
        self.setWindowTitle(_("Choose the customer"))
        self.why = QLabel(why)
        self.why.setWordWrap(True)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Name or WhatsApp number"))
        self.search.textChanged.connect(self.find)
        self.search.returnPressed.connect(self.take_current)
        self.found = QListWidget()
        self.found.itemDoubleClicked.connect(lambda _item: self.take_current())
        self.new_button = QPushButton(_("New customer…"))
        self.new_button.clicked.connect(self.add_new)
        self.feedback = FeedbackLabel()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Choose"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.take_current)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if why:
            layout.addWidget(self.why)
        layout.addWidget(self.search)
        layout.addWidget(self.found, 1)
        layout.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.feedback)
        layout.addWidget(buttons)
        self.resize(420, 420)
        self.find("")

    def find(self, text: str) -> None:
        self.found.clear()
        for customer in debts.find_customers(self.ctx.session, text):
            owes = _("owes {amount}").format(amount=format_rupiah(customer.balance))
            label = f"{customer.label} · {owes}" if customer.balance else customer.label
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, customer)
            self.found.addItem(item)
        if self.found.count():
            self.found.setCurrentRow(0)

    def take_current(self) -> None:
        item = self.found.currentItem()
        if item is None:
            self.feedback.error(_("Choose a customer from the list, or add a new one."))
            return
        self.chosen = item.data(Qt.ItemDataRole.UserRole)
        self.accept()

    def add_new(self) -> None:
        dialog = CustomerDialog(self.ctx, self, name=self.search.text())
        if dialog.exec() and dialog.saved is not None:
            self.chosen = dialog.saved
            self.accept()
