"""Each target file read back the way its importer reads it."""

from __future__ import annotations

import csv
import io
import json
import re

from openpyxl import load_workbook

from shopdesk.export import feeds, sheets
from tests.export.conftest import BASE_URL


def _csv(path, delimiter=","):
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # no BOM unless asked for
    text = raw.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return rows[0], [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_shopify_csv(built):
    headers, rows = _csv(built.path / "shopify-products.csv")
    assert headers == feeds.SHOPIFY_HEADERS
    by_handle: dict[str, list[dict]] = {}
    for row in rows:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", row["Handle"])
        by_handle.setdefault(row["Handle"], []).append(row)
    assert len(by_handle) == 5  # all rows of a handle are one product
    simple = by_handle["kopi-0001"]
    assert simple[0]["Title"] == "Kopi Robusta Temanggung Bubuk"
    assert simple[0]["Option1 Name"] == "Title" and simple[0]["Option1 Value"] == "Default Title"
    assert simple[0]["Variant Price"] == "35000" and simple[0]["Variant Grams"] == "270"
    assert simple[0]["Variant Barcode"] == "2000000000015"
    # three photos: the product row plus two image-only rows
    assert [r["Image Position"] for r in simple] == ["1", "2", "3"]
    assert all(r["Image Src"].startswith(BASE_URL + "/images/KOPI-0001-") for r in simple)
    assert simple[1]["Title"] == "" and simple[1]["Variant SKU"] == ""
    chips = [r for r in by_handle["krpk-0001"] if r["Variant SKU"]]
    assert [r["Option1 Value"] for r in chips] == ["Original", "Balado", "Pedas Daun Jeruk"]
    assert chips[0]["Option1 Name"] == "Rasa" and chips[1]["Title"] == ""
    batik = [r for r in by_handle["btk-0001"] if r["Variant SKU"]]
    assert (batik[1]["Option1 Value"], batik[1]["Option2 Value"]) == ("Coklat", "2,5 m")
    for row in rows:
        if row["Variant Price"]:
            assert row["Variant Price"].isdigit()


def test_woocommerce_csv(built):
    headers, rows = _csv(built.path / "woocommerce-products.csv")
    assert headers == feeds.WOO_HEADERS  # exactly as documented (the batik is left out)
    by_sku = {r["SKU"]: r for r in rows}
    assert by_sku["KOPI-0001"]["Type"] == "simple"
    assert by_sku["KOPI-0001"]["Regular price"] == "35000"
    assert by_sku["KOPI-0001"]["Weight (kg)"] == "0.27"
    images = by_sku["KOPI-0001"]["Images"].split(", ")
    assert len(images) == 3 and all(u.startswith("https://") and "," not in u for u in images)
    parent = by_sku["KRPK-0001"]
    assert parent["Type"] == "variable" and parent["Regular price"] == ""
    assert parent["Attribute 1 value(s)"] == "Original, Balado, Pedas Daun Jeruk"
    variations = [r for r in rows if r["Parent"] == "KRPK-0001"]
    assert [r["Type"] for r in variations] == ["variation"] * 3
    assert [r["Regular price"] for r in variations] == ["15000", "16000", "16000"]
    assert by_sku["0TLR-0001"]["SKU"] == "0TLR-0001"  # leading zero kept


def test_woocommerce_refuses_commas_in_options(built):
    # "2,5 m" would be read as two values: the batik is left out of WooCommerce only
    _headers, rows = _csv(built.path / "woocommerce-products.csv")
    assert not [r for r in rows if r["SKU"].startswith("BTK")]
    excluded = built.manifest["targets"]["woocommerce"]["excluded"]
    assert excluded == [4]
    problems = [i for i in built.issues if i.target == "woocommerce" and i.level == "error"]
    assert problems and "2,5 m" in problems[0].message
    assert 4 in built.manifest["targets"]["shopify"]["product_ids"]


def test_meta_catalog(built):
    headers, rows = _csv(built.path / "meta-catalog.csv")
    assert headers == feeds.META_HEADERS
    assert len(rows) == 1 + 1 + 3 + 3 + 1  # one row per variant
    first = rows[0]
    assert first["id"] == "KOPI-0001" and first["price"] == "35000 IDR"
    assert first["availability"] == "in stock" and first["condition"] == "new"
    assert first["link"] == BASE_URL + "/p/kopi-0001.html"
    assert len(first["additional_image_link"].split(",")) == 2
    sold_out = next(r for r in rows if r["id"] == "BTK-0001-BL-S")
    assert sold_out["availability"] == "out of stock" and sold_out["item_group_id"] == "BTK-0001"


def test_google_tsv(built):
    headers, rows = _csv(built.path / "google-merchant.tsv", delimiter="\t")
    assert headers == feeds.GOOGLE_HEADERS
    first = rows[0]
    assert first["availability"] == "in_stock" and first["price"] == "35000 IDR"
    assert first["gtin"] == "2000000000015" and first["identifier_exists"] == "yes"
    craft = next(r for r in rows if r["id"] == "BTK-0001-BR-S")
    assert craft["identifier_exists"] == "no" and craft["item_group_id"] == "BTK-0001"
    assert all("\t" not in v and "\n" not in v for r in rows for v in r.values())


def test_generic_csv_and_json(built):
    headers, rows = _csv(built.path / "products.csv")
    assert headers == feeds.GENERIC_HEADERS
    assert len(rows) == 9 and all(r["price"].isdigit() for r in rows)
    data = json.loads((built.path / "products.json").read_text(encoding="utf-8"))
    assert data["shop"]["name"] == "Kopi Sindoro" and data["currency"] == "IDR"
    assert [p["sku"] for p in data["products"]] == [
        "KOPI-0001", "KOPI-0002", "KRPK-0001", "BTK-0001", "0TLR-0001",
    ]  # fmt: skip
    assert data["products"][0]["variants"][0]["price"] == 35000


def test_plain_shopee_sheet_without_template(built):
    wb = load_workbook(built.path / sheets.SHOPEE_FILE)
    ws = wb["Template"]
    keys = [c.value for c in ws[1]]
    assert keys == [k for k, _h in sheets.SHOPEE_COLUMNS]
    assert ws.row_dimensions[1].hidden
    assert [c.value for c in ws[2]][:2] == ["Kategori", "Nama Produk"]
    assert "Shopee" in ws.cell(row=3, column=1).value  # the note to paste into the official one
    col = {k: i + 1 for i, k in enumerate(keys)}
    data = list(ws.iter_rows(min_row=4, values_only=True))
    assert len(data) == 9
    first = data[0]
    assert first[col["ps_product_name"] - 1] == "Kopi Robusta Temanggung Bubuk"
    assert first[col["ps_price"] - 1] == 35000 and isinstance(first[col["ps_price"] - 1], int)
    assert first[col["ps_gtin_code"] - 1] == "2000000000015"  # text, not 2.00E+12
    assert ws.cell(row=4, column=col["ps_gtin_code"]).number_format == "@"
    assert first[col["ps_item_cover_image"] - 1].endswith("/images/KOPI-0001-1.jpg")
    chips = [r for r in data if r[col["ps_sku_parent_short"] - 1] == "KRPK-0001"]
    assert {r[col["et_title_variation_integration_no"] - 1] for r in chips} == {"KRPK-0001"}
    assert [r[col["et_title_option_for_variation_1"] - 1] for r in chips] == [
        "Original", "Balado", "Pedas Daun Jeruk",
    ]  # fmt: skip
    telur = next(r for r in data if r[col["ps_sku_short"] - 1] == "0TLR-0001")
    assert telur[col["ps_weight"] - 1] == 60


def test_plain_tokopedia_sheet(built):
    wb = load_workbook(built.path / sheets.TOKOPEDIA_FILE)
    ws = wb[sheets.TOKOPEDIA_SHEET]
    headers = [c.value for c in ws[2]]
    assert headers[:4] == ["Nama Produk*", "Deskripsi Produk", "Kategori Kode*", "Berat* (Gram)"]
    col = {h: i for i, h in enumerate(headers)}
    data = list(ws.iter_rows(min_row=4, values_only=True))
    assert {r[col["Nama Produk*"]] for r in data} == {
        "Kopi Robusta Temanggung Bubuk", "Kopi Arabika Gayo Biji Sangrai", "Keripik Singkong",
        "Kain Batik Tulis Pewarna Alam", "Telur Ayam Kampung",
    }  # fmt: skip
    # the sold-out batik variant (stock 0) is left out: Tokopedia refuses a stock of 0
    assert [r[col["SKU Name"]] for r in data if r[col["SKU Name"]].startswith("BTK")] == [
        "BTK-0001-BR-S", "BTK-0001-BR-L",
    ]  # fmt: skip
    notes = [i for i in built.issues if i.target == "tokopedia" and i.sku == "BTK-0001"]
    assert any("BTK-0001-BL-S" in i.message and i.level == "warning" for i in notes)
    first = data[0]
    assert first[col["Harga (Rp)*"]] == 35000 and first[col["Berat* (Gram)"]] == 270
    assert first[col["Kategori Kode*"]] == "2731" and first[col["Kondisi*"]] == "Baru"
    assert first[col["Gambar 1*"]].startswith(BASE_URL)
