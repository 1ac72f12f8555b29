"""Small factories for the stock tests: products of one shop, through the catalog."""

from __future__ import annotations

import itertools

from shopdesk import catalog

_numbers = itertools.count(1)


def ean13(body12: str) -> str:
    """A valid EAN-13 from 12 digits (Indonesia's GS1 prefix is 899)."""
    digits = [int(c) for c in body12]
    check = (10 - sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10) % 10
    return body12 + str(check)


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
    info = catalog.create_product(
        session,
        name=name or f"Keripik Tes {n}",
        price=price,
        cost=cost,
        sku=sku or f"TEST-{n:04d}",
        barcode=barcode,
        low_stock=low_stock,
        shelf_life_days=shelf_life_days,
    )
    return info.variants[0].sku
