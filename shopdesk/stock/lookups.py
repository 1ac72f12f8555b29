"""Finding a variant or one of its batches, always inside the seller's shop.

By SKU (``find_variant``, or ``lookup_variant``'s light row for the sale
path), by whatever a scanner reads (``variant_by_code``: SKU or barcode), and
a batch of a variant by its production code (``find_batch``). Lookups, not
services: the caller has checked the session.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import peewee

from shopdesk import store
from shopdesk.errors import NotFoundError
from shopdesk.i18n import _
from shopdesk.profiles import Session
from shopdesk.stock import cache
from shopdesk.store.models import Batch, Product, Variant

MAX_CODE = 100  # a longer scan is no SKU or barcode (a paste gone wrong)


class VariantKey(Protocol):
    """What a removal needs of a variant: a ``Variant`` or a sale's ``VariantRow``."""

    @property
    def id(self) -> int: ...

    @property
    def sku(self) -> str: ...


@store.follows_session
def find_variant(session: Session, sku: str) -> Variant:
    """The variant with this SKU in the seller's shop (case-insensitive)."""
    text = str(sku or "").strip()
    if text:
        query = Variant.select(Variant, Product).join(Product)
        row: Variant | None = query.where(
            (Variant.shop == session.shop_id) & (Variant.sku == text)
        ).first()
        if row is None:
            row = query.where(
                (Variant.shop == session.shop_id) & (peewee.fn.upper(Variant.sku) == text.upper())
            ).first()
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


@store.follows_session
def lookup_variant(session: Session, sku: str) -> VariantRow:
    """Like ``find_variant`` but light: for the sale path."""
    text = str(sku or "").strip()
    run = store.database.execute_sql
    row = run(_VARIANT_SQL, (session.shop_id, text)).fetchone() if text else None
    if row is None and text and text != text.upper():
        row = run(_VARIANT_SQL, (session.shop_id, text.upper())).fetchone()
    if row is None:
        return _row_of(find_variant(session, text))
    return VariantRow(*row)


def _row_of(v: Variant) -> VariantRow:
    return VariantRow(v.id, v.sku, v.price, v.cost, cache.variant_on_hand(v.id), v.product.name)


@store.follows_session
def variant_by_code(session: Session, code: str) -> Variant | None:
    """What a scanner or a typed code points at: the SKU exactly (in capitals),
    else a barcode (as typed or without its spaces), active variants first."""
    raw = str(code or "").strip()
    if not raw or len(raw) > MAX_CODE:
        return None
    row = Variant.get_or_none((Variant.shop == session.shop_id) & (Variant.sku == raw.upper()))
    if row is None:
        compact = "".join(raw.split())
        row = (
            Variant.select()
            .where((Variant.shop == session.shop_id) & Variant.barcode.in_({raw, compact}))
            .order_by(Variant.archived, Variant.id)
            .first()
        )
    return row


def find_batch(variant: VariantKey, code: str) -> Batch:
    """The batch of ``variant`` with this (checked) production code."""
    row = Batch.get_or_none((Batch.variant == variant.id) & (Batch.code == code))
    if row is None:
        raise NotFoundError(
            _("{sku} has no batch with production code {code}.").format(sku=variant.sku, code=code)
        )
    return row
