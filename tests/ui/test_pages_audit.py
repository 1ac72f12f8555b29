"""The activity log on screen: the seller's Aktivitas page and the operator's tab,
filtered by days and actions through the real widgets and a real SQLite file."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import Qt

from shopdesk import audit, sales, stock
from shopdesk.clock import local_today
from tests.conftest import OPERATOR_PASSWORD
from tests.stock_factories import make_product
from tests.ui.test_operator_dialog import open_operator


def _column(table, column: int) -> list[str]:
    return [table.item(row, column).text() for row in range(table.rowCount())]


def _choose(combo, label: str) -> None:
    index = combo.findText(label)
    assert index >= 0, label
    combo.setCurrentIndex(index)


def _history(seller, monkeypatch) -> list:
    """Two days ago: a stock in and a sale; yesterday: a sale. Noon in WIB (05:00 UTC)."""
    today = local_today(seller.timezone)
    days = [today - timedelta(days=2), today - timedelta(days=1)]
    sku = make_product(seller, name="Gula Semut")
    with monkeypatch.context() as patch:
        for n, day in enumerate(days):
            noon = datetime(day.year, day.month, day.day, 5)
            patch.setattr(audit, "utcnow", lambda noon=noon: noon)
            if n == 0:
                stock.receive(seller, sku=sku, quantity=10)
            sales.record_sale(seller, lines=[(sku, 1)])
    return days


def test_the_activity_page_filters_by_action_and_days(qtbot, logged_in, seller_b, monkeypatch):
    seller = logged_in.ctx.session
    days = _history(seller, monkeypatch)
    stock.receive(seller_b, sku=make_product(seller_b, name="Madu Rahasia"), quantity=1)
    workspace = logged_in.workspace
    qtbot.keyClick(workspace, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)  # tenth page
    page = workspace.current_page()
    assert page is workspace.pages["audit"] and workspace.title.text() == "Aktivitas"
    view = page.view
    labels = _column(view.table, 2)
    assert labels.count("Penjualan dicatat") == 2 and "Stok masuk" in labels
    assert "Masuk" in labels  # this seller's login
    assert "Madu" not in " ".join(_column(view.table, 3))  # seller B's rows never show

    _choose(view.action, "Penjualan")
    assert _column(view.table, 2) == ["Penjualan dicatat", "Penjualan dicatat"]
    assert all("Rp 15.000" in text for text in _column(view.table, 3))

    view.since.pick(days[0])
    view.until.pick(days[0])
    assert _column(view.table, 2) == ["Penjualan dicatat"]
    assert _column(view.table, 0)[0].startswith(days[0].strftime("%d-%m-%Y"))
    _choose(view.action, "Semua tindakan")
    assert sorted(_column(view.table, 2)) == ["Penjualan dicatat", "Stok masuk"]
    view.since.pick(days[1] + timedelta(days=1))  # after the last day
    assert view.table.rowCount() == 0
    assert view.status.text() == "Hari terakhir lebih awal dari hari pertama."


def test_the_operator_sees_every_shop_in_the_activity_tab(qtbot, window, seller, seller_b):
    sales_b = make_product(seller_b, name="Madu Hutan")
    stock.receive(seller_b, sku=sales_b, quantity=2)
    stock.receive(seller, sku=make_product(seller), quantity=3)
    seen: dict[str, list[str]] = {}

    def read(dialog) -> None:
        dialog.tabs.setCurrentWidget(dialog.activity)
        view = dialog.activity
        seen["shops"] = _column(view.table, 1)
        _choose(view.action, "Stok")
        seen["stock"] = _column(view.table, 4)
        seen["stock shops"] = _column(view.table, 1)

    open_operator(qtbot, window.start, OPERATOR_PASSWORD, read)
    assert {"Kopi Sindoro", "Madu Bangli", "seluruh PC"} <= set(seen["shops"])
    assert sorted(seen["stock shops"]) == ["Kopi Sindoro", "Madu Bangli"]
    assert any(text.startswith(f"{sales_b} +2") for text in seen["stock"])
