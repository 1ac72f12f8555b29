"""Pesanan masuk (issue 15, point 4) and the WhatsApp paste in the cashier
(point 5), with real Qt widgets and the real fixture files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from shopdesk import catalog, sales, stock
from tests.stock_factories import make_product

pytestmark = pytest.mark.usefixtures("answers_yes")
FIXTURES = Path(__file__).parent.parent / "fixtures" / "orders"


def _shop(session) -> None:
    make_product(session, sku="KOPI-0001", name="Kopi Robusta 250 g", price=15_000)
    make_product(session, sku="GULA-0001", name="Gula Aren Cetak", price=25_000)
    for sku in ("KOPI-0001", "GULA-0001"):
        stock.receive(session, sku=sku, quantity=10)


def test_preview_then_import_then_nothing_left_to_do(qtbot, logged_in, tmp_path):
    from ui.widgets import files

    session = logged_in.ctx.session
    _shop(session)
    page = logged_in.workspace.open_page("orders")
    assert type(page).__name__ == "OrdersPage"
    assert not page.apply_button.isEnabled()
    files.answers["open"] = [FIXTURES / "shopee_orders.xlsx"]
    page.choose_button.click()
    assert page.table.rowCount() == 8
    assert page.apply_button.isEnabled()
    assert "TEH-0009" in page.table.item(5, 5).text()
    assert not sales.list_sales(session)  # the preview wrote nothing
    shot = Path(os.environ.get("ORDERS_SHOT", tmp_path / "orders.png"))
    logged_in.resize(1366, 768)
    logged_in.grab().save(str(shot))
    page.apply_button.click()
    assert page.feedback.kind == "ok", page.feedback.text()
    assert len(sales.list_sales(session)) == 3
    assert catalog.get_variant(session, "GULA-0001").on_hand == 6
    # the page read the file again: everything recorded is "already recorded"
    assert not page.apply_button.isEnabled()


def test_a_bad_file_says_so_and_cannot_be_imported(qtbot, logged_in, tmp_path):
    page = logged_in.workspace.open_page("orders")
    bad = tmp_path / "daftar.csv"
    bad.write_text("nama,harga\nKopi,15000\n", encoding="utf-8")
    page.load(bad)
    assert page.feedback.kind == "error"
    assert "bukan ekspor pesanan" in page.feedback.text()
    assert page.table.rowCount() == 0 and not page.apply_button.isEnabled()


def test_a_pasted_whatsapp_order_fills_the_cart(qtbot, logged_in):
    session = logged_in.ctx.session
    _shop(session)
    checkout = logged_in.workspace.open_page("sales").checkout
    checkout.fill_from_whatsapp(
        "Halo kak\nPesan Kopi Robusta 250 g (KOPI-0001), Rp 15.000\n"
        "Pesan 2x Gula Aren Cetak (GULA-0001), Rp 25.000"
    )
    assert [(li.sku, li.quantity) for li in checkout.cart.lines] == [
        ("KOPI-0001", 1),
        ("GULA-0001", 2),
    ]
    assert checkout.channel.currentData() == "whatsapp"
    assert checkout.total.text() == "Rp 65.000"
    checkout.record_button.click()
    [sale] = sales.list_sales(session)
    assert (sale.channel, sale.payment, sale.total) == ("whatsapp", "transfer", 65_000)


def test_an_unknown_sku_in_the_pasted_order_is_named(qtbot, logged_in):
    _shop(logged_in.ctx.session)
    checkout = logged_in.workspace.open_page("sales").checkout
    checkout.fill_from_whatsapp("Pesan Teh (TEH-0009), Rp 12.000")
    assert checkout.cart.lines == []
    assert "TEH-0009" in checkout.feedback.text()
