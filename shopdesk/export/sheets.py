"""Marketplace spreadsheets: Shopee and Tokopedia / TikTok Shop mass upload.

The seller's own downloaded template is filled in place: columns are found by
the template's keys (Shopee's hidden row 1) or headers (Tokopedia's row 2), the
first data row is found after the template's instruction rows, and every other
sheet, hidden row and instruction row is kept. Without a template a plain sheet
with the same keys and headers is written, with a note to paste it into the
official template. SKUs and barcodes are text cells so Excel keeps their digits;
every value goes in through ``tabular.fill_cell``, so none becomes a formula.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from shopdesk.errors import ValidationError
from shopdesk.export.feeds import TargetFile
from shopdesk.export.prepared import Context, PreparedProduct
from shopdesk.i18n import _
from shopdesk.tabular import fill_cell

SHOPEE_FILE = "shopee-mass-upload.xlsx"
TOKOPEDIA_FILE = "tokopedia-mass-upload.xlsx"
SCAN_ROWS = 40  # instruction rows are found within this many rows of the header

SHOPEE_COLUMNS: list[tuple[str, str]] = [
    ("ps_category", "Kategori"),
    ("ps_product_name", "Nama Produk"),
    ("ps_product_description", "Deskripsi Produk"),
    ("ps_sku_parent_short", "SKU Induk"),
    ("et_title_variation_integration_no", "Kode Integrasi Variasi"),
    ("et_title_variation_1", "Nama Variasi 1"),
    ("et_title_option_for_variation_1", "Varian untuk Variasi 1"),
    ("et_title_image_per_variation", "Foto Produk per Varian"),
    ("et_title_variation_2", "Nama Variasi 2"),
    ("et_title_option_for_variation_2", "Varian untuk Variasi 2"),
    ("ps_price", "Harga"),
    ("ps_stock", "Stok"),
    ("ps_sku_short", "Kode Variasi"),
    ("ps_gtin_code", "GTIN"),
    ("ps_item_cover_image", "Foto Sampul"),
    *[(f"ps_item_image_{i}", f"Foto Produk {i}") for i in range(1, 9)],
    ("ps_weight", "Berat"),
    ("ps_length", "Panjang"),
    ("ps_width", "Lebar"),
    ("ps_height", "Tinggi"),
]
SHOPEE_TEXT_KEYS = {
    "ps_sku_parent_short",
    "ps_sku_short",
    "ps_gtin_code",
    "et_title_variation_integration_no",
    "ps_category",
}

TOKOPEDIA_HEADERS: list[tuple[str, str, str]] = [
    # (field, header as in the legacy template, guidance)
    ("name", "Nama Produk*", "Wajib, maks. 70 karakter"),
    ("description", "Deskripsi Produk", "Opsional, maks. 2000 karakter"),
    ("category", "Kategori Kode*", "Wajib, kode dari daftar kategori"),
    ("weight", "Berat* (Gram)", "Wajib, angka tanpa titik atau koma"),
    ("min_order", "Minimum Pemesanan*", "Wajib, 1-9999"),
    ("showcase", "Nomor Etalase", "Opsional"),
    ("preorder", "Waktu Proses Preorder", "Opsional, 3-90 hari"),
    ("condition", "Kondisi*", "Baru / Bekas"),
    *[(f"image_{i}", f"Gambar {i}" + ("*" if i == 1 else ""), "URL") for i in range(1, 6)],
    *[(f"video_{i}", f"URL Video Produk {i}", "YouTube") for i in range(1, 4)],
    ("sku", "SKU Name", "Opsional, maks. 50 karakter"),
    ("status", "Status*", "Aktif / Nonaktif"),
    ("stock", "Jumlah Stok*", "Wajib, 1-999999"),
    ("price", "Harga (Rp)*", "Wajib, angka tanpa titik atau koma, min. 100"),
    ("insurance", "Asuransi Pengiriman", "ya / opsional"),
]
# Header aliases (normalised) -> field: the legacy Tokopedia and TikTok Shop batch templates.
TOKOPEDIA_ALIASES: dict[str, str] = {
    "nama produk": "name",
    "product name": "name",
    "deskripsi produk": "description",
    "product description": "description",
    "kategori kode": "category",
    "category": "category",
    "berat (gram)": "weight",
    "package weight(g)": "weight",
    "package weight (g)": "weight",
    "minimum pemesanan": "min_order",
    "kondisi": "condition",
    "main product image": "image_1",
    "sku name": "sku",
    "seller sku": "sku",
    "status": "status",
    "jumlah stok": "stock",
    "quantity": "stock",
    "harga (rp)": "price",
    "retail price (local currency)": "price",
    "asuransi pengiriman": "insurance",
    "variation 1": "option_1",
    "variation 2": "option_2",
    "variasi 1": "option_1",
    "variasi 2": "option_2",
    "package length(cm)": "length",
    "package width(cm)": "width",
    "package height(cm)": "height",
    **{f"gambar {i}": f"image_{i}" for i in range(1, 6)},
    **{f"product image {i}": f"image_{i}" for i in range(2, 10)},
}
TOKOPEDIA_ALIASES.update(
    {"waktu proses preorder": "preorder", "berat (kg)": "weight", "package weight(kg)": "weight"}
)
TOKOPEDIA_TEXT_FIELDS = {"sku", "category"}
CHANNEL_PREFIX = "channel_id"  # Shopee's courier columns: channel_id.8003, channel_id_8003
ACTIVE, INACTIVE = "Aktif", "Nonaktif"
NOT_DANGEROUS, DANGEROUS = "No", "Yes"
# A template is opened from the seller's file, or from the copy kept in the database.
TemplateSource = Path | bytes
TOKOPEDIA_SHEET = "ISI Template Impor Produk"


@dataclass(frozen=True)
class SheetLayout:
    """Where the data goes in a workbook; kept in the manifest for set-url."""

    sheet: str
    first_row: int
    columns: dict[str, int]  # field or key -> column number
    from_template: bool
    weight_unit: str = "g"
    channels: dict[str, str] = dataclass_field(default_factory=dict)  # courier key -> its header
    dangerous_values: tuple[str, str] = (NOT_DANGEROUS, DANGEROUS)  # as the template lists


# --- shared -----------------------------------------------------------------


def open_template(path: TemplateSource, kind: str) -> Workbook:
    if isinstance(path, bytes):
        return _load_saved(path, kind)
    try:
        return load_workbook(path)
    except FileNotFoundError as exc:
        raise ValidationError(
            _("The template file {path} does not exist. Check the path.").format(path=path)
        ) from exc
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ValidationError(
            _(
                "The file {path} is not a {kind} template (.xlsx). Download the template "
                "again from the seller centre and save it as .xlsx."
            ).format(path=path, kind=kind)
        ) from exc


def _load_saved(data: bytes, kind: str) -> Workbook:
    try:
        return load_workbook(io.BytesIO(data))
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ValidationError(
            _(
                "The saved {kind} template cannot be read any more. Choose the template "
                "again on the Export page."
            ).format(kind=kind)
        ) from exc


def template_name(template: TemplateSource | None) -> str:
    """How a message names a template: its path, or the copy ShopDesk keeps."""
    if isinstance(template, bytes):
        return _("the saved template")
    return str(template)


def _is_empty_row(ws: Worksheet, row: int, columns: Sequence[int]) -> bool:
    return all(ws.cell(row=row, column=c).value in (None, "") for c in columns)


def _first_data_row(ws: Worksheet, after: int, columns: Sequence[int]) -> int:
    """The first empty row after the header and its instruction rows."""
    for row in range(after + 1, after + SCAN_ROWS + 1):
        if _is_empty_row(ws, row, columns):
            return row
    return max(int(ws.max_row) + 1, after + 1)


def _clear_rows(ws: Worksheet, first_row: int, columns: Sequence[int]) -> None:
    for row in range(first_row, ws.max_row + 1):
        for column in columns:
            ws.cell(row=row, column=column).value = None


def _write_rows(
    ws: Worksheet,
    layout: SheetLayout,
    rows: Sequence[dict[str, object]],
    text_fields: set[str],
) -> None:
    for offset, values in enumerate(rows):
        row = layout.first_row + offset
        for field, column in layout.columns.items():
            value = values.get(field)
            if value in (None, ""):
                continue
            fill_cell(ws.cell(row=row, column=column), value, as_text=field in text_fields)


def _open_workbook(
    workbook_bytes: bytes | None,
    template: TemplateSource | None,
    kind: str,
    plain: Callable[[], Workbook],
    first_row: int | None,
) -> tuple[Workbook, int | None]:
    """The workbook to fill and its first data row (None: found from the headers).

    Saved bytes come first, then the seller's template, else a plain sheet whose data
    starts on row 4.
    """
    if workbook_bytes is not None:
        return load_workbook(io.BytesIO(workbook_bytes)), first_row
    if template is not None:
        return open_template(template, kind), first_row
    return plain(), 4


def _fill(
    wb: Workbook,
    layout: SheetLayout,
    rows: list[dict[str, object]],
    text_keys: set[str],
    filename: str,
) -> TargetFile:
    """Clear the sheet's old data rows, write `rows` and save the workbook."""
    ws = wb[layout.sheet]
    _clear_rows(ws, layout.first_row, list(layout.columns.values()))
    _write_rows(ws, layout, rows, text_keys)
    return TargetFile(filename, _save(wb), len(rows))


