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


def test_cli_template_bundle_orders_and_mass_update_carry_the_new_stock(shop, cli, tmp_path):
    """Issue 15's "done when", from the command line: the template chosen once, the
    bundle that fills it, the order export imported (preview, apply, again) and the
    mass-update file with the new stock."""
    from tests.conftest import PIN_A
    from tests.export.marketplace_files import SHOPEE_BASIC, shopee_basic, shopee_sales_info

    col = {k: i for i, (k, _h) in enumerate(SHOPEE_BASIC)}

    def run(*argv):
        code, out, err = cli("--lang", "en", *argv, "--seller", "kopi", pin=PIN_A)
        assert code == 0, out + err
        return out

    run("marketplace", "template", "shopee", shopee_basic(tmp_path / "template.xlsx"))
    run("marketplace", "couriers", "Reguler (Cashless)")
    stick = tmp_path / "stick"
    stick.mkdir()
    run("export", "--targets", "shopee", "-o", stick)
    sheet = load_workbook(next(stick.iterdir()) / SHOPEE_FILE)["Template"]
    listed = {
        r[col["ps_sku_short"]] or r[col["ps_sku_parent_short"]]: r[col["ps_stock"]]
        for r in sheet.iter_rows(min_row=7, values_only=True)
        if r[col["ps_product_name"]]
    }
    assert listed == {"KOPI-0001": 10, "GULA-0001": 10}

    assert "2412010A1B2C05" in run("orders", "import", ORDERS, "--preview")
    run("orders", "import", ORDERS, "--apply")
    run("orders", "import", ORDERS, "--apply")  # the same export again: nothing changes
    listing = shopee_sales_info(
        tmp_path / "sales_info.xlsx",
        [
            ("111", "Kopi Robusta", 0, "", "", "KOPI-0001", 15000, 10),
            ("222", "Gula Aren", 0, "", "", "GULA-0001", 25000, 10),
        ],
    )
    run("marketplace", "import-list", "shopee", listing, "--apply")
    out_dir = tmp_path / "updates"
    out_dir.mkdir()
    run("marketplace", "update", "shopee", "-o", out_dir)
    update = load_workbook(next(out_dir.iterdir())).active
    stock_of = {r[5]: r[7] for r in update.iter_rows(min_row=7, values_only=True) if r[5]}
    assert stock_of == {"KOPI-0001": 7, "GULA-0001": 6}
