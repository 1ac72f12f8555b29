"""The stock ledger: ``write_movement`` is the only writer of stock movements.

Every change of stock is an append-only ``Movement`` (triggers refuse UPDATE
and DELETE). On hand per lot (a batch, or the loose pool) is cached
(``cache``) in the same transaction as the movement; ``integrity`` compares
the cache with the ledger and rebuilds it.

Stock lives in batches (production runs) plus a *loose* pool (movements with
no batch): a stocktake surplus nobody can tie to a run, or the part of a sale
the seller allowed to go below zero. Batches never go below zero; the loose
pool may, but only when the seller confirms it for that one movement.
Removals (``take``) go first-expiry-first-out, then to the loose pool.
What goes to a customer (sold, sample) skips expired batches: fresh batches
first, then the loose pool; an expired batch only when the seller allows it
for that entry (``allow_expired``), else ``ExpiredStockError`` names it.
Services here: ``receive``, ``remove``, ``adjust``, ``write_off_expired``;
undoing a movement is ``voids``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from shopdesk import audit, store
from shopdesk.clock import to_local, utcnow
from shopdesk.errors import ValidationError
from shopdesk.i18n import _
from shopdesk.profiles import Session, require_seller
from shopdesk.stock import cache
from shopdesk.stock.checks import (
    CORRECTION,
    EXPIRED,
    IN_REASONS,
    OUT_REASONS,
    REASON_LABELS,
    RECEIVED,
    TO_CUSTOMER,
    ExpiredLot,
    ExpiredStockError,
    below_zero,
    check_batch_code,
    check_quantity,
    check_reason,
    clean_note,
)
from shopdesk.stock.lookups import VariantKey, find_batch, find_variant
from shopdesk.stock.queries import MovementInfo, expired, fefo_lots, movement, sellable_lots
from shopdesk.stock.receiving import receiving_batch
from shopdesk.store.models import Batch, Product, Variant

# --- the one place that writes movements ------------------------------------


_INSERT_MOVEMENT = (
    "INSERT INTO movement (shop_id, variant_id, batch_id, reason, quantity, note, actor, at, "
    "reverses_id, sale_line_id, count_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


@store.follows_session
def write_movement(
    session: Session,
    variant_id: int,
    batch_id: int | None,
    reason: str,
    quantity: int,
    note: str,
    *,
    at: datetime | None = None,
    reverses_id: int | None = None,
    sale_line_id: int | None = None,
    count_id: int | None = None,
) -> int:
    """Append one movement and update both caches. Call inside a transaction.

    Plain parameterized SQL rather than peewee's query builder: this runs for
    every line of every sale, and building the statements cost more than
    running them (see benchmarks/stock.py).
    """
    run = store.database.execute_sql
    movement_id: int = run(
        _INSERT_MOVEMENT + " RETURNING id",
        (
            session.shop_id,
            variant_id,
            batch_id,
            reason,
            quantity,
            note,
            session.actor,
            str(at or utcnow()),
            reverses_id,
            sale_line_id,
            count_id,
        ),
    ).fetchone()[0]
    cache.add(session.shop_id, variant_id, batch_id, quantity)
    return movement_id


@store.follows_session
def write_movements(
    session: Session, moves: Sequence[tuple[int, int]], reason: str, note: str
) -> None:
    """``write_movement`` for many variants at once, to the loose pool (no batch).

    The importer's opening stock: two batched statements instead of two per
    variant. Call inside a transaction.
    """
    at = str(utcnow())
    store.execute_many(
        _INSERT_MOVEMENT,
        [
            (session.shop_id, vid, None, reason, qty, note, session.actor, at, None, None, None)
            for vid, qty in moves
        ],
    )
    cache.add_many(session.shop_id, [(vid, None, qty) for vid, qty in moves])


@store.follows_session
def take(
    session: Session,
    variant: VariantKey,
    quantity: int,
    reason: str,
    *,
    batch_code: str | None = None,
    note: str = "",
    allow_negative: bool = False,
    sale_line_id: int | None = None,
    count_id: int | None = None,
    at: datetime | None = None,
    on_hand: int | None = None,
    allow_expired: bool = False,
    expired_taken: list[ExpiredLot] | None = None,
) -> list[int]:
    """Take ``quantity`` (> 0) out of stock, FEFO unless a batch is named.

    Call inside a transaction with a variant read in it; ``on_hand`` is its
    figure when that read already had it (the sale path's ``VariantRow``).
    For a customer (``TO_CUSTOMER``) expired batches are refused unless
    ``allow_expired``; what was taken from them is appended to ``expired_taken``.
    Returns movement ids.
    """
    if store.lock_rows("variant", [variant.id]):  # another PC may have taken some meanwhile
        on_hand = None
    if not allow_negative:  # the figure only serves this check
        current = cache.variant_on_hand(variant.id) if on_hand is None else on_hand
        if current - quantity < 0:
            raise below_zero(variant.sku, current, quantity)
    # The shop's calendar day of the removal: an expired batch is one whose date is before it.
    day = to_local(at or utcnow(), session.timezone).date() if reason in TO_CUSTOMER else None
    if batch_code:
        batch = find_batch(variant, check_batch_code(batch_code))
        plan = _batch_plan(variant, batch, quantity, allow_negative)
        if day is not None and batch.expires_on is not None and batch.expires_on < day:
            lots = [_expired_lot(variant, batch.code, batch.expires_on, plan[0][1])]
            _allow_expired(lots, allow_expired, expired_taken)
    elif day is not None:
        plan = _customer_plan(variant, quantity, day, allow_expired, expired_taken)
    else:
        plan = _fefo_plan(variant.id, quantity)
    left = quantity - sum(part for _id, part in plan)
    if left > 0:  # from the loose pool; below zero only when allowed above
        plan.append((None, left))
    return [
        write_movement(
            session,
            variant.id,
            batch_id,
            reason,
            -part,
            note,
            sale_line_id=sale_line_id,
            count_id=count_id,
            at=at,
        )
        for batch_id, part in plan
        if part > 0
    ]


def _batch_plan(
    variant: VariantKey, batch: Batch, quantity: int, allow_negative: bool
) -> list[tuple[int | None, int]]:
    """(batch id, units) from the named batch: what it has, the rest loose."""
    available = cache.lot_on_hand(variant.id, batch.id)
    if available < quantity and not allow_negative:
        raise ValidationError(
            _(
                "Batch {code} of {sku} has only {available} left, so {quantity} cannot be "
                "taken from it. Name another batch or leave the batch empty."
            ).format(code=batch.code, sku=variant.sku, available=available, quantity=quantity)
        )
    return [(batch.id, min(quantity, max(available, 0)))]


def _fefo_plan(variant_id: int, quantity: int) -> list[tuple[int | None, int]]:
    """(batch id, units) first expiry first out, as far as the batches reach."""
    return _fill(fefo_lots(variant_id), quantity)


def _customer_plan(
    variant: VariantKey,
    quantity: int,
    day: date,
    allow_expired: bool,
    expired_taken: list[ExpiredLot] | None,
) -> list[tuple[int | None, int]]:
    """(batch id, units) for a customer: fresh batches FEFO, then the loose pool
    (the remainder, left to ``take``), then expired batches only if allowed."""
    fresh: list[tuple[int, int]] = []
    stale: list[tuple[int, int, str, date]] = []
    loose = 0
    for lot, on_hand, code, expires_on, is_expired in sellable_lots(variant.id, day):
        if lot == cache.LOOSE:
            loose = on_hand
        elif is_expired:
            stale.append((lot, on_hand, str(code), date.fromisoformat(str(expires_on)[:10])))
        else:
            fresh.append((lot, on_hand))
    plan = _fill(fresh, quantity)
    short = quantity - sum(part for _id, part in plan) - loose
    if short > 0 and stale:
        taken = _fill([(lot, on_hand) for lot, on_hand, _c, _e in stale], short)
        lots = [
            _expired_lot(variant, code, expires_on, part)
            for (_lot, part), (_l, _o, code, expires_on) in zip(taken, stale, strict=False)
        ]
        _allow_expired(lots, allow_expired, expired_taken)
        plan += taken
    return plan


def _fill(lots: list[tuple[int, int]], quantity: int) -> list[tuple[int | None, int]]:
    """(lot, units) from ``lots`` in their order until ``quantity`` is reached."""
    plan: list[tuple[int | None, int]] = []
    remaining = quantity
    for lot, on_hand in lots:
        if remaining == 0:
            break
        part = min(on_hand, remaining)
        plan.append((lot, part))
        remaining -= part
    return plan


def _expired_lot(variant: VariantKey, code: str, expires_on: date, units: int) -> ExpiredLot:
    name = Product.select(Product.name).join(Variant).where(Variant.id == variant.id).scalar()
    return ExpiredLot(variant.sku, str(name), code, expires_on, units)


def expired_detail(lots: list[ExpiredLot]) -> dict[str, object]:
    """The audit field naming expired batches taken with the seller's override."""
    if not lots:
        return {}
    return {
        audit.EXPIRED_BATCHES: [
            {
                "sku": lot.sku,
                "batch": lot.code,
                "expires_on": str(lot.expires_on),
                "units": lot.units,
            }
            for lot in lots
        ]
    }


def _allow_expired(lots: list[ExpiredLot], allowed: bool, taken: list[ExpiredLot] | None) -> None:
    """Refuse expired stock for a customer, or note it for the audit row when allowed."""
    if not allowed:
        raise ExpiredStockError(lots)
    if taken is not None:
        taken.extend(lots)


# --- public services ---------------------------------------------------------


@store.follows_session
@store.retried
def receive(
    session: Session,
    *,
    sku: str,
    quantity: int,
    batch_code: str | None = None,
    produced_on: date | str | None = None,
    expires_on: date | str | None = None,
    note: str = "",
    reason: str = RECEIVED,
) -> MovementInfo:
    """Stock in: a production run or delivery (or a customer's return).

    The batch is created when new: production date defaults to today, expiry
    to production + the product's shelf life, the code to ``P`` + YYMMDD.
    """
    session = require_seller(session)
    qty = check_quantity(quantity)
    check_reason(reason, IN_REASONS)
    text = clean_note(note)
    with store.transaction():
        variant = find_variant(session, sku)
        store.lock_rows("variant", [variant.id])  # two PCs starting one new batch: one makes it
        batch = receiving_batch(
            session,
            variant,
            batch_code=batch_code,
            produced_on=produced_on,
            expires_on=expires_on,
            quantity=qty,
            reason=reason,
        )
        movement_id = write_movement(session, variant.id, batch.id, reason, qty, text)
        audit.record(
            "stock.in",
            actor=session.actor,
            shop_id=session.shop_id,
            sku=variant.sku,
            quantity=qty,
            batch=batch.code,
            reason_label=REASON_LABELS[reason],
            movement=movement_id,
            note=text,
        )
    return movement(session, movement_id=movement_id)


@store.follows_session
@store.retried
def remove(
    session: Session,
    *,
    sku: str,
    quantity: int,
    reason: str,
    batch_code: str | None = None,
    note: str = "",
    allow_negative: bool = False,
    allow_expired: bool = False,
) -> list[MovementInfo]:
    """Stock out (sold, damaged, expired, sample), FEFO unless a batch is named.

    Sold or given as a sample: expired batches only with ``allow_expired``.
    """
    session = require_seller(session)
    qty = check_quantity(quantity)
    check_reason(reason, OUT_REASONS)
    text = clean_note(note)
    stale: list[ExpiredLot] = []
    with store.transaction():
        variant = find_variant(session, sku)
        ids = take(
            session,
            variant,
            qty,
            reason,
            batch_code=batch_code,
            note=text,
            allow_negative=allow_negative,
            allow_expired=allow_expired,
            expired_taken=stale,
        )
        audit.record(
            "stock.out",
            actor=session.actor,
            shop_id=session.shop_id,
            sku=variant.sku,
            quantity=qty,
            batch=batch_code,
            reason_label=REASON_LABELS[reason],
            movements=ids,
            note=text,
            **expired_detail(stale),
        )
    return [movement(session, movement_id=i) for i in ids]


@store.follows_session
def apply_difference(
    session: Session,
    variant: VariantKey,
    difference: int,
    reason: str,
    *,
    batch_code: str | None = None,
    note: str = "",
    allow_negative: bool = False,
    count_id: int | None = None,
) -> list[int]:
    """Book a signed difference inside the caller's transaction.

    A surplus goes to the named batch or else to the loose pool (nobody knows
    which run it came from); a shortage is taken FEFO like any removal.
    """
    if difference < 0:
        return take(
            session,
            variant,
            -difference,
            reason,
            batch_code=batch_code,
            note=note,
            allow_negative=allow_negative,
            count_id=count_id,
        )
    batch_id = find_batch(variant, check_batch_code(batch_code)).id if batch_code else None
    return [
        write_movement(session, variant.id, batch_id, reason, difference, note, count_id=count_id)
    ]


@store.follows_session
@store.retried
def adjust(
    session: Session,
    *,
    sku: str,
    quantity: int,
    batch_code: str | None = None,
    note: str = "",
    allow_negative: bool = False,
) -> list[MovementInfo]:
    """A correction by a signed number of units (+3 found, -2 missing)."""
    session = require_seller(session)
    delta = check_quantity(quantity, allow_negative_sign=True)
    text = clean_note(note)
    with store.transaction():
        variant = find_variant(session, sku)
        ids = apply_difference(
            session,
            variant,
            delta,
            CORRECTION,
            batch_code=batch_code,
            note=text,
            allow_negative=allow_negative,
        )
        audit.record(
            "stock.adjust",
            actor=session.actor,
            shop_id=session.shop_id,
            sku=variant.sku,
            quantity=delta,
            batch=batch_code,
            movements=ids,
        )
    return [movement(session, movement_id=i) for i in ids]


@store.follows_session
@store.retried
def write_off_expired(
    session: Session, *, today: date | None = None, note: str = ""
) -> list[MovementInfo]:
    """Take every expired batch's stock out with reason ``expired``."""
    session = require_seller(session)
    text = clean_note(note)
    ids: list[int] = []
    with store.transaction():
        batches = expired(session, today=today)
        for info in batches:
            variant = Variant.get_by_id(
                Batch.select(Batch.variant).where(Batch.id == info.id).scalar()
            )
            ids += take(
                session,
                variant,
                info.on_hand,
                EXPIRED,
                batch_code=info.code,
                note=text,
                allow_negative=True,  # the batch has it; the loose pool may be short
            )
        if batches:
            audit.record(
                "stock.expired",
                actor=session.actor,
                shop_id=session.shop_id,
                batches=len(batches),
                units=sum(info.on_hand for info in batches),
                movements=ids,
                note=text,
            )
    return [movement(session, movement_id=i) for i in ids]
