"""The catalog from the shell: product, variant, search, import, table-export."""

from __future__ import annotations

from openpyxl import load_workbook
from PIL import Image

from shopdesk import catalog
from shopdesk.paths import resource_path
from tests.conftest import PIN_A

SELLER = ("--seller", "kopi")


def test_product_and_variant_commands(seller, cli, tmp_path):
    code, out, err = cli(
        "product", "add", "Keripik Singkong", "--price", "15rb", "--category", "Keripik",
        "--option1", "Rasa", "--variant", "Original", "--variant", "Balado=16.000",
        *SELLER, pin=PIN_A,
    )  # fmt: skip
    assert code == 0, err
    assert "KRPK-0001-ORI" in out and "KRPK-0001-BAL" in out
    code, out, _ = cli("variant", "add", "KRPK-0001-ORI", "Pedas", "--price", "17000", *SELLER)
    assert code == 0 and "KRPK-0001-PED" in out
    code, out, _ = cli("variant", "edit", "KRPK-0001-PED", "--barcode", "2000000000084", *SELLER)
    assert code == 0
    code, _out, err = cli("variant", "edit", "KRPK-0001-PED", "--barcode", "2000000000085", *SELLER)
    assert code == 2 and "2000000000085" in err  # wrong check digit, one line
    code, out, _ = cli("product", "show", "KRPK-0001-BAL", *SELLER)
    assert code == 0 and "Rp 16.000" in out and "Pedas" in out
    code, out, _ = cli("search", "sing ped", *SELLER)
    assert code == 0 and "KRPK-0001-PED" in out and "KRPK-0001-ORI" not in out
    code, out, _ = cli("product", "add", "Gula Aren", "--price", "25000", "--sku", "GA-1", *SELLER)
    assert code == 0
    code, out, _ = cli("product", "edit", "GA-1", "--price", "26.000", "--weight", "1050", *SELLER)
    assert code == 0 and catalog.get_variant(seller, "GA-1").price == 26_000
    code, out, _ = cli("product", "list", *SELLER)
    assert "Gula Aren" in out and "Keripik Singkong" in out
    code, out, _ = cli("product", "archive", "GA-1", *SELLER)
    assert code == 0
    code, out, _ = cli("product", "list", *SELLER)
    assert "Gula Aren" not in out
    code, _out, err = cli("product", "add", "Dup", "--price", "1", "--sku", "ga-1", *SELLER)
    assert code == 2 and "GA-1" in err


def test_photo_commands(seller, cli, tmp_path):
    cli("product", "add", "Tas Pandan", "--price", "150000", "--sku", "TAS-1", *SELLER, pin=PIN_A)
    images = []
    for index, colour in enumerate(((200, 0, 0), (0, 200, 0))):
        path = tmp_path / f"{index}.png"
        Image.new("RGB", (20, 20), colour).save(path)
        images.append(path)
    code, _out, _ = cli("product", "photo-add", "TAS-1", *images, *SELLER)
    assert code == 0
    photos = catalog.get_product(seller, catalog.get_variant(seller, "TAS-1").product_id).photos
    first, second = (p.id for p in photos)
    code, _, _ = cli("product", "photo-order", "TAS-1", second, first, *SELLER)
    assert code == 0
    code, _, _ = cli("product", "photo-remove", second, *SELLER)
    assert code == 0
    photos = catalog.get_product(seller, catalog.get_variant(seller, "TAS-1").product_id).photos
    assert [p.id for p in photos] == [first]
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"not an image")
    code, _, err = cli("product", "photo-add", "TAS-1", bad, *SELLER)
    assert code == 2 and err.count("\n") == 1


def test_import_preview_apply_and_table_exports(seller, cli, tmp_path):
    sample = resource_path("demo", "catalog_kopi.csv")
    code, out, _ = cli("import", sample, "--preview", *SELLER, pin=PIN_A)
    assert code == 0 and "KRPK-0001-PED" in out
    assert catalog.count_products(seller) == 0  # a preview writes nothing
    code, out, _ = cli("import", sample, "--apply", *SELLER)
    assert code == 0 and "1068" in out
    assert catalog.count_products(seller) == 25
    bad = tmp_path / "bad.csv"
    bad.write_text("sku,name,price,barcode\nZ-1,Z,1000,8.99123E+12\n", encoding="utf-8")
    code, out, _ = cli("import", bad, "--preview", *SELLER)
    assert code == 2 and "Excel" in out
    code, _out, err = cli("import", bad, "--apply", *SELLER)
    assert code == 2 and err
    for table in ("products", "stock", "movements", "sales"):
        for fmt in ("csv", "xlsx"):
            target = tmp_path / f"{table}.{fmt}"
            code, out, err = cli("table-export", table, "-o", target, *SELLER)
            assert code == 0, err
            assert target.stat().st_size > 0
    sheet = load_workbook(tmp_path / "products.xlsx").active
    assert sheet.max_row == 28
    code, _out, err = cli("table-export", "stock", "-o", tmp_path / "x.pdf", *SELLER)
    assert code == 2 and "pdf" in err
