"""WhatsApp orders (issue 15, point 5): the text ShopDesk's own WhatsApp QR codes
produce, pasted into the cashier, fills the cart; and the CLI for both kinds
of orders coming back."""

from __future__ import annotations

from pathlib import Path

import pytest

from shopdesk import i18n, orders, sales, stock
from shopdesk.errors import ValidationError
from shopdesk.labels.content import LabelContent
from shopdesk.labels.payloads import order_message, whatsapp_link
from tests.conftest import PIN_A
from tests.stock_factories import make_product

FIXTURES = Path(__file__).parent / "fixtures" / "orders"


@pytest.fixture
def shop(seller):
    make_product(seller, sku="KOPI-0001", name="Kopi Robusta", price=15000)
    make_product(seller, sku="GULA-0001", name="Gula Aren", price=25000)
    for sku in ("KOPI-0001", "GULA-0001"):
        stock.receive(seller, sku=sku, quantity=10)
    i18n.set_language("en")
    return seller


def _label(sku: str, name: str, price: int, variant: str = "") -> LabelContent:
    return LabelContent(sku=sku, name=name, variant=variant, price=price, whatsapp="081227001234")


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_labels_own_messages_fill_the_cart(shop, language):
    i18n.set_language(language)
    text = "\n".join(
        [
            "Halo kak, saya mau pesan:",
            order_message(_label("KOPI-0001", "Kopi Robusta", 15000, "250 g")),
            order_message(_label("GULA-0001", "Gula Aren (cetak)", 25000)),
            order_message(_label("KOPI-0001", "Kopi Robusta", 15000, "250 g")),
            "Terima kasih",
        ]
    )
    cart = orders.read_whatsapp_order(shop, text)
    assert [(li.sku, li.quantity, li.price) for li in cart.lines] == [
        ("KOPI-0001", 2, 15000),
        ("GULA-0001", 1, 25000),
    ]
    assert cart.notes == ()


def test_the_pasted_link_works_too(shop):
    link = whatsapp_link(_label("GULA-0001", "Gula Aren", 25000))
    cart = orders.read_whatsapp_order(shop, link)
    assert [(li.sku, li.quantity) for li in cart.lines] == [("GULA-0001", 1)]


def test_quantities_unknown_skus_and_other_prices_are_named(shop):
    text = (
        "Pesan 3x Kopi Robusta (KOPI-0001), Rp 15.000\n"
        "Pesan Gula Aren (GULA-0001), Rp 20.000 x2\n"
        "Pesan Teh Hijau (TEH-0009), Rp 12.000"
    )
    cart = orders.read_whatsapp_order(shop, text)
    assert [(li.sku, li.quantity, li.price) for li in cart.lines] == [
        ("KOPI-0001", 3, 15000),
        ("GULA-0001", 2, 25000),  # today's price, not the message's
    ]
    assert any("TEH-0009" in n for n in cart.notes)
    assert any("GULA-0001" in n and "20.000" in n for n in cart.notes)


def test_text_without_an_order_is_refused(shop):
    with pytest.raises(ValidationError):
        orders.read_whatsapp_order(shop, "halo kak, masih ada?")


def test_the_cart_records_a_whatsapp_sale(shop):
    cart = orders.read_whatsapp_order(shop, "Pesan Kopi Robusta (KOPI-0001), Rp 15.000")
    sale = orders.record_whatsapp_order(shop, cart)
    assert (sale.channel, sale.total) == ("whatsapp", 15000)
    assert stock.stock(shop, sku="KOPI-0001").on_hand == 9


def test_another_shops_sku_is_unknown_here(shop, seller_b):
    make_product(seller_b, sku="MADU-0001", price=50000)
    cart = orders.read_whatsapp_order(shop, "Pesan Madu (MADU-0001), Rp 50.000")
    assert cart.lines == () and any("MADU-0001" in n for n in cart.notes)


def test_cli_orders_import_preview_then_apply_then_again(shop, cli):
    path = FIXTURES / "shopee_orders.xlsx"
    code, out, _err = cli("orders", "import", str(path), "--preview", "--seller", "kopi", pin=PIN_A)
    assert code == 0 and "2412010A1B2C02" in out and not sales.list_sales(shop)
    code, out, _err = cli("orders", "import", str(path), "--apply", "--seller", "kopi", pin=PIN_A)
    assert code == 0
    assert len(sales.list_sales(shop)) == 3
    code, out, _err = cli("orders", "import", str(path), "--apply", "--seller", "kopi", pin=PIN_A)
    assert code == 0 and len(sales.list_sales(shop)) == 3


def test_cli_orders_whatsapp_records(shop, cli):
    code, _out, _err = cli(
        "orders", "whatsapp", "Pesan 2x Kopi (KOPI-0001), Rp 15.000", "--record",
        "--seller", "kopi", pin=PIN_A,
    )  # fmt: skip
    assert code == 0
    assert [s.channel for s in sales.list_sales(shop)] == ["whatsapp"]