def _save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _note_style(cell: Cell) -> None:
    cell.font = Font(italic=True, color="C00000")
    cell.alignment = Alignment(wrap_text=False)


def _header_style(ws: Worksheet, row: int, count: int) -> None:
    fill = PatternFill("solid", fgColor="FFF2CC")
    for column in range(1, count + 1):
        cell = ws.cell(row=row, column=column)
        cell.font = Font(bold=True)
        cell.fill = fill
        ws.column_dimensions[get_column_letter(column)].width = 18


# --- Shopee -----------------------------------------------------------------


def shopee_layout(
    wb: Workbook, template: TemplateSource | None, first_row: int | None = None
) -> SheetLayout:
    for ws in wb.worksheets:
        keys = {
            str(c.value).strip(): c.column
            for c in ws[1]
            if isinstance(c.value, str) and c.value.strip()
        }
        if "ps_product_name" in keys:
            columns = [c for c in keys.values()]
            header = _shopee_header_row(ws, keys["ps_product_name"])
            start = first_row or _first_data_row(ws, header, columns)
            return SheetLayout(
                ws.title,
                start,
                keys,
                template is not None,
                _shopee_weight_unit(ws, keys, start),
                channels={
                    k: str(ws.cell(row=header, column=c).value or k).strip()
                    for k, c in keys.items()
                    if k.startswith(CHANNEL_PREFIX)
                },
                dangerous_values=_dangerous_values(ws, keys.get("ps_dangerous_goods")),
            )
    raise ValidationError(
        _(
            "The file {path} is not a Shopee mass-upload template: no sheet has the hidden row "
            "of column keys (ps_product_name ...). Download the template again from Shopee "
            "Seller Centre (Mass Upload, Download Template)."
        ).format(path=template_name(template))
    )


