"""Importing the catalog from real-world CSV and XLSX files, and exporting it."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from shopdesk import audit, catalog, stock, tabular
from shopdesk.catalog import search, table_io
from shopdesk.catalog.table_io import applying
from shopdesk.errors import NotFoundError, ValidationError
from shopdesk.paths import resource_path
from shopdesk.store.models import AuditLog, Movement, Product, Variant

DEMO_CSV = resource_path("demo", "catalog_kopi.csv")
HEADER = "sku,name,category,variant_name,variant_option,unit,price,cost,stock,barcode\n"


def _state():
    return (Product.select().count(), Variant.select().count(), Movement.select().count())


def _write(tmp_path, text, name="katalog.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _check_sample(seller, path):
    preview = table_io.preview_import(seller, path)
    assert preview.ok, preview.rejected
    assert preview.count(table_io.CREATE) == 27
    result = table_io.apply_import(seller, path)
    assert (result.products_created, result.variants_created) == (25, 27)
    assert result.stock_units == 1068
    chips = catalog.get_product(seller, catalog.get_variant(seller, "KRPK-0001-BAL").product_id)
    assert chips.option1_name == "Rasa"
    assert [v.option1_value for v in chips.variants] == ["Original", "Balado", "Pedas Daun Jeruk"]
    assert catalog.get_variant(seller, "KOPI-0002").price == 85_000  # "Rp85.000,-"
    assert catalog.get_variant(seller, "BTK-0001").price == 1_200_000  # "Rp 1,2jt"
    assert catalog.get_variant(seller, "KRPK-0003").price == 12_000  # "12rb"
    assert catalog.get_product(seller, chips.id).halal
    bag = catalog.get_product(seller, catalog.get_variant(seller, "ANYM-0001").product_id)
    assert not bag.is_food and bag.variants[0].barcode == ""
    assert stock.check(seller).ok
    assert catalog.get_variant(seller, "TLR-0001").on_hand == 300
    again = table_io.preview_import(seller, path)
    assert again.count(table_io.UNCHANGED) == 27  # importing twice changes nothing


def test_the_shared_sample_imports_as_is(seller, shared_data):
    _check_sample(seller, shared_data / "catalog_sample.csv")


def test_the_demo_copy_of_the_sample_imports_as_is(seller):
    _check_sample(seller, DEMO_CSV)


def test_export_then_import_round_trips_in_csv_and_xlsx(seller, tmp_path):
    table_io.apply_import(seller, DEMO_CSV)
    for name in ("produk.csv", "produk.xlsx"):
        path = tmp_path / name
        assert table_io.export_products(seller, path) == 27
        preview = table_io.preview_import(seller, path)
        assert preview.count(table_io.UNCHANGED) == 27, [r for r in preview.rows if r.messages]
    sheet = load_workbook(tmp_path / "produk.xlsx").active
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "KOPI-0001")
    barcode = row[header.index("barcode")]
    assert barcode.value == "2000000000015"
    assert isinstance(barcode.value, str) and barcode.number_format == "@"
    assert table_io.export_stock(seller, tmp_path / "stok.csv") == 27
    rows = list(csv.DictReader(io.StringIO((tmp_path / "stok.csv").read_text("utf-8-sig"))))
    kopi = next(r for r in rows if r["sku"] == "KOPI-0001")
    assert (kopi["stock"], kopi["value_at_cost"]) == ("40", str(40 * 22_000))


def test_semicolon_bom_and_windows_1252(seller, tmp_path):
    text = (
        "sku;name;category;price;stock;description\r\n"
        "\r\n"
        'KOP-1;Kopi Café Sindoro;Kopi;"Rp 35.000";5;"Enak; harum"\r\n'
    )
    for index, (encoding, bom) in enumerate((("utf-8", "\ufeff"), ("cp1252", ""))):
        path = _write(
            tmp_path, bom + text.replace("KOP-1", f"KOP-{index}"), f"f{index}.csv", encoding
        )
        preview = table_io.preview_import(seller, path)
        assert preview.ok and preview.count(table_io.CREATE) == 1
        table_io.apply_import(seller, path)
        variant = catalog.get_variant(seller, f"KOP-{index}")
        assert variant.product_name == "Kopi Café Sindoro" and variant.price == 35_000
        product = catalog.get_product(seller, variant.product_id)
        assert product.description == "Enak; harum"
        if encoding == "cp1252":
            assert any("1252" in note for note in preview.notes)


def test_excel_mangled_barcodes_are_rejected_with_a_message_saying_so(seller, tmp_path):
    path = _write(tmp_path, HEADER + "A-1,Gula,Gula,,,pcs,15000,0,1,8.99123E+12\n")
    preview = table_io.preview_import(seller, path)
    [row] = preview.rejected
    assert "Excel" in " ".join(row.messages) and row.line == 2
    before = _state()
    with pytest.raises(ValidationError, match="Excel"):
        table_io.apply_import(seller, path)
    assert _state() == before


def test_row_problems_are_listed_and_nothing_is_written(seller, tmp_path):
    catalog.create_product(seller, name="Lama", price=1_000, sku="OLD-1", barcode="2000000000015")
    path = _write(
        tmp_path,
        HEADER
        + "N-1,Satu,,,,pcs,10000,0,1,\n"
        + "N-1,Dua,,,,pcs,10000,0,1,\n"  # duplicate SKU in the file
        + "N-3,Tiga,,,,pcs,sepuluh ribu,0,1,\n"  # not a price
        + "N-4,Empat,,,,pcs,10000,0,-3,\n"  # negative stock
        + "N-5,Lima,,,,pcs,10000,0,1,2000000000015\n"  # barcode of OLD-1
        + "N-6,Enam,,,,pcs,10000,0,1,8991234567895\n"  # wrong check digit
        + ",,,,,,,,,\n"  # blank
        + "N-7,,,,,pcs,10000,0,1,\n"  # no name
        + "N-8,Delapan,,Rasa,,pcs,10000,0,1,\n",  # option name without value
    )
    preview = table_io.preview_import(seller, path)
    assert [r.line for r in preview.rejected] == [3, 4, 5, 6, 7, 9, 10]
    assert preview.count(table_io.CREATE) == 1
    before = _state(), AuditLog.select().count()
    with pytest.raises(ValidationError):
        table_io.apply_import(seller, path)
    assert (_state(), AuditLog.select().count()) == before
    result = table_io.apply_import(seller, path, skip_rejected=True)
    assert (result.products_created, result.rows_skipped) == (1, 7)
    assert catalog.get_variant(seller, "N-1").product_name == "Satu"


def test_updates_leave_stock_alone_and_say_what_changes(seller, tmp_path):
    table_io.apply_import(seller, DEMO_CSV)
    path = _write(
        tmp_path,
        "sku,price,stock,extra\nKOPI-0001,Rp 36.000,99,x\nKOPI-0002,,15,\nNOPE-1,5000,1,\n",
    )
    preview = table_io.preview_import(seller, path)
    kopi1, kopi2, unknown = preview.rows
    assert kopi1.action == table_io.UPDATE and "35.000 → 36.000" in kopi1.messages[0]
    assert any("stock" in m.lower() or "stok" in m.lower() for m in kopi1.messages)
    assert kopi2.action == table_io.UNCHANGED
    assert unknown.action == table_io.REJECT  # a price list cannot create products
    assert any("extra" in note for note in preview.notes)
    table_io.apply_import(seller, path, skip_rejected=True)
    assert catalog.get_variant(seller, "KOPI-0001").price == 36_000
    assert catalog.get_variant(seller, "KOPI-0001").on_hand == 40
    entry = next(e for e in audit.entries(seller) if e.action == "import")
    assert entry.data["price_changes"] == {"KOPI-0001": [35_000, 36_000]}


def test_new_variants_join_an_existing_product_by_name(seller, tmp_path):
    table_io.apply_import(seller, DEMO_CSV)
    path = _write(tmp_path, HEADER + ",Keripik Singkong,Keripik,Rasa,Keju,bungkus,17000,9000,5,\n")
    preview = table_io.preview_import(seller, path)
    assert preview.ok and preview.count(table_io.CREATE) == 1
    table_io.apply_import(seller, path)
    chips = catalog.get_product(seller, catalog.get_variant(seller, "KRPK-0001-ORI").product_id)
    keju = chips.variants[-1]
    assert (keju.option1_value, keju.price, keju.on_hand) == ("Keju", 17_000, 5)
    assert keju.sku == "KRPK-0001-KEJ"


def test_xlsx_import_and_its_refusals(seller, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["sku", "name", "price", "barcode", "stock"])
    ws.append(["X-1", "Madu", 120000, 2000000000060, 3])  # barcode as a number cell
    ws.append([None, None, None, None, None])
    ws.append(["X-2", "Propolis", "Rp 75.000", "2000000000077", None])
    good = tmp_path / "good.xlsx"
    wb.save(good)
    result = table_io.apply_import(seller, good)
    assert result.variants_created == 2
    assert catalog.get_variant(seller, "X-1").barcode == "2000000000060"

    ws["C2"] = "=100*2"
    formula = tmp_path / "formula.xlsx"
    wb.save(formula)
    with pytest.raises(ValidationError, match="C2"):
        table_io.preview_import(seller, formula)

    ws["C2"] = 5000
    ws.merge_cells("A5:B5")
    merged = tmp_path / "merged.xlsx"
    wb.save(merged)
    with pytest.raises(ValidationError, match="A5:B5"):
        table_io.preview_import(seller, merged)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("foto.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100),
        ("katalog.pdf", b"%PDF-1.7\n..."),
        ("lama.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100),
        ("rusak.xlsx", b"PK\x03\x04 this is not a workbook"),
        ("palsu.xlsx", b"sku,name,price\nA,B,1\n"),
        ("biner.csv", bytes(range(256)) * 40),
        ("kosong.csv", b""),
        ("hanya-spasi.csv", b"\n\n  \n"),
        ("tanpa-kolom.csv", b"foo,bar\n1,2\n"),
        ("dua-kali.csv", b"sku,name,price,SKU\n"),
        ("dokumen.docx", b"sku,name,price\n"),
    ],
)
def test_files_that_are_not_tables_get_one_clear_message(seller, tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    before = _state()
    with pytest.raises(ValidationError) as info:
        table_io.apply_import(seller, path)
    assert info.value.message and "\n" not in info.value.message
    assert _state() == before


def test_a_50_mb_file_is_refused_before_reading(seller, tmp_path):
    path = tmp_path / "besar.csv"
    with open(path, "wb") as handle:
        handle.write(HEADER.encode())
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(ValidationError, match="50"):
        table_io.preview_import(seller, path)


def test_missing_file_and_folder(seller, tmp_path):
    with pytest.raises(NotFoundError):
        table_io.preview_import(seller, tmp_path / "tidak-ada.csv")
    with pytest.raises(ValidationError):
        table_io.preview_import(seller, tmp_path)


def test_backup_is_made_before_an_import(seller, tmp_path, monkeypatch):
    from shopdesk import backup

    calls = []
    real = backup.backup_before
    monkeypatch.setattr(
        backup, "backup_before", lambda reason: calls.append(reason) or real(reason)
    )
    result = table_io.apply_import(seller, DEMO_CSV)
    assert calls == ["import"] and result.backup


def test_delimiter_sniffing():
    assert tabular.sniff_delimiter("a;b;c\n1,5;2;3\n") == ";"
    assert tabular.sniff_delimiter('"x;y",b,c\n') == ","
    assert tabular.sniff_delimiter("a\tb\n") == "\t"
    assert tabular.sniff_delimiter("name\n") == ","


def test_search_finds_imported_products(seller):
    table_io.apply_import(seller, DEMO_CSV)
    assert [r.sku for r in search.search(seller, "madu sumb")] == ["MADU-0001"]


@pytest.mark.sqlite_only  # the other window writes the SQLite file
def test_a_write_by_another_window_between_preview_and_apply_is_seen(seller, tmp_path, monkeypatch):
    import sqlite3

    from shopdesk import paths

    path = _write(tmp_path, "sku,name,price\nW-1,Wajik,20000\n")

    def other_window_writes() -> str:
        con = sqlite3.connect(paths.database_path())
        with con:
            pid = con.execute(
                "INSERT INTO product (shop_id, name, created_at, updated_at) "
                "VALUES (?, 'Wajik Lama', '2026-01-01', '2026-01-01')",
                (seller.shop_id,),
            ).lastrowid
            con.execute(
                "INSERT INTO variant (shop_id, product_id, sku, price, updated_at) "
                "VALUES (?, ?, 'W-1', 1000, '2026-01-01')",
                (seller.shop_id, pid),
            )
        con.close()
        return ""

    monkeypatch.setattr(applying, "_backup_before_import", other_window_writes)
    result = table_io.apply_import(seller, path)
    assert (result.variants_created, result.variants_updated) == (0, 1)
    assert catalog.get_variant(seller, "W-1").price == 20_000


def test_two_option_names_import_and_export(seller, tmp_path):
    path = _write(
        tmp_path,
        "name,price,variant_name,variant_option,variant2_name,variant2_option,stock\n"
        "Kaos Desa,60000,Warna,Merah,Ukuran,M,2\n"
        "Kaos Desa,65000,Warna,Merah,Ukuran,L,3\n"
        "Kaos Desa,60000,Warna,Merah,Ukuran,M,1\n",  # the same variant twice
    )
    preview = table_io.preview_import(seller, path)
    assert [r.action for r in preview.rows] == ["create", "create", "reject"]
    table_io.apply_import(seller, path, skip_rejected=True)
    [shirt] = catalog.list_products(seller)
    assert shirt.option_names == ("Warna", "Ukuran")
    assert [(v.options, v.price, v.on_hand) for v in shirt.variants] == [
        (("Merah", "M"), 60_000, 2),
        (("Merah", "L"), 65_000, 3),
    ]
    out = tmp_path / "kaos.xlsx"
    table_io.export_products(seller, out)
    assert table_io.preview_import(seller, out).count(table_io.UNCHANGED) == 2


def test_codes_kept_as_text_the_spreadsheet_way(seller, tmp_path):
    path = _write(
        tmp_path,
        'sku,name,price,barcode\n\'T-1,Teh,1000,\'2000000000015\nT-2,Jahe,1000,"=""2000000000022"""\n',
    )
    table_io.apply_import(seller, path)
    assert catalog.get_variant(seller, "T-1").barcode == "2000000000015"
    assert catalog.get_variant(seller, "T-2").barcode == "2000000000022"


