"""Every shipped paper × design: render, decode every code, check where ink lands.

Each page is rendered at 200 dpi with pypdfium2 and read with zxing-cpp.
Every QR code and barcode must decode to exactly its expected payload and lie
wholly inside its label; every character must lie inside its label.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from urllib.parse import quote

import pytest

from shopdesk.labels import notices
from shopdesk.labels.designs import get_design, list_designs
from shopdesk.labels.job import prepare_job
from shopdesk.labels.layout import QrOp, TextOp
from shopdesk.labels.papers import ROLL, list_papers
from shopdesk.labels.payloads import LITERAL_IN_TEXT, order_message
from shopdesk.labels.pdf import render_pdf_bytes

from .helpers import PRODUCTS, char_boxes_mm, decode, inside, label_rects_for, render_page

PAPERS = [p.id for p in list_papers()]
DESIGNS = [d.id for d in list_designs()]


def expected_qr(content, design_id: str) -> str:
    whatsapp = "https://wa.me/6281227001234?text=" + quote(
        order_message(content), safe=LITERAL_IN_TEXT
    )
    if design_id == "qr-sticker" and content.listing_url:
        return content.listing_url
    return whatsapp


def test_every_shipped_paper_and_design_is_tested():
    assert len(PAPERS) >= 13 and set(DESIGNS) >= {
        "packaging",
        "price-tag",
        "shelf-card",
        "qr-sticker",
    }


@pytest.mark.parametrize("design_id", DESIGNS)
@pytest.mark.parametrize("paper_id", PAPERS)
def test_codes_decode_and_ink_stays_inside(paper_id: str, design_id: str):
    paper = next(p for p in list_papers() if p.id == paper_id)
    design = get_design(design_id)
    per_page = paper.labels_per_page
    count = len(PRODUCTS) if paper.kind == ROLL else per_page
    items = [PRODUCTS[i % len(PRODUCTS)] for i in range(count)]
    job = prepare_job(items, paper=paper, design=design)
    data, pages = render_pdf_bytes(job)
    assert pages == job.page_count
    warned = {(w.sku, w.code) for w in job.warnings}
    placements = label_rects_for(job) if paper.kind != ROLL else None
    for page_index in range(pages):
        pdf, page, image = render_page(data, page_index)
        if paper.kind == ROLL:
            rect = (0.0, 0.0, paper.label_width_mm, paper.label_height_mm)
            labels = [(page_index, rect)]
        else:
            labels = placements
        found = decode(image)
        claimed: set[int] = set()
        chars = char_boxes_mm(page, paper.page_height_mm)
        for plan_index, rect in labels:
            plan = job.plans[plan_index]
            content = items[plan_index]
            mine = [
                (n, f)
                for n, f in enumerate(found)
                if inside(
                    (sum(x for x, _ in f.corners_mm) / 4, sum(y for _, y in f.corners_mm) / 4),
                    rect,
                    0.0,
                )
            ]
            for n, f in mine:
                claimed.add(n)
                assert all(inside(c, rect) for c in f.corners_mm), (paper_id, design_id, f)
            qrs = [f.text for _, f in mine if f.format == "QRCode"]
            bars = [f.text for _, f in mine if f.format in ("EAN13", "Code128")]
            if plan.qr_payload:
                assert plan.qr_payload == expected_qr(content, design_id)
                assert qrs == [plan.qr_payload], (paper_id, design_id, plan_index)
            else:
                assert not qrs
                if design.qr:
                    assert (content.sku, notices.NO_QR) in warned, (paper_id, design_id)
            if plan.barcode_value:
                assert plan.barcode_value in (content.ean13, content.sku)
                assert bars == [plan.barcode_value], (paper_id, design_id, plan_index)
            else:
                assert not bars
                if design.barcode and design.barcode.required:
                    assert (content.sku, notices.NO_BARCODE) in warned
            # Text: every character wholly inside the label holding its centre,
            # and the label shows exactly the characters its plan says.
            printed = Counter()
            for ch, (left, top, right, bottom) in chars:
                centre = ((left + right) / 2, (top + bottom) / 2)
                if not inside(centre, rect, 0.0):
                    continue
                assert inside((left, top), rect, 0.05) and inside((right, bottom), rect, 0.05), (
                    paper_id,
                    design_id,
                    ch,
                )
                printed[ch] += 1
            planned = Counter(
                ch for op in plan.ops if isinstance(op, TextOp) for ch in op.text if ch != " "
            )
            assert printed == planned, (paper_id, design_id, plan_index)
        assert claimed == set(range(len(found))), "a code was printed outside every label"
        pdf.close()


def test_packaging_on_a_wide_label_keeps_qr_beside_the_text_and_the_barcode():
    # The demo's coffee: no production code or dates yet, a long producer address.
    # At the QR's full share the text would drop just under 6 pt; a slightly
    # smaller QR (modules still >= 0.5 mm) leaves room for both codes.
    content = replace(
        PRODUCTS[0],
        producer_name="Kopi & Gula Sindoro",
        producer_address="Jl. Raya Kledung No. 12, Temanggung, Jawa Tengah",
        production_code="",
        production_date=None,
        best_before=None,
    )
    paper = next(p for p in list_papers() if p.id == "a4-2x6")
    job = prepare_job([content], paper=paper, design=get_design("packaging"))
    plan = job.plans[0]
    assert plan.qr_payload == expected_qr(content, "packaging")
    assert plan.barcode_value == content.ean13
    codes = {w.code for w in job.warnings}
    assert notices.NO_QR not in codes and notices.NO_BARCODE not in codes
    qr = next(op for op in plan.ops if isinstance(op, QrOp))
    assert qr.module_mm >= 0.5 - 1e-9
    text_ops = [op for op in plan.ops if isinstance(op, TextOp)]
    # The digits under the barcode have their own fixed size; the fields must stay legible.
    fields = [op for op in text_ops if op.text.replace(" ", "") != content.ean13]
    assert len(fields) < len(text_ops) and min(op.size_pt for op in fields) >= 6
    data, _pages = render_pdf_bytes(job)
    pdf, _page, image = render_page(data)
    rect = label_rects_for(job)[0][1]
    found = decode(image)
    assert sorted((f.format, f.text) for f in found) == [
        ("EAN13", content.ean13),
        ("QRCode", plan.qr_payload),
    ]
    for f in found:
        assert all(inside(c, rect) for c in f.corners_mm), f
    pdf.close()
