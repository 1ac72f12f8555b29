"""As seller B, none of seller A's data shows on the Stok, Penjualan, Label and Ekspor pages,
and A's barcodes scan as unknown."""

from __future__ import annotations

from PySide6.QtCore import Qt

from shopdesk import sales, stock
from shopdesk.stock import stocktake
from tests.conftest import PIN_A, PIN_B
from tests.stock_factories import ean13, make_product
from tests.ui.conftest import login, scan


def test_seller_b_sees_nothing_of_seller_a(qtbot, window, seller, seller_b):
    window.show_start()  # the picker lists the sellers made after the window
    login(qtbot, window, "kopi", PIN_A)
    a = window.ctx.session
    code = ean13("899123409999")
    sku = make_product(a, name="Kopi Rahasia Sindoro", barcode=code, shelf_life_days=90)
    stock.receive(a, sku=sku, quantity=9, batch_code="RHS-1")
    sales.record_sale(a, lines=[(sku, 2)])
    stocktake.start_count(a)
    stocktake.scan(a, code=code)
    page = window.workspace.open_page("stock")
    page.tabs.setCurrentWidget(page.history)
    assert page.history.table.rowCount() == 2  # A sees A's movements

    window.lock()
    window.show_start()
    login(qtbot, window, "madu", PIN_B)
    assert window.ctx.session.login == "madu"
    ws = window.workspace

    page = ws.open_page("stock")
    scan(qtbot, page.stock_in.picker.edit, code)
    assert page.stock_in.info is None
    qtbot.keyClicks(page.stock_in.picker.edit, "rahasia")
    qtbot.keyClick(page.stock_in.picker.edit, Qt.Key.Key_Return)
    assert page.stock_in.info is None
    assert page.stock_in.picker.message.isVisibleTo(page)
    page.tabs.setCurrentWidget(page.history)
    assert page.history.table.rowCount() == 0
    page.tabs.setCurrentWidget(page.count)
    assert page.count.stack.currentWidget() is page.count.start_panel  # A's count stays A's
    assert page.count.start_panel.past.rowCount() == 0

    page = ws.open_page("sales")
    scan(qtbot, page.checkout.picker.edit, code)
    assert page.checkout.cart.lines == []
    page.tabs.setCurrentWidget(page.summary)
    assert page.summary.sales_table.rowCount() == 0
    assert page.summary.cards["revenue"].value.text() == "Rp 0"

    labels = ws.open_page("labels")
    scan(qtbot, labels.picker.edit, code)
    assert labels.items.table.rowCount() == 0

    export = ws.open_page("export")
    assert all(label.text().startswith("0 ") for label in export.waiting.values())
    export.check_button.click()
    qtbot.waitUntil(lambda: not export.bar.busy, timeout=30000)
    for row in range(export.issues.rowCount()):
        assert "Rahasia" not in export.issues.item(row, 2).text()
