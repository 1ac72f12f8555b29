"""Sales through the ledger, voids, summaries in the shop's zone, exports read back."""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta, timezone

import openpyxl
import pytest

from shopdesk import i18n, reports, sales, stock
from shopdesk.errors import NotFoundError, ValidationError
from shopdesk.store.models import Movement, Sale
from tests.stock_factories import ean13, make_product


@pytest.fixture(autouse=True)
def english(home):
    i18n.set_language("en")


def test_sale_takes_stock_fefo_and_keeps_prices(seller):
    kopi = make_product(seller, price=35_000, cost=22_000)
    gula = make_product(seller, price=18_000, cost=11_000)
    stock.receive(seller, sku=kopi, quantity=2, batch_code="OLD", expires_on="2099-01-31")
    stock.receive(seller, sku=kopi, quantity=10, batch_code="NEW", expires_on="2099-12-31")
    stock.receive(seller, sku=gula, quantity=5)
    sale = sales.record_sale(
        seller,
        lines=[
            {"sku": kopi, "quantity": 3},
            sales.LineInput(gula, 2, "Rp 17.500", "1rb"),
        ],
        payment="QRIS",
        channel="whatsapp",
        note="Bu Ani",
    )
    assert (sale.number, sale.payment, sale.channel) == (1, "qris", "whatsapp")
    assert sale.total == 3 * 35_000 + 2 * 17_500 - 1_000
    assert sale.cost == 3 * 22_000 + 2 * 11_000
    moves = stock.history(seller, reason="sold")
    assert sorted((m.sku, m.batch_code, m.quantity) for m in moves) == sorted(
        [(kopi, "OLD", -2), (kopi, "NEW", -1), (gula, moves[0].batch_code, -2)]
    )
    assert all(m.sale_line_id for m in moves)
    assert sales.record_sale(seller, lines=[(gula, 1)]).number == 2


def test_a_refused_line_leaves_no_sale_and_no_movement(seller):
    kopi = make_product(seller)
    gula = make_product(seller)
    stock.receive(seller, sku=kopi, quantity=5)
    before = Movement.select().count()
    with pytest.raises(ValidationError, match="Only 0"):
        sales.record_sale(seller, lines=[(kopi, 1), (gula, 1)])
    with pytest.raises(NotFoundError):
        sales.record_sale(seller, lines=[(kopi, 1), ("NOPE", 1)])
    with pytest.raises(ValidationError, match="discount"):
        sales.record_sale(seller, lines=[(kopi, 1, 10_000, 20_000)])
    with pytest.raises(ValidationError, match="payment"):
        sales.record_sale(seller, lines=[(kopi, 1)], payment="bitcoin")
    with pytest.raises(ValidationError, match="channel"):
        sales.record_sale(seller, lines=[(kopi, 1)], channel="lazada")
    with pytest.raises(ValidationError, match="at least one line"):
        sales.record_sale(seller, lines=[])
    with pytest.raises(ValidationError):
        sales.record_sale(seller, lines=[(kopi, 1, "abc")])
    with pytest.raises(ValidationError):
        sales.record_sale(seller, lines=[(kopi, 2_000_000)])
    assert Movement.select().count() == before
    assert Sale.select().count() == 0
    sale = sales.record_sale(seller, lines=[(gula, 2)], allow_negative=True)
    assert stock.stock(seller, sku=gula).on_hand == -2
    assert sale.number == 1


def test_void_sale_puts_stock_back_once(seller):
    kopi = make_product(seller)
    stock.receive(seller, sku=kopi, quantity=5, batch_code="A")
    sale = sales.record_sale(seller, lines=[(kopi, 3)])
    (sold,) = stock.history(seller, reason="sold")
    with pytest.raises(ValidationError, match="void the sale"):
        stock.void_movement(seller, movement_id=sold.id)
    voided = sales.void_sale(seller, number=sale.number, reason="customer cancelled")
    assert voided.voided and voided.void_reason == "customer cancelled"
    assert stock.stock(seller, sku=kopi).on_hand == 5
    with pytest.raises(ValidationError, match="already voided"):
        sales.void_sale(seller, number=sale.number)
    with pytest.raises(ValidationError, match="already voided"):
        sales.void_sale(seller, number=f"#{sale.number}")
    with pytest.raises(NotFoundError):
        sales.void_sale(seller, number=99)
    assert stock.check(seller).ok
    assert sales.list_sales(seller, include_voided=False) == []


