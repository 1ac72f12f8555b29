"""QR encoding: zxing-cpp's native writer, and qrcode where zxing-cpp cannot be imported.

Every payload kind is drawn into a real PDF, rasterised with pypdfium2 and read back
with zxing-cpp, once with each encoder: the exact payload, error correction M.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from urllib.parse import parse_qs, quote, urlsplit

import pytest
import zxingcpp

from shopdesk import i18n
from shopdesk.labels import qr
from shopdesk.labels.content import LabelContent
from shopdesk.labels.designs import get_design
from shopdesk.labels.job import prepare_job
from shopdesk.labels.papers import get_paper
from shopdesk.labels.payloads import KINDS, order_message, payload, whatsapp_link
from shopdesk.labels.pdf import render_pdf_bytes
from tests.conftest import ROOT

from .helpers import PRODUCTS, render_page

# Every kind has its data; the shop's name is not ASCII, so the contact card is UTF-8.
CONTENT = replace(PRODUCTS[1], shop_name="Kafé Sari Aren", shop_address="Desa Wonosari, Temanggung")


@pytest.fixture(params=["native", "fallback"])
def encoder(request, monkeypatch) -> qr.Encoder:
    if request.param == "fallback":
        monkeypatch.setitem(sys.modules, "zxingcpp", None)  # as where no wheel exists
    chosen = qr.native_encoder() or qr.PYTHON_ENCODER
    monkeypatch.setattr(qr, "ENCODER", chosen)
    return chosen


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_decodes_from_the_pdf_to_its_payload(encoder, kind):
    assert encoder.name == ("zxing-cpp" if sys.modules.get("zxingcpp") else "qrcode")
    job = prepare_job(
        [CONTENT], paper=get_paper("a4-3x8"), design=get_design("qr-sticker"), qr_kind=kind
    )
    assert not job.warnings
    data, _pages = render_pdf_bytes(job)
    _pdf, _page, image = render_page(data)
    (found,) = zxingcpp.read_barcodes(image, formats=[zxingcpp.BarcodeFormat.QRCode])
    assert found.text == payload(kind, CONTENT)
    assert found.ec_level == "M"


def test_both_encoders_give_the_same_symbol_size_or_native_smaller():
    native = qr.native_encoder()
    assert native is not None
    for kind in KINDS:
        text = payload(kind, CONTENT)
        native_size, native_modules = native.matrix(text)
        python_size, _modules = qr.PYTHON_ENCODER.matrix(text)
        assert native_size <= python_size, kind
        assert len(native_modules) == native_size**2


def test_runs_split_where_a_row_ends_dark():
    # rows 1 0 1 / 1 1 1 / 0 0 1 (1 dark): the last column's run continues into the next row
    modules = bytes(0 if dark else 255 for dark in (1, 0, 1, 1, 1, 1, 0, 0, 1))
    assert qr.dark_runs(3, modules) == ((0, 0, 1), (0, 2, 1), (1, 0, 3), (2, 2, 1))


def test_too_long_text_is_a_clear_error_with_either_encoder(encoder):
    with pytest.raises(qr.ValidationError) as info:
        qr.encode("x" * 3000)
    assert "3000" in info.value.message
    with pytest.raises(qr.ValidationError):
        qr.encode("x" * 1000)  # fits a QR code, but not one a label can carry (version > 25)


def _encoder_chosen_at_import(block_native: bool) -> str:
    script = (
        ("import sys; sys.modules['zxingcpp'] = None\n" if block_native else "")
        + "import sys\n"
        + "from shopdesk.labels import qr\n"
        + "symbol = qr.encode('https://kopisindoro.example/gula-aren')\n"
        + "print(qr.ENCODER.name, symbol.size, 'qrcode' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT,
        env=dict(os.environ), check=True,
    )  # fmt: skip
    return done.stdout.strip()


def test_the_encoder_is_chosen_at_import_and_qrcode_loads_only_as_the_fallback():
    assert _encoder_chosen_at_import(block_native=False) == "zxing-cpp 29 False"
    assert _encoder_chosen_at_import(block_native=True) == "qrcode 29 True"


# The order text before it was shortened (issue 18), to show that nothing is lost.
OLD_MESSAGES = {
    "id": "Halo, saya mau pesan {product} ({sku}), {price}.",
    "en": "Hello, I would like to order {product} ({sku}), {price}.",
}


@pytest.mark.parametrize("language", sorted(OLD_MESSAGES))
@pytest.mark.parametrize("content", [*PRODUCTS, replace(PRODUCTS[2], name="Keripik & Sambal")])
def test_shorter_order_link_keeps_everything_the_old_one_said(content: LabelContent, language):
    i18n.set_language(language)
    try:
        link = whatsapp_link(content)
        message_now = order_message(content)
    finally:
        i18n.set_language("id")
    product = " ".join(p for p in (content.name, content.variant) if p)
    old = OLD_MESSAGES[language].format(
        product=product, sku=content.sku, price=content.price_text()
    )
    old_link = f"https://wa.me/6281227001234?text={quote(old, safe='')}"
    assert len(link) < len(old_link) - 20
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "wa.me", "/6281227001234")
    (message,) = parse_qs(parts.query, strict_parsing=True)["text"]
    assert message == message_now
    for needed in (content.name, content.variant, f"({content.sku})", content.price_text()):
        assert needed in message
    assert message.index(content.name) < message.index(content.sku)