def test_an_import_writes_its_rows_in_batches(seller, tmp_path, monkeypatch):
    """New products, variants and opening stock go in batched statements, not one per row."""
    from shopdesk import store

    rows = "".join(
        f",Keripik {n},Keripik,{'Rasa' if n % 2 else ''},{'Balado' if n % 2 else ''},"
        f"pcs,{10_000 + n},5000,{n % 4},\n"
        for n in range(60)
    )
    path = _write(tmp_path, HEADER + rows)
    single_inserts: list[str] = []
    database = store.database.obj  # the open database behind the proxy
    execute_sql = database.execute_sql

    def counting(sql, params=None, *args, **kwargs):
        if sql.lstrip().upper().startswith("INSERT INTO") and " SELECT " not in sql:
            single_inserts.append(sql.split("(")[0])
        return execute_sql(sql, params, *args, **kwargs)

    monkeypatch.setattr(database, "execute_sql", counting)
    result = table_io.apply_import(seller, path)
    assert (result.products_created, result.variants_created) == (60, 60)
    assert result.stock_units == sum(n % 4 for n in range(60))
    assert len(single_inserts) < 10, single_inserts
    assert stock.check(seller).ok
    assert search.search(seller, "keripik 59", limit=5)  # the search index triggers ran
    stocked = Variant.select(Variant.sku).join(Product).where(Product.name == "Keripik 3")
    assert [catalog.get_variant(seller, v.sku).on_hand for v in stocked] == [3]  # cached


