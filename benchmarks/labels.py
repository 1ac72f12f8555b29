"""Label printing speed, PDF size and memory, each against a floor timed in the same run.

- 1,000 packaging labels of 20 variants on A4 (3 × 8) against a bare reportlab script
  that draws each of the 20 labels (boxes, text, bars, QR) once as a form and places
  the forms, as the app does (goal: 1.5×).
- 1,000 QR stickers with 1,000 different codes, twice: a listing address with a serial
  (39 characters) and ShopDesk's own WhatsApp order link for 1,000 products. The floor
  is a bare reportlab script that encodes the same 1,000 payloads with the fastest
  encoder there is (zxing-cpp, else qrcode) and draws each code and caption in place;
  it is handed the layout, which the app computes inside its time. Also the share of
  the app's time spent encoding, and the PDF sizes.
- gLabels 3 on the same two jobs (``glabels-3-batch`` with a CSV merge, libqrencode),
  when it is installed (Debian: ``apt-get install glabels``): the goal is 10× faster.
- Peak Python memory (tracemalloc, in a separate pass).

Each figure and its floor are the medians of ``RUNS`` runs, taken in turn (ours, floor,
ours, floor, ...) so that a busy moment hits both; gLabels, at about ten seconds a run,
is a comparison rather than a floor and runs ``GLABELS_RUNS`` times.

Run with ``python -m benchmarks labels`` or ``python -m benchmarks.labels``.
"""

from __future__ import annotations

import csv
import io
import re
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from xml.sax.saxutils import quoteattr

from reportlab.lib.colors import black
from reportlab.pdfgen.canvas import Canvas

from shopdesk.fonts import register_fonts
from shopdesk.labels.content import LabelContent
from shopdesk.labels.designs import get_design
from shopdesk.labels.job import LabelItem, PrintJob, prepare_job
from shopdesk.labels.layout import BarOp, BoxOp, QrOp, TextOp
from shopdesk.labels.papers import get_paper
from shopdesk.labels.pdf import render_pdf_bytes
from shopdesk.labels.qr import ENCODER, QUIET_MODULES, QrCache
from shopdesk.labels.textfit import forget_fits
from shopdesk.labels.units import MM_PER_PT, mm

Report = Callable[..., None]
LABELS = 1000
VARIANTS = 20
PAPER = "a4-3x8"
RUNS = 5
GLABELS_RUNS = 3


def _variants(count: int) -> list[LabelContent]:
    base = LabelContent(
        sku="KOPI-0001",
        name="Kopi Robusta Temanggung Bubuk",
        price=35000,
        netto="250 g",
        composition="Biji kopi robusta sangrai 100%",
        producer_name="Kopi Sindoro",
        producer_address="Jl. Raya Kledung 12, Temanggung, Jawa Tengah",
        pirt="2063201010123-28",
        halal_cert="ID33110000123450224",
        production_code="KR2611A",
        production_date=date(2026, 11, 2),
        best_before=date(2027, 11, 2),
        shop_name="Kopi Sindoro",
        whatsapp="081227001234",
    )
    grinds = ("Bubuk halus", "Bubuk kasar", "Biji utuh", "Sachet", "Tubruk")
    return [
        replace(
            base,
            sku=f"KOPI-{n + 1:04d}",
            variant=f"{grinds[n % len(grinds)]} {100 * (1 + n % 4)} g",
            price=25000 + 2500 * n,
        )
        for n in range(count)
    ]


