"""Migration step 4: the on-hand caches of a schema-3 file move from the variant
and batch rows to the lots of ``lot_stock`` with the same figures: each batch's
figure becomes its lot, and what the variant held beyond its batches becomes
lot 0 (the loose pool). A zero figure has no row."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import peewee

from shopdesk import catalog, opener, reports, stock, store
from shopdesk.catalog import search
from shopdesk.profiles import Session
from shopdesk.store import migrations

NOW = "2026-01-01 00:00:00"
# (id, shop, product, sku, low_stock, on_hand): loose and batch stock, none at
# all (no movement, so no cache row), below zero, and a second shop.
VARIANTS = [
    (1, 1, 1, "KOPI-1", 9, 8),
    (2, 1, 1, "KOPI-2", 0, 0),
    (3, 1, 1, "KOPI-3", 0, -2),
    (4, 2, 2, "MADU-1", 0, 4),
]
# (id, shop, variant, code, made, on_hand): an emptied batch keeps no row.
BATCHES = [(1, 1, 1, "A", 6, 5), (2, 1, 1, "B", 2, 2), (3, 2, 4, "C", 4, 4), (4, 1, 1, "E", 3, 0)]
# (shop, variant, batch, quantity): sums to the on_hand figures above.
MOVEMENTS = [
    (1, 1, 1, 6), (1, 1, 1, -1), (1, 1, 2, 2), (1, 1, None, 1), (1, 1, 4, 3), (1, 1, 4, -3),
    (1, 3, None, -2), (2, 4, 3, 4),
]  # fmt: skip


def _schema_3_file(path: Path) -> None:
    """A file migrated only to step 3, holding stock in the old on_hand columns."""
    old = peewee.SqliteDatabase(str(path))
    old.connect()
    for version, step in enumerate(migrations.STEPS[:3]):
        with old.atomic():
            step(old)
            old.execute_sql(f"PRAGMA user_version = {version + 1}")
    run = old.execute_sql
    with old.atomic():
        for shop, name in ((1, "Kopi Lama"), (2, "Madu Lama")):
            run("INSERT INTO shop (id, name, created_at) VALUES (?, ?, ?)", (shop, name, NOW))
            run(
                "INSERT INTO product (id, shop_id, name, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (shop, shop, name, NOW, NOW),
            )
        for vid, shop, product, sku, low, on_hand in VARIANTS:
            run(
                "INSERT INTO variant (id, shop_id, product_id, sku, option1_value, low_stock, "
                "on_hand, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (vid, shop, product, sku, sku, low, on_hand, NOW),
            )
        for bid, shop, variant, code, made, on_hand in BATCHES:
            run(
                "INSERT INTO batch (id, shop_id, variant_id, code, quantity, on_hand, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (bid, shop, variant, code, made, on_hand, NOW),
            )
        for shop, variant, batch, quantity in MOVEMENTS:
            run(
                "INSERT INTO movement (shop_id, variant_id, batch_id, reason, quantity, at) "
                "VALUES (?, ?, ?, 'adjust', ?, ?)",
                (shop, variant, batch, quantity, NOW),
            )
    old.close()


def _session(shop: int) -> Session:
    return Session(shop, shop, f"s{shop}", "Lama", "Lama", "WIB", "id")


def _columns(con: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in con.execute(f"PRAGMA table_info({table})")]


def test_step_4_moves_the_caches_with_the_same_figures(tmp_path, monkeypatch):
    monkeypatch.setenv("SHOPDESK_HOME", str(tmp_path))
    target = tmp_path / "shopdesk.sqlite3"
    _schema_3_file(target)
    opener.open_data(target)  # migrates, with a backup first, as the app does
    try:
        con = store.database.obj
        assert migrations.user_version(con) == migrations.LATEST_VERSION == 4
        rows = con.execute_sql(
            "SELECT variant_id, lot, shop_id, on_hand FROM lot_stock ORDER BY variant_id, lot"
        ).fetchall()
        # (variant, lot, shop, on hand): KOPI-1 has 1 loose beside A and B (E is
        # empty), KOPI-2 nothing, KOPI-3 -2 loose, MADU-1 only its batch C.
        assert rows == [(1, 0, 1, 1), (1, 1, 1, 5), (1, 2, 1, 2), (3, 0, 1, -2), (4, 3, 2, 4)]
        kopi, madu = _session(1), _session(2)
        assert stock.check(kopi).ok and stock.check(madu).ok
        info = stock.stock(kopi, sku="KOPI-1")
        assert (info.on_hand, info.loose) == (8, 1)
        assert [(b.code, b.on_hand) for b in info.batches] == [("A", 5), ("B", 2)]
        assert [catalog.get_variant(kopi, v[3]).on_hand for v in VARIANTS[:3]] == [8, 0, -2]
        assert [(r.sku, r.on_hand) for r in search.search(kopi, "")] == [
            ("KOPI-1", 8),
            ("KOPI-2", 0),
            ("KOPI-3", -2),
        ]
        assert [r.sku for r in search.search(kopi, "", stock_state="out")] == ["KOPI-2", "KOPI-3"]
        assert [(r.sku, r.on_hand) for r in reports.low_stock(kopi)] == [("KOPI-1", 8)]
        assert stock.stock(madu, sku="MADU-1").on_hand == 4
    finally:
        store.close_database()
    con = sqlite3.connect(target)
    try:
        assert "on_hand" not in _columns(con, "variant")
        assert "on_hand" not in _columns(con, "batch")
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        con.close()
