"""The stock ledger: batches, FEFO, voids, caches, triggers and bad input."""

from __future__ import annotations

from datetime import date, timedelta

import peewee
import pytest

from shopdesk import audit, i18n, stock, store
from shopdesk.errors import AuthError, NotFoundError, ValidationError
from shopdesk.store.models import Movement
from tests.stock_factories import make_product


@pytest.fixture(autouse=True)
def english(home):
    i18n.set_language("en")


def test_receive_creates_batch_with_generated_code_and_default_expiry(seller):
    sku = make_product(seller, shelf_life_days=90)
    move = stock.receive(seller, sku=sku, quantity=24, produced_on="2026-03-01")
    assert (move.reason, move.quantity, move.batch_code) == ("received", 24, "P260301")
    assert move.actor == "seller:kopi"
    (batch,) = stock.batches(seller, sku=sku)
    assert batch.produced_on == date(2026, 3, 1)
    assert batch.expires_on == date(2026, 3, 1) + timedelta(days=90)
    assert (batch.quantity, batch.on_hand) == (24, 24)
    # Same day, same dates: the same run; another expiry: a new code.
    stock.receive(seller, sku=sku, quantity=6, produced_on="2026-03-01")
    other = stock.receive(
        seller, sku=sku, quantity=1, produced_on="2026-03-01", expires_on="2026-04-01"
    )
    assert other.batch_code == "P260301-2"
    assert [b.on_hand for b in stock.batches(seller, sku=sku)] == [1, 30]


def test_production_code_is_editable_and_dates_are_checked(seller):
    sku = make_product(seller)
    move = stock.receive(
        seller, sku=sku, quantity=5, batch_code="KB-07", produced_on=date(2026, 5, 1)
    )
    assert move.batch_code == "KB-07"
    with pytest.raises(ValidationError, match="before the production date"):
        stock.receive(
            seller, sku=sku, quantity=5, produced_on="2026-05-02", expires_on="2026-05-01"
        )
    with pytest.raises(ValidationError, match="other dates"):
        stock.receive(seller, sku=sku, quantity=5, batch_code="KB-07", produced_on="2026-06-01")
    with pytest.raises(ValidationError, match="not a date"):
        stock.receive(seller, sku=sku, quantity=5, produced_on="31/06/2026")  # June has 30
    with pytest.raises(ValidationError, match="production code"):
        stock.receive(seller, sku=sku, quantity=5, batch_code="a\x00b")
    assert stock.stock(seller, sku=sku).on_hand == 5


def test_removal_is_first_expiry_first_out(seller):
    sku = make_product(seller)
    stock.receive(seller, sku=sku, quantity=5, batch_code="LATE", expires_on="2099-12-31")
    stock.receive(seller, sku=sku, quantity=5, batch_code="NODATE", produced_on="2026-01-01")
    stock.receive(seller, sku=sku, quantity=3, batch_code="SOON", expires_on="2099-06-30")
    moves = stock.remove(seller, sku=sku, quantity=9, reason="sold")
    assert [(m.batch_code, m.quantity) for m in moves] == [
        ("SOON", -3),
        ("LATE", -5),
        ("NODATE", -1),
    ]
    named = stock.remove(seller, sku=sku, quantity=2, reason="damaged", batch_code="NODATE")
    assert [(m.batch_code, m.quantity) for m in named] == [("NODATE", -2)]
    stock.receive(seller, sku=sku, quantity=5, batch_code="LATE")
    with pytest.raises(ValidationError, match="has only 2 left"):
        stock.remove(seller, sku=sku, quantity=3, reason="damaged", batch_code="NODATE")
    assert stock.stock(seller, sku=sku).on_hand == 7


def test_stock_cannot_go_below_zero_unless_confirmed(seller):
    sku = make_product(seller)
    stock.receive(seller, sku=sku, quantity=2)
    with pytest.raises(ValidationError, match="Only 2"):
        stock.remove(seller, sku=sku, quantity=3, reason="sold")
    assert stock.stock(seller, sku=sku).on_hand == 2
    moves = stock.remove(seller, sku=sku, quantity=3, reason="sold", allow_negative=True)
    assert [(m.batch_code is None, m.quantity) for m in moves] == [(False, -2), (True, -1)]
    info = stock.stock(seller, sku=sku)
    assert (info.on_hand, info.loose) == (-1, -1)
    assert all(b.on_hand >= 0 for b in stock.batches(seller, include_empty=True))
    # the permission was for that one movement only
    with pytest.raises(ValidationError):
        stock.remove(seller, sku=sku, quantity=1, reason="sold")


