"""Migration step 4 on the real schema-3 file (tests/fixtures/schema_v3.sqlite3):
the on-hand caches move from the variant and batch rows to the lots of
``lot_stock`` with the same figures, and every service reads them from there.
Each batch's figure becomes its lot, and what the variant held beyond its
batches becomes lot 0 (the loose pool). A zero figure has no row."""

from __future__ import annotations

import sqlite3

from shopdesk import catalog, reports, stock, store
from shopdesk.catalog import search
from shopdesk.profiles import session_for
from shopdesk.store import migrations
from shopdesk.store.models import Seller


def _columns(con: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in con.execute(f"PRAGMA table_info({table})")]


def test_step_4_moves_the_caches_with_the_same_figures(open_old):
    target = open_old(3)  # migrates, with a backup first, as the app does
    con = store.database.obj
    assert migrations.user_version(con) == migrations.LATEST_VERSION >= 4
    rows = con.execute_sql(
        "SELECT variant_id, lot, shop_id, on_hand FROM lot_stock ORDER BY variant_id, lot"
    ).fetchall()
    # (variant, lot, shop, on hand): KOPI-0001-250 has 2 loose beside batch R2611A
    # (its batch R2610 is empty), GULA-0001 3 loose beside G1, KOPI-0002 -2 loose,
    # KOPI-0003 nothing; each MADU variant only its batch.
    assert rows == [
        (1, 0, 1, 2), (1, 1, 1, 20), (2, 3, 1, 5), (3, 0, 1, 3), (3, 4, 1, 28),
        (4, 0, 1, -2), (6, 5, 2, 10), (7, 6, 2, 5),
    ]  # fmt: skip
    kopi, madu = (session_for(s) for s in list(Seller.select().order_by(Seller.id)))
    assert stock.check(kopi).ok and stock.check(madu).ok
    info = stock.stock(kopi, sku="KOPI-0001-250")
    assert (info.on_hand, info.loose) == (22, 2)
    assert [(b.code, b.on_hand) for b in info.batches] == [("R2611A", 20)]
    skus = ["KOPI-0001-250", "KOPI-0002", "KOPI-0003"]
    assert [catalog.get_variant(kopi, sku).on_hand for sku in skus] == [22, -2, 0]
    assert [(r.sku, r.on_hand) for r in search.search(kopi, "")] == [
        ("GULA-0001", 31),
        ("KOPI-0001-250", 22),
        ("KOPI-0001-500", 5),
        ("KOPI-0002", -2),
    ]
    assert [r.sku for r in search.search(kopi, "", stock_state="out")] == ["KOPI-0002"]
    assert [r.sku for r in search.search(kopi, "", stock_state="low")] == ["KOPI-0001-500"]
    assert [(r.sku, r.on_hand) for r in reports.low_stock(kopi)] == [
        ("KOPI-0002", -2),
        ("KOPI-0001-500", 5),
    ]
    assert stock.stock(madu, sku="MADU-0001-250").on_hand == 10
    store.close_database()
    con = sqlite3.connect(target)
    try:
        assert "on_hand" not in _columns(con, "variant")
        assert "on_hand" not in _columns(con, "batch")
    finally:
        con.close()
