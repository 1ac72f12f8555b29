"""Orders come back (issue 15, point 4): marketplace order exports, read from
real XLSX and CSV files built from each format's documented headers
(tests/fixtures/orders/README.md), previewed row by row, then applied all or
nothing: completed and paid orders become sales with their channel and order
number, cancelled and unpaid ones are listed, returns come back into stock,
unknown SKUs are listed with nothing written, and a second import changes nothing."""

from __future__ import annotations

import csv
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from shopdesk import audit, i18n, orders, sales, stock
from shopdesk.clock import local_today
from shopdesk.errors import ValidationError
from shopdesk.store.models import Movement, Sale
from tests.stock_factories import make_product

FIXTURES = Path(__file__).parent / "fixtures" / "orders"


@pytest.fixture(autouse=True)
def english(seller):
    i18n.set_language("en")


@pytest.fixture
def shop(seller):
    """KOPI-0001 and GULA-0001, ten of each."""
    for sku, name, price in (
        ("KOPI-0001", "Kopi Robusta", 15000),
        ("GULA-0001", "Gula Aren", 25000),
    ):
        make_product(seller, sku=sku, name=name, price=price)
        stock.receive(seller, sku=sku, quantity=10)
    return seller


def _on_hand(seller, sku: str) -> int:
    return stock.stock(seller, sku=sku).on_hand


def _state(seller) -> tuple:
    moves = Movement.select().where(Movement.shop == seller.shop_id).count()
    rows = [
        (s.number, s.channel, s.external_order, s.total, s.voided_at is None) for s in Sale.select()
    ]
    return moves, rows, _on_hand(seller, "KOPI-0001"), _on_hand(seller, "GULA-0001")


def _actions(preview) -> dict[str, str]:
    return {f"{r.line}": r.action for r in preview.rows}


def test_the_fixtures_carry_the_documented_headers():
    sheet = load_workbook(FIXTURES / "shopee_orders.xlsx", read_only=True).active
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    for name in (
        "No. Pesanan",
        "Status Pesanan",
        "Nomor Referensi SKU",
        "Jumlah",
        "Returned quantity",
        "Harga Setelah Diskon",
        "Waktu Pesanan Dibuat",
    ):
        assert name in header
    with (FIXTURES / "shopify_orders.csv").open(encoding="utf-8") as handle:
        assert {"Name", "Financial Status", "Lineitem sku", "Cancelled at"} <= set(
            next(csv.reader(handle))
        )


def test_shopee_preview_lists_every_row_and_writes_nothing(shop):
    before = _state(shop)
    preview = orders.preview_orders(shop, FIXTURES / "shopee_orders.xlsx")
    assert preview.format == "shopee" and preview.channel == "shopee"
    assert _actions(preview) == {
        "2": "record",
        "3": "record",
        "4": "cancelled",
        "5": "record",
        "6": "waiting",
        "7": "unknown",
        "8": "unknown",
        "9": "record",
    }
    assert preview.orders(orders.CANCELLED_SKIP) == ["2412010A1B2C02"]
    assert preview.orders(orders.UNKNOWN_SKU) == ["2412010A1B2C05"]
    assert any("TEH-0009" in m for r in preview.rows for m in r.messages)
    assert _state(shop) == before


def test_shopee_apply_records_sales_returns_and_is_idempotent(shop):
    result = orders.apply_orders(shop, FIXTURES / "shopee_orders.xlsx")
    assert result.recorded == 3 and result.returned_units == 1 and result.voided == 0
    assert result.backup  # a backup before the import
    assert _on_hand(shop, "KOPI-0001") == 10 - 2 - 2 + 1
    assert _on_hand(shop, "GULA-0001") == 10 - 1 - 3
    made = {s.external_order: s for s in sales.list_sales(shop)}
    assert set(made) == {"2412010A1B2C01", "2412010A1B2C03", "2412010A1B2C06"}
    first = made["2412010A1B2C01"]
    assert first.channel == "shopee" and first.payment == "marketplace"
    assert first.total == 2 * 14000 + 25000
    assert [(line.sku, line.quantity) for line in first.lines] == [
        ("KOPI-0001", 2),
        ("GULA-0001", 1),
    ]
    # the order's time, written in the shop's zone (WIB), is kept in UTC
    assert (first.at.hour, first.at.minute) == (2, 15)
    after = _state(shop)
    again = orders.apply_orders(shop, FIXTURES / "shopee_orders.xlsx")
    assert (again.recorded, again.returned_units, again.voided) == (0, 0, 0)
    assert again.backup == ""  # nothing to do: no backup either
    assert _state(shop) == after
    imports = [e for e in audit.entries(shop) if e.action == "import.orders"]
    assert len(imports) == 1  # and no second audit row
    assert {
        r.action for r in orders.preview_orders(shop, FIXTURES / "shopee_orders.xlsx").rows
    } == {"unchanged", "cancelled", "waiting", "unknown"}


