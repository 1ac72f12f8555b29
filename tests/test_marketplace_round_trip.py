"""Issue 15's whole round trip (point 7): the seller's Shopee template chosen once, a
bundle that fills it (couriers, Produk Berbahaya, weight in kg), the marketplace's
product list imported, the order export applied (twice: nothing twice), and the
mass-update file carries the new stock, less the counter's buffer. Files read back
with openpyxl."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from shopdesk import orders
from shopdesk.export import marketplace, mass_update, service
from shopdesk.export.bundle import ExportOptions
from shopdesk.export.sheets import SHOPEE_FILE
from tests.export.marketplace_files import SHOPEE_BASIC, shopee_basic, shopee_sales_info
from tests.test_orders_round_trip import ORDERS, shop  # noqa: F401 - the fixture

COL = {k: i for i, (k, _h) in enumerate(SHOPEE_BASIC)}


def _bundle_rows(session, folder: Path) -> dict[str, tuple]:
    folder.mkdir()
    options = ExportOptions(cache_dir=folder / "cache", workers=1, targets=("shopee",))
    result = service.export_for_seller(session, out_dir=folder, options=options)
    sheet = load_workbook(result.path / SHOPEE_FILE)["Template"]
    return {r[COL["ps_sku_short"]]: r for r in sheet.iter_rows(min_row=7, values_only=True)}


def _update_stock(session, folder: Path) -> dict[str, int]:
    folder.mkdir()
    written = mass_update.write_update(session, target="shopee", out_dir=folder)
    sheet = load_workbook(written.path).active
    return {r[5]: r[7] for r in sheet.iter_rows(min_row=7, values_only=True)}


@pytest.mark.usefixtures("shop")
def test_template_bundle_orders_and_the_mass_update(shop, tmp_path):  # noqa: F811
    marketplace.set_template(shop, target="shopee", path=shopee_basic(tmp_path / "tpl.xlsx"))
    marketplace.set_couriers(shop, chosen=["Reguler (Cashless)"])
    rows = _bundle_rows(shop, tmp_path / "bundle")
    kopi = rows["KOPI-0001"]
    assert kopi[COL["ps_stock"]] == 10 and kopi[COL["ps_weight"]] == pytest.approx(0.27)
    assert kopi[COL["channel_id.8003"]] == "Aktif" and kopi[COL["ps_dangerous_goods"]] == "No (ID)"

    listing = [
        ("1001", "Kopi Robusta", 0, "", "", "KOPI-0001", 15000, 10),
        ("1002", "Gula Aren", 0, "", "", "GULA-0001", 25000, 10),
    ]
    mass_update.import_list(
        shop, target="shopee", path=shopee_sales_info(tmp_path / "l.xlsx", listing)
    )
    orders.apply_orders(shop, ORDERS)
    assert _update_stock(shop, tmp_path / "u1") == {"KOPI-0001": 7, "GULA-0001": 6}
    orders.apply_orders(shop, ORDERS)  # the same export again changes nothing
    assert _update_stock(shop, tmp_path / "u2") == {"KOPI-0001": 7, "GULA-0001": 6}
    marketplace.set_buffer(shop, 2)
    assert _update_stock(shop, tmp_path / "u3") == {"KOPI-0001": 5, "GULA-0001": 4}
