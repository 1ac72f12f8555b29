"""Marketplace files as sellers download them, built from their documented headers.

Where each header set comes from is in tests/fixtures/marketplace/README.md; the
files are built here (no binary fixtures) so that a reader sees every cell.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

# Shopee Indonesia basic mass-upload template, 2025-26 layout (README: "Shopee basic").
SHOPEE_COURIERS = {
    "channel_id.8003": "Reguler (Cashless)",
    "channel_id.8005": "Hemat Kargo",
    "channel_id.8001": "Same Day",
    "channel_id.8002": "Next Day",
    "channel_id.8000": "Instant",
}
SHOPEE_BASIC: list[tuple[str, str]] = [
    ("ps_category", "Kategori"),
    ("ps_product_name", "Nama Produk"),
    ("ps_product_description", "Deskripsi Produk"),
    ("ps_sku_parent_short", "SKU Induk"),
    ("ps_dangerous_goods", "Produk Berbahaya"),
    ("et_title_variation_integration_no", "Kode Integrasi Variasi"),
    ("et_title_variation_1", "Nama Variasi 1"),
    ("et_title_option_for_variation_1", "Varian untuk Variasi 1"),
    ("et_title_image_per_variation", "Foto Produk per Varian"),
    ("et_title_variation_2", "Nama Variasi 2"),
    ("et_title_option_for_variation_2", "Varian untuk Variasi 2"),
    ("ps_price", "Harga"),
    ("ps_stock", "Stok"),
    ("ps_sku_short", "Kode Variasi"),
    ("ps_new_size_chart", "Panduan Ukuran"),
    ("et_title_size_chart", "Foto Panduan Ukuran"),
    ("ps_gtin_code", "GTIN"),
    ("ps_item_cover_image", "Foto Sampul"),
    *[(f"ps_item_image_{i}", f"Foto Produk {i}") for i in range(1, 9)],
    ("ps_weight", "Berat"),
    ("ps_length", "Panjang"),
    ("ps_width", "Lebar"),
    ("ps_height", "Tinggi"),
    *SHOPEE_COURIERS.items(),
    ("ps_product_pre_order_dts", "Dikirim Dalam Pre-order"),
    ("et_title_reason", "Alasan Gagal"),
]
SHOPEE_DANGEROUS = ("No (ID)", "Yes (ID)")
SHOPEE_CATEGORIES = [
    ("100636", "Makanan & Minuman", "Minuman", "Kopi"),
    ("100637", "Makanan & Minuman", "Bahan Pokok", "Gula"),
    ("100780", "Makanan & Minuman", "Makanan Ringan", "Keripik"),
]
HEADER_FILL = "FFE2EFDA"


def shopee_basic(path: Path, *, weight_guide: str = "Berat dalam kg, 0.01 - 500") -> Path:
    """Row 1 hidden keys, row 2 Shopee's own ids ("basic", a hash, ...), row 3 the
    headers, rows 4-6 required / description / value guide, data from row 7; a guide
    sheet before it and a hidden category list after it."""
    wb = Workbook()
    guide = wb.active
    guide.title = "Petunjuk"
    guide["A1"] = "Cara mengisi template upload massal"
    ws = wb.create_sheet("Template")
    for col, (key, header) in enumerate(SHOPEE_BASIC, start=1):
        ws.cell(row=1, column=col, value=key)
        ws.cell(row=3, column=col, value=header)
        ws.cell(row=4, column=col, value="Wajib" if key in _REQUIRED else "Opsional")
        ws.cell(row=5, column=col, value=f"Petunjuk: {header}")
        ws.cell(row=6, column=col, value="Aktif / Nonaktif" if key in SHOPEE_COURIERS else "-")
    for col, value in enumerate(["basic", "8dddd2f7d90a3b8728b28316f98263b6", "0", "72444654"], 1):
        ws.cell(row=2, column=col, value=value)
    weight = [k for k, _h in SHOPEE_BASIC].index("ps_weight") + 1
    ws.cell(row=5, column=weight, value=weight_guide)
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
    ws.row_dimensions[1].hidden = True
    ws.row_dimensions[2].hidden = True
    dangerous = [k for k, _h in SHOPEE_BASIC].index("ps_dangerous_goods") + 1
    letter = ws.cell(row=7, column=dangerous).column_letter
    rule = DataValidation(type="list", formula1='"{}"'.format(",".join(SHOPEE_DANGEROUS)))
    rule.add(f"{letter}7:{letter}5000")
    ws.add_data_validation(rule)
    cats = wb.create_sheet("Kategori")
    cats.append(["Kode Kategori", "Kategori 1", "Kategori 2", "Kategori 3"])
    for row in SHOPEE_CATEGORIES:
        cats.append(list(row))
    cats.sheet_state = "hidden"
    wb.save(path)
    return path


_REQUIRED = {"ps_product_name", "ps_product_description", "ps_price", "ps_stock", "ps_weight"}

# Shopee mass update, sales info (README: "Shopee sales info").
SHOPEE_SALES_INFO: list[tuple[str, str]] = [
    ("et_title_product_id", "Kode Produk"),
    ("et_title_product_name", "Nama Produk"),
    ("et_title_variation_id", "Kode Variasi"),
    ("et_title_variation_name", "Nama Variasi"),
    ("et_title_parent_sku", "SKU Induk"),
    ("et_title_variation_sku", "SKU"),
    ("et_title_variation_price", "Harga"),
    ("et_title_variation_stock", "Stok"),
    ("et_title_reason", "Alasan Gagal"),
]


def shopee_sales_info(path: Path, rows: list[tuple[object, ...]]) -> Path:
    """Row 1 keys, row 2 "sales_info" and a hash, row 3 headers, rows 4-6 guides,
    listings from row 7: (product id, name, variation id, variation, parent SKU, SKU,
    price, stock)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    for col, (key, header) in enumerate(SHOPEE_SALES_INFO, start=1):
        ws.cell(row=1, column=col, value=key)
        ws.cell(row=3, column=col, value=header)
        ws.cell(row=4, column=col, value="Wajib" if "price" in key or "stock" in key else "")
        ws.cell(row=5, column=col, value="Jangan diubah" if "_id" in key else "Bisa diubah")
        ws.cell(row=6, column=col, value="")
    ws["A2"], ws["B2"] = "sales_info", "220408_floatingstock"
    ws.row_dimensions[1].hidden = True
    for offset, values in enumerate(rows):
        for col, value in enumerate(values, start=1):
            ws.cell(row=7 + offset, column=col, value=value)
    wb.save(path)
    return path


