"""Receipts of a sale (issue 19): a 58 mm roll and an A6 PDF read back with
pypdfium2, and the WhatsApp receipt text with the items, total, paid and kasbon."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pypdfium2 as pdfium
import pytest

from shopdesk import debts, i18n, sales, stock
from shopdesk.errors import ValidationError
from shopdesk.receipts import content, pdf, whatsapp
from tests.stock_factories import make_product

MM = 72 / 25.4


@pytest.fixture(autouse=True)
def english(home):
    i18n.set_language("en")


@pytest.fixture
def credit_sale(seller):
    sku = make_product(seller, name="Kopi Robusta Temanggung Bubuk 250 g Petik Merah", price=31_500)
    stock.receive(seller, sku=sku, quantity=20)
    sri = debts.add_customer(seller, name="Bu Sri", whatsapp="081227009999")
    sale = sales.record_sale(
        seller, lines=[(sku, 2, None, 0)], paid=50_000, customer=sri.id, note="titip"
    )
    debts.record_payment(seller, customer=sri.id, amount=3_000)
    return sale


def _text(data: bytes) -> tuple[list[tuple[float, float]], str]:
    document = pdfium.PdfDocument(data)
    sizes = [page.get_size() for page in document]
    text = "\n".join(page.get_textpage().get_text_range() for page in document)
    return sizes, text


@pytest.mark.parametrize("paper", ["58mm", "a6"])
def test_receipt_pdf_holds_the_lines_total_paid_and_kasbon(seller, credit_sale, paper, tmp_path):
    receipt = content.receipt_for(seller, number=credit_sale.number)
    path = pdf.write_receipt(receipt, tmp_path / f"r-{paper}.pdf", paper)
    sizes, text = _text(path.read_bytes())
    if paper == "58mm":
        assert len(sizes) == 1 and round(sizes[0][0] / MM) == 58 and sizes[0][1] > 60 * MM
    else:
        assert [tuple(round(v / MM) for v in size) for size in sizes] == [(105, 148)]
    flat = " ".join(text.split())
    expected = ["Kopi Sindoro", "Receipt no. 1", "Customer: Bu Sri", "Rp 63.000", "Rp 50.000"]
    expected += ["Kasbon Rp 13.000", "Kasbon left Rp 10.000", "Petik Merah"]
    for part in expected:
        assert part in flat, (part, flat)


def test_a_long_sale_on_a6_goes_on_more_pages(seller):
    skus = [make_product(seller, name=f"Keripik {n}", price=1_000 + n) for n in range(40)]
    for sku in skus:
        stock.receive(seller, sku=sku, quantity=2)
    sale = sales.record_sale(seller, lines=[(sku, 1) for sku in skus])
    data = pdf.render(content.receipt_for(seller, number=sale.number), "a6")
    sizes, text = _text(data)
    assert len(sizes) > 1 and "Keripik 39" in text and "Thank you!" in text


def test_an_unknown_paper_is_refused(seller, credit_sale, tmp_path):
    receipt = content.receipt_for(seller, number=credit_sale.number)
    with pytest.raises(ValidationError, match="not a receipt paper"):
        pdf.write_receipt(receipt, tmp_path / "x.pdf", "a4")
    assert not (tmp_path / "x.pdf").exists()


def test_whatsapp_receipt_goes_to_the_customer_with_paid_and_kasbon(seller, credit_sale):
    receipt = content.receipt_for(seller, number=credit_sale.number)
    link = whatsapp.receipt_link(receipt)
    assert link.startswith("https://wa.me/6281227009999?text=")
    text = parse_qs(urlparse(link).query)["text"][0]
    assert "Total: Rp 63.000" in text and "Paid: Rp 50.000" in text
    assert "Kasbon left: Rp 10.000" in text and " x Rp 31.500 = Rp 63.000" in text


def test_a_receipt_without_customer_opens_any_chat(seller):
    sku = make_product(seller, price=5_000)
    stock.receive(seller, sku=sku, quantity=2)
    sale = sales.record_sale(seller, lines=[(sku, 1)])
    receipt = content.receipt_for(seller, number=sale.number)
    assert whatsapp.receipt_link(receipt).startswith("https://wa.me/?text=")
    assert "Kasbon" not in whatsapp.receipt_text(receipt)


def test_another_shops_sale_has_no_receipt(seller, seller_b, credit_sale):
    from shopdesk.errors import NotFoundError

    with pytest.raises(NotFoundError):
        content.receipt_for(seller_b, number=credit_sale.number)


def test_cli_sale_receipt_pdf_and_whatsapp(cli, seller, credit_sale, tmp_path):
    from tests.conftest import PIN_A

    target = tmp_path / "nota.pdf"
    code, out, err = cli(
        "--lang", "en", "sale", "receipt", "1", "-o", target, "--paper", "a6", "--whatsapp",
        "--seller", "kopi", pin=PIN_A,
    )  # fmt: skip
    assert code == 0, err
    assert "Receipt written to" in out and "https://wa.me/6281227009999?text=" in out
    assert "Kasbon left: Rp 10.000" in out
    assert "Rp 63.000" in _text(target.read_bytes())[1]
    code, _out, err = cli(
        "--lang", "en", "sale", "receipt", "1", "-o", tmp_path / "x.pdf", "--paper", "A4",
        "--seller", "kopi", pin=PIN_A,
    )  # fmt: skip
    assert code == 2 and "not a receipt paper" in err and not (tmp_path / "x.pdf").exists()
