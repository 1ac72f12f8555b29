"""Labels say what they hold (issue 16, point 6): the caption under a QR code names what
the code holds, read back from real PDFs (pypdfium2 text, zxing-cpp decoding)."""

from __future__ import annotations

import pytest

from shopdesk.labels.designs import get_design
from shopdesk.labels.job import prepare_job
from shopdesk.labels.papers import get_paper
from shopdesk.labels.pdf import render_pdf_bytes

from .helpers import PRODUCTS, decode, render_page


def _page_text_and_codes(job):
    data, _pages = render_pdf_bytes(job)
    _pdf, page, image = render_page(data)
    text = page.get_textpage().get_text_range()
    return text, [f.text for f in decode(image) if f.format == "QRCode"]


@pytest.mark.parametrize(
    ("kind", "caption", "starts"),
    [
        ("whatsapp", "Pesan lewat WhatsApp", "https://wa.me/62812"),
        ("info", "Info produk", "Kopi Robusta"),
        ("vcard", "Simpan kontak toko", "BEGIN:VCARD"),
    ],
)
def test_the_caption_names_what_the_code_holds(kind, caption, starts):
    job = prepare_job(
        [PRODUCTS[0]], paper=get_paper("a4-2x6"), design=get_design("shelf-card"), qr_kind=kind
    )
    text, codes = _page_text_and_codes(job)
    assert codes and codes[0].startswith(starts)
    assert caption in text
    others = {"Pesan lewat WhatsApp", "Info produk", "Simpan kontak toko"} - {caption}
    assert not any(other in text for other in others), text


def test_the_food_label_keeps_its_qr_on_the_default_paper(seller, tmp_path):
    """Every mandatory field at 6 pt or more and the order QR, on the paper a new shop
    gets, for a variant with a batch and one without (the issue saw the code dropped)."""
    from shopdesk import catalog, settings, stock
    from shopdesk.labels.layout import TextOp
    from shopdesk.labels.service import PrintRequest, prepare_print, write_print

    product = catalog.create_product(
        seller,
        name="Keripik Singkong",
        sku="KRPK-0001",
        price=16000,
        is_food=True,
        netto="200 g",
        composition="Singkong, minyak kelapa sawit, garam, bumbu original",
        shelf_life_days=120,
        halal=True,
        option1_name="Rasa",
        variants=[
            {"option1_value": "Pedas Daun Jeruk", "barcode": "2000000000107"},
            {"option1_value": "Original"},
        ],
    )
    spicy, plain = (v.sku for v in product.variants)
    stock.receive(seller, sku=spicy, quantity=2, batch_code="P261206")
    assert settings.get(seller, "label_paper") == settings.DEFAULTS["label_paper"] == "a4-2x6"
    for sku, batch in ((spicy, "P261206"), (plain, None)):
        job = prepare_print(seller, PrintRequest(skus=(sku,), batch_code=batch))
        assert job.design.id == "packaging" and job.paper.id == "a4-2x6"
        [plan] = set(job.plans)
        assert plan.qr_payload.startswith("https://wa.me/62812"), [w.message for w in job.warnings]
        assert min(op.size_pt for op in plan.ops if isinstance(op, TextOp)) >= 6.0
        result = write_print(seller, job, tmp_path / f"{sku}.pdf")
        _pdf, _page, image = render_page(result.path.read_bytes())
        assert plan.qr_payload in [f.text for f in decode(image) if f.format == "QRCode"]


def test_a_halal_product_without_a_certificate_number_is_warned_and_strict_fails(
    seller, cli, tmp_path
):
    from shopdesk import catalog, i18n, profiles
    from shopdesk.labels import notices
    from shopdesk.labels.service import PrintRequest, prepare_print
    from tests.conftest import PIN_A

    catalog.create_product(
        seller, name="Dodol Durian", sku="DODL-0001", price=20000, is_food=True, halal=True
    )
    request = PrintRequest(skus=("DODL-0001",))
    assert notices.NO_HALAL_NUMBER not in {w.code for w in prepare_print(seller, request).warnings}
    profiles.update_shop(seller, halal_cert_number="")
    job = prepare_print(seller, request)
    [warning] = [w for w in job.warnings if w.code == notices.NO_HALAL_NUMBER]
    assert "Dodol Durian" in warning.message and "halal" in warning.message
    i18n.set_language("en")
    out = tmp_path / "dodol.pdf"
    args = ("--lang", "en", "labels", "print", "--seller", "kopi", "--sku", "DODL-0001")
    code, _out, err = cli(*args, "--strict", "-o", str(out), pin=PIN_A)
    assert code == 2 and "no halal certificate number" in err and not out.exists()
    code, _out, err = cli(*args, "-o", str(out), pin=PIN_A)
    assert code == 0 and "no halal certificate number" in err and out.exists()


def test_cli_imports_a_glabels_file_saved_compressed(seller, cli, tmp_path):
    import gzip
    from pathlib import Path

    from shopdesk import i18n
    from shopdesk.labels.papers import list_papers
    from shopdesk.labels.service import user_papers_dir
    from tests.conftest import PIN_A

    source = Path(__file__).resolve().parent.parent / "fixtures" / "glabels"
    packed = tmp_path / "Testco.glabels"
    packed.write_bytes(gzip.compress((source / "namespaced-templates.xml").read_bytes()))
    i18n.set_language("en")
    code, out, err = cli("--lang", "en", "labels", "import-glabels", str(packed), pin=PIN_A)
    assert code == 0, err
    assert "Added" in out
    ids = {p.id for p in list_papers(user_papers_dir())}
    assert any(i.startswith("gl-") for i in ids)
    code, _out, err = cli(
        "--lang", "en", "labels", "import-glabels", str(packed), "--part", "NOPE", pin=PIN_A
    )
    assert code == 2 and "no part NOPE" in err
