"""The on-hand cache: one narrow row per lot that has stock history
(``lot_stock``): a lot is a batch of a variant, or lot 0 for its stock tied to
no batch (the loose pool). A missing row means zero; a variant's figure is the
sum of its lots, one key range of the primary key (variant_id, lot).

``ledger.write_movement`` writes it through ``add`` in the transaction of
each movement.
Readers use ``variant_on_hand_expr`` / ``BATCH_ON_HAND`` with
``join_batch_stock`` (peewee) or the ``*_SQL`` fragments (raw SQL), so that
"no row" reads as 0 everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import peewee

from shopdesk import store
from shopdesk.store.models import Batch, LotStock, Variant

LOOSE = 0  # the lot of stock tied to no batch

M = TypeVar("M", bound=peewee.Model)


def variant_on_hand_expr(
    variant: type[Variant] | peewee.ModelAlias[Variant] = Variant,
) -> peewee.Node:
    """The on-hand figure of ``variant`` (a model or alias in the outer query)."""
    lots = LotStock.alias("lots")
    total = lots.select(peewee.fn.SUM(lots.on_hand)).where(lots.variant_id == variant.id)
    return peewee.fn.COALESCE(total, 0)


VARIANT_ON_HAND = variant_on_hand_expr()
BATCH_ON_HAND = peewee.fn.COALESCE(LotStock.on_hand, 0)

# Raw SQL twins, for a variant aliased ``v`` and a batch aliased ``b``.
VARIANT_ON_HAND_SQL = "COALESCE((SELECT SUM(on_hand) FROM lot_stock WHERE variant_id = v.id), 0)"
BATCH_JOIN_SQL = "LEFT JOIN lot_stock bs ON bs.variant_id = b.variant_id AND bs.lot = b.id"
BATCH_ON_HAND_SQL = "COALESCE(bs.on_hand, 0)"


def join_batch_stock(query: peewee.ModelSelect[M]) -> peewee.ModelSelect[M]:
    """``query`` (which selects from or has joined ``batch``) with its lot row."""
    return query.join_from(
        Batch,
        LotStock,
        peewee.JOIN.LEFT_OUTER,
        on=((LotStock.variant_id == Batch.variant) & (LotStock.lot == Batch.id)),
    )


def variant_on_hand(variant_id: int) -> int:
    sql = "SELECT COALESCE(SUM(on_hand), 0) FROM lot_stock WHERE variant_id = ?"
    on_hand: int = store.database.execute_sql(sql, (variant_id,)).fetchone()[0]
    return on_hand


def lot_on_hand(variant_id: int, lot: int | None) -> int:
    """On hand of one batch of the variant (``None`` or ``LOOSE``: the loose pool)."""
    row = store.database.execute_sql(
        "SELECT on_hand FROM lot_stock WHERE variant_id = ? AND lot = ?",
        (variant_id, lot or LOOSE),
    ).fetchone()
    return row[0] if row else 0


_ADD = (
    "INSERT INTO lot_stock (variant_id, lot, shop_id, on_hand) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (variant_id, lot) DO UPDATE SET on_hand = lot_stock.on_hand + excluded.on_hand"
)


def add(shop_id: int, variant_id: int, batch_id: int | None, quantity: int) -> None:
    """Move the lot's figure by one movement's quantity (inside its transaction)."""
    store.database.execute_sql(_ADD, (variant_id, batch_id or LOOSE, shop_id, quantity))


def add_many(shop_id: int, moves: Sequence[tuple[int, int | None, int]]) -> None:
    """``add`` for many (variant id, batch id, quantity) at once, in one statement."""
    store.execute_many(_ADD, [(vid, bid or LOOSE, shop_id, qty) for vid, bid, qty in moves])
