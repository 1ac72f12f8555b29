"""The seller's own marketplace templates are filled in place and kept intact."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from shopdesk.errors import ValidationError
from shopdesk.export.bundle import export_bundle, prepare
from shopdesk.export.sheets import SHOPEE_COLUMNS, SHOPEE_FILE, TOKOPEDIA_FILE
from tests.export.conftest import BASE_URL
from tests.export.factory import SHOP

COURIER = "channel_id.80014"


def shopee_template(path: Path, *, weight_note: str = "Berat (gram)") -> Path:
    """Like a 2025-26 Shopee basic template: hidden keys, headers, 4 instruction rows,
    courier columns, a failure-reason column and extra sheets."""
    wb = Workbook()
    guide = wb.active
    guide.title = "Petunjuk"
    guide["A1"] = "Cara mengisi template upload massal"
    ws = wb.create_sheet("Template")
    keys = [k for k, _h in SHOPEE_COLUMNS] + [COURIER, "et_title_reason"]
    headers = [h for _k, h in SHOPEE_COLUMNS] + ["J&T Express", "Alasan Gagal"]
    keys.insert(1, "ps_brand")  # a column we do not fill must stay as it is
    headers.insert(1, "Merek")
    for col, (key, header) in enumerate(zip(keys, headers, strict=True), start=1):
        ws.cell(row=1, column=col, value=key)
        ws.cell(row=2, column=col, value=header)
        ws.cell(row=3, column=col, value="Wajib" if col % 2 else "Opsional")
        ws.cell(row=4, column=col, value=f"Petunjuk kolom {header}")
        ws.cell(row=5, column=col, value="Contoh")
        ws.cell(row=6, column=col, value="---")
    ws.cell(row=4, column=keys.index("ps_weight") + 1, value=weight_note)
    ws.row_dimensions[1].hidden = True
    cats = wb.create_sheet("Daftar Kategori")
    cats.append(["100636", "Makanan & Minuman > Kopi"])
    cats.sheet_state = "hidden"
    wb.save(path)
    return path


def tokopedia_template(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "ISI Template Impor Produk"
    ws["A1"] = "Panduan: isi mulai baris 4"
    headers = [
        "Nama Produk*", "Deskripsi Produk", "Kategori Kode*", "Berat* (Gram)",
        "Minimum Pemesanan*", "Nomor Etalase", "Kondisi*", "Gambar 1*", "Gambar 2", "SKU Name",
        "Status*", "Jumlah Stok*", "Harga (Rp)*", "Asuransi Pengiriman",
    ]  # fmt: skip
    for col, header in enumerate(headers, start=1):
        ws.cell(row=2, column=col, value=header)
        ws.cell(row=3, column=col, value="petunjuk")
    etalase = wb.create_sheet("Daftar Etalase")
    etalase.append(["123", "Kopi"])
    wb.save(path)
    return path


def test_shopee_template_round_trip(products, stick, options, tmp_path):
    template = shopee_template(tmp_path / "shopee.xlsx")
    before = load_workbook(template)
    opts = replace(options, shopee_template=template, targets=("shopee",),
                   shopee_channels=frozenset({COURIER}))  # fmt: skip
    result = export_bundle(products, shop=SHOP, out_dir=stick, options=opts)
    wb = load_workbook(result.path / SHOPEE_FILE)
    assert wb.sheetnames == before.sheetnames
    assert wb["Petunjuk"]["A1"].value == "Cara mengisi template upload massal"
    assert wb["Daftar Kategori"].sheet_state == "hidden"
    ws, old = wb["Template"], before["Template"]
    assert ws.row_dimensions[1].hidden
    for row in range(1, 7):  # keys, headers and instruction rows untouched
        assert [c.value for c in ws[row]] == [c.value for c in old[row]]
    keys = [c.value for c in ws[1]]
    col = {k: i for i, k in enumerate(keys)}
    data = list(ws.iter_rows(min_row=7, values_only=True))
    assert len(data) == 9  # the first empty row after the instructions is row 7
    first = data[0]
    assert first[col["ps_product_name"]] == "Kopi Robusta Temanggung Bubuk"
    assert first[col["ps_category"]] == "100636"
    assert first[col["ps_price"]] == 35000 and first[col["ps_stock"]] == 40
    assert first[col["ps_weight"]] == 270  # the template says grams
    assert first[col["ps_item_image_2"]] == BASE_URL + "/images/KOPI-0001-3.jpg"
    assert first[col["ps_brand"]] is None and first[col[COURIER]] == "Aktif"
    assert first[col["et_title_reason"]] is None


def test_shopee_weight_unit_comes_from_the_template(products, stick, options, tmp_path):
    template = shopee_template(tmp_path / "kg.xlsx", weight_note="Berat (kg), 0.01 - 500")
    opts = replace(options, shopee_template=template, targets=("shopee",),
                   shopee_channels=frozenset({COURIER}))  # fmt: skip
    result = export_bundle(products, shop=SHOP, out_dir=stick, options=opts)
    ws = load_workbook(result.path / SHOPEE_FILE)["Template"]
    col = [c.value for c in ws[1]].index("ps_weight") + 1
    assert ws.cell(row=7, column=col).value == pytest.approx(0.27)
    assert result.manifest["targets"]["shopee"]["layout"]["weight_unit"] == "kg"


def test_tokopedia_template_is_filled_from_row_4(products, stick, options, tmp_path):
    template = tokopedia_template(tmp_path / "tambah-sekaligus.xlsx")
    opts = replace(options, tokopedia_template=template, targets=("tokopedia",))
    result = export_bundle(products, shop=SHOP, out_dir=stick, options=opts)
    wb = load_workbook(result.path / TOKOPEDIA_FILE)
    assert wb.sheetnames == ["ISI Template Impor Produk", "Daftar Etalase"]
    ws = wb["ISI Template Impor Produk"]
    assert ws["A1"].value.startswith("Panduan") and ws["A3"].value == "petunjuk"
    assert ws["A4"].value == "Kopi Robusta Temanggung Bubuk"
    assert ws["M4"].value == 35000 and ws["J4"].value == "KOPI-0001"
    assert ws["J4"].number_format == "@"


def test_a_file_that_is_not_a_shopee_template(products, stick, options, tmp_path):
    other = tmp_path / "laporan.xlsx"
    wb = Workbook()
    wb.active.append(["Nama", "Harga"])
    wb.save(other)
    text = tmp_path / "notes.xlsx"
    text.write_text("hello")
    for path in (other, text, tmp_path / "nowhere.xlsx"):
        opts = replace(options, shopee_template=path)
        with pytest.raises(ValidationError) as err:
            export_bundle(products, shop=SHOP, out_dir=stick, options=opts)
        assert str(path) in err.value.message
    assert list(stick.iterdir()) == []  # nothing written


def test_check_without_writing(products, options, tmp_path):
    prepared = prepare(products, shop=SHOP, options=options)
    assert {t: len(v) for t, v in prepared.included.items()}["woocommerce"] == 4
    assert not list(tmp_path.glob("stick/*"))


def test_tiktok_shop_batch_template_with_english_headers(products, stick, options, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Template"
    headers = [
        "Category", "Brand", "Product Name", "Product Description", "Main Product Image",
        "Product Image 2", "Package Weight(g)", "Variation 1", "Retail Price (Local Currency)",
        "Quantity", "Seller SKU",
    ]  # fmt: skip
    for col, header in enumerate(headers, start=1):
        ws.cell(row=1, column=col, value=header)
        ws.cell(row=2, column=col, value="Mandatory" if col != 2 else "Optional")
    path = tmp_path / "tiktok.xlsx"
    wb.save(path)
    opts = replace(options, tokopedia_template=path, targets=("tokopedia",))
    result = export_bundle(products, shop=SHOP, out_dir=stick, options=opts)
    out = load_workbook(result.path / TOKOPEDIA_FILE)["Template"]
    assert out["C3"].value == "Kopi Robusta Temanggung Bubuk"
    assert out["I3"].value == 35000 and out["K3"].value == "KOPI-0001"
    assert out["G3"].value == 270 and out["B3"].value is None
    chips = [r for r in out.iter_rows(min_row=3, values_only=True) if r[2] == "Keripik Singkong"]
    assert [r[7] for r in chips] == ["Original", "Balado", "Pedas Daun Jeruk"]
