"""Tables in files: read CSV and XLSX the way sellers save them, write both.

Reading accepts UTF-8 with or without BOM (UTF-16 from Excel's "Unicode text"
too), falls back to Windows-1252, and takes ``;`` (Excel in Indonesia), ``,``
or tab as delimiter. Anything that is not a plain table gets one clear message
and nothing is read: another file type, an old ``.xls``, formulas, merged
cells, a file too large. Writing goes through ``safe_io`` (temp, fsync, rename,
read back); codes are text cells in XLSX so Excel keeps every digit.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from shopdesk.errors import NotFoundError, ValidationError
from shopdesk.i18n import _
from shopdesk.safe_io import atomic_writer, storage_error, verify_file

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_XLSX_UNPACKED = 200 * 1024 * 1024  # a zip bomb inflates far beyond this
MAX_ROWS = 100_000
MAX_COLUMNS = 200
MAX_CELL = 20_000
CSV_EXTENSIONS = {".csv", ".txt", ".tsv", ""}
XLSX_EXTENSIONS = {".xlsx", ".xlsm"}
_BINARY_MAGIC = {
    b"%PDF": "PDF",
    b"\x89PNG": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF8": "GIF",
    b"SQLite format 3": "SQLite",
    b"MZ": "EXE",
    b"\x7fELF": "ELF",
    b"Rar!": "RAR",
    b"\x1f\x8b": "GZIP",
    b"7z\xbc\xaf": "7-Zip",
}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls / .doc
_ZERO_WIDTH = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060"), None)


@dataclass(frozen=True)
class Table:
    """Rows of a file as text, keyed by normalised column name."""

    columns: tuple[str, ...]  # known columns found, in file order
    rows: tuple[tuple[int, dict[str, str]], ...]  # (row number as the spreadsheet shows it, cells)
    notes: tuple[str, ...] = field(default=())
    kind: str = "csv"


def normalize_header(text: object) -> str:
    raw = str(text or "").translate(_ZERO_WIDTH).strip().lower()
    return re.sub(r"[\s\-]+", "_", raw)


def read_table(
    path: Path | str, *, columns: Sequence[str], aliases: Mapping[str, str] | None = None
) -> Table:
    """Read a CSV or XLSX file into a ``Table``; ValidationError says what is wrong."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise NotFoundError(
            _("The file {name} cannot be found or read.").format(name=path.name)
        ) from exc
    if not path.is_file():
        raise ValidationError(_("{name} is a folder, not a file.").format(name=path.name))
    if size > MAX_FILE_BYTES:
        raise ValidationError(
            _(
                "The file {name} is too large ({mb} MB). An import file may have at most "
                "{limit} MB: split it into smaller files."
            ).format(name=path.name, mb=round(size / 1024 / 1024), limit=MAX_FILE_BYTES >> 20)
        )
    if size == 0:
        raise ValidationError(_("The file {name} is empty.").format(name=path.name))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise storage_error(exc, path) from exc
    kind = _kind(path, data)
    if kind == "xlsx":
        grid, notes = _xlsx_grid(path.name, data)
    else:
        grid, notes = _csv_grid(path.name, data)
    return _table(path.name, grid, notes, kind, columns, aliases or {})


def _not_a_table(name: str) -> ValidationError:
    return ValidationError(
        _(
            "{name} is not a CSV or XLSX table. Save it from Excel or LibreOffice as "
            "CSV (comma or semicolon) or as Excel workbook (.xlsx)."
        ).format(name=name)
    )


def _kind(path: Path, data: bytes) -> str:
    ext = path.suffix.lower()
    if data.startswith(_OLE):
        raise ValidationError(
            _(
                "{name} is an old Excel file (.xls). Open it in Excel and save it as "
                "Excel workbook (.xlsx) or CSV, then import that file."
            ).format(name=path.name)
        )
    if data.startswith(b"PK\x03\x04"):
        if ext in XLSX_EXTENSIONS or ext in CSV_EXTENSIONS:
            return "xlsx"
        raise _not_a_table(path.name)
    if any(data.startswith(magic) for magic in _BINARY_MAGIC):
        raise _not_a_table(path.name)
    if ext in XLSX_EXTENSIONS:
        raise ValidationError(
            _("{name} is named .xlsx but is not an Excel workbook, or it is damaged.").format(
                name=path.name
            )
        )
    if ext not in CSV_EXTENSIONS:
        raise _not_a_table(path.name)
    return "csv"


