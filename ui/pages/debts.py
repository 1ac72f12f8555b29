"""Kasbon: who owes what and since when, payments, reminders and customers.

Every figure comes from ``shopdesk.debts`` (the debts list with its age buckets,
a customer's entries, payments); payments and voids go through the same core
functions as ``shopdesk debt pay`` and ``debt void``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from shopdesk import debt_reports, debts
from shopdesk.errors import ShopDeskError
from shopdesk.i18n import N_, _
from shopdesk.money import format_rupiah
from ui.context import AppContext
from ui.dialogs.customers import CustomerDialog
from ui.dialogs.debt_payment import PaymentDialog
from ui.pages.base import Page
from ui.widgets.ask import ask
from ui.widgets.feedback import FeedbackLabel, cell, day_text, heading, local_time, make_table
from ui.widgets.files import choose_save_table
from ui.widgets.link_dialog import LinkDialog

SORTS = {"age": N_("Oldest debt first"), "amount": N_("Largest first"), "name": N_("By name")}
OLD_STYLE = "color: #b3261e; font-weight: bold;"


class Figure(QFrame):
    """A small card: a title and one amount."""

    def __init__(self, title: str, warn: bool = False) -> None:
        super().__init__()
        self.setObjectName("card")
        self.title = QLabel(title)
        self.title.setObjectName("cardTitle")
        self.value = QLabel("–")
        self.value.setObjectName("cardValue")
        self.value.setProperty("warn", warn)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.title)
        layout.addWidget(self.value)


class DebtsTab(QWidget):
    """The debts list, and the chosen customer's entries with what can be done."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.rows: list[debts.DebtRow] = []
        self.payment_dialog: PaymentDialog | None = None
        self.link_dialog: LinkDialog | None = None
        self._shown: int | None = None
        self.total = Figure(_("Kasbon in all"))
        self.week = Figure(_("Up to 7 days"))
        self.month = Figure(_("8 to 30 days"))
        self.older = Figure(_("Over 30 days"), warn=True)
        figures = QGridLayout()
        for col, card in enumerate((self.total, self.week, self.month, self.older)):
            figures.addWidget(card, 0, col)
        self.sort = QComboBox()
        for code, label in SORTS.items():
            self.sort.addItem(_(label), code)
        self.sort.currentIndexChanged.connect(self.reload)
        self.table = make_table(
            [
                _("Customer"),
                _("Owes"),
                _("Since"),
                _("Days"),
                _("≤ 7 days"),
                _("8-30 days"),
                _("> 30 days"),
            ],
            stretch=0,
        )
        self.table.itemSelectionChanged.connect(self.show_customer)
        self.table.itemDoubleClicked.connect(lambda _i: self.pay())

        self.customer_title = heading(_("Choose a customer on the left."))
        self.entries = make_table(
            [_("Day"), _("Entry"), _("Sale"), _("Payment"), _("Amount")], stretch=1
        )
        self.pay_button = QPushButton(_("Record payment…"))
        self.pay_button.setProperty("primary", True)
        self.pay_button.clicked.connect(self.pay)
        self.remind_button = QPushButton(_("WhatsApp reminder…"))
        self.remind_button.clicked.connect(self.remind)
        self.void_button = QPushButton(_("Void payment"))
        self.void_button.clicked.connect(self.void_payment)
        self.feedback = FeedbackLabel()

        left = QVBoxLayout()
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Sort")))
        top.addWidget(self.sort)
        top.addStretch(1)
        left.addLayout(top)
        left.addWidget(self.table, 1)
        left_box = QWidget()
        left_box.setLayout(left)
        right = QVBoxLayout()
        right.addWidget(self.customer_title)
        buttons = QHBoxLayout()
        buttons.addWidget(self.pay_button)
        buttons.addWidget(self.remind_button)
        buttons.addStretch(1)
        right.addLayout(buttons)
        right.addWidget(self.entries, 1)
        right.addWidget(self.void_button, 0, Qt.AlignmentFlag.AlignLeft)
        right.addWidget(self.feedback)
        right_box = QWidget()
        right_box.setLayout(right)
        split = QSplitter()
        split.addWidget(left_box)
        split.addWidget(right_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([660, 470])  # the age columns of the list stay in view at 1366 px
        layout = QVBoxLayout(self)
        layout.addLayout(figures)
        layout.addWidget(split, 1)
        self._enable(None)

    def primary_widget(self) -> QWidget:
        return self.table

    def reload(self) -> None:
        session = self.ctx.session
        chosen = self.current_id()
        self.rows = debts.debts(session, sort=self.sort.currentData())
        totals = debts.totals(self.rows)
        self.total.value.setText(format_rupiah(totals.balance))
        self.week.value.setText(format_rupiah(totals.week))
        self.month.value.setText(format_rupiah(totals.month))
        self.older.value.setText(format_rupiah(totals.older))
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            name = cell(row.name, data=row.customer_id)
            name.setToolTip(row.name)  # the column may end a long name in "…"
            values = [
                name,
                cell(format_rupiah(row.balance), right=True),
                cell(day_text(row.oldest)),
                cell(row.age_days, right=True),
                cell(format_rupiah(row.week), right=True),
                cell(format_rupiah(row.month), right=True),
                cell(format_rupiah(row.older), right=True),
            ]
            for c, item in enumerate(values):
                self.table.setItem(r, c, item)
        # No resizeColumnsToContents(): it would widen the name past the spare width and
        # push the age columns out of view; the header fits the other columns itself.
        ids = [row.customer_id for row in self.rows]
        if chosen in ids:
            self.table.selectRow(ids.index(chosen))
        elif chosen is not None:
            self.show_entries(chosen)  # paid up: still shown, so the payment can be voided
        else:
            self._enable(None)

    def current_id(self) -> int | None:
        return self._shown

    def select_customer(self, customer_id: int) -> None:
        ids = [row.customer_id for row in self.rows]
        if customer_id in ids:
            self.table.selectRow(ids.index(customer_id))
        else:
            self.show_entries(customer_id)

    def show_customer(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.rows):
            self.show_entries(self.rows[row].customer_id)

    def show_entries(self, customer_id: int) -> None:
        session = self.ctx.session
        try:
            who = debts.get_customer(session, customer_id)
        except ShopDeskError as exc:
            self.feedback.error(exc.message)
            return
        self._shown = customer_id
        self.customer_title.setText(
            _("{name}: owes {amount}").format(name=who.label, amount=format_rupiah(who.balance))
        )
        entries = debts.statement(session, customer_id)
        self.entries.setRowCount(len(entries))
        for r, e in enumerate(reversed(entries)):  # newest first
            kind = debts.kind_label(e.kind) + (" " + _("(voided)") if e.voided else "")
            values = [
                cell(local_time(e.at, session.timezone)[:10], data=e.payment_number),
                cell(kind, data=e.kind),
                cell(e.sale_number or ""),
                cell(e.payment_number or ""),
                cell(format_rupiah(e.amount), right=True),
            ]
            for c, item in enumerate(values):
                self.entries.setItem(r, c, item)
        self._enable(who)

    def _enable(self, who: debts.CustomerInfo | None) -> None:
        self.who = who
        self.pay_button.setEnabled(bool(who and who.balance > 0))
        self.remind_button.setEnabled(bool(who and who.balance > 0))
        self.void_button.setEnabled(who is not None)
        if who is None:
            self._shown = None
            self.customer_title.setText(_("Choose a customer on the left."))
            self.entries.setRowCount(0)

    def pay(self) -> None:
        if self.who is None or self.who.balance <= 0:
            return
        # Window-modal, not exec(): the page stays alive behind it (and tests can fill it in).
        self.payment_dialog = PaymentDialog(self.ctx, self.who, self)
        self.payment_dialog.accepted.connect(self._paid)
        self.payment_dialog.open()

    def _paid(self) -> None:
        paid = self.payment_dialog.paid if self.payment_dialog else None
        if paid is not None:
            self.feedback.ok(
                _("Payment {number}: {amount} from {name}; still owed {left}.").format(
                    number=paid.number,
                    amount=format_rupiah(paid.amount),
                    name=paid.customer.name,
                    left=format_rupiah(paid.balance),
                )
            )

    def remind(self) -> None:
        if self.who is None:
            return
        try:
            note = debts.reminder(self.ctx.session, self.who.id)
        except ShopDeskError as exc:
            self.feedback.error(exc.message)
            return
        title = _("Reminder for {name}").format(name=note.customer.name)
        self.link_dialog = LinkDialog(self, title, note.text, note.link)
        self.link_dialog.open()

    def chosen_payment(self) -> int | None:
        row = self.entries.currentRow()
        if row < 0:
            return None
        kind = self.entries.item(row, 1).data(Qt.ItemDataRole.UserRole)
        number = self.entries.item(row, 0).data(Qt.ItemDataRole.UserRole)
        return number if kind == debts.PAYMENT else None

    def void_payment(self) -> None:
        number = self.chosen_payment()
        if number is None:
            self.feedback.error(_("Choose a payment in the list first."))
            return
        question = _(
            "Void payment {number}? It stays in the list, reversed by a void entry, and "
            "the customer owes that amount again."
        ).format(number=number)
        if not ask(self, _("Void payment"), question, _("Void payment"), _("Keep it")):
            return
        try:
            balance = debts.void_payment(self.ctx.session, number=number)
        except ShopDeskError as exc:
            self.feedback.error(exc.message)
            return
        self.ctx.notify("debts")
        self.feedback.ok(
            _("Payment {number} was voided; the customer owes {amount} again.").format(
                number=number, amount=format_rupiah(balance)
            )
        )


class CustomersTab(QWidget):
    """Every customer: add, edit, archive, export."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.customers: list[debts.CustomerInfo] = []
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Find by name or WhatsApp number"))
        self.search.textChanged.connect(lambda _t: self.reload())
        self.add_button = QPushButton(_("New customer…"))
        self.add_button.setProperty("primary", True)
        self.add_button.clicked.connect(self.add)
        self.edit_button = QPushButton(_("Edit…"))
        self.edit_button.clicked.connect(self.edit)
        self.archive_button = QPushButton(_("Archive"))
        self.archive_button.setToolTip(
            _("Hide from the cashier's customer search; their kasbon history is kept.")
        )
        self.archive_button.clicked.connect(self.toggle_archived)
        self.show_archived = QCheckBox(_("Show archived"))
        self.show_archived.toggled.connect(lambda _on: self.reload())
        self.export_button = QPushButton(_("Export table…"))
        self.export_button.clicked.connect(self.export)
        self.export_kind = QComboBox()
        for kind, label in EXPORTS.items():
            self.export_kind.addItem(_(label), kind)
        self.table = make_table([_("Name"), _("WhatsApp"), _("Owes"), _("Note")], stretch=3)
        self.table.itemDoubleClicked.connect(lambda _i: self.edit())
        self.table.itemSelectionChanged.connect(self._selection)
        self.feedback = FeedbackLabel()
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.show_archived)
        top.addWidget(self.add_button)
        top.addWidget(self.edit_button)
        top.addWidget(self.archive_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.export_kind)
        bottom.addWidget(self.export_button)
        bottom.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.feedback)

    def primary_widget(self) -> QWidget:
        return self.search

    def reload(self) -> None:
        chosen = self.chosen()
        self.customers = debts.find_customers(
            self.ctx.session,
            self.search.text(),
            limit=500,
            include_archived=self.show_archived.isChecked(),
        )
        self.table.setRowCount(len(self.customers))
        for r, c in enumerate(self.customers):
            name = c.name + (" " + _("(archived)") if c.archived else "")
            values = [
                cell(name, data=c.id),
                cell(c.whatsapp),
                cell(format_rupiah(c.balance), right=True),
                cell(c.note),
            ]
            for col, item in enumerate(values):
                if c.archived:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(r, col, item)
        # The header fits the columns itself; resizeColumnsToContents() would undo the
        # note column's stretch and leave a blank strip at the right.
        ids = [c.id for c in self.customers]
        if chosen is not None and chosen.id in ids:
            self.table.selectRow(ids.index(chosen.id))
        self._selection()

    def chosen(self) -> debts.CustomerInfo | None:
        row = self.table.currentRow()
        return self.customers[row] if 0 <= row < len(self.customers) else None

    def _selection(self) -> None:
        who = self.chosen()
        self.archive_button.setEnabled(who is not None)
        self.archive_button.setText(_("Show again") if who and who.archived else _("Archive"))

    def toggle_archived(self) -> None:
        """Archive the chosen customer, or show an archived one again; one owing money
        is refused by the core with the reason."""
        who = self.chosen()
        if who is None:
            self.feedback.error(_("Choose a customer in the list first."))
            return
        try:
            saved = debts.update_customer(self.ctx.session, who.id, archived=not who.archived)
        except ShopDeskError as exc:
            self.feedback.error(exc.message)
            return
        self.ctx.notify("customers")
        if saved.archived:
            message = _(
                "{name} is archived: hidden from the cashier's search, their history is kept."
            )
        else:
            message = _("{name} is shown again.")
        self.feedback.ok(message.format(name=saved.label))

    def add(self) -> None:
        dialog = CustomerDialog(self.ctx, self, name=self.search.text())
        if dialog.exec() and dialog.saved is not None:
            self.feedback.ok(_("Customer saved: {name}").format(name=dialog.saved.label))

    def edit(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.customers):
            self.feedback.error(_("Choose a customer in the list first."))
            return
        dialog = CustomerDialog(self.ctx, self, customer=self.customers[row])
        if dialog.exec() and dialog.saved is not None:
            self.feedback.ok(_("Customer saved: {name}").format(name=dialog.saved.label))

    def export(self) -> None:
        kind = self.export_kind.currentData()
        path = choose_save_table(self, "debts", f"{kind}.xlsx")
        if path is None:
            return
        try:
            count = debt_reports.export_table(self.ctx.session, kind, path)
        except ShopDeskError as exc:
            self.feedback.error(exc.message)
            return
        self.feedback.ok(_("{count} rows written to {path}").format(count=count, path=path))


EXPORTS = {
    "customers": N_("Customers"),
    "debts": N_("Debts list"),
    "payments": N_("Payments"),
    "entries": N_("Every kasbon entry"),
}


class CashInTab(QWidget):
    """Money received against sales made, per day (the last 14 days)."""

    DAYS = 14

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.table = make_table(
            [_(c) for c in debt_reports.CASH_IN_COLUMNS],
            stretch=0,
        )
        note = QLabel(
            _(
                "Sales count on the day they are made, kasbon included; money in is what was "
                "paid at the till plus kasbon paid back that day."
            )
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)

    def primary_widget(self) -> QWidget:
        return self.table

    def reload(self) -> None:
        rows = list(reversed(debt_reports.cash_in(self.ctx.session, days=self.DAYS)))
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            values = [
                cell(day_text(row.day)),
                cell(format_rupiah(row.sales), right=True),
                cell(format_rupiah(row.on_credit), right=True),
                cell(format_rupiah(row.paid_at_till), right=True),
                cell(format_rupiah(row.repaid), right=True),
                cell(format_rupiah(row.cash_in), right=True),
            ]
            for c, item in enumerate(values):
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()


class DebtsPage(Page):
    title = N_("Kasbon")
    refresh_on = ("sales", "debts", "customers")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.debts = DebtsTab(ctx)
        self.customers = CustomersTab(ctx)
        self.cash_in = CashInTab(ctx)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.debts, _("&Debts"))
        self.tabs.addTab(self.customers, _("C&ustomers"))
        self.tabs.addTab(self.cash_in, _("Money &in"))
        self.tabs.currentChanged.connect(lambda _i: self.refresh())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def refresh(self) -> None:
        self.tabs.currentWidget().reload()

    def show_item(self, item: object) -> None:
        """``ctx.navigate("debts", customer_id)`` opens that customer's entries."""
        if isinstance(item, int):
            self.tabs.setCurrentWidget(self.debts)
            self.debts.reload()
            self.debts.select_customer(item)

    def primary_widget(self) -> QWidget | None:
        return self.tabs.currentWidget().primary_widget()


__all__ = ["DebtsPage"]