# TikTok Shop / Tokopedia batch edit of price and stock (README: "TikTok Shop batch edit").
TIKTOK_BATCH_EDIT: list[tuple[str, str]] = [
    ("product_id", "ID Produk"),
    ("product_name", "Nama Produk"),
    ("sku_id", "ID SKU"),
    ("variation_value", "Variasi"),
    ("seller_sku", "SKU Penjual"),
    ("price", "Harga"),
    ("quantity", "Kuantitas"),
]


def tiktok_batch_edit(path: Path, rows: list[tuple[object, ...]]) -> Path:
    """Sheet "Template": row 1 keys, row 2 headers, rows 3-5 guides, data from row 6."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Template"
    for col, (key, header) in enumerate(TIKTOK_BATCH_EDIT, start=1):
        ws.cell(row=1, column=col, value=key)
        ws.cell(row=2, column=col, value=header)
        ws.cell(row=3, column=col, value="Wajib" if key in ("price", "quantity") else "")
        ws.cell(row=4, column=col, value="Tidak dapat diedit" if "id" in key else "")
        ws.cell(row=5, column=col, value="")
    info = wb.create_sheet("Instructions")
    info["A1"] = "Ubah harga dan stok, lalu unggah kembali file ini."
    for offset, values in enumerate(rows):
        for col, value in enumerate(values, start=1):
            ws.cell(row=6 + offset, column=col, value=value)
    wb.save(path)
    return path
