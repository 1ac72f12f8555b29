"""Stocktake while the shop stays open; the count sheet PDF read back."""

from __future__ import annotations

import pypdfium2
import pytest

from shopdesk import audit, i18n, sales, stock
from shopdesk.errors import NotFoundError, ValidationError
from shopdesk.stock import stocktake
from shopdesk.store.models import Movement
from tests.stock_factories import ean13, make_product


@pytest.fixture(autouse=True)
def english(home):
    i18n.set_language("en")


def test_differences_use_the_stock_at_the_moment_of_counting(seller):
    kopi = make_product(seller)
    gula = make_product(seller, barcode=ean13("899000000001"))
    teh = make_product(seller)
    for sku in (kopi, gula, teh):
        stock.receive(seller, sku=sku, quantity=10)
    count = stocktake.start_count(seller, note="end of month")
    assert len(count.lines) == 3 and count.counted_lines == 0
    line = stocktake.enter_count(seller, sku=kopi, counted=8)
    assert (line.counted, line.expected, line.difference) == (8, 10, -2)
    sales.record_sale(seller, lines=[(kopi, 3)])  # after kopi was counted
    sales.record_sale(seller, lines=[(gula, 4)])  # before gula is counted
    for _i in range(6):
        line = stocktake.scan(seller, code=ean13("899000000001"))
    assert (line.counted, line.expected, line.difference) == (6, 6, 0)
    stocktake.scan(seller, code=gula.lower())  # SKU typed in small letters
    review = stocktake.review(seller)
    assert {(x.sku, x.difference) for x in review.differences} == {(kopi, -2), (gula, 1)}
    assert stocktake.uncounted(seller) == 1
    result = stocktake.post_count(seller)
    assert (result.lines_posted, result.units_added, result.units_removed) == (2, 1, 2)
    assert stock.stock(seller, sku=kopi).on_hand == 5  # 10 - 3 sold - 2 missing
    assert stock.stock(seller, sku=gula).on_hand == 7  # 10 - 4 sold + 1 found
    assert stock.stock(seller, sku=teh).on_hand == 10  # not counted: untouched
    moves = stock.history(seller, reason="stocktake")
    assert {m.count_id for m in moves} == {count.id}
    assert stock.check(seller).ok
    assert "stocktake.post" in [e.action for e in audit.entries(seller)]
    with pytest.raises(NotFoundError, match="no open stocktake"):
        stocktake.post_count(seller)
    with pytest.raises(ValidationError, match="already posted"):
        stocktake.post_count(seller, count_id=count.id)


def test_count_of_some_products_and_one_count_at_a_time(seller):
    kopi = make_product(seller)
    gula = make_product(seller)
    count = stocktake.start_count(seller, skus=[kopi, kopi])
    assert [line.sku for line in count.lines] == [kopi]
    with pytest.raises(ValidationError, match="already open"):
        stocktake.start_count(seller)
    line = stocktake.enter_count(seller, sku=gula, counted="4")  # found on the shelf
    assert (line.counted, line.expected) == (4, 0)
    with pytest.raises(ValidationError):
        stocktake.enter_count(seller, sku=gula, counted=-1)
    with pytest.raises(ValidationError):
        stocktake.enter_count(seller, sku=gula, counted=2_000_000)
    with pytest.raises(NotFoundError, match="No product has the code"):
        stocktake.scan(seller, code="0000")
    stocktake.cancel_count(seller)
    assert Movement.select().count() == 0
    assert [c.status for c in stocktake.list_counts(seller)] == ["cancelled"]
    with pytest.raises(ValidationError):
        stocktake.start_count(seller, skus=[])


def test_counted_zero_writes_the_stock_off(seller):
    kopi = make_product(seller)
    stock.receive(seller, sku=kopi, quantity=3, batch_code="A")
    stock.receive(seller, sku=kopi, quantity=2, batch_code="B")
    stocktake.start_count(seller)
    stocktake.enter_count(seller, sku=kopi, counted=0)
    stocktake.post_count(seller, note="flood")
    info = stock.stock(seller, sku=kopi)
    assert (info.on_hand, info.batches) == (0, ())
    assert {m.note for m in stock.history(seller, reason="stocktake")} == {"flood"}


def test_count_sheet_pdf_lists_every_product(seller, tmp_path):
    skus = [
        make_product(
            seller,
            name=f"Keripik Singkong Balado Pedas Level {i} Kemasan Besar Ekstra"
            if i % 5 == 0
            else None,
            barcode=ean13(f"8990000{i:05d}"),
        )
        for i in range(45)
    ]
    for sku in skus[:3]:
        stock.receive(seller, sku=sku, quantity=12)
    stocktake.start_count(seller)
    path = stocktake.count_sheet(seller, path=tmp_path / "opname.pdf")
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        assert len(pdf) == 2
        text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
        image = pdf[0].render(scale=1).to_pil()
        assert image.size[0] > 500
    finally:
        pdf.close()
    for sku in skus:
        assert sku in text
    assert ean13("899000000002") in text
    assert "Expected" in text and "Counted" in text and "Page 2 of 2" in text
    assert "Keripik Singkong Balado" in text
    assert not list(tmp_path.glob(".*.tmp"))


def test_count_of_one_category(seller):
    from shopdesk import catalog

    kopi = catalog.create_product(seller, name="Kopi Bubuk", price=30_000, category="Kopi")
    catalog.create_product(seller, name="Gula Aren", price=20_000, category="Gula")
    count = stocktake.start_count(seller, category="kopi")
    assert [line.sku for line in count.lines] == [kopi.variants[0].sku]
    stocktake.cancel_count(seller)
    with pytest.raises(ValidationError, match="no products"):
        stocktake.start_count(seller, category="Teh")
    assert stocktake.list_counts(seller)[0].status == "cancelled"


def test_a_scanned_code_is_the_sku_first_then_the_barcode(seller, seller_b):
    code = ean13("899000000777")
    gula = make_product(seller, barcode=code)
    kopi = make_product(seller)
    assert stock.variant_by_code(seller, kopi.lower()).sku == kopi  # SKUs are capitals
    assert stock.variant_by_code(seller, f"  {code}  ").sku == gula
    assert stock.variant_by_code(seller, f"{code[:6]} {code[6:]}").sku == gula  # as printed
    for nothing in ("", "   ", "NO-SUCH-CODE", code + "1" * 100):
        assert stock.variant_by_code(seller, nothing) is None
    make_product(seller_b, barcode=ean13("899000000888"))
    assert stock.variant_by_code(seller, ean13("899000000888")) is None  # another shop's
    with pytest.raises(NotFoundError, match="No product has the code"):
        stocktake.find_code(seller, ean13("899000000888"))
