"""The stock ledger: the only writer of stock movements.

Every change of stock is an append-only ``Movement`` (triggers refuse UPDATE
and DELETE). On hand per lot (a batch, or the loose pool) is cached
(``stock_cache``) in the same transaction as the movement; ``check`` compares
the cache with the ledger and ``rebuild`` rewrites it from it.

Stock lives in batches (production runs) plus a *loose* pool (movements with
no batch): a stocktake surplus nobody can tie to a run, or the part of a sale
the seller allowed to go below zero. Batches never go below zero; the loose
pool may, but only when the seller confirms it for that one movement.
Removals take from batches first-expiry-first-out, then from the loose pool.

A correction of a movement is a new ``void`` movement whose ``reverses``
points at it; the unique constraint on ``reverses`` makes a double void
impossible even if two windows try at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import peewee

from shopdesk import audit, store
from shopdesk.clock import local_today, utcnow
from shopdesk.errors import NotFoundError, ValidationError
from shopdesk.i18n import N_, _
from shopdesk.profiles import Session, require_seller
from shopdesk.stock import cache
from shopdesk.store.models import Batch, Movement, Product, Sale, SaleLine, Variant

RECEIVED = "received"
RETURNED = "returned"
SOLD = "sold"
DAMAGED = "damaged"
EXPIRED = "expired"
SAMPLE = "sample"
STOCKTAKE = "stocktake"
CORRECTION = "correction"
VOID = "void"

REASON_LABELS = {
    RECEIVED: N_("produced or received"),
    RETURNED: N_("returned by a customer"),
    SOLD: N_("sold"),
    DAMAGED: N_("damaged"),
    EXPIRED: N_("expired"),
    SAMPLE: N_("given away as sample"),
    STOCKTAKE: N_("stocktake difference"),
    CORRECTION: N_("correction"),
    VOID: N_("void"),
}
REASONS = tuple(REASON_LABELS)
IN_REASONS = (RECEIVED, RETURNED)
OUT_REASONS = (SOLD, DAMAGED, EXPIRED, SAMPLE)
ADJUST_REASONS = (CORRECTION, STOCKTAKE)

MAX_QUANTITY = 1_000_000  # per movement; more is a typo (or a scanner stuck on a key)
MAX_NOTE = 500
MAX_BATCH_CODE = 40
_BATCH_CODE = re.compile(r"^[\w./ -]+$")
# First expiry first out; batches without dates go last, ties by age.
_FEFO = (
    Batch.expires_on.is_null(),
    Batch.expires_on,
    Batch.produced_on.is_null(),
    Batch.produced_on,
    Batch.id,
)


_FEFO_SQL = (
    "SELECT b.id, l.on_hand FROM lot_stock l JOIN batch b ON b.id = l.lot "
    "WHERE l.variant_id = ? AND l.lot != 0 AND l.on_hand > 0 ORDER BY "
    "b.expires_on IS NULL, b.expires_on, b.produced_on IS NULL, b.produced_on, b.id"
)


def reason_label(reason: str) -> str:
    return _(REASON_LABELS.get(reason, reason))


# --- what the services return -------------------------------------------


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


@dataclass(frozen=True)
class Mismatch:
    sku: str
    batch_code: str | None
    cached: int
    ledger: int


@dataclass(frozen=True)
class CheckReport:
    variants_checked: int
    batches_checked: int
    mismatches: tuple[Mismatch, ...]
    negative_batches: tuple[Mismatch, ...]

    @property
    def ok(self) -> bool:
        return not self.mismatches and not self.negative_batches


# --- input checks ----------------------------------------------------------


def check_quantity(
    value: object, *, allow_negative_sign: bool = False, allow_zero: bool = False
) -> int:
    """A whole number of units, 1 .. MAX_QUANTITY (signed when adjusting, from 0
    when counting)."""
    if isinstance(value, bool):
        raise ValidationError(_("The quantity must be a whole number."))
    if isinstance(value, str):
        text = value.strip()
        if not re.fullmatch(r"[+-]?\d{1,12}", text):
            raise ValidationError(
                _("“{text}” is not a quantity. Write a whole number such as 12.").format(text=text)
            )
        value = int(text)
    if not isinstance(value, int):
        raise ValidationError(_("The quantity must be a whole number."))
    if (value == 0 and not allow_zero) or (value < 0 and not allow_negative_sign):
        message = (
            _("The change cannot be zero.")
            if allow_negative_sign
            else _("The quantity must be 1 or more.")
        )
        raise ValidationError(message)
    if abs(value) > MAX_QUANTITY:
        raise ValidationError(
            _("{quantity} is too many for one entry: at most {limit} per movement.").format(
                quantity=value, limit=MAX_QUANTITY
            )
        )
    return value


def clean_note(note: object) -> str:
    text = str(note or "").replace("\x00", "").strip()
    if len(text) > MAX_NOTE:
        raise ValidationError(
            _("The note is too long: at most {limit} characters.").format(limit=MAX_NOTE)
        )
    return text


def parse_date(value: object, *, field: str) -> date | None:
    """A date object or ``YYYY-MM-DD`` text; None stays None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ValidationError(
            _("“{text}” is not a date for {field}. Write it like 2025-03-31.").format(
                text=value, field=field
            )
        ) from exc


