"""Enter picks (issue 16, point 1): a name typed then Enter picks its only match, in the
cashier, stock in, labels and stocktake; of several it asks to choose; a scan goes by code."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from shopdesk import stock
from shopdesk.stock import stocktake
from tests.stock_factories import ean13, make_product
from tests.ui.conftest import press_keys, scan

pytestmark = pytest.mark.usefixtures("answers_yes")
QUICK_TYPIST_MS = 60  # a key every 60 ms by the keys' own timestamps: typing, not a scan


def type_enter(qtbot, field, text: str) -> None:
    """Typed at once and Enter before the suggestions had time to show (a quick typist)."""
    press_keys(field, text, QUICK_TYPIST_MS)


@pytest.fixture
def products(logged_in):
    session = logged_in.ctx.session
    skus = {
        "aren": make_product(session, name="Gula Aren Cair"),
        "balado": make_product(session, name="Keripik Balado"),
        "original": make_product(session, name="Keripik Original"),
        "susu": make_product(session, name="Susu Kambing 8991234"),
    }
    for sku in skus.values():
        stock.receive(session, sku=sku, quantity=5)
    return skus


def test_cashier_enter_picks_the_only_match_asks_among_several(qtbot, logged_in, products):
    checkout = logged_in.workspace.open_page("sales").checkout
    picker, field = checkout.picker, checkout.picker.edit
    type_enter(qtbot, field, "aren")
    assert [li.sku for li in checkout.cart.lines] == [products["aren"]]
    assert field.text() == "" and not picker.message.isVisible()

    type_enter(qtbot, field, "keripik")  # two matches, none chosen: nothing is guessed
    assert len(checkout.cart.lines) == 1
    assert picker.results.count() == 2 and picker.results.currentItem() is None
    assert "keripik" in picker.message.text() and picker.message.isVisible()
    qtbot.keyClick(field, Qt.Key.Key_Down)
    qtbot.keyClick(field, Qt.Key.Key_Down)  # the second match, chosen by the seller
    second = picker.results.item(1).data(Qt.ItemDataRole.UserRole)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert [li.sku for li in checkout.cart.lines] == [products["aren"], second]

    type_enter(qtbot, field, products["balado"])  # an exact SKU still picks at once
    assert checkout.cart.lines[-1].sku == products["balado"]
    scan(qtbot, field, "8991234")  # a scan: its exact code or nothing, never a name
    assert len(checkout.cart.lines) == 3 and "8991234" in picker.message.text()


def test_stock_in_enter_picks_the_only_match(qtbot, logged_in, products):
    page = logged_in.workspace.open_page("stock")
    page.tabs.setCurrentWidget(page.stock_in)
    type_enter(qtbot, page.stock_in.picker.edit, "aren")
    assert page.stock_in.info is not None and page.stock_in.info.sku == products["aren"]


def test_labels_enter_picks_the_only_match(qtbot, logged_in, products):
    page = logged_in.workspace.open_page("labels")
    type_enter(qtbot, page.picker.edit, "aren")
    assert page.items.table.rowCount() == 1


def test_stocktake_enter_on_a_name_counts_its_only_match(qtbot, logged_in, products):
    session = logged_in.ctx.session
    code = ean13("899123400777")
    sku = make_product(session, name="Kopi Robusta", barcode=code)
    page = logged_in.workspace.open_page("stock")
    page.tabs.setCurrentWidget(page.count)
    tab = page.count
    tab.start_panel.start_button.click()
    field = tab.count_panel.scan
    type_enter(qtbot, field, "aren")
    scan(qtbot, field, code)
    scan(qtbot, field, code)
    counted = {line.sku: line.counted for line in stocktake.get_count(session).lines}
    assert counted[products["aren"]] == 1 and counted[sku] == 2
    assert field.text() == ""
