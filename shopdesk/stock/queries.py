"""Reading stock: movements, batches in first-expiry-first-out order, and the
on-hand of a variant with its batches and loose stock. Nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import peewee

from shopdesk import store
from shopdesk.clock import local_today
from shopdesk.errors import NotFoundError, ValidationError
from shopdesk.i18n import _
from shopdesk.profiles import Session, require_seller
from shopdesk.stock import cache
from shopdesk.stock.checks import REASONS, check_reason
from shopdesk.stock.lookups import find_variant
from shopdesk.store.models import Batch, Movement, Product, Variant


@dataclass(frozen=True)
class MovementInfo:
    id: int
    at: datetime
    sku: str
    variant_id: int
    batch_code: str | None
    reason: str
    quantity: int
    note: str
    actor: str
    reverses_id: int | None
    voided_by_id: int | None
    sale_line_id: int | None
    count_id: int | None


@dataclass(frozen=True)
class BatchInfo:
    id: int
    sku: str
    product_name: str
    code: str
    produced_on: date | None
    expires_on: date | None
    quantity: int
    on_hand: int


@dataclass(frozen=True)
class StockInfo:
    sku: str
    product_name: str
    on_hand: int
    loose: int  # stock not tied to a batch (may be negative)
    batches: tuple[BatchInfo, ...]


# First expiry first out; batches without dates go last, ties by age.
_FEFO = (
    Batch.expires_on.is_null(),
    Batch.expires_on,
    Batch.produced_on.is_null(),
    Batch.produced_on,
    Batch.id,
)
# Its raw SQL twin, for the removal on the sale path.
_FEFO_SQL = (
    "SELECT b.id, l.on_hand FROM lot_stock l JOIN batch b ON b.id = l.lot "
    "WHERE l.variant_id = ? AND l.lot != 0 AND l.on_hand > 0 ORDER BY "
    "b.expires_on IS NULL, b.expires_on, b.produced_on IS NULL, b.produced_on, b.id"
)


def fefo_lots(variant_id: int) -> list[tuple[int, int]]:
    """(batch id, on hand) of the variant's batches with stock, in the order
    removals take from them."""
    rows: list[tuple[int, int]] = store.database.execute_sql(_FEFO_SQL, (variant_id,)).fetchall()
    return rows


# Every lot with stock for a removal to a customer, in one query: the loose
# pool (lot 0, no batch row) and each batch with its code, expiry and whether
# it is past its expiry on the given day. Batches keep the FEFO order.
_SELLABLE_SQL = (
    "SELECT l.lot, l.on_hand, b.code, b.expires_on, CASE WHEN b.expires_on < ? THEN 1 ELSE 0 END "
    "FROM lot_stock l LEFT JOIN batch b ON b.id = l.lot "
    "WHERE l.variant_id = ? AND l.on_hand > 0 ORDER BY "
    "b.expires_on IS NULL, b.expires_on, b.produced_on IS NULL, b.produced_on, b.id"
)


def sellable_lots(variant_id: int, day: date) -> list[tuple[int, int, str | None, Any, int]]:
    """(lot, on hand, batch code, expiry, expired on ``day``) of the variant's
    lots with stock; lot 0 is the loose pool."""
    rows: list[tuple[int, int, str | None, Any, int]] = store.database.execute_sql(
        _SELLABLE_SQL, (str(day), variant_id)
    ).fetchall()
    return rows


def row_tuples(query: peewee.ModelSelect[Any]) -> list[tuple[Any, ...]]:
    """The rows of ``query`` as plain tuples (iterating a ``.tuples()`` query
    is typed as model objects)."""
    rows: list[tuple[Any, ...]] = list(query.tuples().execute())
    return rows


# --- movements ------------------------------------------------------------


@store.follows_session
def _movement_query(session: Session) -> peewee.ModelSelect[Movement]:
    voider = Movement.alias("voider")
    return (
        Movement.select(
            Movement.id,
            Movement.at,
            Variant.sku,
            Movement.variant,
            Batch.code,
            Movement.reason,
            Movement.quantity,
            Movement.note,
            Movement.actor,
            Movement.reverses,
            voider.id,
            Movement.sale_line,
            Movement.count,
        )
        .join(Variant, on=(Movement.variant == Variant.id))
        .switch(Movement)
        .join(Batch, peewee.JOIN.LEFT_OUTER, on=(Movement.batch == Batch.id))
        .switch(Movement)
        .join(voider, peewee.JOIN.LEFT_OUTER, on=(voider.reverses == Movement.id))
        .where(Movement.shop == session.shop_id)
    )


@store.follows_session
def movement(session: Session, *, movement_id: int) -> MovementInfo:
    session = require_seller(session)
    row: tuple[Any, ...] | None = (
        _movement_query(session).where(Movement.id == movement_id).tuples().first()
    )
    if row is None:
        raise NotFoundError(_("There is no movement number {id}.").format(id=movement_id))
    return MovementInfo(*row)


@store.follows_session
def history(
    session: Session,
    *,
    sku: str | None = None,
    reason: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[MovementInfo]:
    """Movements, newest first; ``since``/``until`` are UTC."""
    session = require_seller(session)
    query = _movement_query(session)
    if sku:
        query = query.where(Movement.variant == find_variant(session, sku).id)
    if reason:
        query = query.where(Movement.reason == check_reason(reason, REASONS))
    if since is not None:
        query = query.where(Movement.at >= since)
    if until is not None:
        query = query.where(Movement.at < until)
    query = query.order_by(Movement.id.desc()).limit(max(1, min(limit, 100_000))).offset(offset)
    return [MovementInfo(*row) for row in row_tuples(query)]


# --- batches and on hand ----------------------------------------------------

_BATCH_ON_HAND = cache.BATCH_ON_HAND


@store.follows_session
def _batch_query(session: Session) -> peewee.ModelSelect[Batch]:
    query = (
        Batch.select(
            Batch.id,
            Variant.sku,
            Product.name,
            Batch.code,
            Batch.produced_on,
            Batch.expires_on,
            Batch.quantity,
            _BATCH_ON_HAND,
        )
        .join(Variant, on=(Batch.variant == Variant.id))
        .join(Product, on=(Variant.product == Product.id))
    )
    return cache.join_batch_stock(query).where(Batch.shop == session.shop_id)


@store.follows_session
def batches(
    session: Session, *, sku: str | None = None, include_empty: bool = False
) -> list[BatchInfo]:
    """Batches in FEFO order (the order removals take from)."""
    session = require_seller(session)
    query = _batch_query(session)
    if sku:
        query = query.where(Batch.variant == find_variant(session, sku).id)
    if not include_empty:
        query = query.where(_BATCH_ON_HAND != 0)
    query = query.order_by(Variant.sku, *_FEFO)
    return [BatchInfo(*row) for row in row_tuples(query)]


@store.follows_session
def expiring(session: Session, *, within_days: int, today: date | None = None) -> list[BatchInfo]:
    """Batches with stock that expire from today to today + ``within_days``."""
    session = require_seller(session)
    days = int(within_days)
    if days < 0 or days > 3650:
        raise ValidationError(_("Choose between 0 and 3650 days."))
    start = today or local_today(session.timezone)
    query = _batch_query(session).where(
        (_BATCH_ON_HAND > 0)
        & (Batch.expires_on >= start)
        & (Batch.expires_on <= start + timedelta(days=days))
    )
    return [BatchInfo(*row) for row in row_tuples(query.order_by(Batch.expires_on, Variant.sku))]


@store.follows_session
def expired(session: Session, *, today: date | None = None) -> list[BatchInfo]:
    """Batches that still hold stock after their expiry date."""
    session = require_seller(session)
    start = today or local_today(session.timezone)
    query = _batch_query(session).where((_BATCH_ON_HAND > 0) & (Batch.expires_on < start))
    return [BatchInfo(*row) for row in row_tuples(query.order_by(Batch.expires_on, Variant.sku))]


@store.follows_session
def stock(session: Session, *, sku: str) -> StockInfo:
    """On hand of one variant, with its batches and loose stock."""
    session = require_seller(session)
    variant = find_variant(session, sku)
    query = _batch_query(session).where((Batch.variant == variant.id) & (_BATCH_ON_HAND != 0))
    rows = [BatchInfo(*row) for row in row_tuples(query.order_by(*_FEFO))]
    on_hand = cache.variant_on_hand(variant.id)
    loose = on_hand - sum(b.on_hand for b in rows)
    return StockInfo(variant.sku, variant.product.name, on_hand, loose, tuple(rows))