def test_an_unpaid_order_is_recorded_once_when_paid_and_never_again(shop, tmp_path):
    path = tmp_path / "orders.xlsx"
    shutil.copy(FIXTURES / "shopee_orders.xlsx", path)
    orders.apply_orders(shop, path)
    book = load_workbook(path)
    book.active["B6"] = "Perlu Dikirim"  # 2412010A1B2C04 was paid meanwhile
    book.save(path)
    assert orders.apply_orders(shop, path).recorded == 1
    kopi = _on_hand(shop, "KOPI-0001")
    book.active["B6"] = "Selesai"  # then completed: nothing more
    book.save(path)
    assert orders.apply_orders(shop, path).recorded == 0
    assert _on_hand(shop, "KOPI-0001") == kopi


def test_a_return_that_grows_later_comes_back_only_for_the_difference(shop, tmp_path):
    path = tmp_path / "orders.xlsx"
    shutil.copy(FIXTURES / "shopee_orders.xlsx", path)
    orders.apply_orders(shop, path)
    kopi = _on_hand(shop, "KOPI-0001")
    book = load_workbook(path)
    book.active["T9"] = 2  # Returned quantity of 2412010A1B2C06 went from 1 to 2
    book.save(path)
    preview = orders.preview_orders(shop, path)
    assert _actions(preview)["9"] == "return"
    assert orders.apply_orders(shop, path).returned_units == 1
    assert _on_hand(shop, "KOPI-0001") == kopi + 1


def test_an_order_cancelled_after_it_was_recorded_is_voided_once(shop, tmp_path):
    path = tmp_path / "orders.xlsx"
    shutil.copy(FIXTURES / "shopee_orders.xlsx", path)
    orders.apply_orders(shop, path)
    book = load_workbook(path)
    book.active["B5"] = "Batal"  # 2412010A1B2C03 (GULA x3) cancelled after payment
    book.save(path)
    assert _actions(orders.preview_orders(shop, path))["5"] == "void"
    assert orders.apply_orders(shop, path).voided == 1
    assert _on_hand(shop, "GULA-0001") == 10 - 1
    assert orders.apply_orders(shop, path).voided == 0


def test_voiding_a_sale_with_returns_restores_only_what_was_not_back(shop):
    orders.apply_orders(shop, FIXTURES / "shopee_orders.xlsx")
    sale = next(s for s in sales.list_sales(shop) if s.external_order == "2412010A1B2C06")
    kopi = _on_hand(shop, "KOPI-0001")
    sales.void_sale(shop, number=sale.number)
    assert _on_hand(shop, "KOPI-0001") == kopi + 1  # 2 sold, 1 came back already


@pytest.mark.parametrize(
    ("name", "channel", "kopi", "gula", "recorded"),
    [
        ("tiktok_orders.csv", "tiktok", 10 - 3 - 2 + 2, 10 - 2, 3),
        ("shopify_orders.csv", "shopify", 10 - 1, 10 - 2, 1),
        ("woocommerce_orders.csv", "woocommerce", 10 - 2 - 1 + 1, 10 - 1, 3),
    ],
)
def test_each_format_is_detected_applied_and_idempotent(shop, name, channel, kopi, gula, recorded):
    result = orders.apply_orders(shop, FIXTURES / name)
    assert result.preview.channel == channel
    assert result.recorded == recorded
    assert (_on_hand(shop, "KOPI-0001"), _on_hand(shop, "GULA-0001")) == (kopi, gula)
    assert {s.channel for s in sales.list_sales(shop)} == {channel}
    after = _state(shop)
    orders.apply_orders(shop, FIXTURES / name)
    assert _state(shop) == after


def test_discounts_of_tiktok_and_woocommerce_lines_are_kept(shop):
    orders.apply_orders(shop, FIXTURES / "tiktok_orders.csv")
    sale = next(s for s in sales.list_sales(shop) if s.external_order == "579001122334455")
    assert (sale.lines[0].unit_price, sale.lines[0].discount, sale.total) == (15000, 3000, 42000)


def test_a_bad_cell_names_row_and_column_and_nothing_is_written(shop, tmp_path):
    path = tmp_path / "orders.xlsx"
    shutil.copy(FIXTURES / "shopee_orders.xlsx", path)
    book = load_workbook(path)
    book.active["S5"] = "tiga"  # Jumlah of row 5
    book.save(path)
    before = _state(shop)
    with pytest.raises(ValidationError) as caught:
        orders.apply_orders(shop, path)
    assert "row 5" in caught.value.message and "“Jumlah”" in caught.value.message
    assert "Nothing was imported" in caught.value.message
    assert _state(shop) == before