def _shopee_header_row(ws: Worksheet, name_column: int) -> int:
    """Row 2 holds the headers; some templates put a row of their own ids
    ("basic", a hash) there and the headers on row 3."""
    for row in (2, 3, 4):
        value = _normalise_header(ws.cell(row=row, column=name_column).value)
        if value in ("nama produk", "product name"):
            return row
    return 2


def _dangerous_values(ws: Worksheet, column: int | None) -> tuple[str, str]:
    """The template's own words for "not dangerous" and "dangerous", from the drop-down
    list of that column ("No (ID)" in some templates, "No" in others)."""
    if column is None:
        return (NOT_DANGEROUS, DANGEROUS)
    letter = get_column_letter(column)
    for rule in ws.data_validations.dataValidation:
        if letter not in str(rule.sqref) or not rule.formula1:
            continue
        options = [o.strip() for o in rule.formula1.strip('"').split(",") if o.strip()]
        no = [o for o in options if re.match(r"(no|tidak)\b", o, re.IGNORECASE)]
        yes = [o for o in options if o not in no]
        if no and yes:
            return (no[0], yes[0])
    return (NOT_DANGEROUS, DANGEROUS)


def _shopee_weight_unit(ws: Worksheet, keys: dict[str, int], first_row: int) -> str:
    """Read the weight unit from the template's own header and instruction rows."""
    column = keys.get("ps_weight")
    if not column:
        return "g"
    text = " ".join(
        str(ws.cell(row=r, column=column).value or "") for r in range(2, first_row)
    ).lower()
    if re.search(r"\bkg\b|kilogram", text):
        return "kg"
    return "g"