def _batch_code(code: object) -> str:
    text = str(code or "").strip()
    if not text or len(text) > MAX_BATCH_CODE or not _BATCH_CODE.match(text):
        raise ValidationError(
            _(
                "“{code}” is not a production code: use letters, digits, - . / "
                "and at most {limit} characters."
            ).format(code=text, limit=MAX_BATCH_CODE)
        )
    return text


def _check_reason(reason: str, allowed: tuple[str, ...]) -> str:
    if reason not in allowed:
        raise ValidationError(
            _("“{reason}” is not a reason here. Choose one of: {choices}.").format(
                reason=reason, choices=", ".join(allowed)
            )
        )
    return reason


# --- lookups, always inside the seller's shop --------------------------------


def find_variant(session: Session, sku: str) -> Variant:
    """The variant with this SKU in the seller's shop (case-insensitive)."""
    text = str(sku or "").strip()
    if text:
        row = (
            Variant.select(Variant, Product)
            .join(Product)
            .where((Variant.shop == session.shop_id) & (Variant.sku == text))
            .first()
        )
        if row is None:
            row = (
                Variant.select(Variant, Product)
                .join(Product)
                .where(
                    (Variant.shop == session.shop_id)
                    & (peewee.fn.upper(Variant.sku) == text.upper())
                )
                .first()
            )
        if row is not None:
            return row
    raise NotFoundError(_("Unknown SKU: {sku}").format(sku=text))


@dataclass(frozen=True)
class VariantRow:
    """What a sale needs of a variant, read with one indexed query."""

    id: int
    sku: str
    price: int
    cost: int
    on_hand: int
    product_name: str


_VARIANT_SQL = (
    f"SELECT v.id, v.sku, v.price, v.cost, {cache.VARIANT_ON_HAND_SQL}, p.name "
    "FROM variant v JOIN product p ON p.id = v.product_id "
    "WHERE v.shop_id = ? AND v.sku = ?"
)


def lookup_variant(session: Session, sku: str) -> VariantRow:
    """Like ``find_variant`` but light: for the sale path."""
    text = str(sku or "").strip()
    run = store.database.execute_sql
    row = run(_VARIANT_SQL, (session.shop_id, text)).fetchone() if text else None
    if row is None and text and text != text.upper():
        row = run(_VARIANT_SQL, (session.shop_id, text.upper())).fetchone()
    if row is None:
        return VariantRow(*_row_of(find_variant(session, text)))
    return VariantRow(*row)


def _row_of(v: Variant) -> tuple:
    return (v.id, v.sku, v.price, v.cost, cache.variant_on_hand(v.id), v.product.name)


def _find_batch(variant: Variant, code: str) -> Batch:
    row = Batch.get_or_none((Batch.variant == variant.id) & (Batch.code == code))
    if row is None:
        raise NotFoundError(
            _("{sku} has no batch with production code {code}.").format(sku=variant.sku, code=code)
        )
    return row