# --- CSV ---------------------------------------------------------------------


def decode_text(name: str, data: bytes) -> tuple[str, list[str]]:
    """Text of a CSV file and a note when it was not UTF-8."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError as exc:
            raise _not_a_table(name) from exc
    head = data[:65536]
    if head.count(b"\x00") > max(8, len(head) // 100):
        raise _not_a_table(name)
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    note = _("The file is not UTF-8; it was read as Windows-1252 (Western European).")
    try:
        return data.decode("cp1252"), [note]
    except UnicodeDecodeError:
        return data.decode("latin-1"), [note]


def sniff_delimiter(text: str) -> str:
    """``;``, ``,`` or tab: the one the header line uses most, outside quotes."""
    for line in text.splitlines():
        if not line.strip():
            continue
        outside = re.sub(r'"[^"]*"', "", line)
        counts = {d: outside.count(d) for d in (";", ",", "\t")}
        best = max(counts, key=lambda d: (counts[d], d == ","))
        return best if counts[best] else ","
    return ","


def _csv_grid(name: str, data: bytes) -> tuple[list[tuple[int, list[str]]], list[str]]:
    text, notes = decode_text(name, data)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    grid: list[tuple[int, list[str]]] = []
    try:
        for number, cells in enumerate(reader, start=1):
            grid.append((number, cells))
            if len(grid) > MAX_ROWS + 1:
                raise _too_many_rows(name)
    except csv.Error as exc:
        raise ValidationError(
            _("{name} cannot be read as CSV near row {row}: {reason}").format(
                name=name, row=len(grid) + 1, reason=str(exc)
            )
        ) from exc
    return grid, notes


def _too_many_rows(name: str) -> ValidationError:
    return ValidationError(
        _("{name} has more than {n} rows. Split it into smaller files.").format(
            name=name, n=MAX_ROWS
        )
    )


# --- XLSX --------------------------------------------------------------------


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _xlsx_grid(name: str, data: bytes) -> tuple[list[tuple[int, list[str]]], list[str]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    damaged = ValidationError(
        _("{name} is not an Excel workbook (.xlsx), or it is damaged.").format(name=name)
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_XLSX_UNPACKED:
                raise ValidationError(
                    _("{name} unpacks to more than {mb} MB. Split it into smaller files.").format(
                        name=name, mb=MAX_XLSX_UNPACKED >> 20
                    )
                )
        workbook = load_workbook(io.BytesIO(data), data_only=False)
    except ValidationError:
        raise
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise damaged from exc
    except Exception as exc:  # openpyxl raises many types on broken XML
        raise damaged from exc
    if not workbook.worksheets:
        raise damaged
    sheet = workbook.worksheets[0]
    notes: list[str] = []
    if len(workbook.worksheets) > 1:
        notes.append(_("Only the first sheet, “{sheet}”, was read.").format(sheet=sheet.title))
    if sheet.merged_cells.ranges:
        cells = ", ".join(str(r) for r in list(sheet.merged_cells.ranges)[:3])
        raise ValidationError(
            _(
                "{name} has merged cells ({cells}). Unmerge them (Home > Merge & Center) "
                "so that each row has its own values, then import again."
            ).format(name=name, cells=cells)
        )
    if (sheet.max_row or 0) > MAX_ROWS + 1:
        raise _too_many_rows(name)
    if (sheet.max_column or 0) > MAX_COLUMNS:
        raise ValidationError(
            _("{name} has more than {n} columns. Keep only the catalog columns.").format(
                name=name, n=MAX_COLUMNS
            )
        )
    grid: list[tuple[int, list[str]]] = []
    for row in sheet.iter_rows():
        cells = []
        for cell in row:
            if cell.data_type == "f":
                raise ValidationError(
                    _(
                        "Cell {cell} of {name} holds a formula. Copy the sheet and paste "
                        "it as values only (Paste Special > Values), then import again."
                    ).format(cell=cell.coordinate, name=name)
                )
            cells.append(_cell_text(cell.value))
        if row:
            grid.append((row[0].row, cells))
    return grid, notes


# --- both ----------------------------------------------------------------------


def _table(
    name: str,
    grid: list[tuple[int, list[str]]],
    notes: list[str],
    kind: str,
    columns: Sequence[str],
    aliases: Mapping[str, str],
) -> Table:
    grid = [(n, cells) for n, cells in grid if any(c.strip() for c in cells)]
    if not grid:
        raise ValidationError(_("The file {name} has no rows.").format(name=name))
    header = grid[0][1]
    if len(header) > MAX_COLUMNS:
        raise ValidationError(
            _("{name} has more than {n} columns. Keep only the catalog columns.").format(
                name=name, n=MAX_COLUMNS
            )
        )
    known = set(columns)
    index: dict[str, int] = {}
    ignored: list[str] = []
    for position, raw in enumerate(header):
        key = normalize_header(raw)
        key = aliases.get(key, key)
        if key in known:
            if key in index:
                raise ValidationError(
                    _("The column {column} appears twice in {name}. Keep one.").format(
                        column=key, name=name
                    )
                )
            index[key] = position
        elif str(raw).strip():
            ignored.append(str(raw).strip()[:40])
    if not index:
        raise ValidationError(
            _(
                "{name} has none of the catalog columns in its first row. "
                "Expected columns like: {columns}."
            ).format(name=name, columns=", ".join(columns[:8]))
        )
    if ignored:
        notes.append(
            _("These columns are not used and were ignored: {columns}.").format(
                columns=", ".join(ignored)
            )
        )
    rows = []
    wide = 0
    for number, cells in grid[1:]:
        values = {}
        for key, position in index.items():
            text = cells[position] if position < len(cells) else ""
            values[key] = text[:MAX_CELL] if len(text) > MAX_CELL else text
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            wide += 1
        rows.append((number, values))
    if wide:
        notes.append(
            _("{n} rows have more cells than the header; the extra cells were ignored.").format(
                n=wide
            )
        )
    ordered = tuple(sorted(index, key=index.__getitem__))
    return Table(ordered, tuple(rows), tuple(notes), kind)


def write_csv(
    path: Path | str, headers: Sequence[str], rows: Iterable[Sequence[object]], *, delimiter=","
) -> Path:
    """UTF-8 with BOM (Excel then shows accents right), atomically."""
    path = Path(path)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    data = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    return _write(path, data)


def write_xlsx(
    path: Path | str,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    text_columns: Iterable[str] = (),
    sheet_title: str = "Sheet1",
) -> Path:
    """One sheet with a bold header; ``text_columns`` stored as text ('@')."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    path = Path(path)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    as_text = {headers.index(c) for c in text_columns if c in headers}
    bold = Font(bold=True)
    head = []
    for title in headers:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        head.append(cell)
    sheet.append(head)
    for row in rows:
        out = []
        for position, value in enumerate(row):
            if position in as_text:
                cell = _text_cell(sheet, "" if value is None else str(value))
                cell.number_format = "@"
                out.append(cell)
            elif isinstance(value, str):
                out.append(_text_cell(sheet, value))
            else:
                out.append(value)
        sheet.append(out)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _write(path, buffer.getvalue())


def _text_cell(sheet, value: str):
    """A string cell, also for text starting with '=' (openpyxl would make it a formula)."""
    from openpyxl.cell import WriteOnlyCell

    clean = "".join(ch for ch in value if ch in "\t\n\r" or unicodedata.category(ch) != "Cc")
    cell = WriteOnlyCell(sheet, value=clean)
    cell.data_type = "s"
    return cell


def _write(path: Path, data: bytes) -> Path:
    import hashlib

    if not path.parent.is_dir():
        raise ValidationError(
            _("The folder {path} does not exist. Choose another place to save.").format(
                path=path.parent
            )
        )
    with atomic_writer(path) as handle:
        handle.write(data)
    verify_file(path, hashlib.sha256(data).hexdigest())
    return path