def _count_plans(monkeypatch) -> list[int]:
    from shopdesk.catalog.table_io import planning

    made: list[int] = []
    real = planning.plan

    def counted(session, table):
        made.append(len(table.rows))
        return real(session, table)

    monkeypatch.setattr(planning, "plan", counted)
    monkeypatch.setattr(applying, "plan", counted)
    return made


def test_apply_takes_the_previews_plan_of_an_unchanged_file(seller, tmp_path, monkeypatch):
    made = _count_plans(monkeypatch)
    path = _write(tmp_path, HEADER + "R-1,Rengginang,Kue,,,bungkus,15000,9000,12,\n")
    assert table_io.preview_import(seller, path).count(table_io.CREATE) == 1
    result = table_io.apply_import(seller, path)
    assert made == [1]  # planned once, for the preview
    assert (result.variants_created, result.stock_units) == (1, 12)
    assert catalog.get_variant(seller, "R-1").on_hand == 12
    table_io.apply_import(seller, path)  # a plan is used once: this apply plans again
    assert made == [1, 1] and _state()[1] == 1


def test_a_commit_after_the_preview_makes_the_apply_plan_again(seller, tmp_path, monkeypatch):
    made = _count_plans(monkeypatch)
    path = _write(tmp_path, "sku,name,price\nW-1,Wajik,20000\n")
    assert table_io.preview_import(seller, path).count(table_io.CREATE) == 1
    catalog.create_product(seller, name="Wajik Lama", price=1000, sku="W-1")  # same connection
    result = table_io.apply_import(seller, path)
    assert made == [1, 1]
    assert (result.variants_created, result.variants_updated) == (0, 1)
    assert catalog.get_variant(seller, "W-1").price == 20_000
    # and without the commit, the same apply would have taken the preview's plan
    table_io.preview_import(seller, path)
    table_io.apply_import(seller, path)
    assert made == [1, 1, 1]


def test_a_file_changed_after_the_preview_is_planned_again(seller, tmp_path, monkeypatch):
    # same size, same modification time: only the bytes tell
    import os

    from shopdesk.catalog.table_io import planning

    path = _write(tmp_path, "sku,name,price\nR-1,Rengginang,15000\n")
    table_io.preview_import(seller, path)
    assert planning.KEPT.take(seller.shop_id, path) is not None  # unchanged: it is there
    made = _count_plans(monkeypatch)
    path = _write(tmp_path, "sku,name,price\nR-1,Rengginang,15000\n")
    table_io.preview_import(seller, path)
    before = path.stat()
    path.write_bytes(b"sku,name,price\nR-1,Rengginang,17000\n")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    table_io.apply_import(seller, path)
    assert made == [1, 1]
    assert catalog.get_variant(seller, "R-1").price == 17_000