def test_a_file_that_is_no_order_export_gets_a_clear_message(shop, tmp_path):
    path = tmp_path / "products.csv"
    path.write_text("sku,name,price\nKOPI-0001,Kopi,15000\n", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        orders.preview_orders(shop, path)
    assert "not an order export" in caught.value.message


def test_short_stock_is_shown_and_refused_unless_allowed(shop, tmp_path):
    stock.remove(shop, sku="GULA-0001", quantity=9, reason="damaged")
    preview = orders.preview_orders(shop, FIXTURES / "shopee_orders.xlsx")
    assert any("short" in m for r in preview.rows if r.sku == "GULA-0001" for m in r.messages)
    before = _state(shop)
    with pytest.raises(ValidationError) as caught:
        orders.apply_orders(shop, FIXTURES / "shopee_orders.xlsx")
    assert "2412010A1B2C0" in caught.value.message
    assert _state(shop) == before
    orders.apply_orders(shop, FIXTURES / "shopee_orders.xlsx", allow_negative=True)
    assert _on_hand(shop, "GULA-0001") == 1 - 4


def test_expired_stock_is_refused_for_the_whole_file_unless_allowed(seller):
    # expired before the orders of the file were placed (1 to 3 December 2026)
    for sku in ("KOPI-0001", "GULA-0001"):
        make_product(seller, sku=sku)
        stock.receive(
            seller, sku=sku, quantity=10, batch_code="OLD",
            produced_on=date(2026, 9, 1), expires_on=date(2026, 11, 30),
        )  # fmt: skip
    before = _state(seller)
    with pytest.raises(stock.ExpiredStockError) as caught:
        orders.apply_orders(seller, FIXTURES / "shopee_orders.xlsx")
    assert {lot.sku for lot in caught.value.lots} == {"KOPI-0001", "GULA-0001"}
    assert _state(seller) == before
    orders.apply_orders(seller, FIXTURES / "shopee_orders.xlsx", allow_expired=True)
    assert _on_hand(seller, "GULA-0001") == 6


def test_fefo_takes_the_batch_that_expires_first_and_returns_go_back_to_it(shop):
    today = local_today(shop.timezone)
    stock.remove(shop, sku="KOPI-0001", quantity=10, reason="damaged")
    stock.receive(
        shop, sku="KOPI-0001", quantity=5, batch_code="LATE", expires_on=today + timedelta(days=90)
    )
    stock.receive(
        shop, sku="KOPI-0001", quantity=5, batch_code="SOON", expires_on=today + timedelta(days=10)
    )
    orders.apply_orders(shop, FIXTURES / "shopee_orders.xlsx")
    batches = {b.code: b.on_hand for b in stock.batches(shop, sku="KOPI-0001")}
    # 2 + 2 from SOON (first expiry first out), then the returned 1 back into SOON
    assert batches == {"SOON": 5 - 2 - 2 + 1, "LATE": 5}


def test_another_sellers_import_never_touches_this_shop(shop, seller_b):
    make_product(seller_b, sku="KOPI-0001")
    orders.apply_orders(shop, FIXTURES / "shopee_orders.xlsx")
    preview = orders.preview_orders(seller_b, FIXTURES / "shopee_orders.xlsx")
    assert "record" in {r.action for r in preview.rows}  # B's shop has its own orders
    assert not sales.list_sales(seller_b)


def test_the_import_is_in_the_audit_log(shop):
    orders.apply_orders(shop, FIXTURES / "shopee_orders.xlsx")
    entry = next(e for e in audit.entries(shop) if e.action == "import.orders")
    assert "3 orders recorded" in entry.detail


def test_an_overlong_order_number_is_refused(shop, tmp_path):
    path = tmp_path / "woo.csv"
    text = (FIXTURES / "woocommerce_orders.csv").read_text(encoding="utf-8")
    path.write_text(text.replace(",3002,", "," + "9" * 80 + ","), encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        orders.apply_orders(shop, path)
    assert "row 3" in caught.value.message and "“order_number”" in caught.value.message
    assert not sales.list_sales(shop)


def test_an_order_number_that_excel_turned_into_a_number_is_refused(shop, tmp_path):
    path = tmp_path / "tiktok.csv"
    text = (FIXTURES / "tiktok_orders.csv").read_text(encoding="utf-8")
    path.write_text(text.replace("579001122334457", "5.79001E+14"), encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        orders.apply_orders(shop, path)
    assert "row 5" in caught.value.message and "Excel" in caught.value.message
    assert not sales.list_sales(shop)


def test_shopees_english_export_is_read_too(shop, tmp_path):
    """Seller Centre in English names the same columns in English (fixtures README)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Order ID", "Order Status", "Order Creation Date", "Parent SKU Reference No.",
                  "SKU Reference No.", "Deal Price", "Quantity", "Returned quantity"])  # fmt: skip
    sheet.append(["2412ENG01", "Completed", "2026-12-01 09:15", "KOPI-0001", "", 15000, 2, 0])
    sheet.append(["2412ENG02", "To ship", "2026-12-01 10:15", "", "GULA-0001", 25000, 1, 0])
    sheet.append(["2412ENG03", "Cancelled", "2026-12-01 11:15", "", "GULA-0001", 25000, 1, 0])
    path = tmp_path / "Order.all.20261201_20261206.xlsx"
    book.save(path)
    result = orders.apply_orders(shop, path)
    assert (result.preview.format, result.recorded) == ("shopee", 2)
    assert (_on_hand(shop, "KOPI-0001"), _on_hand(shop, "GULA-0001")) == (8, 9)
