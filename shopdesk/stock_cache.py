"""The on-hand caches: one narrow row per variant and per batch that has stock
history (``variant_stock``, ``batch_stock``); a missing row means zero.

``inventory`` writes them in the transaction of each movement. Readers join
them LEFT OUTER and read ``VARIANT_ON_HAND`` / ``BATCH_ON_HAND`` (peewee) or
the ``*_SQL`` fragments (raw SQL), so that "no row" reads as 0 everywhere.
"""

from __future__ import annotations

import peewee

from shopdesk import db
from shopdesk.models import Batch, BatchStock, Variant, VariantStock

VARIANT_ON_HAND = peewee.fn.COALESCE(VariantStock.on_hand, 0)
BATCH_ON_HAND = peewee.fn.COALESCE(BatchStock.on_hand, 0)

# Raw SQL twins, for a variant aliased ``v`` and a batch aliased ``b``.
VARIANT_JOIN_SQL = "LEFT JOIN variant_stock vs ON vs.variant_id = v.id"
VARIANT_ON_HAND_SQL = "COALESCE(vs.on_hand, 0)"
BATCH_JOIN_SQL = "LEFT JOIN batch_stock bs ON bs.batch_id = b.id"
BATCH_ON_HAND_SQL = "COALESCE(bs.on_hand, 0)"


def join_variant_stock(query: peewee.ModelSelect, variant=Variant) -> peewee.ModelSelect:
    """``query`` (which selects from or has joined ``variant``) with its cache row."""
    return query.join_from(
        variant, VariantStock, peewee.JOIN.LEFT_OUTER, on=(VariantStock.variant_id == variant.id)
    )


def join_batch_stock(query: peewee.ModelSelect) -> peewee.ModelSelect:
    """``query`` (which selects from or has joined ``batch``) with its cache row."""
    return query.join_from(
        Batch, BatchStock, peewee.JOIN.LEFT_OUTER, on=(BatchStock.batch_id == Batch.id)
    )


def variant_on_hand(variant_id: int) -> int:
    row = db.database.execute_sql(
        "SELECT on_hand FROM variant_stock WHERE variant_id = ?", (variant_id,)
    ).fetchone()
    return row[0] if row else 0


def batch_on_hand(batch_id: int) -> int:
    row = db.database.execute_sql(
        "SELECT on_hand FROM batch_stock WHERE batch_id = ?", (batch_id,)
    ).fetchone()
    return row[0] if row else 0


_ADD = (
    "INSERT INTO {table} ({key}, shop_id, on_hand) VALUES (?, ?, ?) "
    "ON CONFLICT ({key}) DO UPDATE SET on_hand = on_hand + excluded.on_hand"
)
_ADD_VARIANT = _ADD.format(table="variant_stock", key="variant_id")
_ADD_BATCH = _ADD.format(table="batch_stock", key="batch_id")


def add(shop_id: int, variant_id: int, batch_id: int | None, quantity: int) -> None:
    """Move both caches by one movement's quantity (inside its transaction)."""
    run = db.database.execute_sql
    run(_ADD_VARIANT, (variant_id, shop_id, quantity))
    if batch_id is not None:
        run(_ADD_BATCH, (batch_id, shop_id, quantity))