# --- the one place that writes movements ------------------------------------


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
    movement_id = run(
        "INSERT INTO movement (shop_id, variant_id, batch_id, reason, quantity, note, actor, at, "
        "reverses_id, sale_line_id, count_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
    ).lastrowid
    cache.add(session.shop_id, variant_id, batch_id, quantity)
    return movement_id


def _refuse_below_zero(variant: Variant, available: int, quantity: int) -> ValidationError:
    return ValidationError(
        _(
            "Only {available} of {sku} in stock, so {quantity} cannot be taken. "
            "Check the count, or confirm that stock may go below zero for this one entry."
        ).format(available=available, sku=variant.sku, quantity=quantity)
    )


def take(
    session: Session,
    variant: Variant,
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
) -> list[int]:
    """Take ``quantity`` (> 0) out of stock, FEFO unless a batch is named.

    Call inside a transaction with a variant read in it; ``on_hand`` is its
    figure when that read already had it (the sale path's ``VariantRow``).
    Returns movement ids.
    """
    run = store.database.execute_sql
    if not allow_negative:  # the figure only serves this check
        current = cache.variant_on_hand(variant.id) if on_hand is None else on_hand
        if current - quantity < 0:
            raise _refuse_below_zero(variant, current, quantity)
    extra = {"sale_line_id": sale_line_id, "count_id": count_id, "at": at}
    if batch_code:
        batch = _find_batch(variant, _batch_code(batch_code))
        available = cache.lot_on_hand(variant.id, batch.id)
        if available < quantity and not allow_negative:
            raise ValidationError(
                _(
                    "Batch {code} of {sku} has only {available} left, so {quantity} cannot be "
                    "taken from it. Name another batch or leave the batch empty."
                ).format(code=batch.code, sku=variant.sku, available=available, quantity=quantity)
            )
        plan = [(batch.id, min(quantity, max(available, 0)))]
    else:
        plan = []
        remaining = quantity
        rows = run(_FEFO_SQL, (variant.id,)).fetchall()
        for batch_id, on_hand in rows:
            if remaining == 0:
                break
            part = min(on_hand, remaining)
            plan.append((batch_id, part))
            remaining -= part
    left = quantity - sum(part for _id, part in plan)
    ids = [
        write_movement(session, variant.id, batch_id, reason, -part, note, **extra)
        for batch_id, part in plan
        if part > 0
    ]
    if left > 0:  # from the loose pool; below zero only when allowed above
        ids.append(write_movement(session, variant.id, None, reason, -left, note, **extra))
    return ids


def batch_code_for(day: date) -> str:
    """The production code a run made on ``day`` gets by default: ``P250331``."""
    return "P" + day.strftime("%y%m%d")


def default_expiry(produced: date, shelf_life_days: int) -> date | None:
    """Expiry of a run: its production date plus the product's shelf life, if any."""
    return produced + timedelta(days=shelf_life_days) if shelf_life_days > 0 else None


def _generated_code(
    variant: Variant, day: date, produced: date | None, expires: date | None
) -> tuple[str, Batch | None]:
    """``P250331``, or ``P250331-2`` ... when that code is taken by another run.

    Returns (code, batch to reuse or None): a second delivery on the same day
    with the same dates goes into the same batch.
    """
    base = batch_code_for(day)
    suffix = 1
    while True:
        code = base if suffix == 1 else f"{base}-{suffix}"
        row = Batch.get_or_none((Batch.variant == variant.id) & (Batch.code == code))
        if row is None:
            return code, None
        if row.produced_on == produced and row.expires_on == expires:
            return code, row
        suffix += 1


