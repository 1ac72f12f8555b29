"""`table-export sales` names the marketplace order of each imported sale (its
channel and order number), in CSV and XLSX read back, and an order number that
looks like a formula stays text."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from shopdesk import orders, sales, stock
from tests.conftest import PIN_A
from tests.stock_factories import make_product

ORDERS = Path(__file__).parent / "fixtures" / "orders" / "tiktok_orders.csv"
HOSTILE = '=HYPERLINK("http://x.example","klik")'


@pytest.fixture
def shop(seller):
    for sku in ("KOPI-0001", "GULA-0001"):
        make_product(seller, sku=sku, name=f"Produk {sku}", price=15_000)
        stock.receive(seller, sku=sku, quantity=10)
    orders.apply_orders(seller, ORDERS)  # three TikTok orders become sales
    sales.record_sale(seller, lines=[("KOPI-0001", 1)])  # at the counter: no order
    sales.record_sale(seller, lines=[("GULA-0001", 1)], channel="shopee", external_order=HOSTILE)
    return seller


def _csv(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _xlsx(path: Path) -> list[dict[str, object]]:
    sheet = load_workbook(path).active
    header = [c.value for c in sheet[1]]
    rows = []
    for row in sheet.iter_rows(min_row=2):
        assert all(c.data_type != "f" for c in row)  # no live formula
        order = row[header.index("order_number")]
        assert order.value is None or order.data_type == "s"  # digits stay text
        rows.append(dict(zip(header, [c.value for c in row], strict=True)))
    return rows


def test_sales_export_names_the_marketplace_order(shop, cli, tmp_path):
    exported = {}
    for fmt in ("csv", "xlsx"):
        target = tmp_path / f"penjualan.{fmt}"
        code, _out, err = cli("table-export", "sales", "-o", target, "--seller", "kopi", pin=PIN_A)
        assert code == 0, err
        exported[fmt] = _csv(target) if fmt == "csv" else _xlsx(target)
    rows = exported["csv"]
    orders_by_sale = [(r["channel"], r["order_number"]) for r in rows]
    assert orders_by_sale == [
        ("tiktok", "579001122334455"),
        ("tiktok", "579001122334457"),
        ("tiktok", "579001122334459"),
        ("direct", ""),
        ("shopee", "'" + HOSTILE),  # CSV: one apostrophe, never a live formula
    ]
    cells = [(r["channel"], r["order_number"] or "") for r in exported["xlsx"]]
    assert cells == [*orders_by_sale[:4], ("shopee", HOSTILE)]  # XLSX: the text itself
    assert [r["sku"] for r in rows][:3] == ["KOPI-0001", "GULA-0001", "KOPI-0001"]
