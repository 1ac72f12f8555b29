"""A receipt as a small PDF: a 58 mm thermal roll (one page as long as the sale)
or A6 (more pages when the lines do not fit), in the bundled font, written atomically."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A6
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from shopdesk.errors import ValidationError
from shopdesk.fonts import BOLD, REGULAR, clean_text, register_fonts, width_em
from shopdesk.i18n import _
from shopdesk.money import format_rupiah
from shopdesk.receipts.content import Receipt
from shopdesk.safe_io import write_bytes_atomic


@dataclass(frozen=True)
class Paper:
    width: float  # points
    height: float | None  # None: a roll, as long as the receipt
    margin: float
    size: float  # font size, pt


PAPERS = {
    "58mm": Paper(58 * mm, None, 4 * mm, 7.5),
    "a6": Paper(A6[0], A6[1], 8 * mm, 9),
}
RULE = "rule"


@dataclass(frozen=True)
class Row:
    """One printed row: text on the left, an amount on the right, or a rule."""

    left: str
    right: str = ""
    bold: bool = False
    centre: bool = False
    scale: float = 1.0


def check_paper(paper: str) -> Paper:
    found = PAPERS.get((paper or "").strip().lower())
    if found is None:
        raise ValidationError(
            _("“{paper}” is not a receipt paper. Choose one of: {choices}.").format(
                paper=paper, choices=", ".join(PAPERS)
            )
        )
    return found


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Words onto lines no wider than ``width``; a word too long is cut."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if width_em(trial, font) * size <= width:
            current = trial
            continue
        if current:
            lines.append(current)
        while width_em(word, font) * size > width and len(word) > 1:
            cut = len(word)
            while cut > 1 and width_em(word[:cut], font) * size > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current or not lines:
        lines.append(current)
    return lines


def _rows(receipt: Receipt) -> list[Row]:
    rows = [Row(receipt.shop_name, bold=True, centre=True, scale=1.25)]
    rows += [
        Row(part, centre=True) for part in (receipt.shop_address, receipt.shop_whatsapp) if part
    ]
    rows += [Row(RULE), Row(_("Receipt no. {number}").format(number=receipt.number), receipt.when)]
    if receipt.customer_name:
        rows.append(Row(_("Customer: {name}").format(name=receipt.customer_name)))
    if receipt.voided:
        rows.append(Row(_("VOID"), bold=True, centre=True))
    rows.append(Row(RULE))
    for line in receipt.lines:
        rows.append(Row(line.name))
        each = f"  {line.quantity} x {format_rupiah(line.unit_price)}"
        rows.append(Row(each, format_rupiah(line.quantity * line.unit_price)))
        if line.discount:
            rows.append(Row("  " + _("Discount"), "-" + format_rupiah(line.discount)))
    rows += [
        Row(RULE),
        Row(_("Total"), format_rupiah(receipt.total), bold=True, scale=1.15),
        Row(_("Paid ({method})").format(method=receipt.payment), format_rupiah(receipt.paid)),
    ]
    if receipt.on_credit:
        rows.append(Row(_("Kasbon"), format_rupiah(receipt.on_credit), bold=True))
        if receipt.still_owed != receipt.on_credit:
            rows.append(Row(_("Kasbon left"), format_rupiah(receipt.still_owed)))
    if receipt.customer_owes:
        rows.append(Row(_("Kasbon in all"), format_rupiah(receipt.customer_owes)))
    rows += [Row(RULE), Row(_("Thank you!"), centre=True)]
    return rows


def _laid_out(rows: list[Row], paper: Paper) -> list[Row]:
    """Rows wrapped to the paper's width (an amount keeps its own room)."""
    width = paper.width - 2 * paper.margin
    out: list[Row] = []
    for row in rows:
        if row.left == RULE:
            out.append(row)
            continue
        font = BOLD if row.bold else REGULAR
        size = paper.size * row.scale
        room = width - (width_em(row.right, font) * size + 2 * mm if row.right else 0)
        parts = _wrap(clean_text(row.left, row.bold).text, font, size, room)
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            out.append(Row(part, row.right if last else "", row.bold, row.centre, row.scale))
    return out


def _leading(row: Row, paper: Paper) -> float:
    return paper.size * row.scale * 1.35 if row.left != RULE else paper.size * 0.8


def _draw(pdf: canvas.Canvas, rows: list[Row], paper: Paper, top: float) -> None:
    y = top
    right = paper.width - paper.margin
    for row in rows:
        y -= _leading(row, paper)
        if row.left == RULE:
            pdf.setDash(1, 1.5)
            pdf.setLineWidth(0.4)
            pdf.line(paper.margin, y + paper.size * 0.3, right, y + paper.size * 0.3)
            continue
        font = BOLD if row.bold else REGULAR
        pdf.setFont(font, paper.size * row.scale)
        if row.centre:
            pdf.drawCentredString(paper.width / 2, y, row.left)
        else:
            pdf.drawString(paper.margin, y, row.left)
        if row.right:
            pdf.drawRightString(right, y, row.right)


def render(receipt: Receipt, paper: str = "58mm") -> bytes:
    """The receipt's PDF bytes on ``paper`` (``58mm`` or ``a6``)."""
    sheet = check_paper(paper)
    register_fonts()
    rows = _laid_out(_rows(receipt), sheet)
    buffer = io.BytesIO()
    if sheet.height is None:  # a roll: one page exactly as long as the receipt
        height = sum(_leading(r, sheet) for r in rows) + 2 * sheet.margin
        pdf = canvas.Canvas(buffer, pagesize=(sheet.width, height), pageCompression=1)
        pages = [rows]
        top = height - sheet.margin
    else:
        pdf = canvas.Canvas(buffer, pagesize=(sheet.width, sheet.height), pageCompression=1)
        pages = _pages(rows, sheet)
        top = sheet.height - sheet.margin
    pdf.setTitle(_("Receipt no. {number}").format(number=receipt.number))
    pdf.setAuthor(receipt.shop_name)
    for page in pages:
        _draw(pdf, page, sheet, top)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _pages(rows: list[Row], paper: Paper) -> list[list[Row]]:
    assert paper.height is not None
    room = paper.height - 2 * paper.margin
    pages: list[list[Row]] = [[]]
    used = 0.0
    for row in rows:
        step = _leading(row, paper)
        if used + step > room and pages[-1]:
            pages.append([])
            used = 0.0
        pages[-1].append(row)
        used += step
    return pages


def write_receipt(receipt: Receipt, path: Path, paper: str = "58mm") -> Path:
    """Render and write atomically to ``path``."""
    data = render(receipt, paper)
    write_bytes_atomic(Path(path), data)
    return Path(path)
