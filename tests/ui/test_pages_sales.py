"""Penjualan: sell by simulated scanner input, the daily summary, a void."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from shopdesk import catalog, reports, sales, stock
from tests.stock_factories import ean13, make_product
from tests.ui.conftest import scan

pytestmark = pytest.mark.usefixtures("answers_yes")


def test_sell_by_scanner(qtbot, logged_in):
    session = logged_in.ctx.session
    code_a = ean13("899123400100")
    sku_a = make_product(session, name="Kopi Bubuk 100 g", price=18_000, barcode=code_a)
    sku_b = make_product(session, name="Gula Semut 250 g", price=12_500)
    stock.receive(session, sku=sku_a, quantity=10)
    stock.receive(session, sku=sku_b, quantity=10)
    page = logged_in.workspace.open_page("sales")
    assert type(page).__name__ == "SalesPage"
    checkout = page.checkout
    field = checkout.picker.edit
    scan(qtbot, field, code_a)
    scan(qtbot, field, code_a)  # the same pack again: one more of the same line
    qtbot.keyClicks(field, "gula sem")  # a name typed by hand, Enter picks the match
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert [(li.sku, li.quantity) for li in checkout.cart.lines] == [(sku_a, 2), (sku_b, 1)]
    assert checkout.total.text() == "Rp 48.500"
    checkout.cart.quantity_box(1).setValue(3)
    assert checkout.total.text() == "Rp 73.500"
    qtbot.keyClicks(checkout.paid, "100rb")  # cash: what to give back
    assert checkout.change.text() == "Rp 26.500"
    checkout.payment.buttons()[2].click()  # QRIS for all of it: no change, no cash amount
    assert checkout.change.text() == "-" and checkout.paid.text() == ""  # paid in full by QRIS
    checkout.channel.setCurrentIndex(checkout.channel.findData("whatsapp"))
    checkout.record_button.click()
    assert checkout.feedback.kind == "ok", checkout.feedback.text()
    assert checkout.cart.lines == []
    [sale] = sales.list_sales(session)
    assert (sale.total, sale.payment, sale.channel) == (73_500, "qris", "whatsapp")
    assert catalog.get_variant(session, sku_a).on_hand == 8
    assert catalog.get_variant(session, sku_b).on_hand == 7

    page.tabs.setCurrentWidget(page.summary)
    summary = page.summary
    assert summary.cards["revenue"].value.text() == "Rp 73.500"
    assert "QRIS: Rp 73.500" in summary.by_payment.text()
    assert summary.sales_table.rowCount() == 1
    summary.sales_table.selectRow(0)
    summary.void_button.click()
    assert reports.daily_summary(session).revenue == 0
    assert catalog.get_variant(session, sku_a).on_hand == 10
    assert summary.cards["sales"].value.text() == "0"


def test_unknown_scan_says_so_and_adds_nothing(qtbot, logged_in):
    make_product(logged_in.ctx.session, name="Madu Kelulut")
    page = logged_in.workspace.open_page("sales")
    field = page.checkout.picker.edit
    scan(qtbot, field, "8990000000007")
    assert page.checkout.cart.lines == []
    assert "8990000000007" in page.checkout.picker.message.text()


def test_sale_beyond_stock_asks_before_going_below_zero(qtbot, logged_in):
    from ui.widgets import ask

    session = logged_in.ctx.session
    sku = make_product(session, name="Sambal Roa")
    page = logged_in.workspace.open_page("sales")
    page.checkout.add_sku(sku)
    ask.set_answer(False)
    page.checkout.record_button.click()
    assert ask.asked and sales.list_sales(session) == []
    assert len(page.checkout.cart.lines) == 1
    ask.set_answer(True)
    page.checkout.record_button.click()
    assert catalog.get_variant(session, sku).on_hand == -1


def test_a_price_typed_then_f9_counts(qtbot, logged_in):
    session = logged_in.ctx.session
    sku = make_product(session, name="Kopi Tubruk", price=20_000)
    stock.receive(session, sku=sku, quantity=5)
    page = logged_in.workspace.open_page("sales")
    page.checkout.add_sku(sku)
    price = page.checkout.cart.table.cellWidget(0, 1)
    price.clear()
    qtbot.keyClicks(price, "17,5rb")  # still in the cell: no editingFinished yet
    page.checkout.record()  # what F9 does
    [sale] = sales.list_sales(session)
    assert sale.total == 17_500


def test_a_scan_into_a_cart_quantity_adds_that_product(qtbot, logged_in):
    session = logged_in.ctx.session
    code_b = ean13("899123400333")
    sku_a = make_product(session, name="Teh Hijau")
    sku_b = make_product(session, name="Teh Hitam", barcode=code_b)
    page = logged_in.workspace.open_page("sales")
    page.checkout.add_sku(sku_a)
    box = page.checkout.cart.quantity_box(0)
    box.selectAll()
    scan(qtbot, box, code_b)  # the cursor was in the quantity when the pack was scanned
    assert [(li.sku, li.quantity) for li in page.checkout.cart.lines] == [(sku_a, 1), (sku_b, 1)]
