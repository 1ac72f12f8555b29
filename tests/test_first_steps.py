"""A new shop's first steps (issue 16, point 7): read from what the shop holds."""

from __future__ import annotations

from shopdesk import first_steps, i18n, sales, stock
from shopdesk.labels.service import PrintRequest, prepare_print, write_print
from tests.conftest import PIN_A
from tests.stock_factories import make_product


def test_steps_follow_the_shop_and_hide_after_the_first_sale(seller, tmp_path):
    steps = first_steps.first_steps(seller)
    assert steps.done == frozenset() and steps.next == first_steps.PRODUCT and steps.shown
    sku = make_product(seller, price=15_000)
    assert first_steps.first_steps(seller).next == first_steps.STOCK
    stock.receive(seller, sku=sku, quantity=5)
    assert first_steps.first_steps(seller).next == first_steps.LABEL
    job = prepare_print(seller, PrintRequest(skus=(sku,), design_id="qr-sticker"))
    write_print(seller, job, tmp_path / "labels.pdf")
    write_print(seller, job, tmp_path / "again.pdf")  # marked once, not again
    assert first_steps.first_steps(seller).next == first_steps.SALE
    sales.record_sale(seller, lines=[(sku, 1)])
    steps = first_steps.first_steps(seller)
    assert steps.next is None and not steps.shown


def test_hidden_steps_stay_hidden_and_other_shops_are_apart(seller, seller_b):
    make_product(seller_b)
    assert first_steps.first_steps(seller).next == first_steps.PRODUCT  # B's product is B's
    first_steps.hide(seller)
    assert not first_steps.first_steps(seller).shown
    assert first_steps.first_steps(seller_b).shown


def test_whoami_names_the_next_step(cli, seller):
    i18n.set_language("en")
    code, out, _err = cli("--lang", "en", "whoami", "--seller", "kopi", pin=PIN_A)
    assert code == 0 and "Next first step: Add a product" in out
