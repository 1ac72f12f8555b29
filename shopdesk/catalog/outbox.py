"""The listing outbox: which products' marketplace listings wait for an export.

Every catalog write marks its products in its own transaction
(``mark_listing_changed``); the export's bundle code clears ``waiting`` after an export.
"""

from __future__ import annotations

from collections.abc import Iterable

from shopdesk import store
from shopdesk.clock import utcnow
from shopdesk.profiles import Session, require_seller
from shopdesk.store.models import ListingState

# Export targets whose listing waits after any change of a product.
LISTING_TARGETS = ("shopee", "tokopedia", "shopify", "woocommerce", "meta", "google", "generic")
_TARGETS = " UNION ALL ".join("SELECT ? AS target" for _target in LISTING_TARGETS)


@store.follows_session
def mark_listing_changed(session: Session, product_ids: Iterable[int]) -> None:
    """Mark these products as waiting for every export target (the outbox).

    Joins the caller's transaction; products of another shop are ignored.
    The export engineer's bundle code clears ``waiting`` after an export.
    """
    session = require_seller(session)
    ids = sorted({int(pid) for pid in product_ids})
    if not ids:
        return
    now = utcnow()
    with store.transaction():
        for chunk in store.chunks(ids, 500):
            # One statement for every target of a chunk, in the order of the unique
            # key (product, target): an import marks 10,000 products, 7 rows each. The
            # ids come as rows joined to their products, not ``id IN (...)``: a server
            # runs a statement it has seen five times with a generic plan, which compared
            # every product of the shop with each id in turn (2 s of a 10,000-row import).
            rows = ",".join(["(?)"] * len(chunk))
            store.database.execute_sql(
                "INSERT INTO listing_state (shop_id, product_id, target, waiting, changed_at) "
                f"SELECT p.shop_id, p.id, t.target, 1, ? FROM (VALUES {rows}) AS m "
                f"JOIN product p ON p.id = m.column1 CROSS JOIN ({_TARGETS}) t "
                "WHERE p.shop_id = ? ORDER BY p.id, t.target "
                "ON CONFLICT (product_id, target) DO UPDATE SET waiting = 1, "
                "changed_at = excluded.changed_at",
                (now, *chunk, *LISTING_TARGETS, session.shop_id),
            )


@store.follows_session
def waiting_products(session: Session, *, target: str) -> list[int]:
    """Ids of the products whose listing waits for ``target``."""
    session = require_seller(session)
    query = ListingState.select(ListingState.product).where(
        (ListingState.shop == session.shop_id)
        & (ListingState.target == target)
        & (ListingState.waiting == True)  # noqa: E712
    )
    return sorted(row.product_id for row in query)


__all__ = ["LISTING_TARGETS", "mark_listing_changed", "waiting_products"]
