"""Expired stock is never sold silently (issue 16, point 5).

A sale (or a sample) skips batches past their expiry date: fresh batches
first, then the loose pool. When only expired stock is left the sale is
refused, naming the product and batch, unless the seller allows it for that
sale; then its one audit row names the expired batches sold. On the expiry
day itself a batch still sells. Damage, stocktake and the write-off are not
sales and take expired batches as before.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from shopdesk import audit, i18n, sales, stock
from shopdesk.clock import local_today
from shopdesk.store.models import Movement, Sale
from tests.conftest import PIN_A
from tests.stock_factories import make_product


@pytest.fixture(autouse=True)
def english(seller):
    i18n.set_language("en")  # after the login, which sets the seller's language


def _today(seller) -> date:
    return local_today(seller.timezone)


def _sold(seller) -> list[tuple[str | None, int]]:
    return [(m.batch_code, m.quantity) for m in reversed(stock.history(seller, reason="sold"))]


def _expired_shop(seller, *, name="Keripik Balado") -> str:
    """A product whose batch OLD (3 units) expired five days ago."""
    sku = make_product(seller, name=name)
    stock.receive(
        seller,
        sku=sku,
        quantity=3,
        batch_code="OLD",
        produced_on=_today(seller) - timedelta(days=40),
        expires_on=_today(seller) - timedelta(days=5),
    )
    return sku


def test_a_sale_skips_an_expired_batch_for_a_fresh_one(seller):
    sku = _expired_shop(seller)
    later = _today(seller) + timedelta(days=30)
    stock.receive(seller, sku=sku, quantity=5, batch_code="NEW", expires_on=later)
    sales.record_sale(seller, lines=[(sku, 4)])
    assert _sold(seller) == [("NEW", -4)]
    assert stock.lot_on_hand(stock.lookup_variant(seller, sku).id, None) == 0


def test_a_sale_takes_loose_stock_before_an_expired_batch(seller):
    sku = _expired_shop(seller)
    stock.adjust(seller, sku=sku, quantity=2, note="found on the shelf")  # loose, no batch
    sales.record_sale(seller, lines=[(sku, 2)])
    assert _sold(seller) == [(None, -2)]
    assert [(b.code, b.on_hand) for b in stock.batches(seller, sku=sku)] == [("OLD", 3)]


def test_only_expired_stock_left_refuses_the_sale_and_changes_nothing(seller):
    sku = _expired_shop(seller)
    gula = make_product(seller, name="Gula Aren")
    stock.receive(seller, sku=gula, quantity=5)
    before = (Sale.select().count(), Movement.select().count(), len(audit.entries(seller)))
    with pytest.raises(stock.ExpiredStockError) as caught:
        sales.record_sale(seller, lines=[(gula, 1), (sku, 3)])
    expiry = (_today(seller) - timedelta(days=5)).strftime("%d-%m-%Y")
    message = caught.value.message
    assert f"Keripik Balado ({sku}), batch OLD, expired on {expiry}: 3 units" in message
    assert "Write the expired stock off" in message and "this once" in message
    assert [(lot.sku, lot.code, lot.units) for lot in caught.value.lots] == [(sku, "OLD", 3)]
    after = (Sale.select().count(), Movement.select().count(), len(audit.entries(seller)))
    assert after == before


def test_one_refusal_names_every_expired_batch_of_the_sale(seller):
    first = _expired_shop(seller, name="Keripik Balado")
    second = _expired_shop(seller, name="Sambal Roa")
    with pytest.raises(stock.ExpiredStockError) as caught:
        sales.record_sale(seller, lines=[(first, 1), (second, 2)])
    assert [(lot.product_name, lot.units) for lot in caught.value.lots] == [
        ("Keripik Balado", 1),
        ("Sambal Roa", 2),
    ]


def test_the_override_sells_it_and_the_audit_row_names_the_batch(seller):
    sku = _expired_shop(seller)
    sale = sales.record_sale(seller, lines=[(sku, 3)], allow_expired=True)
    assert _sold(seller) == [("OLD", -3)]
    rows = [e for e in audit.entries(seller) if e.action == "sale.record"]
    assert len(rows) == 1 and rows[0].data["number"] == sale.number
    expiry = str(_today(seller) - timedelta(days=5))
    assert rows[0].data["expired_batches"] == [
        {"sku": sku, "batch": "OLD", "expires_on": expiry, "units": 3}
    ]
    assert f"EXPIRED stock sold: OLD ({sku}, {expiry}, 3)" in rows[0].detail


def test_a_plain_sale_has_no_expired_field_in_its_audit_row(seller):
    sku = make_product(seller)
    stock.receive(seller, sku=sku, quantity=2)
    sales.record_sale(seller, lines=[(sku, 1)], allow_expired=True)
    row = next(e for e in audit.entries(seller) if e.action == "sale.record")
    assert "expired_batches" not in row.data


def test_on_its_expiry_day_a_batch_still_sells_and_the_day_after_not(seller):
    sku = make_product(seller)
    last_day = date(2030, 6, 15)
    stock.receive(seller, sku=sku, quantity=4, batch_code="JUNE", expires_on=last_day)
    # 23:30 in the shop (WIB, UTC+7) on the expiry day is still that day
    on_the_day = datetime.combine(last_day, time(16, 30))
    sales.record_sale(seller, lines=[(sku, 1)], at=on_the_day)
    assert _sold(seller) == [("JUNE", -1)]
    with pytest.raises(stock.ExpiredStockError, match="JUNE"):
        sales.record_sale(seller, lines=[(sku, 1)], at=on_the_day + timedelta(hours=1))


def test_stock_out_sold_or_sample_follows_the_rule_the_rest_does_not(seller):
    sku = _expired_shop(seller)
    stock.receive(seller, sku=sku, quantity=1, batch_code="OLDER", expires_on=date(2020, 1, 1))
    for reason in ("sold", "sample"):
        with pytest.raises(stock.ExpiredStockError, match="OLDER"):
            stock.remove(seller, sku=sku, quantity=1, reason=reason)
        with pytest.raises(stock.ExpiredStockError, match="OLD"):
            stock.remove(seller, sku=sku, quantity=1, reason=reason, batch_code="OLD")
    moves = stock.remove(seller, sku=sku, quantity=2, reason="sold", allow_expired=True)
    assert [(m.batch_code, m.quantity) for m in moves] == [("OLDER", -1), ("OLD", -1)]
    row = next(e for e in audit.entries(seller) if e.action == "stock.out")
    assert [b["batch"] for b in row.data["expired_batches"]] == ["OLDER", "OLD"]
    # not sales: damage, a stocktake correction and the write-off take expired batches
    damaged = stock.remove(seller, sku=sku, quantity=1, reason="damaged")
    assert [(m.batch_code, m.quantity) for m in damaged] == [("OLD", -1)]
    stock.receive(seller, sku=sku, quantity=2, batch_code="OLD")
    stock.adjust(seller, sku=sku, quantity=-1)
    assert [(b.code, b.on_hand) for b in stock.batches(seller, sku=sku)] == [("OLD", 2)]
    moves = stock.write_off_expired(seller)
    assert [(m.batch_code, m.quantity, m.reason) for m in moves] == [("OLD", -2, "expired")]
    assert stock.expired(seller) == []


def test_cli_refuses_with_the_way_out_and_allow_expired_sells(cli, seller):
    sku = _expired_shop(seller)
    code, out, err = cli(
        "--lang", "en", "sale", "record", f"{sku}:2", "--seller", "kopi", pin=PIN_A
    )
    assert code == 2 and out == ""
    assert "batch OLD" in err and "Keripik Balado" in err
    assert "batch write-off" in err and "--allow-expired" in err
    assert "Traceback" not in err and Sale.select().count() == 0
    code, out, _err = cli(
        "--lang",
        "en",
        "sale",
        "record",
        f"{sku}:2",
        "--allow-expired",
        "--seller",
        "kopi",
        pin=PIN_A,
    )
    assert code == 0 and "Sale 1" in out
    assert _sold(seller) == [("OLD", -2)]


def test_cli_stock_out_sold_has_the_same_rule(cli, seller):
    sku = _expired_shop(seller)
    argv = ("--lang", "en", "stock", "out", sku, "1", "--reason", "sold", "--seller", "kopi")
    code, _out, err = cli(*argv, pin=PIN_A)
    assert code == 2 and "batch OLD" in err and "--allow-expired" in err
    code, _out, _err = cli(*argv, "--allow-expired", pin=PIN_A)
    assert code == 0 and _sold(seller) == [("OLD", -1)]


def test_the_message_is_indonesian(seller):
    sku = _expired_shop(seller)
    i18n.set_language("id")
    with pytest.raises(stock.ExpiredStockError) as caught:
        sales.record_sale(seller, lines=[(sku, 1)])
    assert "kedaluwarsa" in caught.value.message and "OLD" in caught.value.message