def _cpu_seconds() -> float:
    """CPU time of this process and of the child processes it has waited for."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _interleaved_wall_cpu(runs: int, *works: Callable[[], object]) -> list[tuple[float, float]]:
    """(median wall seconds, median CPU seconds) of each work, taken in turn ``runs`` times."""
    walls: list[list[float]] = [[] for _ in works]
    cpus: list[list[float]] = [[] for _ in works]
    for _ in range(runs):
        for index, work in enumerate(works):
            wall, cpu = time.perf_counter(), _cpu_seconds()
            work()
            cpus[index].append(_cpu_seconds() - cpu)
            walls[index].append(time.perf_counter() - wall)
    return [(statistics.median(w), statistics.median(c)) for w, c in zip(walls, cpus, strict=True)]


def _interleaved(runs: int, *works: Callable[[], object]) -> list[float]:
    """Median wall seconds of each work, the works taken in turn ``runs`` times."""
    return [wall for wall, _cpu in _interleaved_wall_cpu(runs, *works)]


def _peak_mb(work: Callable[[], object]) -> float:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def _canvas(job: PrintJob) -> tuple[io.BytesIO, Canvas]:
    paper = job.paper
    buffer = io.BytesIO()
    size = (mm(paper.page_width_mm), mm(paper.page_height_mm))
    return buffer, Canvas(buffer, pagesize=size, pageCompression=1)


# -- 1,000 packaging labels of 20 variants ----------------------------------------------


def _ours(items: list[LabelItem]) -> tuple[PrintJob, bytes]:
    forget_fits()  # each run from cold, as a print run in a new process
    job = prepare_job(items, paper=get_paper(PAPER), design=get_design("packaging"))
    data, _pages = render_pdf_bytes(job)
    return job, data


def _floor(job: PrintJob) -> bytes:
    """Bare reportlab: each distinct label drawn once as a form and placed per label, as
    the app does (QR forms made first: a form cannot start inside another)."""
    paper = job.paper
    buffer, canvas = _canvas(job)
    qr_forms: dict[str, str] = {}
    for plan in job.plans:
        for op in plan.ops:
            if isinstance(op, QrOp) and op.symbol.payload not in qr_forms:
                name = qr_forms[op.symbol.payload] = f"q{len(qr_forms)}"
                canvas.beginForm(name, 0, 0, op.symbol.size, op.symbol.size)
                path = canvas.beginPath()
                for row, col, length in op.symbol.runs:
                    path.rect(col, op.symbol.size - 1 - row, length, 1)
                canvas.drawPath(path, stroke=0, fill=1)
                canvas.endForm()
    label_forms: dict[int, str] = {}
    for plan in job.plans:
        if id(plan) not in label_forms:
            name = label_forms[id(plan)] = f"l{len(label_forms)}"
            canvas.beginForm(name, 0, 0, mm(plan.width_mm), mm(plan.height_mm))
            _draw_ops(canvas, plan.ops, qr_forms)
            canvas.endForm()
    rects = paper.label_rects()
    for index, plan in enumerate(job.plans):
        if index and index % len(rects) == 0:
            canvas.showPage()
        rect = rects[index % len(rects)]
        canvas.saveState()
        canvas.translate(mm(rect.x_mm), mm(paper.page_height_mm - rect.y_mm - rect.height_mm))
        canvas.doForm(label_forms[id(plan)])
        canvas.restoreState()
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_ops(canvas: Canvas, ops: Sequence[object], qr_forms: dict[str, str]) -> None:
    """One label's text, boxes, bars and (formed) QR codes at the origin."""
    canvas.setFillColor(black)
    for op in ops:
        if isinstance(op, TextOp):
            canvas.setFont(op.font, op.size_pt)
            canvas.drawString(mm(op.x_mm), mm(op.y_mm), op.text)
        elif isinstance(op, BoxOp):
            canvas.roundRect(mm(op.x_mm), mm(op.y_mm), mm(op.width_mm), mm(op.height_mm), 1)
        elif isinstance(op, QrOp):
            canvas.saveState()
            shift = QUIET_MODULES * op.module_mm
            canvas.translate(mm(op.x_mm + shift), mm(op.y_mm + shift))
            canvas.scale(mm(op.module_mm), mm(op.module_mm))
            canvas.doForm(qr_forms[op.symbol.payload])
            canvas.restoreState()
        elif isinstance(op, BarOp):
            for start, width in op.bars.runs:
                x = op.x_mm + (op.bars.quiet_left + start) * op.module_mm
                canvas.rect(mm(x), mm(op.y_mm), mm(width * op.module_mm), mm(op.height_mm), 0, 1)


# -- 1,000 stickers with 1,000 different codes -----------------------------------------


def _listing_items() -> list[LabelItem]:
    variants = _variants(VARIANTS)
    # One label per unit of a batch, each with its own listing address (a serial).
    return [
        LabelItem(
            replace(
                variants[n % VARIANTS],
                listing_url=f"https://kopisindoro.example/p/{n % VARIANTS + 1}?u={n + 1:05d}",
            )
        )
        for n in range(LABELS)
    ]


def _whatsapp_items() -> list[LabelItem]:
    return [LabelItem(content) for content in _variants(LABELS)]  # 1,000 SKUs and prices


def _sticker_job(
    items: list[LabelItem], qr_kind: str | None, cache: QrCache | None = None
) -> PrintJob:
    design = get_design("qr-sticker")
    return prepare_job(
        items, paper=get_paper(PAPER), design=design, qr_kind=qr_kind, qr_cache=cache
    )


def _fastest_matrix() -> Callable[[str], tuple[int, bytes]]:
    """The floor's encoder: zxing-cpp's writer where it exists, else qrcode; 0 is dark."""
    try:
        import zxingcpp

        qr_format = zxingcpp.BarcodeFormat.QRCode

        def native(text: str) -> tuple[int, bytes]:
            image = zxingcpp.create_barcode(text, qr_format, ec_level="M").to_image(
                add_quiet_zones=False
            )
            return image.shape[0], bytes(image)

        return native
    except (ImportError, AttributeError):
        import qrcode

        def python(text: str) -> tuple[int, bytes]:
            code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
            code.add_data(text.encode("utf-8"))
            code.make(fit=True)
            rows = code.get_matrix()
            return len(rows), bytes(0 if dark else 255 for row in rows for dark in row)

        return python


