"""Two sellers on one PC: nothing of seller B is reachable as seller A through
any stock, sales, stocktake or report service, nor through the CLI."""

from __future__ import annotations

import pytest

from shopdesk import i18n, reports, sales, stock
from shopdesk.errors import NotFoundError, ShopDeskError
from shopdesk.stock import stocktake
from tests.conftest import PIN_A
from tests.stock_factories import ean13, make_product

B_BARCODE = ean13("899555000001")


@pytest.fixture
def two_shops(seller, seller_b):
    """Seller B has stock, batches, sales, a void and an open count; A has one product."""
    i18n.set_language("en")
    b_sku = make_product(seller_b, sku="MADU-0001", barcode=B_BARCODE, low_stock=50)
    received = stock.receive(
        seller_b, sku=b_sku, quantity=40, batch_code="BALI-1", expires_on="2026-12-01"
    )
    stock.receive(seller_b, sku=b_sku, quantity=5, batch_code="OLD", expires_on="2020-01-01")
    for _i in range(3):
        # the expired batch OLD goes first, as the seller allows it
        sales.record_sale(seller_b, lines=[(b_sku, 2)], channel="shopee", allow_expired=True)
    sales.void_sale(seller_b, number=3)
    stocktake.start_count(seller_b)
    a_sku = make_product(seller, sku="KOPI-0001")
    return {"a_sku": a_sku, "b_sku": b_sku, "b_movement": received.id}


def test_services_never_reach_the_other_shop(seller, seller_b, two_shops, tmp_path):
    b_sku, b_move = two_shops["b_sku"], two_shops["b_movement"]
    calls = [
        lambda: stock.receive(seller, sku=b_sku, quantity=1),
        lambda: stock.receive(seller, sku=b_sku, quantity=1, batch_code="BALI-1"),
        lambda: stock.remove(seller, sku=b_sku, quantity=1, reason="sold"),
        lambda: stock.adjust(seller, sku=b_sku, quantity=-1, allow_negative=True),
        lambda: stock.void_movement(seller, movement_id=b_move),
        lambda: stock.movement(seller, movement_id=b_move),
        lambda: stock.history(seller, sku=b_sku),
        lambda: stock.batches(seller, sku=b_sku),
        lambda: stock.stock(seller, sku=b_sku),
        lambda: sales.record_sale(seller, lines=[(b_sku, 1)], allow_negative=True),
        lambda: sales.void_sale(seller, number=1),
        lambda: sales.get_sale(seller, number=2),
        lambda: stocktake.start_count(seller, skus=[b_sku]),
        lambda: stocktake.get_count(seller),
        lambda: stocktake.enter_count(seller, sku=b_sku, counted=1),
        lambda: stocktake.scan(seller, code=B_BARCODE),
        lambda: stocktake.post_count(seller),
        lambda: stocktake.cancel_count(seller),
        lambda: stocktake.count_sheet(seller, path=tmp_path / "b.pdf"),
    ]
    for call in calls:
        with pytest.raises(NotFoundError):
            call()
    assert not (tmp_path / "b.pdf").exists()
    # Lists and reports of A hold nothing of B.
    assert stock.history(seller) == []
    assert stock.batches(seller, include_empty=True) == []
    assert stock.expired(seller) == []
    assert stock.expiring(seller, within_days=3650) == []
    assert stock.write_off_expired(seller) == []
    assert sales.list_sales(seller) == []
    assert stocktake.list_counts(seller) == []
    assert reports.daily_summary(seller).sales == 0
    assert reports.stock_value(seller).units == 0
    assert reports.low_stock(seller) == []
    assert sum(p.revenue for p in reports.daily_series(seller)) == 0
    check = stock.check(seller)
    assert (check.variants_checked, check.batches_checked) == (1, 0)
    assert stock.rebuild(seller) == 0
    assert reports.export_movements(seller, tmp_path / "m.csv", "csv") == 0
    assert reports.export_sales(seller, tmp_path / "s.xlsx", "xlsx") == 0
    # And B's figures are untouched by all of the above.
    info = stock.stock(seller_b, sku=b_sku)
    assert info.on_hand == 45 - 4
    assert stock.check(seller_b).ok
    assert stocktake.get_count(seller_b).status == "open"


def test_seller_b_cannot_reach_seller_a_either(seller, seller_b, two_shops):
    a_sku = two_shops["a_sku"]
    stock.receive(seller, sku=a_sku, quantity=3)
    with pytest.raises(ShopDeskError):
        stock.remove(seller_b, sku=a_sku, quantity=1, reason="sold")
    assert [m.sku for m in stock.history(seller_b)].count(a_sku) == 0


