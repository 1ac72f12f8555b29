"""From the command line (issue 15, points 1-3): template chosen once, couriers,
a product's details, the bundle that fills the template, the product list imported
(preview, then --apply) and the mass-update file with the new stock."""

from __future__ import annotations

from openpyxl import load_workbook

from shopdesk import catalog, stock
from shopdesk.export.sheets import SHOPEE_FILE
from tests.conftest import PIN_A
from tests.export.factory import make_photo
from tests.export.marketplace_files import SHOPEE_BASIC, shopee_basic, shopee_sales_info

COL = {k: i for i, (k, _h) in enumerate(SHOPEE_BASIC)}


def test_cli_round_trip(seller, cli, tmp_path):
    product = catalog.create_product(
        seller, name="Kopi Robusta Temanggung Bubuk", price=35000, sku="KOPI-0001",
        weight_g=270, description="Kopi robusta petik merah dari lereng Gunung Sindoro.",
    )  # fmt: skip
    catalog.add_photo(seller, product_id=product.id, image_path=make_photo(tmp_path / "k.jpg"))
    stock.receive(seller, sku="KOPI-0001", quantity=30)

    def run(*argv):
        return cli("--lang", "en", "marketplace", *argv, "--seller", "kopi", pin=PIN_A)

    template = shopee_basic(tmp_path / "template.xlsx")
    code, out, _err = run("template", "shopee", template)
    assert code == 0 and "Reguler (Cashless)" in out and "Nonaktif" in out
    assert "Choose at least one courier" in out
    code, out, _err = run("couriers", "Hemat Kargo")
    assert code == 0 and "Aktif" in out
    code, out, _err = run("categories", "shopee", "kopi")
    assert "100636" in out
    code, out, _err = run("product", "KOPI-0001", "--dangerous", "yes", "--preorder", "7",
                          "--shopee-category", "100636")  # fmt: skip
    assert code == 0 and "100636" in out
    code, out, _err = run("base-url", "https://toko.example.id/katalog")
    assert "https://toko.example.id/katalog" in out
    code, out, err = run("product", "KOPI-0001", "--preorder", "200")
    assert code != 0 and "Pre-order days" in err + out

    stick = tmp_path / "stick"
    stick.mkdir()
    code, out, _err = cli("--lang", "en", "export", "--targets", "shopee", "-o", stick,
                          "--seller", "kopi", pin=PIN_A)  # fmt: skip
    assert code == 0, out
    bundle = next(stick.iterdir())
    row = next(
        load_workbook(bundle / SHOPEE_FILE)["Template"].iter_rows(min_row=7, values_only=True)
    )
    assert row[COL["ps_dangerous_goods"]] == "Yes (ID)" and row[COL["channel_id.8005"]] == "Aktif"
    assert row[COL["ps_item_cover_image"]].startswith("https://toko.example.id/katalog/images/")
    assert row[COL["ps_weight"]] == 0.27 and row[COL["ps_product_pre_order_dts"]] == 7
    readme = (bundle / "README.txt").read_text(encoding="utf-8")
    assert "shopdesk " not in readme  # no command line step for the seller

    listing = shopee_sales_info(
        tmp_path / "sales_info.xlsx", [("555", "Kopi", 0, "", "", "KOPI-0001", 35000, 30)]
    )
    code, out, _err = run("import-list", "shopee", listing)
    assert code == 0 and "Nothing was written" in out and "matched" in out
    code, out, _err = run("links")
    assert "KOPI-0001" not in out
    code, out, _err = run("import-list", "shopee", listing, "--apply")
    assert code == 0 and "ids kept" in out
    run("buffer", "5")
    stock.remove(seller, sku="KOPI-0001", quantity=4, reason="sold")
    out_dir = tmp_path / "updates"
    out_dir.mkdir()
    code, out, _err = run("update", "shopee", "-o", out_dir)
    assert code == 0 and "buffer 5" in out
    written = next(out_dir.iterdir())
    sheet = load_workbook(written).active
    assert [c.value for c in sheet[7]][5:8] == ["KOPI-0001", 35000, 21]  # 30 - 4 - 5


def test_export_with_a_template_keeps_it_for_next_time(seller, cli, tmp_path):
    product = catalog.create_product(
        seller, name="Gula Aren Cetak", price=25000, sku="GULA-0001", weight_g=1050,
        description="Gula aren cetak batok dari nira pohon aren, tanpa campuran.",
    )  # fmt: skip
    catalog.add_photo(seller, product_id=product.id, image_path=make_photo(tmp_path / "g.jpg"))
    stick = tmp_path / "stick"
    stick.mkdir()

    def export(*extra):
        return cli("--lang", "en", "export", "--targets", "shopee", "-o", stick,
                   "--seller", "kopi", *extra, pin=PIN_A)  # fmt: skip

    code, out, err = export("--shopee-template", shopee_basic(tmp_path / "t.xlsx"))
    assert code != 0 and "kept for this shop" in out and "Reguler (Cashless)" in err + out
    assert list(stick.iterdir()) == []  # no courier yet: refused before writing
    cli("marketplace", "couriers", "Instant", "--seller", "kopi", pin=PIN_A)
    (tmp_path / "t.xlsx").unlink()
    code, out, _err = export()  # no option: the kept template is filled
    assert code == 0, out
    [bundle] = list(stick.iterdir())
    row = next(
        load_workbook(bundle / SHOPEE_FILE)["Template"].iter_rows(min_row=7, values_only=True)
    )
    assert (
        row[COL["ps_product_name"]] == "Gula Aren Cetak" and row[COL["channel_id.8000"]] == "Aktif"
    )
