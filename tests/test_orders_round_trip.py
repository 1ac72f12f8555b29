"""The round trip of issue 15 from ShopDesk's side: a listing bundle for Shopee,
the marketplace's order export imported, and the next bundle carries the new
stock; a shop backup keeps the order numbers, so importing again after a
restore still records nothing twice."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image

from shopdesk import backup, catalog, i18n, orders, sales, stock
from shopdesk.catalog import photos
from shopdesk.export import service
from shopdesk.export.bundle import ExportOptions
from shopdesk.export.sheets import SHOPEE_FILE

ORDERS = Path(__file__).parent / "fixtures" / "orders" / "shopee_orders.xlsx"


@pytest.fixture
def shop(seller, tmp_path):
    """Two products ready for Shopee (description, weight, a photo), ten of each."""
    i18n.set_language("en")
    for sku, name, price in (
        ("KOPI-0001", "Kopi Robusta Temanggung", 15000),
        ("GULA-0001", "Gula Aren Cetak Asli", 25000),
    ):
        info = catalog.create_product(
            seller,
            name=name,
            price=price,
            sku=sku,
            weight_g=270,
            description=f"{name}, dibuat di Temanggung dan dikemas rapat setiap minggu.",
        )
        image = tmp_path / f"{sku}.png"
        Image.new("RGB", (600, 600), "brown").save(image)
        photos.add_photo(seller, product_id=info.id, image_path=image)
        stock.receive(seller, sku=sku, quantity=10)
    return seller


def _shopee_stock(session, folder: Path) -> dict[str, int]:
    """SKU -> the Stok column of the bundle's Shopee sheet, read back with openpyxl."""
    folder.mkdir()
    options = ExportOptions(
        cache_dir=folder / "cache", workers=1, targets=("shopee",), as_zip=False
    )
    result = service.export_for_seller(session, out_dir=folder, options=options)
    sheet = load_workbook(result.path / SHOPEE_FILE, read_only=True)["Template"]
    rows = list(sheet.iter_rows(values_only=True))
    col = {key: i for i, key in enumerate(rows[0]) if key}
    found = {}
    for row in rows[1:]:
        sku = row[col["ps_sku_short"]] or row[col["ps_sku_parent_short"]]
        if sku in ("KOPI-0001", "GULA-0001") and isinstance(row[col["ps_stock"]], int):
            found[sku] = row[col["ps_stock"]]
    return found


def test_bundle_then_orders_then_bundle_carries_the_new_stock(shop, tmp_path):
    assert _shopee_stock(shop, tmp_path / "first") == {"KOPI-0001": 10, "GULA-0001": 10}
    orders.apply_orders(shop, ORDERS)
    assert _shopee_stock(shop, tmp_path / "second") == {"KOPI-0001": 7, "GULA-0001": 6}
    orders.apply_orders(shop, ORDERS)  # the same export again: nothing changes
    assert _shopee_stock(shop, tmp_path / "third") == {"KOPI-0001": 7, "GULA-0001": 6}


def test_a_shop_backup_keeps_the_order_numbers(shop):
    orders.apply_orders(shop, ORDERS)
    saved = backup.backup_now(shop)
    numbers = sorted(s.external_order for s in sales.list_sales(shop))
    sale = next(s for s in sales.list_sales(shop) if s.external_order == "2412010A1B2C03")
    sales.void_sale(shop, number=sale.number)  # a change after the backup
    backup.restore(shop, path=saved.path)
    assert sorted(s.external_order for s in sales.list_sales(shop)) == numbers
    assert all(not s.voided for s in sales.list_sales(shop))
    again = orders.apply_orders(shop, ORDERS)
    assert (again.recorded, again.returned_units) == (0, 0)
    assert stock.stock(shop, sku="GULA-0001").on_hand == 6