def test_summaries_use_the_shops_day_and_skip_voids(seller_b):
    shop = seller_b  # WITA: UTC+8
    madu = make_product(shop, price=50_000, cost=30_000)
    stock.receive(shop, sku=madu, quantity=100)
    # 2026-03-31 17:00 UTC is already 1 April 01:00 in WITA
    sales.record_sale(shop, lines=[(madu, 2)], at=datetime(2026, 3, 31, 17, 0))
    sales.record_sale(shop, lines=[(madu, 1)], at=datetime(2026, 3, 31, 15, 0))
    void = sales.record_sale(shop, lines=[(madu, 5)], at=datetime(2026, 4, 1, 3, 0))
    sales.void_sale(shop, number=void.number)
    day = reports.daily_summary(shop, day=date(2026, 4, 1))
    assert (day.sales, day.units, day.revenue, day.cost, day.margin) == (
        1,
        2,
        100_000,
        60_000,
        40_000,
    )
    assert [(p.sku, p.units) for p in day.products] == [(madu, 2)]
    march = reports.monthly_summary(shop, year=2026, month=3)
    assert (march.units, march.revenue) == (1, 50_000)
    assert march.first_day == date(2026, 3, 1) and march.last_day == date(2026, 3, 31)
    series = reports.daily_series(shop, days=30, today=date(2026, 4, 1))
    assert len(series) == 30 and series[-1].day == date(2026, 4, 1)
    assert (series[-1].sales, series[-1].revenue) == (1, 100_000)
    assert (series[-2].day, series[-2].units) == (date(2026, 3, 31), 1)
    assert sum(p.revenue for p in series) == 150_000
    with pytest.raises(ValidationError):
        reports.monthly_summary(shop, year=2026, month=13)


def test_stock_value_and_low_stock(seller):
    kopi = make_product(seller, price=35_000, cost=20_000, low_stock=5)
    gula = make_product(seller, price=10_000, cost=6_000, low_stock=5)
    teh = make_product(seller, price=10_000, cost=6_000)
    stock.receive(seller, sku=kopi, quantity=4)
    stock.receive(seller, sku=gula, quantity=10)
    stock.remove(seller, sku=teh, quantity=1, reason="sold", allow_negative=True)
    value = reports.stock_value(seller)
    assert (value.units, value.at_cost, value.at_price) == (14, 140_000, 240_000)
    assert [(r.sku, r.on_hand, r.threshold) for r in reports.low_stock(seller)] == [(kopi, 4, 5)]


def test_exports_read_back_with_text_codes(seller, tmp_path):
    kopi = make_product(seller, sku="0899-ABC", barcode=ean13("899123456789"))
    stock.receive(seller, sku=kopi, quantity=10, batch_code="0012")
    sale = sales.record_sale(seller, lines=[(kopi, 2, 15_000, 500)], payment="transfer")
    sales.void_sale(seller, number=sale.number)
    sales.record_sale(seller, lines=[(kopi, 1)])

    assert reports.export_movements(seller, tmp_path / "m.csv", "csv") == 4
    with open(tmp_path / "m.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["reason"] for r in rows] == ["received", "sold", "void", "sold"]
    assert rows[0]["batch"] == "0012" and rows[0]["sku"] == "0899-ABC"
    assert rows[2]["reverses"] == rows[1]["id"] and rows[1]["sale_number"] == "1"

    assert reports.export_sales(seller, tmp_path / "s.xlsx", "xlsx") == 2
    sheet = openpyxl.load_workbook(tmp_path / "s.xlsx").active
    header = [c.value for c in sheet[1]]
    first = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert first["sku"] == "0899-ABC" and sheet.cell(2, header.index("sku") + 1).data_type == "s"
    assert (first["quantity"], first["amount"], first["voided"]) == (2, 29_500, "yes")
    assert reports.export_movements(seller, tmp_path / "m.xlsx", "XLSX") == 4
    moves = openpyxl.load_workbook(tmp_path / "m.xlsx").active
    assert moves.cell(2, 5).value == "0012"  # batch code stays text
    with pytest.raises(ValidationError):
        reports.export_sales(seller, tmp_path / "s.pdf", "pdf")
    assert not list(tmp_path.glob(".*.tmp"))


def test_an_aware_time_is_stored_as_utc(seller_b):
    madu = make_product(seller_b)
    stock.receive(seller_b, sku=madu, quantity=5)
    wita = timezone(timedelta(hours=8))
    sale = sales.record_sale(
        seller_b, lines=[(madu, 1)], at=datetime(2026, 4, 1, 0, 30, tzinfo=wita)
    )
    assert sale.at == datetime(2026, 3, 31, 16, 30)
    assert reports.daily_summary(seller_b, day=date(2026, 4, 1)).units == 1
    assert sales.get_sale(seller_b, number=sale.number).at == sale.at


def test_exports_of_some_days_and_the_excel_row_limit(seller, tmp_path, monkeypatch):
    kopi = make_product(seller)
    stock.receive(seller, sku=kopi, quantity=10)
    for day in (1, 2, 3):  # 10:00 WIB each day
        sales.record_sale(seller, lines=[(kopi, 1)], at=datetime(2026, 5, day, 3, 0))
    path = tmp_path / "s.csv"
    assert reports.export_sales(seller, path, "csv", first_day=date(2026, 5, 2)) == 2
    assert (
        reports.export_sales(
            seller, path, "csv", first_day=date(2026, 5, 2), last_day=date(2026, 5, 2)
        )
        == 1
    )
    with pytest.raises(ValidationError):
        reports.export_sales(
            seller, path, "csv", first_day=date(2026, 5, 3), last_day=date(2026, 5, 1)
        )
    monkeypatch.setattr(reports, "XLSX_MAX_ROWS", 2)
    with pytest.raises(ValidationError, match="Excel"):
        reports.export_movements(seller, tmp_path / "m.xlsx", "xlsx")
    assert not (tmp_path / "m.xlsx").exists()
    assert reports.export_movements(seller, tmp_path / "m.csv", "csv") == 4