def weight_in(grams: int, unit: str) -> object:
    """A weight in the unit a template's header names."""
    return round(grams / 1000, 3) if unit == "kg" else grams


def chosen_channels(ctx: Context) -> frozenset[str]:
    chosen = ctx.options.get("shopee_channels")
    if isinstance(chosen, list | tuple | set | frozenset):
        return frozenset(str(key) for key in chosen)
    return frozenset()


def _shopee_rows(
    item: PreparedProduct, ctx: Context, layout: SheetLayout
) -> list[dict[str, object]]:
    product = item.product
    images = ctx.image_urls(item)[:9]
    dims = (product.length_cm, product.width_cm, product.height_cm)
    active = chosen_channels(ctx)
    base: dict[str, object] = {
        "ps_category": product.category_codes.get("shopee", ""),
        "ps_product_name": item.name,
        "ps_product_description": item.description,
        "ps_sku_parent_short": product.sku if product.has_variants else "",
        "ps_dangerous_goods": layout.dangerous_values[1 if product.dangerous else 0],
        "ps_item_cover_image": images[0] if images else "",
        "ps_weight": weight_in(product.weight_g, layout.weight_unit),
        **{f"ps_item_image_{i}": url for i, url in enumerate(images[1:], start=1)},
        **{key: ACTIVE if key in active else INACTIVE for key in layout.channels},
    }
    if product.preorder_days:
        base["ps_product_pre_order_dts"] = product.preorder_days
    if all(dims):
        base.update(ps_length=dims[0], ps_width=dims[1], ps_height=dims[2])
    rows = []
    for variant in product.variants:
        row = {
            **base,
            "ps_price": variant.price,
            "ps_stock": max(variant.stock, 0),
            "ps_sku_short": variant.sku,
            "ps_gtin_code": variant.barcode,
        }
        if product.has_variants:
            row["et_title_variation_integration_no"] = product.sku
            for tier, name in enumerate(product.option_names[:2], start=1):
                row[f"et_title_variation_{tier}"] = name
                row[f"et_title_option_for_variation_{tier}"] = variant.options[tier - 1]
        rows.append(row)
    return rows


def shopee(
    items: Sequence[PreparedProduct],
    ctx: Context,
    *,
    template: TemplateSource | None = None,
    workbook_bytes: bytes | None = None,
    first_row: int | None = None,
) -> tuple[TargetFile, SheetLayout]:
    """Fill a Shopee template (or write a plain sheet); returns the file and its layout."""
    wb, first_row = _open_workbook(workbook_bytes, template, "Shopee", _plain_shopee, first_row)
    layout = shopee_layout(wb, template, first_row)
    rows = [row for item in items for row in _shopee_rows(item, ctx, layout)]
    return _fill(wb, layout, rows, SHOPEE_TEXT_KEYS, SHOPEE_FILE), layout


def _plain_shopee() -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Template"
    for column, (key, header) in enumerate(SHOPEE_COLUMNS, start=1):
        ws.cell(row=1, column=column, value=key)
        ws.cell(row=2, column=column, value=header)
    ws.row_dimensions[1].hidden = True
    _header_style(ws, 2, len(SHOPEE_COLUMNS))
    note = ws.cell(
        row=3,
        column=1,
        value=_(
            "This is not the official Shopee template. Copy the data rows below into the "
            "template downloaded from Shopee Seller Centre (same columns), then upload that file."
        ),
    )
    _note_style(note)
    ws.freeze_panes = "A4"
    return wb


