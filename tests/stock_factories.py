"""Small factories shared by the tests: valid barcodes, products of one shop through the catalog."""

from __future__ import annotations

import itertools

from shopdesk import catalog, codes

_numbers = itertools.count(1)


def ean13(body12: str) -> str:
    """A valid EAN-13 from 12 digits (Indonesia's GS1 prefix is 899)."""
    return body12 + str(codes.ean13_check_digit(body12))


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
