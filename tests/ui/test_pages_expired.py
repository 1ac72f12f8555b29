"""Expired stock in the app (issue 16, point 5): the cashier asks before selling it
(default No, the cart kept), stock out "sold" asks too, the home page's expiry
card opens the Expired tab, and its one button writes every expired batch off."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from shopdesk import audit, sales, stock
from shopdesk.clock import local_today
from tests.stock_factories import make_product
from ui.widgets import ask


@pytest.fixture(autouse=True)
def _no_preset_answer():
    yield
    ask.set_answer(None)


def expired_product(session, name: str = "Keripik Balado") -> tuple[str, str]:
    """A product whose only stock, batch OLD (3 units), expired five days ago."""
    sku = make_product(session, name=name, price=12_000)
    expiry = local_today(session.timezone) - timedelta(days=5)
    stock.receive(
        session,
        sku=sku,
        quantity=3,
        batch_code="OLD",
        produced_on=expiry - timedelta(days=30),
        expires_on=expiry,
    )
    return sku, expiry.strftime("%d-%m-%Y")


def test_the_cashier_asks_no_is_the_default_and_keeps_the_cart(qtbot, logged_in):
    session = logged_in.ctx.session
    sku, expiry = expired_product(session)
    checkout = logged_in.workspace.open_page("sales").checkout
    checkout.add_sku(sku)
    seen: dict[str, str] = {}

    def answer_with_enter() -> None:  # the real question, as the seller sees it
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen["text"] = box.text()
        seen["default"] = box.defaultButton().text()
        qtbot.keyClick(box, Qt.Key.Key_Return)

    QTimer.singleShot(0, answer_with_enter)
    checkout.record()
    assert "batch OLD" in seen["text"] and expiry in seen["text"]
    assert "Keripik Balado" in seen["text"]
    assert seen["default"] == "Tidak, biarkan keranjang"  # Enter answers No
    assert sales.list_sales(session) == []
    assert [line.sku for line in checkout.cart.lines] == [sku]  # the cart is kept
    assert checkout.feedback.kind == "error" and "OLD" in checkout.feedback.text()


def test_the_cashier_sells_expired_stock_after_yes_and_logs_the_batch(qtbot, logged_in):
    session = logged_in.ctx.session
    sku, expiry = expired_product(session)
    checkout = logged_in.workspace.open_page("sales").checkout
    checkout.add_sku(sku)
    ask.set_answer(True)
    checkout.record()
    assert len(ask.asked) == 1 and "OLD" in ask.asked[0] and expiry in ask.asked[0]
    [sale] = sales.list_sales(session)
    assert sale.total == 12_000 and checkout.cart.lines == []
    row = next(e for e in audit.entries(session) if e.action == "sale.record")
    assert [b["batch"] for b in row.data["expired_batches"]] == ["OLD"]


def test_stock_out_sold_asks_before_taking_an_expired_batch(qtbot, logged_in):
    session = logged_in.ctx.session
    sku, _expiry = expired_product(session)
    tab = logged_in.workspace.open_page("stock").stock_out
    tab.choose(sku)
    tab.reason.setCurrentIndex(tab.reason.findData(stock.SOLD))
    ask.set_answer(False)
    tab.save()
    assert "OLD" in ask.asked[0]
    assert [b.on_hand for b in stock.batches(session, sku=sku)] == [3]
    ask.set_answer(True)
    tab.save()
    assert tab.feedback.kind == "ok"
    assert [b.on_hand for b in stock.batches(session, sku=sku)] == [2]


def test_the_home_card_opens_the_write_off_which_empties_expired_batches(qtbot, logged_in):
    session = logged_in.ctx.session
    first, _e = expired_product(session, "Keripik Balado")
    second, _e = expired_product(session, "Sambal Roa")
    fresh = make_product(session, name="Gula Aren")
    stock.receive(session, sku=fresh, quantity=4)
    home = logged_in.workspace.open_page("home")
    logged_in.ctx.notify("stock")  # the home page shown at login reads again
    qtbot.waitUntil(lambda: home.expiring.value.text() == "2", timeout=15000)
    assert home.expiring.lines.text().startswith("2 batch kedaluwarsa")
    home.expiring.button.click()
    page = logged_in.workspace.current_page()
    assert type(page).__name__ == "StockPage" and page.tabs.currentWidget() is page.expired
    tab = page.expired
    assert tab.table.rowCount() == 2
    cells = {tab.table.item(r, 2).text() + "/" + tab.table.item(r, 4).text() for r in range(2)}
    assert cells == {"OLD/3"}
    ask.set_answer(False)  # the question comes first; no changes nothing
    tab.write_off_button.click()
    assert "6" in ask.asked[0] and len(stock.expired(session)) == 2
    ask.set_answer(True)
    tab.write_off_button.click()
    assert stock.expired(session) == []
    assert tab.table.rowCount() == 0 and not tab.write_off_button.isEnabled()
    assert tab.feedback.kind == "ok"
    assert {(b.sku, b.on_hand) for b in stock.batches(session)} >= {(fresh, 4)}
    written = stock.history(session, reason="expired")
    assert sorted((m.sku, m.quantity) for m in written) == sorted([(first, -3), (second, -3)])
