"""Raw TSPL for thermal label printers (TSC, Xprinter, iWare and their clones).

The printer draws text with its own fonts and barcodes and QR codes with its
own commands at its native dot grid, so thin bars are never left to a driver
to rasterise. The file can be sent to the printer as is (``copy /b`` on
Windows, ``lp -o raw`` or ``cat > /dev/usb/lp0`` on Linux).

The built-in fonts know only ASCII: other letters are transliterated where
possible (é -> e) and replaced by ``?`` otherwise. QR payloads are sent as
UTF-8 (``CODEPAGE UTF-8``). Not yet tried on a real printer: check one label
before a long run.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from shopdesk.labels.barcodes import EAN13
from shopdesk.labels.job import PrintJob
from shopdesk.labels.layout import BarOp, BoxOp, LabelPlan, QrOp, TextOp
from shopdesk.labels.qr import QUIET_MODULES
from shopdesk.labels.units import MM_PER_PT, dots
from shopdesk.safe_io import write_bytes_atomic

DEFAULT_DPI = 203
# Built-in bitmap fonts: name -> (width, height) in dots of one character.
FONTS = (("5", 32, 48), ("4", 24, 32), ("3", 16, 24), ("2", 12, 20), ("1", 8, 12))
_ASCII_STAND_INS = {"…": "...", "–": "-", "—": "-", "“": '"', "”": '"', "‘": "'", "’": "'"}


def ascii_text(text: str) -> str:
    out = []
    for ch in text:
        ch = _ASCII_STAND_INS.get(ch, ch)
        if all(32 <= ord(c) < 127 for c in ch):
            out.append(ch)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if 32 <= ord(c) < 127)
        out.append(base or "?")
    return "".join(out)


def _quote(text: str) -> str:
    """A TSPL string literal: double quotes are written as \\["]."""
    return '"' + text.replace('"', '\\["]') + '"'


def _text(op: TextOp, label_w: int, label_h: int, dpi: int) -> str | None:
    text = ascii_text(op.text)
    x = dots(op.x_mm, dpi)
    em = op.size_pt * MM_PER_PT
    top = dots(op.y_mm + 0.75 * em, dpi)  # top of capitals, from the bottom
    target = dots(em, dpi)
    room = max(0, label_w - x)
    fitting = [
        font
        for font in FONTS
        if font[2] <= max(target, FONTS[-1][2]) and len(text) * font[1] <= room
    ]
    name, width, _height = fitting[0] if fitting else FONTS[-1]
    text = text[: max(0, room // width)]
    if not text:
        return None
    y = max(0, label_h - top)
    return f"TEXT {x},{y},{_quote(name)},0,1,1,{_quote(text)}"


def _commands(plan: LabelPlan, dpi: int, offset_mm: tuple[float, float]) -> list[str]:
    label_w, label_h = dots(plan.width_mm, dpi), dots(plan.height_mm, dpi)
    lines: list[str] = []
    for op in plan.ops:
        if isinstance(op, TextOp):
            command = _text(op, label_w, label_h, dpi)
            if command:
                lines.append(command)
        elif isinstance(op, QrOp):
            cell = max(1, dots(op.module_mm, dpi))
            x = dots(op.x_mm + QUIET_MODULES * op.module_mm, dpi)
            top = dots(op.y_mm + op.side_mm - QUIET_MODULES * op.module_mm, dpi)
            payload = op.symbol.payload.replace("\r\n", "\n").replace("\n", "\\[L]")
            lines.append(f"QRCODE {x},{label_h - top},M,{cell},A,0,{_quote(payload)}")
        elif isinstance(op, BarOp):
            narrow = max(1, dots(op.module_mm, dpi))
            x = dots(op.x_mm + op.bars.quiet_left * op.module_mm, dpi)
            top = dots(op.y_mm + op.height_mm, dpi)
            height = dots(op.height_mm, dpi)
            if op.bars.symbology == EAN13:
                kind, value = "EAN13", op.bars.value[:12]  # the printer adds the check digit
            else:
                kind, value = "128", op.bars.value
            lines.append(
                f"BARCODE {x},{label_h - top},{_quote(kind)},{height},0,0,{narrow},{narrow},"
                f"{_quote(value)}"
            )
        elif isinstance(op, BoxOp):
            x0, y1 = dots(op.x_mm, dpi), label_h - dots(op.y_mm, dpi)
            x1, y0 = dots(op.x_mm + op.width_mm, dpi), label_h - dots(op.y_mm + op.height_mm, dpi)
            lines.append(f"BOX {x0},{y0},{x1},{y1},2")
    return lines


def tspl_bytes(
    job: PrintJob, *, offset_mm: tuple[float, float] = (0.0, 0.0), dpi: int | None = None
) -> bytes:
    """TSPL for every label of the job; equal labels in a row become one PRINT n."""
    paper = job.paper
    dpi = dpi or paper.dpi or DEFAULT_DPI
    header = [
        f"SIZE {paper.label_width_mm:g} mm,{paper.label_height_mm:g} mm",
        f"GAP {paper.gap_mm:g} mm,0 mm",
        "DIRECTION 1,0",
        f"REFERENCE {dots(offset_mm[0], dpi)},{dots(offset_mm[1], dpi)}",
        "SET TEAR ON",
        "CODEPAGE UTF-8",  # QR payloads may hold any text; TEXT lines stay ASCII
    ]
    out = list(header)
    index = 0
    plans = job.plans
    while index < len(plans):
        plan = plans[index]
        run = 1
        while index + run < len(plans) and plans[index + run] is plan:
            run += 1
        out.append("CLS")
        out.extend(_commands(plan, dpi, offset_mm))
        out.append(f"PRINT 1,{run}")
        index += run
    return ("\r\n".join(out) + "\r\n").encode("utf-8")


def render_tspl(
    job: PrintJob,
    path: Path,
    *,
    offset_mm: tuple[float, float] = (0.0, 0.0),
    dpi: int | None = None,
) -> int:
    data = tspl_bytes(job, offset_mm=offset_mm, dpi=dpi)
    write_bytes_atomic(Path(path), data)
    return len(data)
