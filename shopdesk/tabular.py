"""Tables in files: read CSV and XLSX the way sellers save them, write both.

Reading accepts UTF-8 with or without BOM (UTF-16 from Excel's "Unicode text"
too), falls back to Windows-1252, and takes ``;`` (Excel in Indonesia), ``,``
or tab as delimiter. Anything that is not a plain table gets one clear message
and nothing is read: another file type, an old ``.xls``, formulas, merged
cells, a file too large. Writing goes through ``safe_io`` (temp, fsync, rename,
read back); codes are text cells in XLSX so Excel keeps every digit.

Every CSV and XLSX the app writes goes through this module's cell functions
(``CsvWriter``, ``csv_bytes``, ``fill_cell``, ``xlsx_row``), so that no text
becomes a live formula when a spreadsheet opens the file (OWASP "CSV
injection"): text a spreadsheet would run gets a leading apostrophe in CSV
(taken off again when such a CSV is read back) and is a text cell with Excel's
quote prefix in XLSX; numbers stay numbers.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from shopdesk.errors import NotFoundError, ValidationError
from shopdesk.i18n import _
from shopdesk.safe_io import atomic_writer, storage_error, verify_file

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

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
QUOTE = "'"  # the apostrophe that makes a spreadsheet show text instead of running it
# Excel, LibreOffice and Google Sheets run a cell starting with one of these as a
# formula, also after leading blanks or invisible characters, and also in the
# full-width forms that Asian keyboards type (NFKC folds them to these signs).
_FORMULA_SIGNS = frozenset("=+-@")
_LINE_CONTROLS = frozenset("\t\r\n")  # OWASP: never the first character of a cell
# What a spreadsheet cell holds as a number, date or nothing: written as it is.
_PLAIN_VALUES = (int, float, Decimal, date, time, type(None))


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
    path: Path | str,
    *,
    columns: Sequence[str],
    aliases: Mapping[str, str] | None = None,
    none_found: str | None = None,
    note_ignored: bool = True,
) -> Table:
    """Read a CSV or XLSX file into a ``Table``; ValidationError says what is wrong.

    ``none_found`` replaces the message for a file without any of ``columns``;
    ``note_ignored=False`` leaves out the note listing the columns not read
    (a marketplace export has dozens that nobody needs to hear about).
    """
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
    return _table(path.name, grid, notes, kind, columns, aliases or {}, none_found, note_ignored)


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
            grid.append((number, [unneutralise(cell) for cell in cells]))
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
        merged = ", ".join(str(r) for r in list(sheet.merged_cells.ranges)[:3])
        raise ValidationError(
            _(
                "{name} has merged cells ({cells}). Unmerge them (Home > Merge & Center) "
                "so that each row has its own values, then import again."
            ).format(name=name, cells=merged)
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
        cells: list[str] = []
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
    none_found: str | None = None,
    note_ignored: bool = True,
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
        if none_found:
            raise ValidationError(none_found)
        raise ValidationError(
            _(
                "{name} has none of the catalog columns in its first row. "
                "Expected columns like: {columns}."
            ).format(name=name, columns=", ".join(columns[:8]))
        )
    if ignored and note_ignored:
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


# --- formulas ----------------------------------------------------------------------


def _starts_formula(text: str) -> bool:
    first = text[:1]
    if first.isascii() and first.isalnum():
        return False  # most cells: decided without looking further
    if first in _LINE_CONTROLS:
        return True
    for ch in text:
        if not (ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf")):
            return unicodedata.normalize("NFKC", ch)[:1] in _FORMULA_SIGNS
    return False


def needs_quote(text: str) -> bool:
    """True when a spreadsheet could run ``text`` as a formula.

    Text that starts with apostrophes counts when what follows them does, so that
    ``unneutralise`` always tells the apostrophe added here from one the seller typed.
    """
    return _starts_formula(text.lstrip(QUOTE))


def neutralise(text: str) -> str:
    """``text`` for a CSV cell: a leading apostrophe where a spreadsheet would run it
    (OWASP's advice; a phone number ``+62 812...`` stays readable, every digit kept)."""
    return QUOTE + text if needs_quote(text) else text


def unneutralise(text: str) -> str:
    """What ``neutralise`` was given: a CSV cell read back."""
    return text[1:] if text.startswith(QUOTE) and needs_quote(text[1:]) else text


# --- writing CSV ----------------------------------------------------------------------


def csv_cell(value: object) -> object:
    """A value as ``csv.writer`` takes it: numbers as they are, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)):
        return value
    return neutralise(str(value))


class CsvWriter:
    """``csv.writer`` for a file that a spreadsheet may open.

    Every cell goes through ``csv_cell``. Text cells are always quoted, numbers never:
    Excel splits a CSV at the list separator of its locale (``;`` in Indonesia), and
    a quoted cell stays one cell there too, so no part of it starts a cell of its own.
    """

    def __init__(self, stream: TextIO, *, delimiter: str = ",") -> None:
        self._writer = csv.writer(
            stream, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC
        )

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_bytes(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    delimiter: str = ",",
    bom: bool = False,
) -> bytes:
    """A whole CSV file in UTF-8 (with a BOM when asked for), CRLF line ends."""
    buffer = io.StringIO(newline="")
    writer = CsvWriter(buffer, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")


def write_csv(
    path: Path | str,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    delimiter: str = ",",
) -> Path:
    """UTF-8 with BOM (Excel then shows accents right), atomically."""
    return _write(Path(path), csv_bytes(headers, rows, delimiter=delimiter, bom=True))


# --- writing XLSX ---------------------------------------------------------------------


def fill_cell(cell: Cell, value: object, *, as_text: bool = False) -> None:
    """Put ``value`` into an openpyxl cell; never a formula.

    Numbers, dates and None go in as they are. Anything else is a text cell: openpyxl
    would make text starting with '=' a formula, so the cell type is set to string, and
    text that a spreadsheet would run gets Excel's quote prefix (the apostrophe of
    XLSX: the cell shows the text as it is and stays text when edited). ``as_text``
    stores numbers as text too ('@'), so that Excel keeps a code's every digit.
    """
    if as_text:
        value = "" if value is None else str(value)
    if isinstance(value, _PLAIN_VALUES):
        cell.value = value
    else:
        text = "".join(
            ch for ch in str(value) if ch in "\t\n\r" or unicodedata.category(ch) != "Cc"
        )
        cell.value = text
        cell.data_type = "s"
        if needs_quote(text):
            cell.quotePrefix = True
    if as_text:
        cell.number_format = "@"


def xlsx_row(
    sheet: WriteOnlyWorksheet, values: Iterable[object], text_at: Iterable[int] = ()
) -> list[object]:
    """A row for ``sheet.append`` of a write-only sheet: numbers, dates and None as they
    are (cheap), every other value a cell filled by ``fill_cell``; the positions in
    ``text_at`` as text cells ('@')."""
    as_text = set(text_at)
    return [
        value
        if position not in as_text and isinstance(value, _PLAIN_VALUES)
        else _write_only_cell(sheet, value, as_text=position in as_text)
        for position, value in enumerate(values)
    ]


def _write_only_cell(sheet: WriteOnlyWorksheet, value: object, *, as_text: bool) -> Cell:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet)
    fill_cell(cell, value, as_text=as_text)
    return cell


def write_xlsx(
    path: Path | str,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    text_columns: Iterable[str] = (),
    sheet_title: str = "Sheet1",
) -> Path:
    """One sheet with a bold header; ``text_columns`` stored as text ('@').

    Whole or not at all, and quiet when a disk fills: openpyxl writes through a
    zipfile, and a zip streamed onto a full stick was left open on a closed file
    ("Exception ignored ... seek of closed file" when Python collected it). So the
    workbook is zipped and closed in memory, and only finished bytes go to the disk,
    atomically: a full disk leaves no file.
    """
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    try:
        data = _fill_and_zip(workbook, headers, rows, text_columns, sheet_title)
    except BaseException as exc:
        _discard(workbook)
        if isinstance(exc, OSError):  # openpyxl keeps the rows in a temporary file
            raise storage_error(exc, Path(tempfile.gettempdir())) from exc
        raise
    return _write(Path(path), data)


def _fill_and_zip(
    workbook: Workbook,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    text_columns: Iterable[str],
    sheet_title: str,
) -> bytes:
    from openpyxl.styles import Font

    sheet = workbook.create_sheet(title=sheet_title[:31])
    text_at = [headers.index(c) for c in text_columns if c in headers]
    bold = Font(bold=True)
    head = [_write_only_cell(sheet, title, as_text=False) for title in headers]
    for cell in head:
        cell.font = bold
    sheet.append(head)
    for row in rows:
        sheet.append(xlsx_row(sheet, row, text_at))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _discard(workbook: Workbook) -> None:
    """Close what a failed workbook left open, in order: each sheet's row writer,
    then its stream and temporary file. Left to the garbage collector, they would
    write to closed files and print "Exception ignored" tracebacks. (openpyxl names
    these parts with underscores; a later version without them only loses this.)"""
    for sheet in workbook.worksheets:
        rows, writer = getattr(sheet, "_rows", None), getattr(sheet, "_writer", None)
        steps = (  # cleanup removes the temporary file
            getattr(rows, "close", None),
            getattr(writer, "close", None),
            getattr(writer, "cleanup", None),
        )
        for step in steps:
            if step is not None:
                with contextlib.suppress(OSError, ValueError):
                    step()


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