# --- Tokopedia / TikTok Shop ---------------------------------------------------


def _normalise_header(value: object) -> str:
    text = str(value or "").replace("*", " ").replace("\n", " ").lower()
    return re.sub(r"\s+", " ", text).strip()


def tokopedia_layout(
    wb: Workbook, template: TemplateSource | None, first_row: int | None = None
) -> SheetLayout:
    sheets = sorted(wb.worksheets, key=lambda s: s.title != TOKOPEDIA_SHEET)
    for ws in sheets:
        for header_row in range(1, 6):
            columns: dict[str, int] = {}
            for cell in ws[header_row]:
                field = TOKOPEDIA_ALIASES.get(_normalise_header(cell.value))
                if field and field not in columns:
                    columns[field] = cell.column
            if "name" in columns and "price" in columns:
                start = first_row or _first_data_row(ws, header_row, list(columns.values()))
                weight = ws.cell(row=header_row, column=columns.get("weight", 1)).value
                unit = "kg" if re.search(r"\bkg\b", _normalise_header(weight)) else "g"
                return SheetLayout(ws.title, start, columns, template is not None, unit)
    raise ValidationError(
        _(
            "The file {path} is not a Tokopedia or TikTok Shop product upload template: no "
            "sheet has the columns Nama Produk and Harga. Download the template again from the "
            "seller centre."
        ).format(path=template_name(template))
    )


def _tokopedia_rows(
    item: PreparedProduct, ctx: Context, layout: SheetLayout
) -> list[dict[str, object]]:
    product = item.product
    images = ctx.image_urls(item)
    base: dict[str, object] = {
        "name": item.name,
        "description": item.description,
        "category": product.category_codes.get("tokopedia", ""),
        "weight": weight_in(product.weight_g, layout.weight_unit),
        "min_order": 1,
        "condition": "Baru",
        "status": "Aktif",
        "insurance": "opsional",
        **{f"image_{i}": url for i, url in enumerate(images[:9], start=1)},
    }
    if product.preorder_days:
        base["preorder"] = product.preorder_days
    if all((product.length_cm, product.width_cm, product.height_cm)):
        base.update(length=product.length_cm, width=product.width_cm, height=product.height_cm)
    rows = []
    for variant in product.variants:
        if variant.stock < 1:
            continue  # Tokopedia refuses a stock of 0 (validation warned)
        row = {**base, "sku": variant.sku, "stock": min(variant.stock, 999_999)}
        row["price"] = variant.price
        for tier, value in enumerate(variant.options[:2], start=1):
            row[f"option_{tier}"] = value
        rows.append(row)
    return rows


def tokopedia(
    items: Sequence[PreparedProduct],
    ctx: Context,
    *,
    template: TemplateSource | None = None,
    workbook_bytes: bytes | None = None,
    first_row: int | None = None,
) -> tuple[TargetFile, SheetLayout]:
    wb, first_row = _open_workbook(
        workbook_bytes, template, "Tokopedia", _plain_tokopedia, first_row
    )
    layout = tokopedia_layout(wb, template, first_row)
    rows = [row for item in items for row in _tokopedia_rows(item, ctx, layout)]
    return _fill(wb, layout, rows, TOKOPEDIA_TEXT_FIELDS, TOKOPEDIA_FILE), layout


def _plain_tokopedia() -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = TOKOPEDIA_SHEET
    note = ws.cell(
        row=1,
        column=1,
        value=_(
            "This is not the official Tokopedia template. Copy the data rows into the template "
            "downloaded from the seller centre (same columns), then upload that file."
        ),
    )
    _note_style(note)
    for column, (_field, header, guide) in enumerate(TOKOPEDIA_HEADERS, start=1):
        ws.cell(row=2, column=column, value=header)
        ws.cell(row=3, column=column, value=guide).font = Font(italic=True, color="808080")
    _header_style(ws, 2, len(TOKOPEDIA_HEADERS))
    ws.freeze_panes = "A4"
    return wb


WRITERS: dict[str, Callable[..., tuple[TargetFile, SheetLayout]]] = {
    "shopee": shopee,
    "tokopedia": tokopedia,
}
