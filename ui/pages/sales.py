"""Penjualan: a quick sale screen for the scanner, and the daily summary.

The cart only gathers lines; ``sales.record_sale`` (the CLI's ``sale record``)
checks and records them, takes the stock first-expiry-first-out and numbers
the sale. The summary is ``reports.daily_summary`` and ``sales.list_sales``.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from shopdesk import catalog, debts, orders, sales, stock
from shopdesk.errors import ShopDeskError, ValidationError
from shopdesk.i18n import N_, _
from shopdesk.money import format_number, format_rupiah
from shopdesk.sales import LineInput, line_amount
from ui.context import AppContext
from ui.dialogs.customers import ChooseCustomerDialog
from ui.pages.base import Page
from ui.pages.sales_summary import SummaryTab
from ui.widgets.ask import ask
from ui.widgets.feedback import FeedbackLabel, cell, heading, make_table
from ui.widgets.money_edit import MoneyEdit
from ui.widgets.product_picker import ProductPicker
from ui.widgets.scan_edit import ScanAwareSpinBox

COL_NAME, COL_PRICE, COL_QTY, COL_DISCOUNT, COL_AMOUNT, COL_REMOVE = range(6)
# The chosen payment must be obvious at a glance, not a slightly darker grey.
# The change is what the seller counts out of the drawer: large, and red when short.
CHANGE_STYLE = "font-size: 22pt; font-weight: bold; color: {color};"
PAYMENT_STYLE = """
QPushButton[payment="true"] { background: white; border: 1px solid #c9d3cc; border-radius: 6px; }
QPushButton[payment="true"]:checked {
    background: #e6f1ea; border: 2px solid #2f6f4f; color: #1f3b2d; font-weight: bold;
}
"""


@dataclass
class CartLine:
    sku: str
    name: str
    unit: str
    price: int
    on_hand: int
    quantity: int = 1
    discount: int = 0

    @property
    def amount(self) -> int:
        return line_amount(self.quantity, self.price, self.discount)


class CartTable(QWidget):
    """Lines of the sale being made; quantity, price and discount editable in place."""

    def __init__(self, on_change, on_scan=None) -> None:
        super().__init__()
        self.on_scan = on_scan  # a code scanned into a quantity cell by mistake
        self.lines: list[CartLine] = []
        self.on_change = on_change
        self.table = make_table(
            [_("Product"), _("Price"), _("Quantity"), _("Discount"), _("Amount"), ""], stretch=0
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        for col, width in ((COL_PRICE, 100), (COL_QTY, 80), (COL_DISCOUNT, 90), (COL_REMOVE, 36)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            self.table.setColumnWidth(col, width)
        # Names wrap onto a second line rather than vanish behind "…" at 125%.
        self.table.setWordWrap(True)
        self.table.verticalHeader().setDefaultSectionSize(44)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)

    def add(self, line: CartLine) -> CartLine:
        """A scan: only the row of that product is (re)built, not every row of the cart."""
        for existing in self.lines:
            if existing.sku == line.sku:
                existing.quantity += 1
                self._show(existing)
                return existing
        self.lines.append(line)
        self.table.setRowCount(len(self.lines))
        self._show(line)
        return line

    def clear(self) -> None:
        self.lines = []
        self.rebuild()

    def remove_row(self, row: int) -> None:
        if 0 <= row < len(self.lines):
            del self.lines[row]
            self.rebuild()

    def rebuild(self) -> None:
        self.table.setRowCount(len(self.lines))
        for row, line in enumerate(self.lines):
            self._fill(row, line)
        self.on_change()

    def _show(self, line: CartLine) -> None:
        row = self.lines.index(line)
        self._fill(row, line)
        self.table.selectRow(row)
        self.table.scrollToItem(self.table.item(row, COL_NAME))
        self.on_change()

    def _fill(self, row: int, line: CartLine) -> None:
        name = cell(line.name, data=line.sku)
        name.setToolTip(f"{line.name}  ({line.sku})")
        self.table.setItem(row, COL_NAME, name)
        price = MoneyEdit()
        price.set_value(line.price)
        price.setAlignment(Qt.AlignmentFlag.AlignRight)
        price.editingFinished.connect(lambda w=price, li=line: self._price(w, li, "price"))
        self.table.setCellWidget(row, COL_PRICE, price)
        qty = ScanAwareSpinBox()
        if self.on_scan:
            qty.scanned.connect(self.on_scan)
        qty.setRange(1, stock.MAX_QUANTITY)
        qty.setValue(line.quantity)
        qty.setAlignment(Qt.AlignmentFlag.AlignRight)
        qty.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.PlusMinus)
        qty.valueChanged.connect(lambda value, li=line: self._quantity(li, value))
        self.table.setCellWidget(row, COL_QTY, qty)
        discount = MoneyEdit(required=False)
        discount.set_value(line.discount or None)
        discount.setPlaceholderText("0")
        discount.setAlignment(Qt.AlignmentFlag.AlignRight)
        discount.editingFinished.connect(lambda w=discount, li=line: self._price(w, li, "discount"))
        self.table.setCellWidget(row, COL_DISCOUNT, discount)
        self.table.setItem(row, COL_AMOUNT, cell(format_rupiah(line.amount), right=True))
        remove = QPushButton("✕")
        remove.setToolTip(_("Remove this line"))
        remove.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        remove.clicked.connect(lambda _c=False, li=line: self.remove_row(self.lines.index(li)))
        self.table.setCellWidget(row, COL_REMOVE, remove)

    def _quantity(self, line: CartLine, value: int) -> None:
        line.quantity = value
        self._update_amount(line)

    def _price(self, widget: MoneyEdit, line: CartLine, field: str) -> None:
        try:
            value = widget.value() or 0
        except ValidationError:
            return  # the field shows itself red; the core says why when recording
        setattr(line, field, value)
        self._update_amount(line)

    def _update_amount(self, line: CartLine) -> None:
        if line in self.lines:
            row = self.lines.index(line)
            self.table.item(row, COL_AMOUNT).setText(format_rupiah(line.amount))
        self.on_change()

    def commit_edits(self) -> None:
        """Take the prices and discounts as typed, also when F9 came before leaving the cell."""
        for row, line in enumerate(self.lines):
            for col, field in ((COL_PRICE, "price"), (COL_DISCOUNT, "discount")):
                widget = self.table.cellWidget(row, col)
                if isinstance(widget, MoneyEdit):
                    setattr(line, field, widget.value() or 0)  # ValidationError says why
        self.on_change()

    def quantity_box(self, row: int) -> QSpinBox:
        return self.table.cellWidget(row, COL_QTY)


class CheckoutTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.picker = ProductPicker(ctx.session, max_rows=5)
        self.picker.picked.connect(self.add_sku)
        self.cart = CartTable(self._cart_changed, self.picker.submit_code)
        self.clear_button = QPushButton(_("Empty the cart"))
        self.clear_button.clicked.connect(self.clear_cart)
        self.remove_button = QPushButton(_("Remove line (Del)"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.whatsapp_button = QPushButton(_("Paste a WhatsApp order…"))
        self.whatsapp_button.clicked.connect(self.paste_whatsapp)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.cart.table).activated.connect(
            self.remove_selected
        )

        self.total_label = QLabel(_("Total"))
        self.total_label.setObjectName("cardTitle")
        self.total = QLabel(format_rupiah(0))
        self.total.setObjectName("saleTotal")
        self.total.setStyleSheet("font-size: 24pt; font-weight: bold; color: #1f3b2d;")
        self.total.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.count_label = QLabel()
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.payment = QButtonGroup(self)
        pay_grid = QGridLayout()
        for i, (code, label) in enumerate(sales.PAYMENTS.items()):
            text = _(label)
            button = QPushButton(text[:1].upper() + text[1:])
            button.setCheckable(True)
            button.setProperty("payment", True)
            button.setMinimumHeight(34)
            button.setProperty("code", code)
            self.payment.addButton(button, i)
            pay_grid.addWidget(button, i // 2, i % 2)
        self.payment.buttons()[0].setChecked(True)
        self.channel = QComboBox()
        for code, label in sales.CHANNELS.items():
            self.channel.addItem(_(label), code)
        self.note = QLineEdit()
        self.note.setMaxLength(stock.MAX_NOTE)
        # Cash: what was handed over (the change to give back). Another method: what is paid
        # now by it, empty for the total; less leaves the rest as a customer's kasbon.
        self.paid_label = QLabel(_("Cash received"))
        self.paid = MoneyEdit(required=False)
        self._cash_error = ""  # what F9 said about the cash, until the cash changes
        self.paid.setPlaceholderText(_("e.g. 100rb"))
        self.paid.textChanged.connect(self._update_change)
        self.change_label = QLabel(_("Change to give"))
        self.change_label.setObjectName("cardTitle")
        self.change = QLabel("-")
        self.change.setObjectName("saleChange")
        self.change.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.payment.buttonToggled.connect(self._payment_changed)
        # Who buys: needed for kasbon, printed on the receipt.
        self.customer: debts.CustomerInfo | None = None
        self.customer_button = QPushButton()
        self.customer_button.clicked.connect(lambda: self.choose_customer())
        self.customer_clear = QToolButton()
        self.customer_clear.setText("✕")
        self.customer_clear.setToolTip(_("No customer"))
        self.customer_clear.clicked.connect(lambda: self.set_customer(None))
        self.set_customer(None)
        self.last_sale: int | None = None
        self.on_credit = False  # this F9 records the unpaid rest as kasbon
        self.receipt_button = QPushButton(_("Receipt…"))
        self.receipt_button.setToolTip(_("Receipt of the last sale…"))
        self.receipt_button.setEnabled(False)
        self.receipt_button.clicked.connect(self.show_receipt)
        self.record_button = QPushButton(_("Record sale (F9)"))
        self.record_button.setProperty("primary", True)
        self.record_button.setMinimumHeight(44)
        self.record_button.setShortcut(QKeySequence("F9"))
        self.record_button.clicked.connect(self.record)
        QShortcut(QKeySequence("Ctrl+Return"), self).activated.connect(self.record)
        self.feedback = FeedbackLabel()

        # An order pasted from WhatsApp fills the cart as a scan does: its button sits by the
        # scan field, so the row under the cart stays narrow enough for 125 %.
        find = QHBoxLayout()
        find.addWidget(self.picker, 1)
        find.addWidget(self.whatsapp_button)
        left = QVBoxLayout()
        left.addLayout(find)
        left.addWidget(self.cart, 1)
        cart_buttons = QHBoxLayout()
        cart_buttons.addWidget(self.remove_button)
        cart_buttons.addWidget(self.clear_button)
        cart_buttons.addStretch(1)
        cart_buttons.addWidget(self.receipt_button)  # under the cart: the panel fits 125 %
        left.addLayout(cart_buttons)

        panel = QFrame()
        panel.setObjectName("card")
        panel.setStyleSheet(PAYMENT_STYLE)
        panel.setFixedWidth(300)
        side = QVBoxLayout(panel)
        total_head = QHBoxLayout()  # "Total" and "2 products, 3 items" share a line
        total_head.addWidget(self.total_label)
        total_head.addStretch(1)
        total_head.addWidget(self.count_label)
        side.addLayout(total_head)
        side.addWidget(self.total)
        side.addWidget(heading(_("Payment")))
        side.addLayout(pay_grid)
        form = QFormLayout()
        form.addRow(_("Channel"), self.channel)
        form.addRow(_("Note"), self.note)
        form.addRow(self.paid_label, self.paid)
        side.addLayout(form)
        customer_row = QHBoxLayout()
        customer_row.addWidget(QLabel(_("Customer")))
        customer_row.addWidget(self.customer_button, 1)
        customer_row.addWidget(self.customer_clear)
        side.addLayout(customer_row)
        change_row = QHBoxLayout()  # the title beside the large amount: fits 125 %
        change_row.addWidget(self.change_label)
        change_row.addWidget(self.change, 1)
        side.addLayout(change_row)
        side.addStretch(1)
        side.addWidget(self.record_button)
        side.addWidget(self.feedback)

        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addWidget(panel)
        self.setTabOrder(self.picker.edit, self.cart.table)
        self.setTabOrder(self.cart.table, self.payment.buttons()[0])
        self.setTabOrder(self.payment.buttons()[-1], self.channel)
        self.setTabOrder(self.channel, self.note)
        self.setTabOrder(self.note, self.paid)
        self.setTabOrder(self.paid, self.record_button)
        self._cart_changed()

    def primary_widget(self) -> QWidget:
        return self.picker.edit

    def reload(self) -> None:
        """The cart keeps what was scanned; nothing to read again."""

    # --- the cart ----------------------------------------------------------------

    def add_sku(self, sku: str) -> None:
        self.ctx.activity()
        try:
            info = catalog.get_variant(self.ctx.session, sku)
        except ShopDeskError as exc:
            self.ctx.show_error(exc, self)
            return
        line = self.cart.add(CartLine(info.sku, info.name, info.unit, info.price, info.on_hand))
        self.feedback.note(
            _("Added: {name} ({count} in the cart)").format(name=info.name, count=line.quantity)
        )

    def paste_whatsapp(self) -> None:
        from ui.dialogs.whatsapp_order import WhatsAppOrderDialog

        dialog = WhatsAppOrderDialog(self)
        if dialog.exec():
            self.fill_from_whatsapp(dialog.text())

    def fill_from_whatsapp(self, text: str) -> None:
        """The lines of a WhatsApp order into the cart, and the channel set to WhatsApp."""
        self.ctx.activity()
        try:
            order = orders.read_whatsapp_order(self.ctx.session, text)
            infos = [(catalog.get_variant(self.ctx.session, li.sku), li) for li in order.lines]
        except ShopDeskError as exc:
            self.feedback.error(exc.message)
            return
        for info, wanted in infos:
            line = self.cart.add(CartLine(info.sku, info.name, info.unit, info.price, info.on_hand))
            line.quantity += wanted.quantity - 1  # add() counted one
        self.cart.rebuild()
        if infos:  # a WhatsApp order is paid by transfer as a rule; the seller may change it
            self.channel.setCurrentIndex(self.channel.findData("whatsapp"))
            for button in self.payment.buttons():
                button.setChecked(button.property("code") == "transfer")
        added = _("{n} products from the WhatsApp order are in the cart.").format(n=len(infos))
        text = " ".join([added, *order.notes])
        if not infos:
            self.feedback.error(text)
        elif order.notes:
            self.feedback.note(text)  # an unknown SKU or another price: read before recording
        else:
            self.feedback.ok(text)

    def remove_selected(self) -> None:
        self.cart.remove_row(self.cart.table.currentRow())

    def clear_cart(self) -> None:
        self.cart.clear()
        self.picker.setFocus()

    def _cart_changed(self) -> None:
        lines = self.cart.lines
        self.total.setText(format_rupiah(sum(line.amount for line in lines)))
        units = sum(line.quantity for line in lines)
        self.count_label.setText(
            _("{lines} products, {units} items").format(
                lines=len(lines), units=format_number(units)
            )
        )
        self.record_button.setEnabled(bool(lines))
        self.clear_button.setEnabled(bool(lines))
        self.remove_button.setEnabled(bool(lines))
        self._update_change()

    def _payment_changed(self, _button: QAbstractButton, checked: bool) -> None:
        """Cash handed over covering the total, then QRIS or transfer: the customer pays
        it all by that method, so the cash amount goes. Less stays: it is what is paid
        now, and F9 asks about the rest as with cash."""
        try:
            check = self._cash_check()
        except ValidationError:
            check = None
        if checked and check is not None and check.paid >= check.total and not check.by_cash:
            self.paid.clear()
        self._update_change()

    def _update_change(self) -> None:
        by_cash = self.payment_code() == "cash"
        self.paid_label.setText(_("Cash received") if by_cash else _("Paid now"))
        self.paid.setPlaceholderText(_("e.g. 100rb") if by_cash else _("empty: paid in full"))
        try:
            check = self._cash_check()
        except ValidationError:
            check = None
        title = _("Change to give")
        if check is None:
            text, color = "-", "#1f3b2d"
        elif check.short:  # the title says it, so the amount stays on one line
            title = _("Cash short") if by_cash else _("Still unpaid")
            text, color = format_rupiah(check.short), "#b3261e"
        elif check.over:
            title, text, color = _("Above the total"), format_rupiah(check.paid), "#b3261e"
        else:
            text, color = format_rupiah(check.change), "#1f6f3f"
        self.change_label.setText(title)
        self.change.setText(text)
        self.change.setStyleSheet(CHANGE_STYLE.format(color=color))
        if self._cash_error and self.feedback.text() == self._cash_error:
            self.feedback.note("")  # "Rp 10.000 is short" no longer holds once corrected
        self._cash_error = ""

    def _cash_check(self) -> sales.CashCheck | None:
        """What is typed as paid now (cash handed over, or paid by the chosen method)
        against the total; None when nothing is typed; bad text raises."""
        if not self.cart.lines:
            return None
        paid = self.paid.value()
        total = sum(line.amount for line in self.cart.lines)
        return None if paid is None else sales.CashCheck(total, paid, self.payment_code())

    # --- the customer and kasbon ---------------------------------------------------

    def set_customer(self, customer: debts.CustomerInfo | None) -> None:
        self.customer = customer
        self.customer_clear.setVisible(customer is not None)
        if customer is None:
            self.customer_button.setText(_("Choose…"))
        else:
            metrics = self.customer_button.fontMetrics()  # a long name ends in "…"
            name = metrics.elidedText(customer.name, Qt.TextElideMode.ElideRight, 110)
            self.customer_button.setText(name)
            self.customer_button.setToolTip(
                _("{name} owes {amount}.").format(
                    name=customer.label, amount=format_rupiah(customer.balance)
                )
            )

    def choose_customer(self, why: str = "") -> bool:
        dialog = ChooseCustomerDialog(self.ctx, self, why)
        if dialog.exec() and dialog.chosen is not None:
            self.set_customer(dialog.chosen)
            return True
        return False

    def _rest_as_kasbon(self, check: sales.CashCheck) -> bool:
        """The underpaid-sale question: record the rest as the customer's kasbon?"""
        text = (
            check.short_message()
            + "\n\n"
            + _("Or record the {short} still unpaid as kasbon of {customer}?").format(
                short=format_rupiah(check.short),
                customer=self.customer.name if self.customer else _("a customer"),
            )
        )
        if not ask(
            self,
            _("Cash short") if check.by_cash else _("Still unpaid"),
            text,
            _("Record the rest as kasbon"),
            _("Correct the cash") if check.by_cash else _("Correct the amount"),
        ):
            return False
        if self.customer is None:
            why = _("Who owes the {short}?").format(short=format_rupiah(check.short))
            return self.choose_customer(why)
        return True

    def _cash_to_record(self) -> tuple[bool, sales.CashCheck | None]:
        """(go on?, what is paid now): short stops F9 unless the rest becomes kasbon, by
        cash or another method alike; cash far above the total asks once; another
        method above the total is refused."""
        self.on_credit = False
        try:
            check = self._cash_check()
        except ValidationError as exc:
            return self._correct_cash(exc.message), None
        if check is None:
            return True, None
        if check.short:
            if self._rest_as_kasbon(check):
                self.on_credit = True
                return True, check
            return self._correct_cash(check.short_message()), None
        if check.over:
            return self._correct_cash(check.over_message()), None
        if check.suspicious and not ask(
            self,
            _("Check the cash received"),
            check.suspicious_message(),
            _("Record the sale"),
            _("Correct the cash"),
        ):
            return self._correct_cash(""), None
        return True, check

    def _correct_cash(self, message: str) -> bool:
        """Nothing is recorded; the cursor waits in the cash field."""
        if message:
            self.feedback.error(message)
            self._cash_error = self.feedback.text()
            QApplication.beep()
        self.paid.setFocus()
        self.paid.selectAll()
        return False

    # --- recording ---------------------------------------------------------------

    def payment_code(self) -> str:
        return self.payment.checkedButton().property("code")

    def record(self) -> None:
        lines = self.cart.lines
        if not lines:
            return
        try:
            self.cart.commit_edits()
        except ShopDeskError as exc:
            self.feedback.error(exc.message)
            self.ctx.show_error(exc, self)
            return
        go_on, check = self._cash_to_record()
        if not go_on:
            return
        items = [LineInput(li.sku, li.quantity, li.price, li.discount) for li in lines]
        args = {
            "lines": items,
            "payment": self.payment_code(),
            "channel": self.channel.currentData(),
            "note": self.note.text(),
            "cash": check.paid if check and check.by_cash else None,
            "confirm_cash": True,  # asked above when it was far above the total
            "customer": None if self.customer is None else self.customer.id,
            "paid": check.paid if check and self.on_credit else None,
        }
        try:
            sale = self._record_asking(args)
        except ShopDeskError as exc:
            self.feedback.error(exc.message)
            self.ctx.show_error(exc, self)
            return
        if sale is None:  # the seller said no: the cart stays as it is
            return
        done = _("Sale {number} recorded: {total} ({payment}).").format(
            number=sale.number,
            total=format_rupiah(sale.total),
            payment=sales.payment_label(sale.payment),
        )
        if sale.on_credit:
            done += " " + _("Kasbon of {name}: {amount}.").format(
                name=sale.customer_name, amount=format_rupiah(sale.on_credit)
            )
        self.feedback.ok(done)
        self.last_sale = sale.number
        self.receipt_button.setEnabled(True)
        self.cart.clear()
        self.note.clear()
        self.paid.clear()
        self.set_customer(None)
        self.ctx.notify("sales", "stock", "debts")
        self.picker.setFocus()

    def show_receipt(self) -> None:
        from ui.dialogs.receipt import ReceiptDialog  # reportlab loads with the first receipt

        if self.last_sale is not None:
            ReceiptDialog(self.ctx, self.last_sale, self).exec()

    def _record_asking(self, args: dict) -> sales.SaleInfo | None:
        """Record; ask before stock goes below zero or expired stock is sold.

        None when the seller declines to sell expired stock (nothing recorded).
        """
        allowed: dict[str, bool] = {}
        while True:
            try:
                return sales.record_sale(self.ctx.session, **args, **allowed)
            except stock.ExpiredStockError as exc:
                if allowed.get("allow_expired"):
                    raise
                if not self._confirm_expired(exc):
                    self.feedback.error(exc.message)
                    return None
                allowed["allow_expired"] = True
            except ValidationError as exc:
                if allowed.get("allow_negative") or not self._confirm_below_zero(exc):
                    raise
                allowed["allow_negative"] = True

    def _confirm_expired(self, exc: stock.ExpiredStockError) -> bool:
        """Selling expired stock needs a yes for this sale; the default button is No."""
        batches = "\n".join(f"• {lot.text()}" for lot in exc.lots)
        text = _(
            "This sale would sell expired stock:\n{batches}\n\nSell it anyway? Food past its "
            "expiry date can make a customer ill, and the sale is logged with these batches. "
            "Better: take them off the shelf and write them off on the Stock page."
        ).format(batches=batches)
        return ask(self, _("Expired stock"), text, _("Sell expired stock"), _("No, keep the cart"))

    def _confirm_below_zero(self, exc: ValidationError) -> bool:
        short = [li for li in self.cart.lines if li.quantity > li.on_hand]
        if not short:
            return False
        names = ", ".join(
            _("{name} (in stock {stock})").format(name=li.name, stock=li.on_hand) for li in short
        )
        text = (
            exc.message
            + "\n\n"
            + _(
                "Record the sale anyway? The stock of {names} goes below zero; "
                "count it later to correct it."
            ).format(names=names)
        )
        return ask(self, _("Not enough stock"), text, _("Record anyway"))


class SalesPage(Page):
    title = N_("Sales")
    refresh_on = ("sales", "stock", "products", "debts")  # the summary's kasbon line

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.checkout = CheckoutTab(ctx)
        self.summary = SummaryTab(ctx)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.checkout, _("&Cashier"))
        self.tabs.addTab(self.summary, _("&Daily summary"))
        self.tabs.currentChanged.connect(self._tab_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def _tab_changed(self, _index: int) -> None:
        self.refresh()
        self.tabs.currentWidget().primary_widget().setFocus()

    def refresh(self) -> None:
        self.tabs.currentWidget().reload()

    def primary_widget(self) -> QWidget | None:
        return self.tabs.currentWidget().primary_widget()


__all__ = ["SalesPage"]
