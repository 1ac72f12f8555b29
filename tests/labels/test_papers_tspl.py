"""Paper presets, custom papers, calibration, and TSPL output."""

from __future__ import annotations

import json

import pypdfium2 as pdfium
import pytest

from shopdesk.errors import ValidationError
from shopdesk.labels.calibration import (
    CalibrationStore,
    Offset,
    calibration_pdf_bytes,
    render_calibration,
)
from shopdesk.labels.designs import get_design
from shopdesk.labels.job import LabelItem, prepare_job
from shopdesk.labels.papers import (
    ROLL,
    custom_paper,
    get_paper,
    list_papers,
    paper_from_json,
    save_user_paper,
)
from shopdesk.labels.tspl import ascii_text, tspl_bytes

from .helpers import PRODUCTS


def test_shipped_papers():
    papers = {p.id: p for p in list_papers()}
    for pid in ("a4-3x8", "a4-4x10", "a4-2x6", "a4-24up", "a4-40up"):
        assert papers[pid].page_width_mm == 210 and papers[pid].page_height_mm == 297
    assert papers["a4-24up"].labels_per_page == 24 and papers["a4-40up"].labels_per_page == 40
    for pid in ("tj-103", "tj-107", "tj-108", "tj-121"):
        paper = papers[pid]
        assert paper.check_against_pack and "periksa ukuran dengan kemasan Anda" in paper.note
        assert (paper.page_width_mm, paper.page_height_mm) == (165, 215)
    for size in ("33x15", "40x30", "50x30", "58x40"):
        paper = papers[f"roll-{size}"]
        w, h = (float(v) for v in size.split("x"))
        assert paper.kind == ROLL and paper.dpi == 203 and paper.labels_per_page == 1
        assert (
            (paper.page_width_mm, paper.page_height_mm)
            == (w, h)
            == (
                paper.label_width_mm,
                paper.label_height_mm,
            )
        )
    for paper in papers.values():
        rects = paper.label_rects()
        assert len(rects) == paper.labels_per_page
        for rect in rects:
            assert rect.x_mm >= 0 and rect.x_mm + rect.width_mm <= paper.page_width_mm + 0.01
            assert rect.y_mm >= 0 and rect.y_mm + rect.height_mm <= paper.page_height_mm + 0.01


def test_custom_paper_by_measurements(tmp_path):
    paper = custom_paper(
        paper_id="warung-2x5", name="Stiker warung", page_width_mm=165, page_height_mm=215,
        label_width_mm=70, label_height_mm=38, columns=2, rows=5, left_mm=10, top_mm=8,
        gap_x_mm=5, gap_y_mm=3,
    )  # fmt: skip
    path = save_user_paper(paper, tmp_path)
    assert json.loads(path.read_text())["layouts"][0]["dx_mm"] == 75
    loaded = get_paper("warung-2x5", tmp_path)
    assert loaded.label_rects()[-1].y_mm == 8 + 4 * 41
    with pytest.raises(ValidationError):
        custom_paper(
            paper_id="too-wide", name="x", page_width_mm=100, page_height_mm=100,
            label_width_mm=60, label_height_mm=20, columns=2, rows=1, left_mm=0, top_mm=0,
        )  # fmt: skip
    with pytest.raises(ValidationError):
        custom_paper(
            paper_id="Bad Id!", name="x", page_width_mm=100, page_height_mm=100,
            label_width_mm=20, label_height_mm=20, columns=1, rows=1, left_mm=0, top_mm=0,
        )  # fmt: skip
    with pytest.raises(ValidationError):
        paper_from_json({"id": "x"})


def test_calibration_offsets_per_paper_and_printer(tmp_path):
    store = CalibrationStore(tmp_path)
    assert store.get("a4-3x8", "Epson L3110") == Offset()
    store.set("a4-3x8", "Epson L3110", Offset(1.5, -0.5))
    store.set("a4-3x8", "Canon", Offset(0.0, 2.0))
    assert store.get("a4-3x8", "Epson L3110") == Offset(1.5, -0.5)
    assert CalibrationStore(tmp_path).get("a4-3x8", "Canon") == Offset(0.0, 2.0)
    assert store.get("tj-103", "Canon") == Offset()
    with pytest.raises(ValidationError):
        store.set("a4-3x8", "Canon", Offset(50, 0))


def test_calibration_page_has_outlines_numbers_and_ruler(tmp_path):
    paper = get_paper("tj-103")
    result = render_calibration(paper, tmp_path / "cal.pdf", Offset(1, 1))
    pdf = pdfium.PdfDocument(str(result.path))
    assert len(pdf) == 2
    text = pdf[0].get_textpage().get_text_range()
    for n in ("1", "12", "100", "160"):
        assert n in text.split()
    assert "tj-103" in pdf[1].get_textpage().get_text_range()
    roll = calibration_pdf_bytes(get_paper("roll-40x30"))
    assert len(pdfium.PdfDocument(roll)) == 1


def test_tspl_uses_printer_commands_at_its_dots():
    paper = get_paper("roll-50x30")
    job = prepare_job(
        [LabelItem(PRODUCTS[2], 3), LabelItem(PRODUCTS[0], 2)],
        paper=paper,
        design=get_design("price-tag"),
    )
    text = tspl_bytes(job).decode("utf-8")
    lines = text.split("\r\n")
    assert lines[0] == "SIZE 50 mm,30 mm" and lines[1] == "GAP 2 mm,0 mm"
    assert text.count("CLS") == 2 and "PRINT 1,3" in text and "PRINT 1,2" in text
    assert "BARCODE" in text and ('"EAN13"' in text or '"128"' in text)
    assert '"Rp 12.500"' in text
    for line in lines:
        if line.startswith(("TEXT", "BARCODE", "QRCODE")):
            x, y = (int(v) for v in line.split(" ", 1)[1].split(",")[:2])
            assert 0 <= x < 50 * 8 and 0 <= y < 30 * 8, line
    job = prepare_job([PRODUCTS[0]], paper=get_paper("roll-58x40"), design=get_design("shelf-card"))
    text = tspl_bytes(job).decode("utf-8")
    assert "QRCODE" in text and ",M," in text and "https://wa.me/6281227001234" in text


def test_tspl_text_is_ascii():
    assert ascii_text("Kopi “Enak” — café…") == 'Kopi "Enak" - cafe...'
    assert ascii_text("漢") == "?"


def test_pdfs_use_only_the_embedded_font():
    import re

    from shopdesk.labels.pdf import render_pdf_bytes

    job = prepare_job(PRODUCTS, paper=get_paper("a4-3x8"), design=get_design("packaging"))
    for data in (render_pdf_bytes(job)[0], calibration_pdf_bytes(get_paper("tj-103"))):
        fonts = set(re.findall(rb"/BaseFont\s*/([A-Za-z+-]+)", data))
        assert fonts and all(b"+DejaVuSans" in name for name in fonts), fonts
        assert data.count(b"/FontFile2") == len(fonts)
