"""QR payloads and barcodes: WhatsApp links, vCards, EAN-13 check digits, Code 128."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
import zxingcpp
from PIL import Image, ImageDraw

from shopdesk.errors import ValidationError
from shopdesk.labels.barcodes import (
    code128_bars,
    ean13_bars,
    ean13_check_digit,
    in_store_ean13,
    next_in_store_ean13,
    validate_ean13,
)
from shopdesk.labels.content import LabelContent
from shopdesk.labels.payloads import (
    normalize_phone,
    order_message,
    payload,
    product_info,
    shop_vcard,
    whatsapp_link,
)
from shopdesk.labels.qr import QrCache, encode
from shopdesk.validators import is_stored_mobile, normalize_whatsapp

from .helpers import PRODUCTS


@pytest.mark.parametrize(
    "raw", ["0812-2700-1234", "081227001234", "+62 812 2700 1234", "62812 2700 1234"]
)
def test_phone_numbers_are_normalised(raw):
    assert normalize_phone(raw) == "+6281227001234"


@pytest.mark.parametrize("raw", ["", "12", "0812", "hello", "+1 555"])
def test_bad_phone_numbers_are_refused_clearly(raw):
    with pytest.raises(ValidationError) as info:
        normalize_phone(raw)
    assert info.value.message


def test_a_stored_mobile_number_is_what_phonenumbers_makes_of_it():
    """The shortcut that spares a label sheet phonenumbers takes only numbers that
    phonenumbers itself calls valid and gives back unchanged; the rest still goes to it."""
    import random

    import phonenumbers

    draw = random.Random(18)
    numbers = [
        f"+628{draw.choice('12356789')}{draw.randrange(10**6, 10**7)}"
        + "".join(draw.choice("0123456789") for _ in range(draw.randrange(4)))
        for _ in range(300)
    ]
    for number in numbers:
        assert is_stored_mobile(number), number
        parsed = phonenumbers.parse(number, "ID")
        assert phonenumbers.is_valid_number(parsed), number
        assert phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) == number
        assert normalize_phone(number) == normalize_whatsapp(number) == number
    for other in ["+62812", "+6284123456789", "+62 812 2700 1234", "+6221123456", "0812270012"]:
        assert not is_stored_mobile(other), other
    assert normalize_whatsapp("+62 21 5790 0000") == "+622157900000"  # a landline: parsed


def test_a_label_of_a_shop_with_its_stored_number_loads_no_phonenumbers():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from shopdesk.labels.content import LabelContent\n"
        "from shopdesk.labels.payloads import KINDS, payload\n"
        "content = LabelContent(sku='K1', name='Kopi', price=35000, shop_name='Sindoro',\n"
        "    whatsapp='+6281227001234', listing_url='https://kopi.example/k1')\n"
        "print([payload(kind, content)[:18] for kind in KINDS])\n"
        "print('phonenumbers' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "False", done.stdout


def test_whatsapp_link_carries_product_sku_and_price():
    content = PRODUCTS[1]
    link = whatsapp_link(content)
    assert link.startswith("https://wa.me/6281227001234?text=")
    text = link.split("?text=", 1)[1]
    message = unquote(text)
    assert message == order_message(content)
    for part in ("Gula Aren Cetak", "Batok kecil", "GULA-0001", "Rp 25.000"):
        assert part in message


def test_missing_whatsapp_number_is_a_clear_error():
    content = LabelContent(sku="X1", name="Tanpa nomor")
    with pytest.raises(ValidationError) as info:
        payload("whatsapp", content)
    assert "WhatsApp" in info.value.message


def test_product_info_and_vcard():
    info = product_info(PRODUCTS[0])
    assert info.splitlines()[0] == "Kopi Robusta Temanggung Bubuk"
    assert "Rp 35.000" in info and "KR2611A" in info and "11-2027" in info
    card = shop_vcard(
        LabelContent(sku="a", name="b", shop_name="Toko; Sari", whatsapp="081227001234")
    )
    assert card.splitlines()[0] == "BEGIN:VCARD" and "FN:Toko\\; Sari" in card
    assert "TEL;TYPE=CELL:+6281227001234" in card and card.endswith("END:VCARD")


def test_listing_payload_needs_an_https_address():
    with pytest.raises(ValidationError):
        payload("listing", LabelContent(sku="a", name="b", listing_url="ftp://x"))
    with pytest.raises(ValidationError):
        payload("listing", LabelContent(sku="a", name="b"))
    with pytest.raises(ValidationError):
        payload("nonsense", LabelContent(sku="a", name="b"))


def test_qr_is_encoded_once_per_payload():
    cache = QrCache()
    first = cache.get("https://example.com/a")
    assert cache.get("https://example.com/a") is first
    cache.get("https://example.com/b")
    assert cache.encoded == 2


def _draw(runs, size, scale=6, quiet=4):
    side = (size + 2 * quiet) * scale
    image = Image.new("L", (side, side), 255)
    draw = ImageDraw.Draw(image)
    for row, col, length in runs:
        x, y = (col + quiet) * scale, (row + quiet) * scale
        draw.rectangle([x, y, x + length * scale - 1, y + scale - 1], fill=0)
    return image


def test_qr_runs_decode_to_the_payload():
    text = "Kopi Robusta\nHarga: Rp 35.000\nBaik digunakan sebelum: 11-2027"
    symbol = encode(text)
    (result,) = zxingcpp.read_barcodes(_draw(symbol.runs, symbol.size))
    assert result.text == text


def test_ean13_check_digits():
    assert ean13_check_digit("899100000001") == int(validate_ean13("8991000000010")[-1])
    assert validate_ean13("2000000000015") == "2000000000015"
    assert validate_ean13(" 2000000 000015 ") == "2000000000015"
    with pytest.raises(ValidationError) as info:
        validate_ean13("2000000000016")
    assert "5" in info.value.message
    for bad in ("", "123", "20000000000a5", "20000000000155"):
        with pytest.raises(ValidationError):
            validate_ean13(bad)


def test_in_store_numbers_start_with_2_and_never_899():
    codes = next_in_store_ean13(["2000000000015", "8991000000010", "", "2000000000046"], 3)
    assert codes == [in_store_ean13(5), in_store_ean13(6), in_store_ean13(7)]
    for code in codes:
        assert code.startswith("20") and validate_ean13(code) == code
    with pytest.raises(ValidationError):
        in_store_ean13(0)


def _bars_image(bars, scale=4, height=80):
    width = bars.total_modules * scale
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    for start, length in bars.runs:
        x = (bars.quiet_left + start) * scale
        draw.rectangle([x, 10, x + length * scale - 1, height - 10], fill=0)
    return image


@pytest.mark.parametrize("code", ["2000000000015", "8991000000010", "4006381333931"])
def test_ean13_bars_decode(code):
    (result,) = zxingcpp.read_barcodes(_bars_image(ean13_bars(code)))
    assert result.text == code


@pytest.mark.parametrize("sku", ["K0001", "KOPI-0001", "12345678", "a/b.c-1"])
def test_code128_bars_decode(sku):
    (result,) = zxingcpp.read_barcodes(_bars_image(code128_bars(sku)))
    assert result.text == sku


def test_code128_refuses_what_it_cannot_encode():
    for bad in ("", "kopi\x00", "kópi"):
        with pytest.raises(ValidationError):
            code128_bars(bad)


@pytest.mark.parametrize("sku", ["KOPI-0001", "KRPK-0001-BAL", "12345678", "a/b.c-1"])
def test_both_code128_encoders_give_codes_that_decode_to_the_sku(sku):
    from shopdesk.labels.barcodes import native_code128, reportlab_code128

    for pattern in (native_code128(sku), reportlab_code128(sku)):
        assert pattern is not None and pattern.startswith("11") and pattern.endswith("11")
        image = _pattern_image(pattern)
        (result,) = zxingcpp.read_barcodes(image)
        assert result.text == sku


def _pattern_image(pattern: str) -> Image.Image:
    quiet = "0" * 10
    row = bytes(0 if bit == "1" else 255 for bit in quiet + pattern + quiet)
    image = Image.frombytes("L", (len(row), 1), row)
    return image.resize((len(row) * 3, 60), Image.Resampling.NEAREST)


def test_a_code128_label_loads_no_reportlab_graphics():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from shopdesk.labels.barcodes import code128_bars\n"
        "code128_bars('KOPI-0001')\n"
        "print([m for m in sys.modules if m.startswith('reportlab.graphics')])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