def test_adjust_surplus_goes_loose_and_is_audited(seller):
    sku = make_product(seller)
    stock.receive(seller, sku=sku, quantity=4, batch_code="A")
    (up,) = stock.adjust(seller, sku=sku, quantity="+3", note="found behind the shelf")
    assert (up.batch_code, up.quantity, up.reason) == (None, 3, "correction")
    (down,) = stock.adjust(seller, sku=sku, quantity=-2, batch_code="A")
    assert (down.batch_code, down.quantity) == ("A", -2)
    info = stock.stock(seller, sku=sku)
    assert (info.on_hand, info.loose) == (5, 3)
    actions = [e.action for e in audit.entries(seller)]
    assert actions.count("stock.adjust") == 2
    with pytest.raises(ValidationError, match="cannot be zero"):
        stock.adjust(seller, sku=sku, quantity=0)


def test_void_is_a_new_movement_and_happens_once(seller):
    sku = make_product(seller)
    received = stock.receive(seller, sku=sku, quantity=10)
    (sold,) = stock.remove(seller, sku=sku, quantity=4, reason="damaged")
    void = stock.void_movement(seller, movement_id=sold.id, note="typo")
    assert (void.reason, void.quantity, void.reverses_id) == ("void", 4, sold.id)
    assert void.batch_code == sold.batch_code
    with pytest.raises(ValidationError, match=f"already voided by movement {void.id}"):
        stock.void_movement(seller, movement_id=sold.id)
    with pytest.raises(ValidationError, match="itself a void"):
        stock.void_movement(seller, movement_id=void.id)
    assert stock.history(seller, sku=sku)[-2].voided_by_id == void.id
    assert stock.stock(seller, sku=sku).on_hand == 10
    # voiding the receipt after some was sold would leave the batch below zero
    stock.remove(seller, sku=sku, quantity=1, reason="sold")
    with pytest.raises(ValidationError, match="below zero"):
        stock.void_movement(seller, movement_id=received.id, allow_negative=True)
    assert "stock.void" in [e.action for e in audit.entries(seller)]


def _raw(sql: str, params: tuple) -> None:
    """One statement past the services, through the app's own connection (either engine)."""
    with store.database.atomic():
        store.database.execute_sql(sql, params)


def test_unique_reverses_refuses_a_double_void_even_past_the_service(seller):
    sku = make_product(seller)
    move = stock.receive(seller, sku=sku, quantity=3)
    stock.void_movement(seller, movement_id=move.id)
    with pytest.raises(peewee.IntegrityError, match=r"(?i)unique"):
        _raw(
            "INSERT INTO movement (shop_id, variant_id, batch_id, reason, quantity, at, "
            "reverses_id) SELECT shop_id, variant_id, batch_id, 'void', -quantity, at, id "
            "FROM movement WHERE id = ?",
            (move.id,),
        )


def test_triggers_refuse_update_and_delete_of_movements(seller):
    sku = make_product(seller)
    move = stock.receive(seller, sku=sku, quantity=3)
    for sql in (
        "UPDATE movement SET quantity = 300 WHERE id = ?",
        "DELETE FROM movement WHERE id = ?",
    ):
        with pytest.raises(peewee.DatabaseError, match="append-only"):
            _raw(sql, (move.id,))
    assert Movement.get_by_id(move.id).quantity == 3


def _variant_id(sku: str) -> int:
    return store.database.execute_sql("SELECT id FROM variant WHERE sku = ?", (sku,)).fetchone()[0]


def _lot(sku: str, code: str | None) -> tuple[int, int]:
    """(variant_id, lot) of the SKU's batch ``code``, or of its loose pool."""
    vid = _variant_id(sku)
    if code is None:
        return vid, 0
    sql = "SELECT id FROM batch WHERE variant_id = ? AND code = ?"
    return vid, store.database.execute_sql(sql, (vid, code)).fetchone()[0]


def _set_lot(shop_id: int, sku: str, code: str | None, on_hand: int) -> None:
    store.database.execute_sql(
        "INSERT INTO lot_stock (variant_id, lot, shop_id, on_hand) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (variant_id, lot) DO UPDATE SET on_hand = excluded.on_hand",
        (*_lot(sku, code), shop_id, on_hand),
    )


def _drop_lot(sku: str, code: str | None) -> None:
    store.database.execute_sql(
        "DELETE FROM lot_stock WHERE variant_id = ? AND lot = ?", _lot(sku, code)
    )


