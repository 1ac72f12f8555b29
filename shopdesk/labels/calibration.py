"""Calibration: an offset per paper and printer, and a page to measure it with.

Printers feed paper slightly differently, so the seller prints the
calibration page (outlines of every label, their numbers and millimetre
rulers) on plain paper, holds it against a label sheet in front of a light,
and enters how far the outlines are off. Positive x moves the print to the
right, positive y moves it down.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.colors import Color, black
from reportlab.pdfgen.canvas import Canvas

from shopdesk.errors import ValidationError
from shopdesk.fonts import BOLD, REGULAR
from shopdesk.i18n import _
from shopdesk.labels.papers import Paper
from shopdesk.labels.pdf import RenderResult, binary_streams, new_canvas
from shopdesk.labels.units import mm
from shopdesk.safe_io import write_bytes_atomic

MAX_OFFSET_MM = 20.0
FILENAME = "calibration.json"
DEFAULT_PRINTER = "default"
GREY = Color(0.55, 0.55, 0.55)


@dataclass(frozen=True)
class Offset:
    x_mm: float = 0.0
    y_mm: float = 0.0

    def as_tuple(self) -> tuple[float, float]:
        return (self.x_mm, self.y_mm)


class CalibrationStore:
    """Offsets kept as JSON in a folder (the app uses ``data_dir()/labels``)."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / FILENAME

    def _read(self) -> dict[str, dict[str, list[float]]]:
        if not self.path.exists():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValidationError(
                _("The calibration file {path} cannot be read: {problem}.").format(
                    path=self.path, problem=exc
                )
            ) from exc
        return data if isinstance(data, dict) else {}

    def get(self, paper_id: str, printer: str = DEFAULT_PRINTER) -> Offset:
        value = self._read().get(paper_id, {}).get(printer or DEFAULT_PRINTER)
        if not value:
            return Offset()
        return Offset(float(value[0]), float(value[1]))

    def set(self, paper_id: str, printer: str, offset: Offset) -> None:
        for value in offset.as_tuple():
            if abs(value) > MAX_OFFSET_MM:
                raise ValidationError(
                    _("An offset of {value} mm is too large; use -{limit} to {limit} mm.").format(
                        value=value, limit=MAX_OFFSET_MM
                    )
                )
        data = self._read()
        data.setdefault(paper_id, {})[printer or DEFAULT_PRINTER] = [offset.x_mm, offset.y_mm]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)
        write_bytes_atomic(self.path, text.encode("utf-8"))


def calibration_pdf_bytes(paper: Paper, offset: Offset = Offset()) -> bytes:
    with binary_streams():
        return _calibration(paper, offset)


def _calibration(paper: Paper, offset: Offset) -> bytes:
    buffer = io.BytesIO()
    c = new_canvas(buffer, paper, _("Calibration page: {paper}").format(paper=paper.name))
    page_w, page_h = paper.page_width_mm, paper.page_height_mm
    c.saveState()
    c.translate(mm(offset.x_mm), mm(-offset.y_mm))
    for rect in paper.label_rects():
        x, y = rect.x_mm, page_h - rect.y_mm - rect.height_mm
        c.setStrokeColor(black)
        c.setLineWidth(0.4)
        if paper.shape in ("round", "ellipse", "cd"):
            c.ellipse(mm(x), mm(y), mm(x + rect.width_mm), mm(y + rect.height_mm))
        else:
            c.roundRect(mm(x), mm(y), mm(rect.width_mm), mm(rect.height_mm), mm(paper.corner_mm))
        cx, cy = x + rect.width_mm / 2, y + rect.height_mm / 2
        arm = min(2.0, rect.width_mm / 6, rect.height_mm / 6)
        c.setLineWidth(0.2)
        c.line(mm(cx - arm), mm(cy), mm(cx + arm), mm(cy))
        c.line(mm(cx), mm(cy - arm), mm(cx), mm(cy + arm))
        size = max(4.0, min(8.0, rect.height_mm * 0.9))
        c.setFont(BOLD, size)
        c.setFillColor(GREY)
        c.drawString(mm(x + 1), mm(y + rect.height_mm) - size - 1, str(rect.index + 1))
        c.setFillColor(black)
    _rulers(c, page_w, page_h)
    c.restoreState()
    c.showPage()
    if paper.kind != "roll":  # on a roll a second page would waste a label
        _instructions(c, paper, offset)
        c.showPage()
    c.save()
    return buffer.getvalue()


def _rulers(c: Canvas, page_w: float, page_h: float) -> None:
    """Millimetre rulers along the top and left edges, numbered every centimetre."""
    c.setLineWidth(0.15)
    c.setFont(REGULAR, 4.5)
    for step in range(int(page_w) + 1):
        tick = 3.0 if step % 10 == 0 else 1.8 if step % 5 == 0 else 1.0
        c.line(mm(step), mm(page_h), mm(step), mm(page_h - tick))
        if step % 10 == 0 and 0 < step < page_w - 3:
            c.drawCentredString(mm(step), mm(page_h - 5), str(step))
    for step in range(int(page_h) + 1):
        tick = 3.0 if step % 10 == 0 else 1.8 if step % 5 == 0 else 1.0
        c.line(0, mm(page_h - step), mm(tick), mm(page_h - step))
        if step % 10 == 0 and 0 < step < page_h - 3:
            c.drawString(mm(3.5), mm(page_h - step) - 1.5, str(step))


def instructions(paper: Paper, offset: Offset) -> list[str]:
    lines = [
        _("Calibration page: {paper}").format(paper=paper.name),
        _("Print page 1 at 100% (no “fit to page”) on plain paper."),
        _("Lay it on a label sheet against the light and measure how far the outlines are off."),
        _("Save the correction with:"),
        _("shopdesk labels calibrate --paper {paper} --printer NAME --x MM --y MM").format(
            paper=paper.id
        ),
        _("Offset in force: x {x} mm (right), y {y} mm (down).").format(
            x=offset.x_mm, y=offset.y_mm
        ),
    ]
    if paper.check_against_pack:
        lines.append(_("Check the sizes against your pack (periksa ukuran dengan kemasan Anda)."))
    return lines


def _instructions(c: Canvas, paper: Paper, offset: Offset) -> None:
    size = 9.0
    c.setFont(REGULAR, size)
    y = paper.page_height_mm - 20
    for line in instructions(paper, offset):
        c.drawString(mm(15), mm(y), line)
        y -= size * 0.55


def render_calibration(paper: Paper, path: Path, offset: Offset = Offset()) -> RenderResult:
    data = calibration_pdf_bytes(paper, offset)
    write_bytes_atomic(Path(path), data)
    return RenderResult(
        1 if paper.kind == "roll" else 2, paper.labels_per_page, len(data), Path(path)
    )
