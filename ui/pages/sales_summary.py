"""Ringkasan harian: one local day of sales, its totals and best sellers, voids, and the
day's kasbon (given, paid back, money in: ``debt_reports.cash_in``, as the Uang masuk tab)."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shopdesk import debt_reports, reports, sales
from shopdesk.clock import local_day_bounds, local_today
from shopdesk.errors import ShopDeskError
from shopdesk.i18n import _
from shopdesk.money import format_number, format_rupiah
from ui.context import AppContext
from ui.widgets.ask import ask
from ui.widgets.date_field import DateField
from ui.widgets.feedback import FeedbackLabel, cell, heading, local_time, make_table


class Card(QFrame):
    def __init__(self, title: str) -> None:
        super().__init__()
        self.setObjectName("card")
        self.title = QLabel(title)
        self.title.setObjectName("cardTitle")
        self.value = QLabel("-")
        self.value.setObjectName("cardValue")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.title)
        layout.addWidget(self.value)


class SummaryTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.day = DateField(_("the day"), weekday=True)
        self.day.set_value(local_today(ctx.session.timezone))
        self.day.edited.connect(self.reload)
        previous = QPushButton("◀")
        previous.setToolTip(_("Previous day (Alt+Left)"))
        previous.setShortcut("Alt+Left")
        previous.clicked.connect(lambda: self._shift(-1))
        following = QPushButton("▶")
        following.setToolTip(_("Next day (Alt+Right)"))
        following.setShortcut("Alt+Right")
        following.clicked.connect(lambda: self._shift(1))
        today = QPushButton(_("Today"))
        today.clicked.connect(lambda: self._set_day(local_today(ctx.session.timezone)))
        self.cards = {
            "sales": Card(_("Sales")),
            "units": Card(_("Items sold")),
            "revenue": Card(_("Revenue")),
            "margin": Card(_("Margin (revenue - cost)")),
        }
        self.products = make_table(
            [_("Product"), _("SKU"), _("Items"), _("Revenue"), _("Margin")], stretch=0
        )
        self.sales_table = make_table(
            [_("No"), _("Time"), _("Total"), _("Payment"), _("Channel"), _("Status")],
            stretch=4,
        )
        self.sales_table.itemSelectionChanged.connect(self._selection)
        self.void_button = QPushButton(_("Void the chosen sale…"))
        self.void_button.setEnabled(False)
        self.void_button.clicked.connect(self.void_selected)
        self.receipt_button = QPushButton(_("Receipt…"))
        self.receipt_button.setEnabled(False)
        self.receipt_button.clicked.connect(self.receipt_of_selected)
        self.feedback = FeedbackLabel()
        self.by_payment = QLabel()
        self.by_payment.setObjectName("byPayment")
        self.by_payment.setWordWrap(True)
        self.kasbon = QLabel()
        self.kasbon.setObjectName("dayKasbon")
        self.kasbon.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(previous)
        top.addWidget(self.day)
        top.addWidget(following)
        top.addWidget(today)
        top.addStretch(1)
        cards = QHBoxLayout()
        for card in self.cards.values():
            cards.addWidget(card)
        tables = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(heading(_("Best sellers")))
        left.addWidget(self.products)
        right = QVBoxLayout()
        right.addWidget(heading(_("Sales of the day")))
        right.addWidget(self.sales_table)
        bottom = QHBoxLayout()
        bottom.addWidget(self.void_button)
        bottom.addWidget(self.receipt_button)
        bottom.addWidget(self.feedback, 1)
        right.addLayout(bottom)
        tables.addLayout(left, 1)
        tables.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(cards)
        layout.addWidget(self.by_payment)
        layout.addWidget(self.kasbon)
        layout.addLayout(tables, 1)
        self.products.horizontalHeader().setSectionResizeMode(
            0, self.products.horizontalHeader().ResizeMode.Stretch
        )

    def primary_widget(self) -> QWidget:
        return self.day

    def _set_day(self, day: date) -> None:
        self.day.pick(day)

    def _shift(self, days: int) -> None:
        day = None if self.day.problem() else self.day.value()
        if day is not None:
            self._set_day(day + timedelta(days=days))

    def reload(self) -> None:
        session = self.ctx.session
        day = None if self.day.problem() else self.day.value()
        if day is None:
            return  # the field says what is wrong beneath itself
        summary = reports.daily_summary(session, day=day)
        self.cards["sales"].value.setText(format_number(summary.sales))
        self.cards["units"].value.setText(format_number(summary.units))
        self.cards["revenue"].value.setText(format_rupiah(summary.revenue))
        self.cards["margin"].value.setText(format_rupiah(summary.margin))
        self.products.setRowCount(len(summary.products))
        for r, p in enumerate(summary.products):
            self.products.setItem(r, 0, cell(p.product_name))
            self.products.setItem(r, 1, cell(p.sku))
            self.products.setItem(r, 2, cell(format_number(p.units), right=True))
            self.products.setItem(r, 3, cell(format_rupiah(p.revenue), right=True))
            self.products.setItem(r, 4, cell(format_rupiah(p.margin), right=True))
        start, end = local_day_bounds(day, session.timezone)
        rows = sales.list_sales(session, since=start, until=end, limit=500)
        self._show_payments(rows)
        self._show_kasbon(day)
        self.sales_table.setRowCount(len(rows))
        for r, s in enumerate(rows):
            items = sum(line.quantity for line in s.lines)
            values = [
                cell(s.number, data=s.number),
                cell(local_time(s.at, session.timezone)[-5:]),
                cell(format_rupiah(s.total), right=True),
                cell(sales.payment_label(s.payment)),
                cell(sales.channel_label(s.channel)),
                cell(_("voided") if s.voided else _("ok")),
            ]
            values[0].setToolTip(
                _("{items} items: {names}").format(
                    items=format_number(items),
                    names=", ".join(f"{line.quantity}× {line.product_name}" for line in s.lines),
                )
            )
            for c, item in enumerate(values):
                if s.voided:
                    item.setForeground(Qt.GlobalColor.gray)
                self.sales_table.setItem(r, c, item)
        self._selection()

    def _show_payments(self, rows) -> None:
        """What should be in the cash box and on the account: totals per payment method."""
        totals: dict[str, int] = {}
        for sale in rows:
            if not sale.voided:
                totals[sale.payment] = totals.get(sale.payment, 0) + sale.total
        parts = [
            _("{payment}: {amount}").format(
                payment=sales.payment_label(code), amount=format_rupiah(amount)
            )
            for code, amount in sorted(totals.items(), key=lambda kv: -kv[1])
        ]
        self.by_payment.setText(
            _("By payment — {parts}").format(parts="  ·  ".join(parts)) if parts else ""
        )
        self.by_payment.setVisible(bool(parts))

    def _show_kasbon(self, day: date) -> None:
        """The day's row of the Uang masuk tab, in its words: sales paid on credit are
        in the revenue above but not in the cash box."""
        [figures] = debt_reports.cash_in(self.ctx.session, days=1, today=day)
        parts = [
            _("{what}: {amount}").format(what=what, amount=format_rupiah(amount))
            for what, amount in (
                (_("Kasbon given"), figures.on_credit),  # the Uang masuk tab's column names
                (_("Kasbon paid back"), figures.repaid),
                (_("Money in"), figures.cash_in),
            )
        ]
        self.kasbon.setText("  ·  ".join(parts))
        self.kasbon.setVisible(bool(figures.sales or figures.repaid))

    def _selected_number(self) -> int | None:
        row = self.sales_table.currentRow()
        item = self.sales_table.item(row, 0) if row >= 0 else None
        if item is None or self.sales_table.item(row, 5).text() == _("voided"):
            return None
        return item.data(Qt.ItemDataRole.UserRole)

    def _selection(self) -> None:
        self.void_button.setEnabled(self._selected_number() is not None)
        self.receipt_button.setEnabled(self.sales_table.currentRow() >= 0)

    def receipt_of_selected(self) -> None:
        from ui.dialogs.receipt import ReceiptDialog  # reportlab loads with the first receipt

        row = self.sales_table.currentRow()
        item = self.sales_table.item(row, 0) if row >= 0 else None
        if item is not None:
            ReceiptDialog(self.ctx, item.data(Qt.ItemDataRole.UserRole), self).exec()

    def void_selected(self) -> None:
        number = self._selected_number()
        if number is None:
            return
        question = _(
            "Void sale {number}? Its stock goes back on the shelf and it no longer counts "
            "in the totals. This can be done only once."
        ).format(number=number)
        if not ask(self, _("Void sale"), question, _("Void the sale")):
            return
        try:
            sales.void_sale(self.ctx.session, number=number)
        except ShopDeskError as exc:
            self.ctx.show_error(exc, self)
            return
        self.feedback.ok(_("Sale {number} voided.").format(number=number))
        self.ctx.notify("sales", "stock", "debts")  # the Sales page reloads this tab