def test_cli_never_reaches_the_other_shop(cli, seller, seller_b, two_shops, tmp_path):
    b_sku, b_move = two_shops["b_sku"], str(two_shops["b_movement"])
    as_a = ("--seller", "kopi")
    refused = [
        ("stock", "in", b_sku, "1", *as_a),
        ("stock", "out", b_sku, "1", "--reason", "sold", "--allow-negative", *as_a),
        ("stock", "adjust", b_sku, "-1", "--allow-negative", *as_a),
        ("stock", "void", b_move, *as_a),
        ("stock", "show", b_sku, *as_a),
        ("stock", "history", "--sku", b_sku, *as_a),
        ("batch", "add", b_sku, "1", "--batch", "BALI-1", *as_a),
        ("batch", "list", "--sku", b_sku, *as_a),
        ("sale", "record", f"{b_sku}:1", "--allow-negative", *as_a),
        ("sale", "void", "1", *as_a),
        ("sale", "show", "2", *as_a),
        ("count", "enter", b_sku, "1", *as_a),
        ("count", "scan", B_BARCODE, *as_a),
        ("count", "review", *as_a),
        ("count", "post", *as_a),
        ("count", "cancel", *as_a),
        ("count", "sheet", str(tmp_path / "b.pdf"), *as_a),
    ]
    for argv in refused:
        code, out, err = cli(*argv, pin=PIN_A)
        assert code != 0, argv
        assert "MADU" not in out and "BALI" not in out, argv
    listings = [
        ("stock", "history", *as_a),
        ("stock", "check", *as_a),
        ("batch", "list", "--all", *as_a),
        ("batch", "expiring", "--days", "3650", *as_a),
        ("batch", "expired", *as_a),
        ("sale", "list", *as_a),
        ("sale", "summary", *as_a),
        ("count", "list", *as_a),
        ("report", "stock-value", *as_a),
        ("report", "low-stock", *as_a),
        ("report", "daily", *as_a),
    ]
    for argv in listings:
        code, out, err = cli(*argv, pin=PIN_A)
        assert code == 0, (argv, err)
        assert "MADU" not in out and "BALI" not in out and "Shopee" not in out, argv
    i18n.set_language("en")
    assert stock.stock(seller_b, sku=b_sku).on_hand == 41
    assert stocktake.get_count(seller_b).status == "open"


def _file_lots_under(shop_id: int, sku: str) -> set[tuple[str | None, int]]:
    """Damage: the variant's lot rows claim another shop; returns (batch code, on hand) of each."""
    from shopdesk import store

    run = store.database.execute_sql
    variant = "(SELECT id FROM variant WHERE sku = ?)"
    run(f"UPDATE lot_stock SET shop_id = ? WHERE variant_id = {variant}", (shop_id, sku))
    rows = run(
        f"SELECT b.code, l.on_hand FROM lot_stock l LEFT JOIN batch b ON b.id = l.lot "
        f"WHERE l.variant_id = {variant}",
        (sku,),
    )
    return set(rows.fetchall())


@pytest.mark.parametrize("repairer", ["owner", "other"])
def test_a_cache_row_filed_under_the_wrong_shop_is_repaired_without_leaking(
    seller, seller_b, two_shops, repairer
):
    from shopdesk import store

    if store.on_server():
        # A lot row filed under shop A is out of shop B's sight there (row-level
        # security follows each service's session): the repair of a misfiled row across
        # shops is not a seller's on a server yet (see issue 14's notes).
        pytest.skip("a misfiled cache row is hidden from its owner by row-level security")
    b_sku = two_shops["b_sku"]
    stock.adjust(seller_b, sku=b_sku, quantity=3)  # a loose lot too
    before = stock.stock(seller_b, sku=b_sku)
    batches = stock.batches(seller_b, sku=b_sku)
    lots = _file_lots_under(seller.shop_id, b_sku)
    assert {(None, 3), ("BALI-1", 40)} <= lots
    owner_report = stock.check(seller_b)
    assert {(m.sku, m.batch_code, m.cached, m.ledger) for m in owner_report.mismatches} == {
        (b_sku, code, q, q) for code, q in lots
    }
    other_report = stock.check(seller)  # sees strays, but never B's SKU or batches
    assert len(other_report.mismatches) == len(lots)
    assert {m.sku for m in other_report.mismatches} == {"?"}
    assert not {m.batch_code for m in other_report.mismatches} & {"BALI-1", "OLD"}
    assert stock.rebuild(seller_b if repairer == "owner" else seller) == len(lots)
    assert stock.check(seller).ok and stock.check(seller_b).ok
    assert stock.stock(seller_b, sku=b_sku) == before
    assert stock.batches(seller_b, sku=b_sku) == batches
