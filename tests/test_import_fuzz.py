"""Fuzzing the CSV and XLSX importers: a clear error or a correct result,
never a crash and never a partial write."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from shopdesk import stock
from shopdesk.catalog import table_io
from shopdesk.errors import ShopDeskError
from shopdesk.store.models import AuditLog, Movement, Product, Variant

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NASTY = st.sampled_from(
    [
        "",
        " ",
        "😀🍯",
        "مرحبا بالعالم",  # right-to-left
        "\u202eKopi",  # RTL override
        "Kopi\x00Bubuk",
        "x" * 10_000,
        "8.99123E+12",
        "=1+1",
        '"',
        ";",
        "\r\n",
        "Rp 15.000,-",
        "15rb",
        "-5",
        "2000000000015",
        "KOPI-0001",
        "ya",
        "Rasa",
    ]
)
CELL = st.one_of(NASTY, st.text(max_size=30))
COLUMNS = st.lists(st.sampled_from((*table_io.COLUMNS, "extra")), min_size=1, max_size=8)


def _state():
    return (
        Product.select().count(),
        Variant.select().count(),
        Movement.select().count(),
        AuditLog.select().where(AuditLog.action == "import").count(),
    )


def _check(seller, path: Path) -> None:
    before = _state()
    try:
        preview = table_io.preview_import(seller, path)
    except ShopDeskError as exc:
        assert exc.message
        assert _state() == before
        return
    try:
        result = table_io.apply_import(seller, path, skip_rejected=True)
    except ShopDeskError as exc:
        assert exc.message
        assert _state() == before
        return
    products, variants, _movements, imports = _state()
    assert variants - before[1] == result.variants_created
    assert products - before[0] == result.products_created
    assert result.variants_created == preview.count(table_io.CREATE)
    assert imports - before[3] == 1
    assert stock.check(seller).ok


@FUZZ
@given(
    columns=COLUMNS,
    rows=st.lists(st.lists(CELL, min_size=0, max_size=9), max_size=6),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
)
def test_csv_importer_never_crashes_or_half_writes(seller, columns, rows, delimiter, encoding):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(["name", "price", *columns])
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding, errors="replace")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.csv"
        path.write_bytes(data)
        _check(seller, path)


def _xlsx_safe(text: str) -> str:
    # openpyxl refuses control characters in cells; Excel cannot hold them either.
    return "".join(ch for ch in text if ch in "\t\n" or ord(ch) >= 32)


@FUZZ
@given(
    columns=COLUMNS,
    rows=st.lists(
        st.lists(st.one_of(CELL, st.integers(-(10**15), 10**15), st.floats()), max_size=9),
        max_size=6,
    ),
)
def test_xlsx_importer_never_crashes_or_half_writes(seller, columns, rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["name", "price", *columns])
    for row in rows:
        ws.append([_xlsx_safe(v) if isinstance(v, str) else v for v in row])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.xlsx"
        wb.save(path)
        _check(seller, path)


@FUZZ
@given(data=st.binary(max_size=4000), name=st.sampled_from(["f.csv", "f.xlsx", "f.txt"]))
def test_arbitrary_bytes_give_a_clear_error_or_a_result(seller, data, name):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        _check(seller, path)


@FUZZ
@given(
    rows=st.lists(
        st.tuples(
            st.one_of(NASTY, st.text(min_size=1, max_size=40)),  # name
            st.sampled_from(["Rp 15.000", "15rb", "1,2jt", "22000", "Rp85.000,-"]),
            st.one_of(NASTY, st.text(max_size=20)),  # category
            st.sampled_from(["", "Rasa"]),
            st.one_of(NASTY, st.text(max_size=20)),  # option value
            st.integers(0, 50).map(str),
            st.one_of(NASTY, st.text(max_size=200)),  # description
        ),
        min_size=1,
        max_size=8,
    )
)
def test_mostly_valid_rows_import_correctly(seller, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["name", "price", "category", "variant_name", "variant_option", "stock", "description"]
    )
    writer.writerows(rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.csv"
        path.write_bytes(buffer.getvalue().encode("utf-8"))
        _check(seller, path)
