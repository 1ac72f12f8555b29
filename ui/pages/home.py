"""Beranda: the shop at a glance, as pictures (cards, a painted chart), not tables."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shopdesk import debts, first_steps, reports, stock
from shopdesk.catalog import search
from shopdesk.i18n import N_, _
from shopdesk.money import format_number, format_rupiah
from ui import core_bridge
from ui.context import AppContext
from ui.pages.base import Page
from ui.pages.stock_expired import EXPIRED_TAB
from ui.widgets.charts import BarChart, ShareBar
from ui.widgets.first_steps import FirstStepsCard

EXPIRY_WINDOW_DAYS = 30  # what "soon" means on this screen
LIST_LINES = 4


class Card(QFrame):
    """A title, one big figure, a few lines and an optional button to the page behind it."""

    def __init__(self, title: str, action: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.title = QLabel(title)
        self.title.setObjectName("cardTitle")
        self.title.setWordWrap(True)  # never cut, even at 125 % on 1366x768
        self.value = QLabel("–")
        self.value.setObjectName("cardValue")
        self.lines = QLabel()
        self.lines.setWordWrap(True)
        self.lines.setTextFormat(Qt.TextFormat.PlainText)
        self.lines.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.button = QPushButton(action) if action else None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 8)
        layout.addWidget(self.title)
        layout.addWidget(self.value)
        layout.addWidget(self.lines, 1)
        if self.button:
            layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)

    def show_figure(self, value: str, lines: list[str] | None = None, *, warn=False) -> None:
        self.value.setText(value)
        self.value.setProperty("warn", warn)
        self.value.style().unpolish(self.value)
        self.value.style().polish(self.value)
        self.lines.setText("\n".join(lines or []))


class HomePage(Page):
    title = N_("Home")
    refresh_on = ("products", "stock", "sales", "exports", "shop", "labels", "debts")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.today = Card(_("Today's sales"), _("Sell (Ctrl+4)"))
        self.low = Card(_("Running low"), _("Stock (Ctrl+3)"))
        self.expiring = Card(
            _("Expired or expiring within {days} days").format(days=EXPIRY_WINDOW_DAYS),
            _("Expired stock…"),
        )
        # The way to the write-off of expired batches (Stock page, Expired tab).
        self.expiring.button.clicked.connect(lambda: ctx.navigate("stock", EXPIRED_TAB))
        self.waiting = Card(_("Listings waiting for upload"), _("Export (Ctrl+8)"))
        self.kasbon = Card(_("Kasbon (customers' debts)"), _("Kasbon (Ctrl+6)"))
        self.kasbon.button.clicked.connect(lambda: ctx.navigate("debts"))
        self.value = Card(_("Stock value"))
        self.stock_bar = ShareBar()
        self.value.layout().insertWidget(2, self.stock_bar)
        chart_card = QFrame()
        chart_card.setObjectName("card")
        chart_title = QLabel(_("Sales in the last 30 days"))
        chart_title.setObjectName("cardTitle")
        self.chart = BarChart()
        chart_layout = QVBoxLayout(chart_card)
        chart_layout.setContentsMargins(14, 8, 14, 8)
        chart_layout.addWidget(chart_title)
        chart_layout.addWidget(self.chart, 1)
        self.month_total = QLabel()
        self.month_total.setObjectName("subtitle")
        chart_layout.addWidget(self.month_total)

        for card, page in ((self.today, "sales"), (self.low, "stock"), (self.waiting, "export")):
            card.button.clicked.connect(lambda _c=False, p=page: ctx.navigate(p))

        # A new shop's way from an empty list to its first sale (hidden once it sold).
        self.first_steps = FirstStepsCard(ctx)
        self.first_steps.setVisible(False)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 4, 0, 0)
        grid.setSpacing(10)
        grid.addWidget(self.first_steps, 0, 0, 1, 4)
        grid.addWidget(self.today, 1, 0)
        grid.addWidget(self.low, 1, 1)
        grid.addWidget(self.expiring, 1, 2)
        grid.addWidget(self.waiting, 1, 3)
        grid.addWidget(chart_card, 2, 0, 1, 2)
        grid.addWidget(self.kasbon, 2, 2)
        grid.addWidget(self.value, 2, 3)
        grid.setRowStretch(2, 1)
        for col in range(4):
            grid.setColumnStretch(col, 1)

    def _show_waiting(self, waiting: int) -> None:
        self.waiting.show_figure(
            str(waiting),
            [_("Make a bundle on the Export page.")] if waiting else [_("Everything is uploaded.")],
        )

    def refresh(self) -> None:
        """Every figure is read off the GUI thread (some are slow on a big shop)."""
        session = self.ctx.session
        self.ctx.run(lambda _ctl: read_home(session), on_done=self.show_figures, parent=self)
        self.ctx.run(lambda _ctl: core_bridge.listings_waiting(session), on_done=self._show_waiting)

    def show_figures(self, f: HomeFigures) -> None:
        self.first_steps.show_steps(f.steps)
        units_by_name: dict[str, int] = {}
        for line in f.day.products:  # variants of one product shown as one line
            units_by_name[line.product_name] = units_by_name.get(line.product_name, 0) + line.units
        best = [
            f"{format_number(units)}× {name}"
            for name, units in list(units_by_name.items())[:LIST_LINES]
        ]
        self.today.show_figure(
            format_rupiah(f.day.revenue),
            [_("{count} sales, {units} items").format(count=f.day.sales, units=f.day.units), *best],
        )
        self.low.show_figure(
            str(len(f.low)),
            [f"{r.product_name}: {format_number(r.on_hand)}" for r in f.low[:LIST_LINES]]
            or [_("All stock is fine.")],
            warn=bool(f.low),
        )
        stale = (
            [_("{count} batches expired: write them off").format(count=len(f.expired))]
            if f.expired
            else []
        )
        self.expiring.show_figure(
            str(len(f.expired) + len(f.soon)),
            stale
            + [f"{b.product_name} · {b.expires_on.strftime('%d/%m')}" for b in f.soon[:LIST_LINES]]
            or [_("Nothing expires soon.")],
            warn=bool(f.expired or f.soon),
        )
        owing, owed = f.kasbon
        oldest = [
            _("{name}: {amount}, {days} days").format(
                name=r.name, amount=format_rupiah(r.balance), days=r.age_days
            )
            if r.age_days
            else _("{name}: {amount}, today").format(name=r.name, amount=format_rupiah(r.balance))
            for r in f.oldest_debts[:LIST_LINES]
        ]
        self.kasbon.show_figure(
            format_rupiah(owed),
            [_("{count} customers owe").format(count=owing), *oldest]
            if owing
            else [_("Nobody owes anything.")],
            warn=any(r.age_days > debts.MONTH for r in f.oldest_debts),
        )
        self.value.show_figure(
            format_rupiah(f.value.at_price),
            [
                _("Cost value: {amount}").format(amount=format_rupiah(f.value.at_cost)),
                _("{units} items in {variants} products").format(
                    units=format_number(f.value.units), variants=format_number(f.value.variants)
                ),
            ],
        )
        self.stock_bar.set_parts(
            [
                (_("Enough stock"), f.in_stock - f.running_low, QColor("#2f6f4f")),
                (_("Running low"), f.running_low, QColor("#e08a1e")),
                (_("Out of stock"), f.sold_out, QColor("#b3261e")),
            ]
        )
        self.chart.set_points([(p.day, p.revenue) for p in f.series])
        self.month_total.setText(
            _("30 days: {amount} from {count} sales").format(
                amount=format_rupiah(sum(p.revenue for p in f.series)),
                count=sum(p.sales for p in f.series),
            )
        )


@dataclass(frozen=True)
class HomeFigures:
    day: reports.Summary
    low: list
    soon: list
    expired: list
    value: reports.StockValue
    in_stock: int
    running_low: int
    sold_out: int
    series: list
    steps: first_steps.FirstSteps
    kasbon: tuple[int, int]  # customers who owe, what they owe together
    oldest_debts: list


def read_home(session) -> HomeFigures:
    """The core reads behind Beranda (run in a worker thread)."""
    return HomeFigures(
        day=reports.daily_summary(session),
        low=reports.low_stock(session),
        soon=stock.expiring(session, within_days=EXPIRY_WINDOW_DAYS),
        expired=stock.expired(session),
        value=reports.stock_value(session),
        in_stock=search.count(session, "", stock_state="in"),
        running_low=search.count(session, "", stock_state="low"),
        sold_out=search.count(session, "", stock_state="out"),
        series=reports.daily_series(session, days=30),
        steps=first_steps.first_steps(session),
        kasbon=debts.total_owed(session),
        oldest_debts=debts.debts(session, sort="age"),
    )
