"""Cash received against the total: short refuses, far above asks, the change (issue 16)."""

from __future__ import annotations

import pytest

from shopdesk import i18n, sales, stock
from shopdesk.errors import ValidationError
from shopdesk.store.models import Movement, Sale
from tests.conftest import PIN_A
from tests.stock_factories import make_product


@pytest.fixture(autouse=True)
def english(home):
    i18n.set_language("en")


@pytest.mark.parametrize(
    ("total", "paid", "short", "change", "suspicious"),
    [
        (63_000, 50_000, 13_000, 0, False),
        (50_000, "50rb", 0, 0, False),
        (50_000, "100rb", 0, 50_000, False),
        (5_000, 100_000, 0, 95_000, False),  # a big note for a small sale is ordinary
        (50_000, "500rb", 0, 450_000, True),  # 500rb typed for 50rb
        (20_000, 200_000, 0, 180_000, True),  # ten times and Rp 180.000 over
        (20_000, 199_999, 0, 179_999, False),  # just under ten times
        (11_000, 110_000, 0, 99_000, False),  # ten times but under Rp 100.000 over
    ],
)
def test_check_cash(total, paid, short, change, suspicious):
    check = sales.check_cash(total, paid)
    assert (check.short, check.change, check.suspicious) == (short, change, suspicious)


def test_check_cash_refuses_bad_text():
    with pytest.raises(ValidationError, match="Cash received"):
        sales.check_cash(10_000, "lima puluh")


def test_short_cash_records_nothing_enough_cash_records(seller):
    sku = make_product(seller, price=63_000)
    stock.receive(seller, sku=sku, quantity=5)
    moves = Movement.select().count()
    with pytest.raises(ValidationError, match=r"Rp 13\.000 short"):
        sales.record_sale(seller, lines=[(sku, 1)], cash="50rb")
    assert Sale.select().count() == 0 and Movement.select().count() == moves
    with pytest.raises(ValidationError, match="far above"):
        sales.record_sale(seller, lines=[(sku, 1)], cash="1jt")
    assert Sale.select().count() == 0
    sale = sales.record_sale(seller, lines=[(sku, 1)], cash="1jt", confirm_cash=True)
    assert sale.total == 63_000
    assert sales.record_sale(seller, lines=[(sku, 1)], cash=70_000).number == 2
    with pytest.raises(ValidationError, match="cash payments only"):
        sales.record_sale(seller, lines=[(sku, 1)], payment="qris", cash=70_000)
    assert Sale.select().count() == 2


def run(cli, *argv):
    return cli("--lang", "en", *argv, "--seller", "kopi", pin=PIN_A)


def test_cli_sale_record_cash(cli, seller):
    sku = make_product(seller, sku="KOPI-0001", price=63_000)
    stock.receive(seller, sku=sku, quantity=5)
    code, _out, err = run(cli, "sale", "record", f"{sku}:1", "--cash", "50rb")
    assert code == 2 and "Rp 13.000 short" in err
    code, _out, err = run(cli, "sale", "record", f"{sku}:1", "--cash", "1jt")
    assert code == 2 and "far above" in err
    assert Sale.select().count() == 0
    code, out, _err = run(cli, "sale", "record", f"{sku}:1", "--cash", "100rb")
    assert code == 0 and "Change to give: Rp 37.000" in out
    code, out, _err = run(cli, "sale", "record", f"{sku}:1", "--cash", "1jt", "--confirm-cash")
    assert code == 0 and "Change to give: Rp 937.000" in out


def test_paid_now_by_qris_has_no_change_and_its_own_words():
    part = sales.CashCheck(63_000, 40_000, "qris")
    assert (part.short, part.change, part.over, part.suspicious) == (23_000, 0, False, False)
    assert "QRIS" in part.short_message() and "cash" not in part.short_message()
    above = sales.CashCheck(63_000, 700_000, "transfer")
    assert (above.change, above.over, above.suspicious) == (0, True, False)
    assert "more than the total" in above.over_message()
    assert sales.CashCheck(63_000, 700_000).suspicious  # cash still asks, as before
