"""The other shops of a cooperative, for ``benchmarks.postgres``'s "4 PCs in 4 shops": three
more shops beside the big one, made through the app on whichever engine is open (the
operator adds each seller; the seller creates ``PRODUCTS`` products and takes ``STOCK``
units of each in), so that each PC sells in a shop of its own.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from benchmarks import dataset

SHOPS = 3
PRODUCTS = 40
STOCK = 1000


@dataclass(frozen=True)
class Shop:
    shop_id: int
    login: str
    lines: Iterator[tuple[str, int, int]]  # (sku, variant id, lot), round and round

    def take(self, count: int) -> list[tuple[str, int, int]]:
        return list(itertools.islice(self.lines, count))


def add_shops() -> list[Shop]:
    """The three shops, in the store that is open (its scope is left unset)."""
    from shopdesk import profiles, stock, store
    from shopdesk.catalog import product_writes

    store.set_shop_scope(None)
    operator = profiles.operator_login(password=dataset.OPERATOR_PASSWORD)
    shops = []
    for number in range(2, 2 + SHOPS):
        login = f"toko{number}"
        profiles.create_seller(
            operator, login=login, display_name=f"Penjual {number}", pin=dataset.PIN,
            shop_name=f"Toko {number}",
        )  # fmt: skip
        session = profiles.seller_login(login=login, pin=dataset.PIN)
        store.set_shop_scope(session.shop_id)
        lines = []
        for product in range(PRODUCTS):
            made = product_writes.create_product(
                session, name=f"Kopi Toko {number} {product}", price=20_000 + product
            )
            variant = made.variants[0]
            stock.receive(session, sku=variant.sku, quantity=STOCK)
            (lot,) = store.database.execute_sql(
                "SELECT lot FROM lot_stock WHERE variant_id = ?", (variant.id,)
            ).fetchone()
            lines.append((variant.sku, variant.id, int(lot)))
        shops.append(Shop(session.shop_id, login, itertools.cycle(lines)))
        store.set_shop_scope(None)
    return shops