def _lot_rows(sku: str) -> int:
    sql = "SELECT COUNT(*) FROM lot_stock WHERE variant_id = ?"
    return store.database.execute_sql(sql, (_variant_id(sku),)).fetchone()[0]


def _found(seller) -> set[tuple]:
    return {(m.sku, m.batch_code, m.cached, m.ledger) for m in stock.check(seller).mismatches}


def test_check_finds_broken_lots_and_rebuild_repairs_them(seller):
    sku = make_product(seller)
    empty = make_product(seller)
    lost = make_product(seller)
    stock.receive(seller, sku=sku, quantity=7, batch_code="A")
    stock.remove(seller, sku=sku, quantity=2, reason="sample")
    stock.adjust(seller, sku=sku, quantity=3)  # loose stock
    stock.receive(seller, sku=lost, quantity=4, batch_code="L")
    stock.adjust(seller, sku=lost, quantity=2)
    assert stock.check(seller).ok
    _set_lot(seller.shop_id, sku, None, 99)  # a wrong loose lot
    _set_lot(seller.shop_id, sku, "A", -1)  # a wrong batch lot
    _set_lot(seller.shop_id, empty, None, 99)  # a stray: no movements at all
    _drop_lot(lost, "L")  # missing rows under a non-zero ledger
    _drop_lot(lost, None)
    report = stock.check(seller)
    assert not report.ok
    assert {(m.sku, m.batch_code, m.cached, m.ledger) for m in report.mismatches} == {
        (sku, None, 99, 3),
        (sku, "A", -1, 5),
        (empty, None, 99, 0),
        (lost, "L", 0, 4),
        (lost, None, 0, 2),
    }
    assert stock.rebuild(seller) == 5
    assert stock.check(seller).ok
    assert _lot_rows(empty) == 0  # the stray is deleted, not zeroed
    assert [stock.stock(seller, sku=s).on_hand for s in (sku, empty, lost)] == [8, 0, 6]
    assert [(b.code, b.on_hand) for b in stock.batches(seller, sku=lost)] == [("L", 4)]
    assert stock.rebuild(seller) == 0


def test_a_missing_batch_lot_is_found_and_rebuilt(seller):
    sku = make_product(seller)
    stock.receive(seller, sku=sku, quantity=6, batch_code="A")
    store.database.execute_sql("DELETE FROM lot_stock")
    assert _found(seller) == {(sku, "A", 0, 6)}
    assert stock.rebuild(seller) == 1
    assert [b.on_hand for b in stock.batches(seller, sku=sku)] == [6]
    assert stock.stock(seller, sku=sku).loose == 0


def test_expiring_and_expired_lists(seller):
    sku = make_product(seller)
    today = date(2026, 6, 1)
    stock.receive(seller, sku=sku, quantity=1, batch_code="OLD", expires_on="2026-05-31")
    stock.receive(seller, sku=sku, quantity=1, batch_code="SOON", expires_on="2026-06-10")
    stock.receive(seller, sku=sku, quantity=1, batch_code="LATER", expires_on="2026-09-01")
    stock.receive(seller, sku=sku, quantity=1, batch_code="NEVER")
    assert [b.code for b in stock.expiring(seller, within_days=14, today=today)] == ["SOON"]
    assert [b.code for b in stock.expired(seller, today=today)] == ["OLD"]
    moves = stock.write_off_expired(seller, today=today)
    assert [(m.batch_code, m.reason, m.quantity) for m in moves] == [("OLD", "expired", -1)]
    assert stock.expired(seller, today=today) == []
    with pytest.raises(ValidationError):
        stock.expiring(seller, within_days=-1)


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        (0, "1 or more"),
        (-5, "1 or more"),
        (1_000_001, "at most 1000000"),
        (10**15, "at most"),
        ("12abc", "not a quantity"),
        (2.5, "whole number"),
        (True, "whole number"),
        (None, "whole number"),
    ],
)
def test_bad_quantities_are_refused_and_nothing_is_written(seller, quantity, message):
    sku = make_product(seller)
    with pytest.raises(ValidationError, match=message):
        stock.receive(seller, sku=sku, quantity=quantity)
    with pytest.raises(ValidationError, match=message):
        stock.remove(seller, sku=sku, quantity=quantity, reason="sold", allow_negative=True)
    assert Movement.select().count() == 0