def _receiving_batch(
    session: Session,
    variant: Variant,
    *,
    batch_code: str | None,
    produced_on: object,
    expires_on: object,
    quantity: int,
    reason: str,
) -> Batch:
    produced = parse_date(produced_on, field=_("production date"))
    expires = parse_date(expires_on, field=_("expiry date"))
    code = _batch_code(batch_code) if batch_code else None
    existing = (
        Batch.get_or_none((Batch.variant == variant.id) & (Batch.code == code)) if code else None
    )
    if existing is not None:
        if (produced and produced != existing.produced_on) or (
            expires and expires != existing.expires_on
        ):
            raise ValidationError(
                _(
                    "Batch {code} of {sku} already exists with other dates. "
                    "Give the new run its own production code."
                ).format(code=code, sku=variant.sku)
            )
    else:
        today = local_today(session.timezone)
        if produced is None and expires is None:
            produced = today  # a production run made today; a bought-in lot may know only expiry
        if expires is None and produced is not None:
            expires = default_expiry(produced, variant.product.shelf_life_days)
        if expires is not None and produced is not None and expires < produced:
            raise ValidationError(
                _("The expiry date {expires} is before the production date {produced}.").format(
                    expires=expires.isoformat(), produced=produced.isoformat()
                )
            )
        if code is None:
            code, existing = _generated_code(variant, produced or today, produced, expires)
    if existing is not None:  # named, or the same run delivered again today
        if reason == RECEIVED:
            Batch.update(quantity=Batch.quantity + quantity).where(
                Batch.id == existing.id
            ).execute()
        return existing
    return Batch.create(
        shop=session.shop_id,
        variant=variant.id,
        code=code,
        produced_on=produced,
        expires_on=expires,
        quantity=quantity if reason == RECEIVED else 0,
        created_at=utcnow(),
    )


# --- public services ---------------------------------------------------------


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
    _check_reason(reason, IN_REASONS)
    text = clean_note(note)
    with store.transaction():
        variant = find_variant(session, sku)
        batch = _receiving_batch(
            session,
            variant,
            batch_code=batch_code,
            produced_on=produced_on,
            expires_on=expires_on,
            quantity=qty,
            reason=reason,
        )
        movement_id = write_movement(session, variant.id, batch.id, reason, qty, text)
    return movement(session, movement_id=movement_id)


def remove(
    session: Session,
    *,
    sku: str,
    quantity: int,
    reason: str,
    batch_code: str | None = None,
    note: str = "",
    allow_negative: bool = False,
) -> list[MovementInfo]:
    """Stock out (sold, damaged, expired, sample), FEFO unless a batch is named."""
    session = require_seller(session)
    qty = check_quantity(quantity)
    _check_reason(reason, OUT_REASONS)
    text = clean_note(note)
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
        )
    return [movement(session, movement_id=i) for i in ids]


