"""The cashier and the cash received: short stops F9, far above asks once, the change (issue 16)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from shopdesk import sales, stock
from tests.stock_factories import make_product
from ui.widgets import ask


@pytest.fixture
def checkout(qtbot, logged_in):
    session = logged_in.ctx.session
    sku = make_product(session, name="Beras Pandan 5 kg", price=63_000)
    stock.receive(session, sku=sku, quantity=10)
    page = logged_in.workspace.open_page("sales")
    logged_in.activateWindow()
    page.checkout.add_sku(sku)
    page.checkout.paid.setFocus()
    yield page.checkout
    ask.set_answer(None)


def press_f9(qtbot, checkout) -> None:
    """F9 as the seller presses it; the button's shortcut clicks it once its animation ends."""
    with qtbot.waitSignal(checkout.record_button.clicked):
        qtbot.keyClick(checkout.paid, Qt.Key.Key_F9)


def test_underpaid_cash_stops_f9_until_corrected(qtbot, checkout):
    session = checkout.ctx.session
    qtbot.keyClicks(checkout.paid, "50rb")
    assert "Rp 13.000" in checkout.change.text()
    ask.set_answer(False)  # not the rest as kasbon (issue 19): correct the cash
    press_f9(qtbot, checkout)
    assert "kasbon" in ask.asked[0]
    ask.set_answer(None)
    assert sales.list_sales(session) == []
    assert "Rp 13.000" in checkout.feedback.text()
    assert checkout.paid.hasFocus() and checkout.paid.selectedText() == "50rb"
    assert len(checkout.cart.lines) == 1  # the cart is kept
    qtbot.keyClicks(checkout.paid, "70rb")  # typed over the selected amount
    assert checkout.change.text() == "Rp 7.000"
    assert "Rp 13.000" not in checkout.feedback.text()  # the stale "short" message is gone
    press_f9(qtbot, checkout)
    [sale] = sales.list_sales(session)
    assert (sale.total, sale.payment) == (63_000, "cash")

    checkout.add_sku(sale.lines[0].sku)  # short cash, then QRIS: the amount is paid by QRIS
    qtbot.keyClicks(checkout.paid, "10rb")
    checkout.payment.buttons()[2].click()
    assert checkout.change_label.text() == "Belum dibayar" and checkout.change.text() == "Rp 53.000"
    checkout.paid.clear()  # empty: the whole total by QRIS
    assert checkout.change.text() == "-" and checkout.paid.isEnabled()
    press_f9(qtbot, checkout)
    assert [s.payment for s in sales.list_sales(session)] == ["qris", "cash"]


def test_cash_far_above_the_total_asks_once_no_keeps_the_cart(qtbot, checkout):
    session = checkout.ctx.session
    qtbot.keyClicks(checkout.paid, "1jt")
    assert checkout.change.text() == "Rp 937.000"
    ask.set_answer(False)
    press_f9(qtbot, checkout)
    assert len(ask.asked) == 1 and "Rp 937.000" in ask.asked[0]
    assert sales.list_sales(session) == [] and checkout.paid.hasFocus()
    ask.set_answer(True)
    press_f9(qtbot, checkout)
    assert len(ask.asked) == 1
    assert [s.total for s in sales.list_sales(session)] == [63_000]

    checkout.add_sku(sales.list_sales(session)[0].lines[0].sku)  # a 100rb note: no question
    qtbot.keyClicks(checkout.paid, "100rb")
    assert checkout.change.text() == "Rp 37.000"
    press_f9(qtbot, checkout)
    assert len(ask.asked) == 1 and len(sales.list_sales(session)) == 2
