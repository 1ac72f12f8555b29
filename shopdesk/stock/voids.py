"""Undoing a movement: a new ``void`` movement whose ``reverses`` points at it.

The unique constraint on ``reverses`` makes a double void impossible even if
two windows try at once. A void of a void is refused (record a new movement),
and so is a sale's movement outside its sale's void.
"""

from __future__ import annotations

from typing import SupportsInt

import peewee

from shopdesk import audit, store
from shopdesk.errors import NotFoundError, ValidationError
from shopdesk.i18n import _
from shopdesk.profiles import Session, require_seller
from shopdesk.stock import cache
from shopdesk.stock.checks import VOID, below_zero, clean_note
from shopdesk.stock.ledger import write_movement
from shopdesk.stock.queries import MovementInfo, movement
from shopdesk.store.models import Batch, Movement, Sale, SaleLine, Variant


@store.follows_session
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
        raise below_zero(variant.sku, on_hand, -quantity)
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


@store.follows_session
@store.retried
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


@store.follows_session
def _own_movement(session: Session, movement_id: object) -> Movement:
    try:
        wanted = int(movement_id) if isinstance(movement_id, str | SupportsInt) else -1
    except (TypeError, ValueError):
        wanted = -1
    row = Movement.get_or_none((Movement.id == wanted) & (Movement.shop == session.shop_id))
    if row is None:
        raise NotFoundError(_("There is no movement number {id}.").format(id=movement_id))
    return row
