"""Stock benchmarks on the big shop (100k products, 150k variants, 1M movements).

- recording one sale of 3 lines through ``sales.record_sale``, median and p95 of
  ``SALES``, against bare sqlite3 doing the same work in one transaction: the
  next sale number, each variant read by its SKU and its first-expiring lot
  chosen, then the rows the app writes (the sale, 3 lines, 3 movements, 3
  on-hand lots, the total, one audit row), committed with WAL and
  ``synchronous = FULL`` as the app must (data-safety.md). The two in turn, each
  on its own copy of the shop, so neither pays the other's checkpoints or finds
  its page cache emptied by the other's commits (goal: p95 at most 20 ms);
- rebuilding every on-hand figure from the ledger, against a raw sqlite3
  ``GROUP BY`` over the movement table measured in the same run (goal: 1.5x),
  both when the caches are right (the usual case) and after wiping them;
- ``check`` (cache against ledger) on the same floor.
"""

from __future__ import annotations

import os
import random
import sqlite3
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from benchmarks.dataset import fresh_copy, session_for
from benchmarks.timing import median, p95

SALES = 100
REPEATS = 5


def _median_ms(fn, repeats: int) -> float:
    times = []
    for _i in range(repeats):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _group_by(con: sqlite3.Connection) -> None:
    con.execute("SELECT variant_id, SUM(quantity) FROM movement GROUP BY variant_id").fetchall()


def _raw_sale(con: sqlite3.Connection, shop: int, skus: list[str]) -> None:
    """What a 3-line sale reads and writes, with bare sqlite3 and the app's pragmas."""
    con.execute("BEGIN IMMEDIATE")
    number = con.execute(
        "SELECT COALESCE(MAX(number), 0) + 1 FROM sale WHERE shop_id = ?", (shop,)
    ).fetchone()[0]
    at = "2026-01-01 10:00:00"
    today = date.today().isoformat()
    sale = con.execute(
        "INSERT INTO sale (shop_id, number, at, total) VALUES (?, ?, ?, 0)", (shop, number, at)
    ).lastrowid
    total = 0
    for sku in skus:
        variant, price, cost = con.execute(
            "SELECT id, price, cost FROM variant WHERE shop_id = ? AND sku = ?", (shop, sku)
        ).fetchone()
        line = con.execute(
            "INSERT INTO sale_line (sale_id, variant_id, quantity, unit_price, unit_cost) "
            "VALUES (?, ?, 1, ?, ?)",
            (sale, variant, price, cost),
        ).lastrowid
        (lot,) = con.execute(  # first expiry first out, never an expired batch
            "SELECT l.lot FROM lot_stock l LEFT JOIN batch b ON b.id = l.lot "
            "WHERE l.variant_id = ? AND l.on_hand > 0 AND (b.expires_on IS NULL "
            "OR b.expires_on >= ?) ORDER BY b.expires_on IS NULL, b.expires_on, b.id LIMIT 1",
            (variant, today),
        ).fetchone()
        con.execute(
            "INSERT INTO movement (shop_id, variant_id, batch_id, reason, quantity, at, "
            "sale_line_id) VALUES (?, ?, ?, 'sold', -1, ?, ?)",
            (shop, variant, lot, at, line),
        )
        con.execute(
            "UPDATE lot_stock SET on_hand = on_hand - 1 WHERE variant_id = ? AND lot = ?",
            (variant, lot),
        )
        total += price
    con.execute("UPDATE sale SET total = ? WHERE id = ?", (total, sale))
    con.execute(
        "INSERT INTO audit_log (at, shop_id, actor, action, detail) "
        "VALUES (?, ?, 'bench', 'sale.record', ?)",
        (at, shop, f'{{"lines": 3, "number": {number}, "total": {total}}}'),
    )
    con.execute("COMMIT")


def _raw_connection(path: Path) -> tuple[sqlite3.Connection, int]:
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = FULL")
    con.execute("PRAGMA foreign_keys = 1")
    con.execute("PRAGMA cache_size = -32000")  # the app's page cache
    shop = con.execute("SELECT shop_id FROM seller WHERE login = 'besar'").fetchone()[0]
    return con, shop