def apply_difference(
    session: Session,
    variant: Variant,
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
    batch_id = _find_batch(variant, _batch_code(batch_code)).id if batch_code else None
    return [
        write_movement(session, variant.id, batch_id, reason, difference, note, count_id=count_id)
    ]


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


def reverse(
    session: Session,
    original: Movement,
    *,
    note: str = "",
    allow_negative: bool = False,
    from_sale: bool = False,
) -> int:
    """Write the void of one movement, inside the caller's transaction."""
    if original.reason == VOID:
        raise ValidationError(
            _(
                "Movement {id} is itself a void and cannot be voided. "
                "Record a new movement instead."
            ).format(id=original.id)
        )
    if original.sale_line_id is not None and not from_sale:
        number = (
            Sale.select(Sale.number)
            .join(SaleLine)
            .where(SaleLine.id == original.sale_line_id)
            .scalar()
        )
        raise ValidationError(
            _("Movement {id} belongs to sale {number}: void the sale instead.").format(
                id=original.id, number=number
            )
        )
    done = Movement.get_or_none(Movement.reverses == original.id)
    if done is not None:
        raise _already_voided(original.id, done.id)
    quantity = -original.quantity
    variant = Variant.get_by_id(original.variant_id)
    if original.batch_id is not None:
        batch = Batch.get_by_id(original.batch_id)
        available = cache.lot_on_hand(variant.id, batch.id)
        if available + quantity < 0:
            raise ValidationError(
                _(
                    "Voiding movement {id} would leave batch {code} of {sku} below zero "
                    "(it has {available}). Count the stock and adjust instead."
                ).format(id=original.id, code=batch.code, sku=variant.sku, available=available)
            )
    on_hand = cache.variant_on_hand(variant.id)
    if on_hand + quantity < 0 and not allow_negative:
        raise _refuse_below_zero(variant, on_hand, -quantity)
    try:
        with store.database.atomic():  # a savepoint: the race loser keeps its transaction
            return write_movement(
                session,
                original.variant_id,
                original.batch_id,
                VOID,
                quantity,
                note,
                reverses_id=original.id,
                sale_line_id=original.sale_line_id,
            )
    except peewee.IntegrityError as exc:
        other = Movement.get_or_none(Movement.reverses == original.id)
        raise _already_voided(original.id, other.id if other else 0) from exc


def _already_voided(movement_id: int, by_id: int) -> ValidationError:
    return ValidationError(
        _("Movement {id} was already voided by movement {other}. Nothing was changed.").format(
            id=movement_id, other=by_id
        )
    )


def void_movement(
    session: Session, *, movement_id: int, note: str = "", allow_negative: bool = False
) -> MovementInfo:
    """Undo one movement with a new one pointing at it (at most once)."""
    session = require_seller(session)
    text = clean_note(note)
    with store.transaction():
        original = _own_movement(session, movement_id)
        new_id = reverse(session, original, note=text, allow_negative=allow_negative)
        audit.record(
            "stock.void",
            actor=session.actor,
            shop_id=session.shop_id,
            movement=original.id,
            void=new_id,
            note=text,
        )
    return movement(session, movement_id=new_id)


def _own_movement(session: Session, movement_id: object) -> Movement:
    try:
        wanted = int(movement_id)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        wanted = -1
    row = Movement.get_or_none((Movement.id == wanted) & (Movement.shop == session.shop_id))
    if row is None:
        raise NotFoundError(_("There is no movement number {id}.").format(id=movement_id))
    return row


# --- reading the ledger ---------------------------------------------------


def _movement_query(session: Session):
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


def _to_info(row: tuple) -> MovementInfo:
    return MovementInfo(*row)


def movement(session: Session, *, movement_id: int) -> MovementInfo:
    session = require_seller(session)
    row = _movement_query(session).where(Movement.id == movement_id).tuples().first()
    if row is None:
        raise NotFoundError(_("There is no movement number {id}.").format(id=movement_id))
    return _to_info(row)


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
        query = query.where(Movement.reason == _check_reason(reason, REASONS))
    if since is not None:
        query = query.where(Movement.at >= since)
    if until is not None:
        query = query.where(Movement.at < until)
    query = query.order_by(Movement.id.desc()).limit(max(1, min(limit, 100_000))).offset(offset)
    return [_to_info(row) for row in query.tuples()]


_BATCH_ON_HAND = cache.BATCH_ON_HAND


def _batch_query(session: Session):
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
    return [BatchInfo(*row) for row in query.tuples()]


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
    return [BatchInfo(*row) for row in query.order_by(Batch.expires_on, Variant.sku).tuples()]


def expired(session: Session, *, today: date | None = None) -> list[BatchInfo]:
    """Batches that still hold stock after their expiry date."""
    session = require_seller(session)
    start = today or local_today(session.timezone)
    query = _batch_query(session).where((_BATCH_ON_HAND > 0) & (Batch.expires_on < start))
    return [BatchInfo(*row) for row in query.order_by(Batch.expires_on, Variant.sku).tuples()]


def write_off_expired(
    session: Session, *, today: date | None = None, note: str = ""
) -> list[MovementInfo]:
    """Take every expired batch's stock out with reason ``expired``."""
    session = require_seller(session)
    text = clean_note(note)
    ids: list[int] = []
    with store.transaction():
        for info in expired(session, today=today):
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
    return [movement(session, movement_id=i) for i in ids]


def stock(session: Session, *, sku: str) -> StockInfo:
    """On hand of one variant, with its batches and loose stock."""
    session = require_seller(session)
    variant = find_variant(session, sku)
    rows = [
        BatchInfo(*row)
        for row in _batch_query(session)
        .where((Batch.variant == variant.id) & (_BATCH_ON_HAND != 0))
        .order_by(*_FEFO)
        .tuples()
    ]
    on_hand = cache.variant_on_hand(variant.id)
    loose = on_hand - sum(b.on_hand for b in rows)
    return StockInfo(variant.sku, variant.product.name, on_hand, loose, tuple(rows))


# --- cache against ledger -------------------------------------------------

# One GROUP BY over the covering index movement_ledger(shop_id, variant_id,
# batch_id, quantity) fills a temp table with the non-zero sum of every lot,
# in key order (lot 0, the loose pool, sorts first in each variant). Its row
# count is the number of lots the cache must hold. The SQL is SQLite's (temp
# schema, ?1 parameters, WITHOUT ROWID); a PostgreSQL twin has the same shape.
_LEDGER = (
    "CREATE TEMP TABLE ledger (variant_id INTEGER NOT NULL, lot INTEGER NOT NULL, "
    "q INTEGER NOT NULL)",
    "INSERT INTO temp.ledger SELECT variant_id, COALESCE(batch_id, 0), SUM(quantity) AS q "
    "FROM movement WHERE shop_id = ?1 GROUP BY variant_id, batch_id HAVING q != 0",
)
# A lot row is wrong when it differs from its non-zero sum (in figure or in
# shop; a missing row reads 0), or when it holds stock the ledger does not
# back (a stray: every row is born with a movement, so this is damage). Rows
# as (variant_id, lot, cached, ledger, counted): counted when _CACHED_ROWS
# counts the row. Strays are rare and costly to look for: counting tells
# whether there are any (more non-zero rows under this shop than sums).
_WRONG = (
    "SELECT l.variant_id, l.lot, COALESCE(c.on_hand, 0), l.q, "
    "COALESCE(c.shop_id = ?1 AND c.on_hand != 0, 0) FROM temp.ledger l "
    "LEFT JOIN lot_stock c ON c.variant_id = l.variant_id AND c.lot = l.lot "
    "WHERE COALESCE(c.on_hand, 0) != l.q OR c.shop_id != ?1"
)
_NOT_IN_LEDGER = (
    "NOT EXISTS (SELECT 1 FROM temp.ledger l "
    "WHERE l.variant_id = lot_stock.variant_id AND l.lot = lot_stock.lot)"
)
_STRAYS = (
    "SELECT variant_id, lot, on_hand, 0, 1 FROM lot_stock "
    f"WHERE shop_id = ?1 AND on_hand != 0 AND {_NOT_IN_LEDGER}"
)
_LEDGER_KEY = "CREATE INDEX temp.ledger_key ON ledger (variant_id, lot)"  # for the strays
_CACHED_ROWS = "SELECT COUNT(*) FROM lot_stock WHERE shop_id = ?1 AND on_hand != 0"
_NEGATIVE = "SELECT variant_id, lot, q, q, 1 FROM temp.ledger WHERE lot != 0 AND q < 0"
# The fix: an upsert that changes only wrong rows, in key order (its row
# count is the number fixed; a healthy shop writes nothing). Then, only when
# counting finds strays: a row filed under this shop for another shop's
# variant goes back to its owner (its figure is the owner's to check), a row
# of a variant or batch that does not exist goes, and so do the strays.
_FIX = (
    "INSERT INTO lot_stock (variant_id, lot, shop_id, on_hand) "
    "SELECT variant_id, lot, ?1, q FROM temp.ledger WHERE true "
    "ON CONFLICT (variant_id, lot) DO UPDATE SET on_hand = excluded.on_hand, "
    "shop_id = excluded.shop_id WHERE on_hand != excluded.on_hand OR shop_id != excluded.shop_id"
)
_FIX_STRAYS = (
    "UPDATE lot_stock SET shop_id = v.shop_id FROM variant v "
    "WHERE v.id = lot_stock.variant_id AND lot_stock.shop_id = ?1 AND v.shop_id != ?1",
    "DELETE FROM lot_stock WHERE shop_id = ?1 AND ("
    "NOT EXISTS (SELECT 1 FROM variant v WHERE v.id = lot_stock.variant_id) OR (lot != 0 AND "
    "NOT EXISTS (SELECT 1 FROM batch b WHERE b.id = lot AND b.variant_id = lot_stock.variant_id)))",
    f"DELETE FROM lot_stock WHERE shop_id = ?1 AND on_hand != 0 AND {_NOT_IN_LEDGER}",
)


def _run_sql(run, shop: int, sql: str):
    return run(sql, (shop,) if "?1" in sql else ())


def _with_ledger(shop_id: int, work):
    """Run ``work(run, sums)`` with the temp table in place; ``sums`` is the
    number of lots with a non-zero sum."""
    run = store.database.execute_sql
    run("DROP TABLE IF EXISTS temp.ledger")
    try:
        sums = [_run_sql(run, shop_id, sql).rowcount for sql in _LEDGER][-1]
        return work(run, sums)
    finally:
        run("DROP TABLE IF EXISTS temp.ledger")


def _names(run, sql: str, shop: int, ids: set[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for part in store.chunks(sorted(ids), 500):
        query = sql.format(ids=", ".join("?" * len(part)))
        found.update(run(query, (shop, *part)).fetchall())
    return found


def _named(run, shop: int, rows: list[tuple]) -> list[Mismatch]:
    """Mismatches with SKU and batch code, for the few rows that are wrong.
    Only this shop's names: a row filed here for another shop's variant is "?"."""
    skus = _names(run, _SKUS, shop, {row[0] for row in rows})
    codes = _names(run, _CODES, shop, {row[1] for row in rows if row[1]})
    return [
        Mismatch(skus.get(v, "?"), codes.get(lot, "?") if lot else None, cached, ledger)
        for v, lot, cached, ledger, _counted in rows
    ]


_SKUS = "SELECT id, sku FROM variant WHERE shop_id = ? AND id IN ({ids})"
_CODES = "SELECT id, code FROM batch WHERE shop_id = ? AND id IN ({ids})"


def _count(run, table: str, shop: int) -> int:
    return run(f"SELECT COUNT(*) FROM {table} WHERE shop_id = ?", (shop,)).fetchone()[0]


def check(session: Session) -> CheckReport:
    """Compare the cache with the ledger in one read snapshot; change nothing."""
    session = require_seller(session)
    shop = session.shop_id

    def compare(run, sums: int) -> CheckReport:
        rows = run(_WRONG, (shop,)).fetchall()
        # The non-zero rows _CACHED_ROWS finds behind a sum: all but the wrong
        # ones it does not count; any other row it counts is a stray.
        matched = sums - sum(1 for row in rows if not row[4])
        if run(_CACHED_ROWS, (shop,)).fetchone()[0] > matched:
            run(_LEDGER_KEY)
            rows += run(_STRAYS, (shop,)).fetchall()
        return CheckReport(
            _count(run, "variant", shop),
            _count(run, "batch", shop),
            tuple(_named(run, shop, rows)),
            tuple(_named(run, shop, run(_NEGATIVE).fetchall())),
        )

    with store.database.atomic("DEFERRED"):  # a read snapshot, no write lock
        return _with_ledger(shop, compare)


def rebuild(session: Session) -> int:
    """Rewrite every on-hand figure of the shop from the ledger.

    Returns how many cached figures were wrong (and are now right). Only the
    wrong rows are written, so a healthy shop costs what a check costs, and a
    wiped one rewrites one narrow table in key order.
    """
    session = require_seller(session)
    shop = session.shop_id

    def repair(run, sums: int) -> int:
        fixed = run(_FIX, (shop,)).rowcount
        # Every non-zero sum now has its row, filed under this shop; more are strays.
        if run(_CACHED_ROWS, (shop,)).fetchone()[0] > sums:
            run(_LEDGER_KEY)
            fixed += sum(run(sql, (shop,)).rowcount for sql in _FIX_STRAYS)
        return fixed

    with store.transaction():
        fixed = _with_ledger(shop, repair)
        audit.record("stock.rebuild", actor=session.actor, shop_id=shop, fixed=fixed)
    return fixed
