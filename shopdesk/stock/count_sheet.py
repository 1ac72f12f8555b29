"""The printable stocktake sheet: one row per product with an empty box to write in.

A4 portrait, the bundled DejaVu Sans (so Indonesian names and any accent
print the same on every PC), a header repeated on every page and a line for
the counter's name and signature. Written atomically.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from shopdesk.fonts import BOLD, REGULAR, clean_text, register_fonts, width_em
from shopdesk.i18n import _
from shopdesk.safe_io import write_bytes_atomic

MARGIN = 15 * mm
ROW = 8 * mm
HEADER_ROWS_TOP = 14 * mm
FOOTER = 14 * mm
SIZE = 9
# Column left edges and widths across the 180 mm text width.
COLUMNS = (
    ("number", 8 * mm),
    ("product", 70 * mm),
    ("sku", 30 * mm),
    ("barcode", 32 * mm),
    ("expected", 18 * mm),
    ("counted", 22 * mm),
)


class SheetLine(Protocol):
    """What the sheet prints of a count line (``stocktake.CountLineInfo``)."""

    @property
    def sku(self) -> str: ...
    @property
    def product_name(self) -> str: ...
    @property
    def options(self) -> str: ...
    @property
    def barcode(self) -> str: ...
    @property
    def on_hand(self) -> int: ...


def _fit(text: str, font: str, size: float, width: float) -> str:
    """Cut text to the column with an ellipsis (names can be very long)."""
    text = clean_text(text, font == BOLD).text
    if width_em(text, font) * size <= width:
        return text
    while text and width_em(text + "…", font) * size > width:
        text = text[:-1]
    return text + "…"


def _two_lines(pdf: canvas.Canvas, text: str, x: float, top: float, width: float) -> None:
    """A long name in two smaller lines, so runs that differ at the end stay apart."""
    size = SIZE - 1.5
    words = clean_text(text).text.split(" ")
    first: list[str] = []
    while words and width_em(" ".join([*first, words[0]]), REGULAR) * size <= width:
        first.append(words.pop(0))
    if not first:  # one very long word
        first, words = [words[0]], words[1:]
    pdf.setFont(REGULAR, size)
    pdf.drawString(x, top - ROW / 2 + 0.4 * mm, _fit(" ".join(first), REGULAR, size, width))
    pdf.drawString(x, top - ROW + 1.3 * mm, _fit(" ".join(words), REGULAR, size, width))
    pdf.setFont(REGULAR, SIZE)


def _headers() -> dict[str, str]:
    return {
        "number": _("No"),
        "product": _("Product"),
        "sku": _("SKU"),
        "barcode": _("Barcode"),
        "expected": _("Expected"),
        "counted": _("Counted"),
    }


def render_count_sheet(
    path: Path, *, shop_name: str, title: str, subtitle: str, lines: Sequence[SheetLine]
) -> Path:
    """Draw the sheet for count lines (``sku``, ``product_name``, ``options``,
    ``barcode``, ``on_hand``) and write it atomically to ``path``."""
    register_fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(title)
    pdf.setAuthor(shop_name)
    _width, height = A4
    per_page = int((height - 2 * MARGIN - HEADER_ROWS_TOP - FOOTER) // ROW)
    pages = max(1, -(-len(lines) // per_page))
    for page in range(pages):
        chunk = lines[page * per_page : (page + 1) * per_page]
        _draw_page(pdf, shop_name, title, subtitle, chunk, page * per_page, page + 1, pages)
        pdf.showPage()
    pdf.save()
    write_bytes_atomic(path, buffer.getvalue())
    return path


def _draw_page(
    pdf: canvas.Canvas,
    shop_name: str,
    title: str,
    subtitle: str,
    chunk: Sequence[SheetLine],
    first_index: int,
    page: int,
    pages: int,
) -> None:
    width, height = A4
    top = height - MARGIN
    pdf.setFont(BOLD, 14)
    pdf.drawString(MARGIN, top - 12, _fit(f"{title} — {shop_name}", BOLD, 14, width - 2 * MARGIN))
    pdf.setFont(REGULAR, 9)
    pdf.drawString(MARGIN, top - 26, _fit(subtitle, REGULAR, 9, width - 2 * MARGIN))
    pdf.drawRightString(
        width - MARGIN, top - 26, _("Page {page} of {pages}").format(page=page, pages=pages)
    )
    y = top - HEADER_ROWS_TOP
    headers = _headers()
    _row_frame(pdf, y, header=True)
    x = MARGIN
    pdf.setFont(BOLD, SIZE)
    for key, col_width in COLUMNS:
        pdf.drawString(x + 2, y - ROW + 2.8 * mm, _fit(headers[key], BOLD, SIZE, col_width - 4))
        x += col_width
    y -= ROW
    for offset, line in enumerate(chunk):
        _row_frame(pdf, y, header=False)
        name = line.product_name + (f" — {line.options}" if line.options else "")
        cells = {
            "number": str(first_index + offset + 1),
            "product": name,
            "sku": line.sku,
            "barcode": line.barcode or "",
            "expected": str(line.on_hand),
            "counted": "",
        }
        x = MARGIN
        pdf.setFont(REGULAR, SIZE)
        for key, col_width in COLUMNS:
            text = _fit(cells[key], REGULAR, SIZE, col_width - 4)
            baseline = y - ROW + 2.8 * mm
            if key == "product" and text != clean_text(cells[key]).text:
                _two_lines(pdf, cells[key], x + 2, y, col_width - 4)
            elif key == "expected":
                pdf.drawRightString(x + col_width - 2, baseline, text)
            elif key == "counted":  # the empty box to write in
                pdf.rect(x + 2 * mm, y - ROW + 1.5 * mm, col_width - 4 * mm, ROW - 3 * mm)
            else:
                pdf.drawString(x + 2, baseline, text)
            x += col_width
        y -= ROW
    pdf.setFont(REGULAR, 9)
    footer_y = MARGIN + 8
    pdf.drawString(MARGIN, footer_y, _("Counted by: ____________________"))
    pdf.drawString(MARGIN + 95 * mm, footer_y, _("Signature: ____________________"))


def _row_frame(pdf: canvas.Canvas, y: float, *, header: bool) -> None:
    total = sum(w for _k, w in COLUMNS)
    if header:
        pdf.setFillGray(0.9)
        pdf.rect(MARGIN, y - ROW, total, ROW, stroke=0, fill=1)
        pdf.setFillGray(0)
    pdf.setLineWidth(0.4)
    pdf.line(MARGIN, y - ROW, MARGIN + total, y - ROW)
