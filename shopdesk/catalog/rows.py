"""A product or a SKU of the session's shop, or ``NotFoundError``: the lookups
the catalog modules start from (another shop's row is "not found"); and
``touch_product``, what a change to a product's variants or photos does."""

from __future__ import annotations

from typing import SupportsIndex, SupportsInt

from shopdesk import store
from shopdesk.catalog.outbox import mark_listing_changed
from shopdesk.clock import utcnow
from shopdesk.errors import NotFoundError
from shopdesk.i18n import _
from shopdesk.profiles import Session
from shopdesk.store.models import Product, Variant


def _not_found_product(product_id: object) -> NotFoundError:
    return NotFoundError(_("There is no product number {id}.").format(id=product_id))


def _not_found_sku(sku: object) -> NotFoundError:
    return NotFoundError(_("Unknown SKU: {sku}").format(sku=sku))


def as_id(value: object) -> int | None:
    """A row id from what a caller passed or a seller typed, or None if it is none."""
    if not isinstance(value, str | bytes | SupportsInt | SupportsIndex):
        return None
    try:
        return int(value)
    except ValueError:
        return None


@store.follows_session
def product_row(session: Session, product_id: object) -> Product:
    pid = as_id(product_id)
    if pid is None:
        raise _not_found_product(product_id)
    row = Product.get_or_none((Product.id == pid) & (Product.shop == session.shop_id))
    if row is None:
        raise _not_found_product(product_id)
    return row


@store.follows_session
def variant_row(session: Session, sku: object) -> Variant:
    text = str(sku or "").strip().upper()
    row = Variant.get_or_none((Variant.shop == session.shop_id) & (Variant.sku == text))
    if row is None:
        raise _not_found_sku(str(sku or "").strip())
    return row


@store.follows_session
def touch_product(session: Session, product_id: int) -> None:
    """A variant or photo of the product changed: bump its ``updated_at`` and
    mark its listing as waiting. Inside the caller's transaction."""
    Product.update(updated_at=utcnow()).where(Product.id == product_id).execute()
    mark_listing_changed(session, [product_id])