def stocked_variants(path: Path, count: int, rng: random.Random) -> list[tuple[str, int, int]]:
    """Variants with a batch still sellable today: the shop's batches date from 2025 and a
    sale never takes expired stock without the seller's override (issue 16)."""
    fresh_from = (date.today() + timedelta(days=1)).isoformat()  # whatever the shop's zone
    con = sqlite3.connect(path)
    try:
        rows = con.execute(
            "SELECT v.sku, v.id, MIN(b.id) FROM variant v JOIN batch b ON b.variant_id = v.id "
            "JOIN seller s ON s.shop_id = v.shop_id AND s.login = 'besar' "
            "JOIN lot_stock l ON l.variant_id = v.id AND l.lot = b.id "
            "WHERE l.on_hand >= 10 AND (b.expires_on IS NULL OR b.expires_on >= ?) GROUP BY v.id",
            (fresh_from,),
        ).fetchall()
    finally:
        con.close()
    return rng.sample(rows, count)


def run(report) -> None:
    old_home = os.environ.get("SHOPDESK_HOME")
    try:
        with tempfile.TemporaryDirectory(prefix="shopdesk-bench-stock-") as folder:
            os.environ["SHOPDESK_HOME"] = folder  # backups of a migration land here
            _run(report, folder)
    finally:
        if old_home is None:
            os.environ.pop("SHOPDESK_HOME", None)
        else:
            os.environ["SHOPDESK_HOME"] = old_home


def _run(report, folder: str) -> None:
    from shopdesk import sales, stock, store

    info = fresh_copy(folder)
    floor_copy = fresh_copy(folder, "floor.sqlite3")
    rng = random.Random(11)
    stocked = stocked_variants(info.path, SALES * 3 * 2, rng)
    app_lines, raw_lines = stocked[: SALES * 3], stocked[SALES * 3 :]
    raw_sales = [[s for s, _v, _b in raw_lines[i : i + 3]] for i in range(0, len(raw_lines), 3)]

    store.open_database(info.path)
    raw_con, shop = _raw_connection(floor_copy.path)
    try:
        session = session_for(info)
        times, floors = [], []
        for sale, i in enumerate(range(0, len(app_lines), 3)):  # the app and the floor in turn
            lines = [(sku, 1) for sku, _v, _b in app_lines[i : i + 3]]
            started = time.perf_counter()
            sales.record_sale(session, lines=lines, payment="cash")
            times.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            _raw_sale(raw_con, shop, raw_sales[sale])
            floors.append((time.perf_counter() - started) * 1000)
        raw_con.close()
        report("stock: record a 3-line sale (median)", median(times), median(floors), "ms",
               goal="<= 20 ms")  # fmt: skip
        report("stock: record a 3-line sale (p95)", p95(times), p95(floors), "ms",
               goal="<= 20 ms")  # fmt: skip

        # Floor, rebuild and check in turns, so that a busy machine slows all alike.
        raw_con = sqlite3.connect(info.path)
        floors, rebuilds, checks = [], [], []
        try:
            for _i in range(REPEATS):
                floors.append(_median_ms(lambda: _group_by(raw_con), 1))
                rebuilds.append(_median_ms(lambda: stock.rebuild(session), 1))
                checks.append(_median_ms(lambda: stock.check(session), 1))
        finally:
            raw_con.close()
        floor = statistics.median(floors)
        report("stock: raw sqlite3 GROUP BY variant (floor)", floor, None, "ms")
        report("stock: rebuild all on-hand, caches right", statistics.median(rebuilds), floor, "ms",
               goal="<= 1.5x")  # fmt: skip
        report("stock: check caches against ledger", statistics.median(checks), floor, "ms",
               goal="<= 1.5x")  # fmt: skip
        assert stock.check(session).ok
        # Every cached figure wrong: set to zero (rows rewritten in place), or
        # gone (rows written anew). The wipe's own writes are flushed first
        # (checkpoint, sync) so that the rebuild's commit does not wait for
        # them; the floor runs right before each rebuild.
        raw_con = sqlite3.connect(info.path)
        try:
            for label, wipe in (
                ("zeroed", "UPDATE {} SET on_hand = 0"),
                ("deleted", "DELETE FROM {}"),
            ):
                floors, wiped = [], []
                for _i in range(REPEATS):
                    store.database.execute_sql(wipe.format("lot_stock"))
                    store.database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                    os.sync()
                    floors.append(_median_ms(lambda: _group_by(raw_con), 1))
                    started = time.perf_counter()
                    fixed = stock.rebuild(session)
                    wiped.append((time.perf_counter() - started) * 1000)
                report(f"stock: rebuild all on-hand, caches {label}", statistics.median(wiped),
                       statistics.median(floors), "ms", goal="<= 1.5x")  # fmt: skip
                report(f"stock: figures rewritten by that rebuild ({label})", fixed, None, "rows")
        finally:
            raw_con.close()
    finally:
        store.close_database()
