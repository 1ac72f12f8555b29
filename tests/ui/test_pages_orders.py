"""Pesanan masuk (issue 15, point 4) and the WhatsApp paste in the cashier
(point 5), with real Qt widgets and the real fixture files."""

from __future__ import annotations

import os
import threading
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

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
    qtbot.waitUntil(lambda: page.rows.rowCount() == 8)  # read off the GUI thread
    assert page.apply_button.isEnabled()
    assert "TEH-0009" in page.rows.index(5, 5).data()
    assert page.rows.index(5, 5).data(Qt.ItemDataRole.ToolTipRole) == page.rows.index(5, 5).data()
    assert not sales.list_sales(session)  # the preview wrote nothing
    shot = Path(os.environ.get("ORDERS_SHOT", tmp_path / "orders.png"))
    logged_in.resize(1366, 768)
    logged_in.grab().save(str(shot))
    page.apply_button.click()
    qtbot.waitUntil(lambda: not page.bar.busy)  # imported, then the file read again
    assert page.feedback.kind == "ok", page.feedback.text()
    assert len(sales.list_sales(session)) == 3
    assert catalog.get_variant(session, "GULA-0001").on_hand == 6
    # the page read the file again: everything recorded is "already recorded"
    assert not page.apply_button.isEnabled() and page.preview is not None
    assert not page.preview.has_work and page.feedback.kind == "ok"


def test_a_bad_file_says_so_and_cannot_be_imported(qtbot, logged_in, tmp_path):
    page = logged_in.workspace.open_page("orders")
    bad = tmp_path / "daftar.csv"
    bad.write_text("nama,harga\nKopi,15000\n", encoding="utf-8")
    page.load(bad)
    qtbot.waitUntil(lambda: not page.bar.busy)
    assert page.feedback.kind == "error"
    assert "bukan ekspor pesanan" in page.feedback.text()
    assert page.rows.rowCount() == 0 and not page.apply_button.isEnabled()


def _hold(monkeypatch, name: str):
    """``orders.<name>`` held until the test lets it go, as a big file would hold it;
    the threads it ran on are kept. On the GUI thread it is not held (nothing could
    let it go): the test then fails on the thread instead of hanging."""
    from shopdesk import orders

    real = getattr(orders, name)
    gate, threads = threading.Event(), []

    def held(*args, **kwargs):
        threads.append(threading.current_thread())
        if threads[-1] is not threading.main_thread():
            gate.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(orders, name, held)
    return gate, threads


@pytest.fixture
def held_preview(monkeypatch):
    gate, threads = _hold(monkeypatch, "preview_orders")
    yield gate, threads
    gate.set()


def test_a_big_file_is_read_in_the_background_the_window_stays_usable(
    qtbot, logged_in, held_preview, tmp_path
):
    from PySide6.QtCore import QTimer

    gate, threads = held_preview
    _shop(logged_in.ctx.session)
    page = logged_in.workspace.open_page("orders")
    page.load(FIXTURES / "shopee_orders.xlsx")
    qtbot.waitUntil(lambda: len(threads) == 1)  # the work has started ...
    assert threads[0] is not threading.main_thread()  # ... in a pool thread
    # while the file is read: the busy bar names it, nothing else can start ...
    assert page.bar.isVisible() and "shopee_orders.xlsx" in page.bar.text.text()
    assert not page.choose_button.isEnabled() and not page.apply_button.isEnabled()
    shot = Path(os.environ.get("ORDERS_BUSY_SHOT", tmp_path / "orders-busy.png"))
    logged_in.resize(1366, 768)
    logged_in.grab().save(str(shot))
    # ... and the window goes on answering: a timer fires, another page opens
    ticked: list[bool] = []
    QTimer.singleShot(0, lambda: ticked.append(True))
    qtbot.waitUntil(lambda: ticked == [True])
    assert type(logged_in.workspace.open_page("sales")).__name__ == "SalesPage"
    logged_in.workspace.open_page("orders")
    gate.set()
    qtbot.waitUntil(lambda: page.rows.rowCount() == 8)
    assert not page.bar.isVisible() and page.apply_button.isEnabled()
    assert page.choose_button.isEnabled() and page.feedback.text() == ""


def test_reading_can_be_cancelled_and_nothing_is_imported(qtbot, logged_in, held_preview):
    gate, _threads = held_preview
    session = logged_in.ctx.session
    _shop(session)
    page = logged_in.workspace.open_page("orders")
    page.load(FIXTURES / "shopee_orders.xlsx")
    assert page.bar.cancel_button.isVisible()
    page.bar.cancel_button.click()
    gate.set()
    qtbot.waitUntil(lambda: not page.bar.busy)
    assert "Dibatalkan" in page.feedback.text(), page.feedback.text()
    assert page.rows.rowCount() == 0 and not page.apply_button.isEnabled()
    assert page.path is None and page.choose_button.isEnabled()
    assert not sales.list_sales(session)


def test_the_import_runs_in_the_background_and_asks_about_expired_stock(
    qtbot, logged_in, monkeypatch
):
    session = logged_in.ctx.session
    for sku in ("KOPI-0001", "GULA-0001"):  # expired before the file's orders (December 2026)
        make_product(session, sku=sku)
        stock.receive(
            session, sku=sku, quantity=10, batch_code="OLD",
            produced_on=date(2026, 9, 1), expires_on=date(2026, 11, 30),
        )  # fmt: skip
    page = logged_in.workspace.open_page("orders")
    page.load(FIXTURES / "shopee_orders.xlsx")
    qtbot.waitUntil(lambda: page.apply_button.isEnabled())
    gate, threads = _hold(monkeypatch, "apply_orders")
    try:
        page.apply_button.click()
        qtbot.waitUntil(lambda: len(threads) == 1)
        assert threads[0] is not threading.main_thread()
        assert page.bar.isVisible() and not page.bar.cancel_button.isVisible()  # no Cancel
        assert not page.apply_button.isEnabled() and not page.choose_button.isEnabled()
        assert not sales.list_sales(session)
        gate.set()  # refused for the expired batches, asked (answered yes), then again
        qtbot.waitUntil(lambda: len(threads) == 2 and not page.bar.busy)
    finally:
        gate.set()
    assert threads[1] is not threading.main_thread()
    assert page.feedback.kind == "ok", page.feedback.text()
    assert len(sales.list_sales(session)) == 3


def test_a_broken_file_after_a_good_one_leaves_nothing_to_import(qtbot, logged_in, tmp_path):
    """The preview of the file before is gone: the import button cannot import it."""
    from shopdesk import backup

    session = logged_in.ctx.session
    _shop(session)
    page = logged_in.workspace.open_page("orders")
    page.load(FIXTURES / "shopee_orders.xlsx")
    qtbot.waitUntil(lambda: page.apply_button.isEnabled())
    broken = tmp_path / "pesanan.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    page.load(broken)
    assert not page.apply_button.isEnabled()  # at once, before the file is read
    qtbot.waitUntil(lambda: not page.bar.busy)
    assert page.feedback.kind == "error"
    assert "pesanan.xlsx" in page.feedback.text() and "rusak" in page.feedback.text()
    assert page.rows.rowCount() == 0 and not page.apply_button.isEnabled()
    page.apply()  # even if asked: no preview, nothing happens
    qtbot.waitUntil(lambda: not page.bar.busy)
    assert not sales.list_sales(session) and not backup.list_backups(session)


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
