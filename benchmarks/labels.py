"""Label printing speed, PDF size and memory.

- 1,000 packaging labels of 20 variants on A4 (3 × 8) against a floor: a bare
  reportlab script, timed in the same run, that draws the same boxes and
  text and places 20 QR drawings built before the clock starts.
- 1,000 labels with 1,000 different QR payloads: time, and the share of it
  spent encoding QR codes.
- PDF size and peak Python memory (tracemalloc, in a separate pass) for both.

Run with ``python -m benchmarks labels`` or ``python -m benchmarks.labels``.
"""

from __future__ import annotations

import io
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from reportlab.lib.colors import black
from reportlab.pdfgen.canvas import Canvas

from shopdesk.fonts import register_fonts
from shopdesk.labels.content import LabelContent
from shopdesk.labels.designs import get_design
from shopdesk.labels.job import LabelItem, PrintJob, prepare_job
from shopdesk.labels.layout import BarOp, BoxOp, QrOp, TextOp
from shopdesk.labels.papers import get_paper
from shopdesk.labels.pdf import render_pdf_bytes
from shopdesk.labels.qr import QUIET_MODULES, QrCache
from shopdesk.labels.units import mm

Report = Callable[[str, float, float | None, str], None]
LABELS = 1000
VARIANTS = 20
PAPER = "a4-3x8"


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


def _ours(items: list[LabelItem]) -> tuple[PrintJob, bytes]:
    job = prepare_job(items, paper=get_paper(PAPER), design=get_design("packaging"))
    data, _pages = render_pdf_bytes(job)
    return job, data


def _floor(job: PrintJob) -> bytes:
    """Bare reportlab: the same text and boxes drawn per label, QR forms made beforehand."""
    paper = job.paper
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer, pagesize=(mm(paper.page_width_mm), mm(paper.page_height_mm)), pageCompression=1
    )
    qr_forms: dict[str, str] = {}
    for plan in job.plans:  # the 20 QR drawings, built before the labels are drawn
        for op in plan.ops:
            if isinstance(op, QrOp) and op.symbol.payload not in qr_forms:
                name = qr_forms[op.symbol.payload] = f"q{len(qr_forms)}"
                canvas.beginForm(name, 0, 0, op.symbol.size, op.symbol.size)
                path = canvas.beginPath()
                for row, col, length in op.symbol.runs:
                    path.rect(col, op.symbol.size - 1 - row, length, 1)
                canvas.drawPath(path, stroke=0, fill=1)
                canvas.endForm()
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
            elif isinstance(op, BoxOp):
                canvas.roundRect(
                    mm(ox + op.x_mm), mm(oy + op.y_mm), mm(op.width_mm), mm(op.height_mm), 1
                )
            elif isinstance(op, QrOp):
                canvas.saveState()
                shift = QUIET_MODULES * op.module_mm
                canvas.translate(mm(ox + op.x_mm + shift), mm(oy + op.y_mm + shift))
                canvas.scale(mm(op.module_mm), mm(op.module_mm))
                canvas.doForm(qr_forms[op.symbol.payload])
                canvas.restoreState()
            elif isinstance(op, BarOp):
                for start, width in op.bars.runs:
                    x = ox + op.x_mm + (op.bars.quiet_left + start) * op.module_mm
                    canvas.rect(
                        mm(x), mm(oy + op.y_mm), mm(width * op.module_mm), mm(op.height_mm), 0, 1
                    )
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _distinct_items() -> list[LabelItem]:
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


def _peak_mb(work: Callable[[], object]) -> float:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def _best_of(runs: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def run(report: Report) -> None:
    register_fonts()
    variants = _variants(VARIANTS)
    same = [LabelItem(variants[n % VARIANTS]) for n in range(LABELS)]
    job, data = _ours(same)  # warm up fonts and caches the floor also uses
    _floor(job)

    ours_s = _best_of(3, lambda: _ours(same))
    floor_s = _best_of(3, lambda: _floor(job))
    report("labels.packaging_1000x20_a4", ours_s, floor_s, "s")
    report("labels.packaging_1000x20_pdf_size", len(data) / 1e6, len(_floor(job)) / 1e6, "MB")
    report("labels.packaging_1000x20_peak_mem", _peak_mb(lambda: _ours(same)), None, "MB")

    distinct = _distinct_items()
    sticker = get_design("qr-sticker")
    paper = get_paper(PAPER)
    cache = QrCache()
    started = time.perf_counter()
    job = prepare_job(distinct, paper=paper, design=sticker, qr_cache=cache)
    data, _pages = render_pdf_bytes(job)
    total = time.perf_counter() - started
    assert cache.encoded == LABELS
    report("labels.distinct_qr_1000", total, None, "s")
    report("labels.distinct_qr_1000_encode_share", 100 * cache.encode_seconds / total, None, "%")
    report("labels.distinct_qr_1000_pdf_size", len(data) / 1e6, None, "MB")
    report(
        "labels.distinct_qr_1000_peak_mem",
        _peak_mb(lambda: render_pdf_bytes(prepare_job(distinct, paper=paper, design=sticker))),
        None,
        "MB",
    )


if __name__ == "__main__":
    from benchmarks.__main__ import report

    run(report)