_DARK = re.compile(b"\x00+")


def _distinct_floor(job: PrintJob, matrix: Callable[[str], tuple[int, bytes]]) -> bytes:
    """Bare reportlab: each label's caption and code drawn in place, the code encoded here."""
    paper = job.paper
    buffer, canvas = _canvas(job)
    rects = paper.label_rects()
    for index, plan in enumerate(job.plans):
        if index and index % len(rects) == 0:
            canvas.showPage()
        rect = rects[index % len(rects)]
        ox, oy = rect.x_mm, paper.page_height_mm - rect.y_mm - rect.height_mm
        canvas.setFillColor(black)
        for op in plan.ops:
            if isinstance(op, TextOp):
                canvas.setFont(op.font, op.size_pt)
                canvas.drawString(mm(ox + op.x_mm), mm(oy + op.y_mm), op.text)
            elif isinstance(op, QrOp):
                size, modules = matrix(op.symbol.payload)
                rows = b"\xff".join(modules[i : i + size] for i in range(0, size * size, size))
                spans = (m.span() for m in _DARK.finditer(rows))
                path = " ".join(
                    f"{s % (size + 1)} {size - 1 - s // (size + 1)} {e - s} 1 re" for s, e in spans
                )
                shift = QUIET_MODULES * op.module_mm
                canvas.saveState()
                canvas.translate(mm(ox + op.x_mm + shift), mm(oy + op.y_mm + shift))
                canvas.scale(mm(op.module_mm), mm(op.module_mm))
                canvas.addLiteral(f"{path} f")
                canvas.restoreState()
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _distinct(report: Report, name: str, items: list[LabelItem], qr_kind: str | None) -> None:
    """Report one distinct-code job against its floor."""
    matrix = _fastest_matrix()
    layout = _sticker_job(items, qr_kind)  # handed to the floor, untimed
    assert len({plan.qr_payload for plan in layout.plans}) == LABELS
    shares: list[float] = []
    sizes: dict[str, int] = {}

    def ours() -> None:
        forget_fits()
        cache = QrCache()
        started = time.perf_counter()
        data, _pages = render_pdf_bytes(_sticker_job(items, qr_kind, cache))
        shares.append(cache.encode_seconds / (time.perf_counter() - started))
        assert cache.encoded == LABELS
        sizes["ours"] = len(data)

    def floor() -> None:
        sizes["floor"] = len(_distinct_floor(layout, matrix))

    ours()  # warm up both
    floor()
    shares.clear()
    ours_s, floor_s = _interleaved(RUNS, ours, floor)
    report(f"labels.{name}", ours_s, floor_s, "s", goal="<= 1.2x, <= 2 s")
    report(f"labels.{name}_encode_share", 100 * statistics.median(shares), None, "%")
    report(f"labels.{name}_pdf_size", sizes["ours"] / 1e6, sizes["floor"] / 1e6, "MB")


# -- gLabels 3 on the same jobs ---------------------------------------------------------

_GLABELS_DOC = """<?xml version="1.0"?>
<Glabels-document xmlns="http://glabels.org/xmlns/3.0/">
  <Template brand="ShopDesk" part="{part}" size="Other" width="{page_w}mm" height="{page_h}mm"
            description="benchmark">
    <Meta category="label"/>
    <Label-rectangle id="0" width="{w}mm" height="{h}mm" round="0mm" x_waste="0mm" y_waste="0mm">
      <Markup-margin size="0mm"/>
      <Layout nx="{nx}" ny="{ny}" x0="{x0}mm" y0="{y0}mm" dx="{dx}mm" dy="{dy}mm"/>
    </Label-rectangle>
  </Template>
  <Objects id="0" rotate="False">
    <Object-barcode x="{qr_x}mm" y="{qr_y}mm" w="{qr_side}mm" h="{qr_side}mm"
        backend="libqrencode" style="IEC18004" text="False" checksum="True" format="10"
        color="0xff" field="code" a0="1" a1="0" a2="0" a3="1" a4="0" a5="0"/>
    <Object-text x="1mm" y="{text_y}mm" w="{text_w}mm" h="4mm" justify="Center" valign="Top"
        auto_shrink="False" a0="1" a1="0" a2="0" a3="1" a4="0" a5="0">
      <Span font_family={font} font_size="{size_pt}" font_weight="bold" font_italic="False"
            color="0xff" line_spacing="1"><Field name="caption"/></Span>
    </Object-text>
  </Objects>
  <Merge type="Text/Comma/Line1Keys" src="data.csv"/>
</Glabels-document>
"""


