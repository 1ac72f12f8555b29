"""Applying an order import: a backup first, then one transaction for every
order of the file, or nothing.

New orders go through ``sales.record_sale`` (first expiry first out, the
expiry rules, the audit row of each sale); returned units are ``returned``
movements tied to their sale line, back into the batches the sale took them
from; a cancelled order's sale is voided with ``sales.void_sale``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from shopdesk import audit, backup, sales, stock, store
from shopdesk.errors import ValidationError
from shopdesk.i18n import _
from shopdesk.orders.planning import (
    RECORD,
    RETURN,
    VOID,
    Existing,
    OrdersPreview,
    Plan,
    PlannedOrder,
    plan,
)
from shopdesk.orders.reading import read_orders
from shopdesk.profiles import Session, require_seller
from shopdesk.store.models import Movement


@dataclass(frozen=True)
class OrdersResult:
    preview: OrdersPreview
    recorded: int  # orders that became sales
    sale_numbers: tuple[int, ...]
    returned_units: int
    voided: int
    backup: str = ""


@store.follows_session
def preview_orders(session: Session, path: Path | str) -> OrdersPreview:
    """What importing this order export would do, row by row; nothing is written."""
    session = require_seller(session)
    return plan(session, read_orders(path, session.timezone)).preview()


@store.follows_session
def apply_orders(
    session: Session,
    path: Path | str,
    *,
    allow_negative: bool = False,
    allow_expired: bool = False,
) -> OrdersResult:
    """Import the order export in one transaction, or nothing.

    A row with a bad cell stops the whole import. Orders with an unknown SKU,
    unpaid and cancelled ones are left out (the preview lists them). Expired
    stock is refused naming every such batch of the file (``ExpiredStockError``)
    unless ``allow_expired``.
    """
    session = require_seller(session)
    file = read_orders(path, session.timezone)
    version = store.data_version()
    planned = plan(session, file)  # before the backup: a rejected file costs none
    preview = planned.preview()
    if preview.rejected:
        raise _rejected_error(preview)
    if not preview.has_work:  # the same file again: no backup, no audit row, nothing
        return OrdersResult(preview, 0, (), 0, 0)
    backup_path = str(backup.backup_before("orders").path)
    with store.transaction():
        if store.data_version() != version:  # another window wrote meanwhile: plan again
            planned = plan(session, file)
            preview = planned.preview()
        numbers, units, voided = _apply(session, planned, allow_negative, allow_expired)
        audit.record(
            "import.orders",
            actor=session.actor,
            shop_id=session.shop_id,
            file=file.name,
            format=file.format.code,
            recorded=len(numbers),
            returned=units,
            voided=voided,
        )
    return OrdersResult(preview, len(numbers), tuple(numbers), units, voided, backup_path)


def _rejected_error(preview: OrdersPreview) -> ValidationError:
    first = preview.rejected[0]
    return ValidationError(
        _(
            "{n} rows cannot be imported (first: {reason}). Nothing was imported. "
            "Fix the file and import it again."
        ).format(n=len(preview.rejected), reason="; ".join(first.messages))
    )


@store.follows_session
def _apply(
    session: Session, planned: Plan, allow_negative: bool, allow_expired: bool
) -> tuple[list[int], int, int]:
    numbers: list[int] = []
    units = voided = 0
    refused: list[stock.ExpiredLot] = []
    for order in planned.orders:
        if order.action == RECORD:
            try:
                numbers.append(_record(session, planned, order, allow_negative, allow_expired))
            except stock.ExpiredStockError as exc:
                refused += exc.lots  # asked once for the whole file, below
                continue
            except ValidationError as exc:
                raise ValidationError(
                    _("Order {order}: {message} Nothing was imported.").format(
                        order=order.order, message=exc.message
                    )
                ) from exc
        if order.action in (RECORD, RETURN):
            units += _return(session, order)
        elif order.action == VOID and order.existing is not None:
            note = _("cancelled in {title}").format(title=_(planned.file.format.title))
            sales.void_sale(session, number=order.existing.number, reason=note)
            voided += 1
    if refused:
        raise stock.ExpiredStockError(refused)  # rolls the whole import back
    return numbers, units, voided


@store.follows_session
def _record(
    session: Session,
    planned: Plan,
    order: PlannedOrder,
    allow_negative: bool,
    allow_expired: bool,
) -> int:
    fmt = planned.file.format
    lines = [
        sales.LineInput(
            planned.variants[line.sku.upper()][1], line.quantity, line.unit_price, line.discount
        )
        for line in order.lines
    ]
    at = next((line.at for line in order.lines if line.at is not None), None)
    sale = sales.record_sale(
        session,
        lines=lines,
        payment=fmt.payment,
        channel=fmt.channel,
        note=_("{title}, order {order}").format(title=_(fmt.title), order=order.order),
        at=at,
        allow_negative=allow_negative,
        allow_expired=allow_expired,
        external_order=order.order,
    )
    order.existing = _sale_lines(sale)
    return sale.number


def _sale_lines(sale: sales.SaleInfo) -> Existing:
    found = Existing(sale.id, sale.number, False)
    for line in sale.lines:
        found.lines.setdefault(line.sku.upper(), []).append(line.id)
    return found


@store.follows_session
def _return(session: Session, order: PlannedOrder) -> int:
    """Returned units back into the batches their sale lines took them from."""
    existing = order.existing
    if existing is None:
        return 0
    total = 0
    for sku, quantity in order.returns.items():
        line_ids = existing.lines.get(sku, [])
        left = quantity
        for move in _sold_moves(session, line_ids):
            room = -move.quantity - _returned_into(move)
            take = min(room, left)
            if take > 0:
                stock.write_movement(
                    session,
                    move.variant_id,
                    move.batch_id,
                    stock.RETURNED,
                    take,
                    _("returned, order {order}").format(order=order.order),
                    sale_line_id=move.sale_line_id,
                )
                left -= take
            if left == 0:
                break
        total += quantity - left
    return total


@store.follows_session
def _sold_moves(session: Session, line_ids: list[int]) -> list[Movement]:
    """The sale lines' movements, the batch taken last first (it goes back first)."""
    query = (
        Movement.select()
        .where(
            (Movement.shop == session.shop_id)
            & (Movement.reason == stock.SOLD)
            & Movement.sale_line.in_(line_ids)
        )
        .order_by(Movement.id.desc())
    )
    return list(query)


def _returned_into(move: Movement) -> int:
    """Units already returned into ``move``'s batch from its sale line."""
    batch = Movement.batch.is_null() if move.batch_id is None else Movement.batch == move.batch_id
    query = Movement.select(Movement.quantity).where(
        (Movement.sale_line == move.sale_line_id) & (Movement.reason == stock.RETURNED) & batch
    )
    return sum(q for (q,) in cast(Iterable[tuple[int]], query.tuples()))
