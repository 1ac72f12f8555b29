"""Bad input gives a clear message or a visible warning, never a spilling label."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from shopdesk.errors import NotFoundError, ValidationError
from shopdesk.fonts import REGULAR, _covered
from shopdesk.labels import notices
from shopdesk.labels.content import LabelContent
from shopdesk.labels.designs import get_design
from shopdesk.labels.job import LabelItem, prepare_job
from shopdesk.labels.layout import BoxOp, QrOp, TextOp
from shopdesk.labels.papers import custom_paper, get_paper
from shopdesk.labels.pdf import render_pdf_bytes

from .helpers import PRODUCTS, char_boxes_mm, decode, inside, render_page


def codes(job):
    return {w.code for w in job.warnings}


def test_unknown_paper_and_design():
    with pytest.raises(NotFoundError) as info:
        get_paper("a4-99x99")
    assert "a4-99x99" in info.value.message
    with pytest.raises(NotFoundError):
        get_design("poster")


def test_label_too_small_for_legible_text():
    tiny = custom_paper(
        paper_id="tiny", name="tiny", page_width_mm=20, page_height_mm=10,
        label_width_mm=8, label_height_mm=5, columns=1, rows=1, left_mm=1, top_mm=1,
        margin_mm=0.5,
    )  # fmt: skip
    job = prepare_job([PRODUCTS[3]], paper=tiny, design=get_design("price-tag"))
    assert notices.TOO_SMALL in codes(job)
    assert job.plans[0].ops == ()
    render_pdf_bytes(job)


def test_300_character_name_is_shortened_and_stays_inside():
    long_name = ("Keripik Singkong Balado Pedas Manis Khas Temanggung " * 7)[:300]
    content = replace(PRODUCTS[0], name=long_name)
    paper = get_paper("a4-3x8")
    for design_id in ("packaging", "price-tag", "shelf-card", "qr-sticker"):
        job = prepare_job([content], paper=paper, design=get_design(design_id))
        # The sticker's QR carries the name, so it may give way to the text instead.
        assert notices.TEXT_CUT in codes(job) or design_id == "qr-sticker", design_id
        assert job.warnings
        data, _pages = render_pdf_bytes(job)
        pdf, page, image = render_page(data)
        rect = paper.label_rects()[0]
        box = (rect.x_mm, rect.y_mm, rect.width_mm, rect.height_mm)
        for _ch, (left, top, right, bottom) in char_boxes_mm(page, paper.page_height_mm):
            assert inside((left, top), box, 0.05) and inside((right, bottom), box, 0.05)
        if job.plans[0].qr_payload:
            assert [f.text for f in decode(image)] == [job.plans[0].qr_payload]
        pdf.close()


def test_emoji_and_missing_glyphs_are_dropped_with_a_warning():
    content = replace(PRODUCTS[3], name="Tas Pandan 👍🏽 🇮🇩 漢字 ok\x00\u200b")
    job = prepare_job([content], paper=get_paper("a4-3x8"), design=get_design("price-tag"))
    assert notices.CHARS_DROPPED in codes(job)
    message = next(w.message for w in job.warnings if w.code == notices.CHARS_DROPPED)
    assert "漢" in message
    covered = _covered(REGULAR) & _covered(REGULAR.replace("Sans", "Sans-Bold"))
    for op in job.plans[0].ops:
        if isinstance(op, TextOp):
            assert "\x00" not in op.text and "\u200b" not in op.text
            assert all(ord(ch) in covered for ch in op.text), op.text


def test_right_to_left_text_is_flagged():
    content = replace(PRODUCTS[3], name="مرحبا Tas")
    job = prepare_job([content], paper=get_paper("a4-3x8"), design=get_design("price-tag"))
    assert notices.RIGHT_TO_LEFT in codes(job)


def test_missing_mandatory_food_fields_are_warnings_before_printing():
    bare = LabelContent(sku="X1", name="Dodol", price=10000, whatsapp="081227001234")
    job = prepare_job([bare], paper=get_paper("a4-3x8"), design=get_design("packaging"))
    missing = [w.message for w in job.warnings if w.code == notices.MISSING_FIELD]
    assert len(missing) >= 6
    crafts = replace(bare, is_food=False)
    job = prepare_job([crafts], paper=get_paper("a4-3x8"), design=get_design("packaging"))
    assert notices.MISSING_FIELD not in codes(job)


def test_wrong_ean13_is_a_warning_and_the_sku_is_used():
    content = replace(PRODUCTS[2], ean13="2000000000047")
    job = prepare_job([content], paper=get_paper("a4-3x8"), design=get_design("price-tag"))
    assert notices.NO_BARCODE in codes(job)
    assert job.plans[0].barcode_value == "K7"


def test_missing_whatsapp_number():
    content = replace(PRODUCTS[3], whatsapp="")
    with pytest.raises(ValidationError) as info:
        prepare_job([content], paper=get_paper("a4-3x8"), design=get_design("shelf-card"))
    assert "WhatsApp" in info.value.message
    job = prepare_job([content], paper=get_paper("a4-3x8"), design=get_design("packaging"))
    assert notices.NO_QR in codes(job)
    assert not any(isinstance(op, QrOp) for op in job.plans[0].ops)


def test_invalid_whatsapp_number_is_refused():
    content = replace(PRODUCTS[3], whatsapp="0812")
    with pytest.raises(ValidationError):
        prepare_job([content], paper=get_paper("a4-3x8"), design=get_design("shelf-card"))


def test_skip_and_copies_are_checked():
    paper, design = get_paper("a4-3x8"), get_design("price-tag")
    with pytest.raises(ValidationError):
        prepare_job([PRODUCTS[0]], paper=paper, design=design, skip=24)
    with pytest.raises(ValidationError):
        prepare_job([LabelItem(PRODUCTS[0], 0)], paper=paper, design=design)
    with pytest.raises(ValidationError):
        prepare_job([], paper=paper, design=design)


def test_halal_mark_only_with_a_certificate():
    paper, design = get_paper("a4-2x6"), get_design("packaging")
    with_cert = prepare_job([PRODUCTS[0]], paper=paper, design=design).plans[0]
    assert any(isinstance(op, BoxOp) for op in with_cert.ops)
    assert any(isinstance(op, TextOp) and op.text.startswith("HALAL") for op in with_cert.ops)
    without = prepare_job([PRODUCTS[1]], paper=paper, design=design).plans[0]
    assert not any(isinstance(op, BoxOp) for op in without.ops)
    assert not any(isinstance(op, TextOp) and "HALAL" in op.text for op in without.ops)


def test_best_before_format_follows_shelf_life():
    short = LabelContent(
        sku="a", name="b", production_date=date(2026, 11, 1), best_before=date(2027, 1, 30)
    )
    assert short.best_before_text() == "30-01-2027"
    long = replace(short, best_before=date(2027, 11, 1))
    assert long.best_before_text() == "11-2027"
    assert replace(short, production_date=None, shelf_life_days=365).best_before_text() == "01-2027"


def test_skip_starts_at_label_n_and_offset_moves_the_print():
    paper, design = get_paper("a4-3x8"), get_design("qr-sticker")
    plain = prepare_job([PRODUCTS[1]], paper=paper, design=design, skip=4)
    data, _ = render_pdf_bytes(plain)
    _pdf, _page, image = render_page(data)
    (found,) = decode(image)
    rect = paper.label_rects()[4]
    box = (rect.x_mm, rect.y_mm, rect.width_mm, rect.height_mm)
    assert all(inside(c, box) for c in found.corners_mm)
    shifted, _ = render_pdf_bytes(plain, offset_mm=(2.0, 3.0))
    _pdf, _page, image = render_page(shifted)
    (moved,) = decode(image)
    dx = moved.corners_mm[0][0] - found.corners_mm[0][0]
    dy = moved.corners_mm[0][1] - found.corners_mm[0][1]
    assert dx == pytest.approx(2.0, abs=0.2) and dy == pytest.approx(3.0, abs=0.2)


def test_pages_follow_on():
    paper, design = get_paper("tj-121"), get_design("price-tag")
    job = prepare_job([LabelItem(PRODUCTS[0], 23)], paper=paper, design=design, skip=3)
    assert job.page_count == 3
    data, pages = render_pdf_bytes(job)
    assert pages == 3
    _pdf, _page, image = render_page(data, 2)
    assert len(decode(image)) == 6  # 3 skipped + 23 = 26 = 10 + 10 + 6


def test_price_qr_and_barcode_can_be_left_off():
    from shopdesk.labels.designs import customize
    from shopdesk.labels.layout import BarOp

    paper = get_paper("a4-2x6")
    full = prepare_job([PRODUCTS[0]], paper=paper, design=get_design("packaging")).plans[0]
    assert any(isinstance(op, QrOp) for op in full.ops)
    assert any(isinstance(op, TextOp) and op.text == "Rp 35.000" for op in full.ops)
    bare_design = customize(get_design("packaging"), price=False, qr=False, barcode=False)
    bare = prepare_job([PRODUCTS[0]], paper=paper, design=bare_design).plans[0]
    assert not any(isinstance(op, QrOp | BarOp) for op in bare.ops)
    assert not any(isinstance(op, TextOp) and "Rp" in op.text for op in bare.ops)