def test_unknown_sku_reason_and_note(seller):
    sku = make_product(seller)
    with pytest.raises(NotFoundError, match="Unknown SKU: NOPE-1"):
        stock.receive(seller, sku="NOPE-1", quantity=1)
    with pytest.raises(ValidationError, match="not a reason"):
        stock.remove(seller, sku=sku, quantity=1, reason="stolen")
    with pytest.raises(ValidationError, match="not a reason"):
        stock.receive(seller, sku=sku, quantity=1, reason="sold")
    with pytest.raises(ValidationError, match="too long"):
        stock.receive(seller, sku=sku, quantity=1, note="x" * 501)
    with pytest.raises(NotFoundError):
        stock.void_movement(seller, movement_id=12345)
    with pytest.raises(NotFoundError):
        stock.void_movement(seller, movement_id="abc")
    assert Movement.select().count() == 0


def test_sku_lookup_ignores_case_and_spaces(seller):
    sku = make_product(seller, sku="KOPI-0042")
    assert stock.receive(seller, sku=" kopi-0042 ", quantity=1).sku == sku


def test_operator_cannot_use_stock_services(operator, seller):
    with pytest.raises(AuthError):
        stock.check(operator)
    with pytest.raises(AuthError):
        stock.receive(operator, sku="X", quantity=1)


def test_messages_are_translated(seller):
    i18n.set_language("id")
    with pytest.raises(NotFoundError) as caught:
        stock.receive(seller, sku="NOPE", quantity=1)
    assert "SKU" in caught.value.message


@pytest.mark.parametrize(
    "wipe", ["DELETE FROM lot_stock", "UPDATE lot_stock SET on_hand = 0"], ids=["deleted", "zeroed"]
)
def test_rebuild_of_a_wiped_cache(seller, wipe):
    skus = [make_product(seller) for _i in range(3)]
    for n, sku in enumerate(skus, start=1):
        stock.receive(seller, sku=sku, quantity=n, batch_code="A")
        stock.receive(seller, sku=sku, quantity=10, batch_code="B")
    stock.adjust(seller, sku=skus[0], quantity=2)  # loose stock
    store.database.execute_sql(wipe)  # every figure reads 0
    expected = {
        (sku, code, 0, q) for n, sku in enumerate(skus, 1) for code, q in (("A", n), ("B", 10))
    }
    assert _found(seller) == expected | {(skus[0], None, 0, 2)}
    assert stock.rebuild(seller) == 7
    assert stock.check(seller).ok
    assert [stock.stock(seller, sku=s).on_hand for s in skus] == [13, 12, 13]
    assert stock.stock(seller, sku=skus[0]).loose == 2


def test_a_stray_batch_figure_under_a_zero_ledger_is_found_and_cleared(seller):
    sku = make_product(seller)
    stock.receive(seller, sku=sku, quantity=3, batch_code="A")
    stock.receive(seller, sku=sku, quantity=2, batch_code="B")
    stock.remove(seller, sku=sku, quantity=3, reason="sold", batch_code="A")
    loose = make_product(seller)  # no batches: its loose ledger sums to zero
    stock.adjust(seller, sku=loose, quantity=4)
    stock.remove(seller, sku=loose, quantity=4, reason="sample")
    _set_lot(seller.shop_id, sku, "A", 9)
    _set_lot(seller.shop_id, loose, None, -6)
    assert _found(seller) == {(sku, "A", 9, 0), (loose, None, -6, 0)}
    assert stock.rebuild(seller) == 2
    assert stock.check(seller).ok
    assert stock.lot_on_hand(*_lot(sku, "A")) == 0
    assert stock.lot_on_hand(_variant_id(loose), None) == 0
    assert stock.stock(seller, sku=loose).on_hand == 0
    assert [(b.code, b.on_hand) for b in stock.batches(seller, sku=sku)] == [("B", 2)]
    assert stock.stock(seller, sku=sku).on_hand == 2


def test_a_lot_row_of_a_variant_that_does_not_exist_is_removed(seller):
    make_product(seller)
    for lot in (0, 5):
        store.database.execute_sql(
            "INSERT INTO lot_stock (variant_id, lot, shop_id, on_hand) VALUES (999999, ?, ?, 4)",
            (lot, seller.shop_id),
        )
    found = [(m.sku, m.cached, m.ledger) for m in stock.check(seller).mismatches]
    assert found == [("?", 4, 0), ("?", 4, 0)]
    assert stock.rebuild(seller) == 2
    assert stock.check(seller).ok
    assert store.database.execute_sql("SELECT COUNT(*) FROM lot_stock").fetchone()[0] == 0
