"""A drawing that repeats becomes one PDF form; one that appears once is drawn in place."""

from __future__ import annotations

from dataclasses import replace

from shopdesk.labels.designs import get_design
from shopdesk.labels.job import LabelItem, prepare_job
from shopdesk.labels.papers import get_paper
from shopdesk.labels.pdf import render_pdf_bytes

from .helpers import PRODUCTS, decode, render_page


def _forms(data: bytes) -> int:
    return data.count(b"/Subtype /Form")


def _render(items, qr_kind="whatsapp"):
    job = prepare_job(
        items, paper=get_paper("a4-3x8"), design=get_design("qr-sticker"), qr_kind=qr_kind
    )
    data, _pages = render_pdf_bytes(job)
    return job, data


def test_labels_printed_once_make_no_forms_and_still_decode():
    job, data = _render(PRODUCTS)
    assert len({id(plan) for plan in job.plans}) == len(PRODUCTS)
    assert _forms(data) == 0
    found = sorted(f.text for f in decode(render_page(data)[2]))
    assert found == sorted(plan.qr_payload for plan in job.plans)


def test_a_repeated_label_is_one_form_and_a_shared_code_one_more():
    kopi, gula = PRODUCTS[0], PRODUCTS[1]
    # The same product with another batch code: another label, the same WhatsApp code.
    other_batch = replace(kopi, production_code="KR2612B")
    job, data = _render([LabelItem(kopi, copies=5), other_batch, gula])
    assert _forms(data) == 2  # kopi's label (5 copies) and the code kopi shares with its batch
    found = [f.text for f in decode(render_page(data)[2])]
    assert sorted(found) == sorted(plan.qr_payload for plan in job.plans)