def _glabels_files(job: PrintJob, folder: Path) -> tuple[Path, Path]:
    """The job as a gLabels document (the first label's layout) and a CSV to merge."""
    paper, first = job.paper, job.plans[0]
    qr = next(op for op in first.ops if isinstance(op, QrOp))
    text = next(op for op in first.ops if isinstance(op, TextOp))
    layout = paper.layouts[0]
    quiet = QUIET_MODULES * qr.module_mm
    doc = _GLABELS_DOC.format(
        part=paper.id, page_w=paper.page_width_mm, page_h=paper.page_height_mm,
        w=paper.label_width_mm, h=paper.label_height_mm, nx=layout.nx, ny=layout.ny,
        x0=layout.x0_mm, y0=layout.y0_mm, dx=layout.dx_mm, dy=layout.dy_mm,
        qr_x=qr.x_mm + quiet, qr_y=first.height_mm - qr.y_mm - qr.side_mm + quiet,
        qr_side=qr.side_mm - 2 * quiet, text_w=paper.label_width_mm - 2,
        text_y=first.height_mm - text.y_mm - 0.75 * text.size_pt * MM_PER_PT,
        font=quoteattr("DejaVu Sans"), size_pt=text.size_pt,
    )  # fmt: skip
    document, data = folder / "job.glabels", folder / "data.csv"
    document.write_text(doc, encoding="utf-8")
    with data.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "caption"])
        for plan in job.plans:
            caption = " ".join(op.text for op in plan.ops if isinstance(op, TextOp))
            writer.writerow([plan.qr_payload, caption])
    return document, data


def _glabels(report: Report, name: str, items: list[LabelItem], qr_kind: str | None) -> None:
    """Ours and gLabels in turn; CPU seconds too, as other work on the PC skews wall time."""
    batch = shutil.which("glabels-3-batch")
    if batch is None:
        print(f"# labels.{name}_vs_glabels3: gLabels 3 is not installed (apt-get install glabels)")
        return
    with tempfile.TemporaryDirectory(prefix="shopdesk-glabels-") as tmp:
        document, data = _glabels_files(_sticker_job(items, qr_kind), Path(tmp))
        out = Path(tmp) / "out.pdf"
        args = [batch, "-o", str(out), "-i", str(data), str(document)]

        def glabels() -> None:
            subprocess.run(args, cwd=tmp, check=True, capture_output=True, timeout=600)

        def ours() -> None:
            forget_fits()
            render_pdf_bytes(_sticker_job(items, qr_kind))

        (ours_s, ours_cpu), (glabels_s, glabels_cpu) = _interleaved_wall_cpu(
            GLABELS_RUNS, ours, glabels
        )
    report(f"labels.{name}_vs_glabels3", ours_s, glabels_s, "s", goal="<= 0.1x")
    report(f"labels.{name}_vs_glabels3_cpu", ours_cpu, glabels_cpu, "s")


def run(report: Report) -> None:
    register_fonts()
    print(f"# QR encoder: {ENCODER.name}", flush=True)
    variants = _variants(VARIANTS)
    same = [LabelItem(variants[n % VARIANTS]) for n in range(LABELS)]
    job, data = _ours(same)  # warm up fonts and caches the floor also uses
    _floor(job)
    ours_s, floor_s = _interleaved(RUNS, lambda: _ours(same), lambda: _floor(job))
    report("labels.packaging_1000x20_a4", ours_s, floor_s, "s", goal="<= 1.5x")
    report("labels.packaging_1000x20_pdf_size", len(data) / 1e6, len(_floor(job)) / 1e6, "MB")
    report(
        "labels.packaging_1000x20_peak_mem",
        _peak_mb(lambda: _ours(same)),
        _peak_mb(lambda: _floor(job)),
        "MB",
    )

    listing, whatsapp = _listing_items(), _whatsapp_items()
    _distinct(report, "distinct_qr_1000", listing, None)
    _distinct(report, "distinct_whatsapp_qr_1000", whatsapp, "whatsapp")
    layout, matrix = _sticker_job(listing, None), _fastest_matrix()
    report(
        "labels.distinct_qr_1000_peak_mem",
        _peak_mb(lambda: render_pdf_bytes(_sticker_job(listing, None))),
        _peak_mb(lambda: _distinct_floor(layout, matrix)),
        "MB",
    )
    _glabels(report, "distinct_qr_1000", listing, None)
    _glabels(report, "distinct_whatsapp_qr_1000", whatsapp, "whatsapp")


if __name__ == "__main__":
    from benchmarks.__main__ import report

    run(report)
