"""The catalog table's columns: the export writes them in order, the import reads them
(and the names sellers write in Indonesian)."""

# The export's columns, in order; the import reads the same names.
COLUMNS = (
    "sku", "name", "category", "variant_name", "variant_option", "unit", "price", "cost",
    "stock", "weight_g", "netto", "composition", "shelf_life_days", "pirt", "halal",
    "barcode", "description", "variant2_name", "variant2_option", "low_stock", "storage",
    "is_food", "length_cm", "width_cm", "height_cm",
)  # fmt: skip
TEXT_COLUMNS = ("sku", "barcode", "pirt", "variant_option", "variant2_option", "netto")
# Column names sellers write in Indonesian, and common English variants.
ALIASES = {
    "nama": "name", "nama_produk": "name", "product_name": "name", "produk": "name",
    "kategori": "category", "satuan": "unit", "harga": "price", "harga_jual": "price",
    "modal": "cost", "harga_modal": "cost", "harga_pokok": "cost", "stok": "stock",
    "stok_awal": "stock", "opening_stock": "stock", "berat": "weight_g", "berat_g": "weight_g",
    "weight": "weight_g", "deskripsi": "description", "komposisi": "composition",
    "umur_simpan": "shelf_life_days", "pirt_number": "pirt", "p_irt": "pirt",
    "kode_barcode": "barcode", "ean": "barcode", "kode": "sku", "kode_sku": "sku",
    "penyimpanan": "storage", "stok_minimum": "low_stock",
}  # fmt: skip
# column -> product field
PRODUCT_COLUMNS = {
    "name": "name", "category": "category", "unit": "unit", "description": "description",
    "weight_g": "weight_g", "netto": "netto", "composition": "composition",
    "shelf_life_days": "shelf_life_days", "pirt": "pirt_number", "halal": "halal",
    "storage": "storage", "is_food": "is_food", "length_cm": "length_cm",
    "width_cm": "width_cm", "height_cm": "height_cm", "variant_name": "option1_name",
    "variant2_name": "option2_name",
}  # fmt: skip
# column -> variant field
VARIANT_COLUMNS = {
    "sku": "sku", "price": "price", "cost": "cost", "barcode": "barcode",
    "low_stock": "low_stock", "variant_option": "option1_value",
    "variant2_option": "option2_value",
}  # fmt: skip
MAX_OPENING_STOCK = 1_000_000

CREATE, UPDATE, UNCHANGED, REJECT = "create", "update", "unchanged", "reject"
