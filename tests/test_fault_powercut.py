"""Simulated power cuts, as SQLite's own crash tests do them.

An apsw VFS shim passes every read and write to the real file but remembers
which writes have not been synced yet. At a random I/O operation the power
"goes": that operation and every later one fail, and each file is put back to
what a disk would hold after the cut: everything synced, plus (in the harsher
mode) a random subset of the unsynced writes, some of them torn at a sector
boundary. Then the database is opened normally and checked: every commit that
was acknowledged must be there, ``integrity_check`` ok, cache equal to ledger.

With the app's settings (WAL + ``synchronous=FULL``, ``shopdesk.store.engine.PRAGMAS``)
nothing may be lost. The same shim with ``synchronous=NORMAL`` or ``OFF`` does
lose acknowledged commits, which shows the test can fail.
"""

from __future__ import annotations

import contextlib
import random
import shutil
import sqlite3
import time
from datetime import date, datetime
from pathlib import Path

import apsw
import pytest

from shopdesk import catalog, paths, store
from shopdesk.errors import ShopDeskError
from tests import figures

SEED = 7_2026
SECTOR = 512


class PowerCut(Exception):
    pass


class CrashVFS(apsw.VFS):
    """Tracks unsynced writes per file; ``cut_at`` is the I/O op where power fails."""

    def __init__(self, name: str = "crashshim") -> None:
        super().__init__(name, "")
        self.name = name
        self.reset(cut_at=1 << 60)

    def reset(self, *, cut_at: int) -> None:
        self.files: dict[str, dict] = {}
        self.ops = 0
        self.cut_at = cut_at
        self.dead = False

    def tick(self) -> None:
        if self.dead:
            raise apsw.IOError("power is off")
        self.ops += 1
        if self.ops >= self.cut_at:
            self.dead = True
            raise apsw.IOError("power cut")

    def state(self, path: str) -> dict:
        if path not in self.files:
            try:
                durable = bytearray(Path(path).read_bytes())
            except FileNotFoundError:
                durable = bytearray()
            self.files[path] = {"durable": durable, "pending": [], "deleted": False}
        return self.files[path]

    def xOpen(self, name, flags):
        path = name.filename() if isinstance(name, apsw.URIFilename) else name
        if path:
            st = self.state(path)
            st["deleted"] = False
        return CrashFile(self, path, name, flags)

    def xDelete(self, filename, syncdir):
        if self.dead:
            raise apsw.IOError("power is off")
        st = self.state(filename)
        st.update(durable=bytearray(), pending=[], deleted=True)
        return super().xDelete(filename, syncdir)

    def after_cut(self, rng: random.Random, *, keep_some: bool) -> None:
        """Rewrite each file as the disk would hold it after the cut."""
        for path, st in self.files.items():
            target = Path(path)
            if st["deleted"]:
                target.unlink(missing_ok=True)
                continue
            image = bytearray(st["durable"])
            if keep_some:
                for op in st["pending"]:
                    if rng.random() < 0.5:
                        continue
                    _apply(image, op, torn=rng.random() < 0.3, rng=rng)
            target.write_bytes(bytes(image))
        for suffix in ("-shm",):  # the wal-index is rebuilt after a reboot
            for path in list(self.files):
                Path(path + suffix).unlink(missing_ok=True)


def _apply(image: bytearray, op: tuple, *, torn: bool = False, rng=None) -> None:
    if op[0] == "t":
        del image[op[1] :]
        return
    _kind, offset, data = op
    if torn and len(data) > SECTOR:
        data = data[: SECTOR * rng.randint(1, len(data) // SECTOR)]
    end = offset + len(data)
    if len(image) < end:
        image.extend(b"\x00" * (end - len(image)))
    image[offset:end] = data


class CrashFile(apsw.VFSFile):
    def __init__(self, vfs: CrashVFS, path: str | None, name, flags) -> None:
        super().__init__("", name, flags)
        self.vfs = vfs
        self.path = path

    def xWrite(self, data, offset):
        self.vfs.tick()
        super().xWrite(data, offset)
        if self.path:
            self.vfs.state(self.path)["pending"].append(("w", offset, bytes(data)))

    def xTruncate(self, size):
        self.vfs.tick()
        super().xTruncate(size)
        if self.path:
            self.vfs.state(self.path)["pending"].append(("t", size))

    def xSync(self, flags):
        self.vfs.tick()
        # The model below is what counts; a real fsync would only slow the test down.
        if self.path:
            st = self.vfs.state(self.path)
            for op in st["pending"]:
                _apply(st["durable"], op)
            st["pending"] = []


# Lot rows against the ledger, a missing row counting as 0: lots (a batch of a
# variant, or lot 0 for stock tied to no batch) whose figure minus movements is
# not zero. A variant's figure is the sum of its lots, so this covers it too.
CHECKS = """
SELECT count(*) FROM (
  SELECT 1 FROM (
    SELECT variant_id, lot, on_hand AS q FROM lot_stock
    UNION ALL SELECT variant_id, COALESCE(batch_id, 0), -quantity FROM movement
  ) GROUP BY variant_id, lot HAVING SUM(q) != 0
)
"""
# The upsert ``stock.cache.add`` runs; these movements name no batch (lot 0).
ADD_TO_CACHE = (
    "INSERT INTO lot_stock (variant_id, lot, shop_id, on_hand) VALUES (?, 0, 1, ?) "
    "ON CONFLICT (variant_id, lot) DO UPDATE SET on_hand = on_hand + excluded.on_hand"
)


def _workload(con: apsw.Connection, rng: random.Random, variants: list[int], acked: list[int]):
    """Stock movements with their cache and audit row, one transaction each, as
    ``inventory`` writes them; each id is acknowledged after COMMIT returns."""
    while True:
        variant = rng.choice(variants)
        qty = rng.randint(-3, 10) or 1
        con.execute("BEGIN IMMEDIATE")
        try:
            con.execute(
                "INSERT INTO movement (shop_id, variant_id, reason, quantity, note, actor, at) "
                "VALUES (1, ?, 'received', ?, ?, 'seller:kopi', datetime('now'))",
                (variant, qty, "x" * rng.randint(0, 600)),
            )
            movement_id = con.last_insert_rowid()
            con.execute(ADD_TO_CACHE, (variant, qty))
            con.execute(
                "INSERT INTO audit_log (at, shop_id, actor, action, detail) "
                "VALUES (datetime('now'), 1, 'seller:kopi', 'stock.in', ?)",
                (str(movement_id),),
            )
            con.execute("COMMIT")
        except apsw.Error:
            raise PowerCut() from None
        acked.append(movement_id)


def _run_cuts(base: Path, work: Path, *, synchronous: int, cuts: int, seed: int) -> dict:
    vfs = CrashVFS(f"crash{synchronous}")
    rng = random.Random(seed)
    totals = {"cuts": cuts, "acked": 0, "lost": 0, "corrupt": 0, "drift": 0, "lost_cuts": 0}
    try:
        for cut in range(cuts):
            target = work / f"cut-{cut}.sqlite3"
            shutil.copy(base, target)
            vfs.reset(cut_at=rng.randint(1, 1000))
            checkpoint_every = rng.choice((4, 16, 100, 1000))  # pages; 1000 is SQLite's default
            con = apsw.Connection(str(target), vfs=vfs.name)
            acked: list[int] = []
            try:
                pragmas = dict(
                    store.PRAGMAS, synchronous=synchronous, wal_autocheckpoint=checkpoint_every
                )
                for key, value in pragmas.items():
                    con.execute(f"PRAGMA {key} = {value}")
                con.execute("SELECT 1 FROM variant").fetchall()
                variants = [r[0] for r in con.execute("SELECT id FROM variant")]
                _workload(con, rng, variants, acked)
            except (PowerCut, apsw.Error):
                pass
            finally:
                with contextlib.suppress(apsw.Error):
                    con.close(True)
            vfs.after_cut(rng, keep_some=cut % 2 == 1)
            totals["acked"] += len(acked)
            lost, corrupt, drift = _check(target, acked)
            totals["lost"] += lost
            totals["lost_cuts"] += bool(lost)
            totals["corrupt"] += corrupt
            totals["drift"] += drift
            target.unlink(missing_ok=True)
            for suffix in ("-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
    finally:
        vfs.unregister()
    return totals


def _check(path: Path, acked: list[int]) -> tuple[int, int, int]:
    try:
        con = sqlite3.connect(path)
        try:
            con.execute("PRAGMA synchronous = OFF")  # the check itself needs no durability
            ok = con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            if not ok:
                return 0, 1, 0
            present = {r[0] for r in con.execute("SELECT id FROM movement")}
            drift = con.execute(CHECKS).fetchone()[0]
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return 0, 1, 0
    return sum(1 for m in acked if m not in present), 0, drift


@pytest.fixture
def base_db(home, seller, tmp_path) -> Path:
    """A real migrated database with one shop and three products, closed cleanly."""
    for n in range(3):
        catalog.create_product(seller, name=f"Gula Aren {n}", price=20000, sku=f"GULA-{n}")
    store.close_database()
    base = tmp_path / "base.sqlite3"
    con = sqlite3.connect(paths.database_path())
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.backup(sqlite3.connect(base))
    con.close()
    store.open_database()
    return base


@pytest.mark.slow
def test_power_cuts_lose_nothing_with_the_apps_settings(base_db, tmp_path, request):
    started = time.perf_counter()
    full = _run_cuts(
        base_db, tmp_path, synchronous=store.PRAGMAS["synchronous"], cuts=400, seed=SEED
    )
    figures.report(
        request,
        f"\npowercut FULL: {full['cuts']} cuts (half dropping every unsynced write, half keeping "
        f"a random torn subset), {full['acked']} acknowledged commits, {full['lost']} lost, "
        f"{full['corrupt']} corrupt, {full['drift']} cache/ledger differences, "
        f"{time.perf_counter() - started:.1f} s",
    )
    assert store.PRAGMAS["synchronous"] == 2 and store.PRAGMAS["journal_mode"] == "wal"
    assert full["acked"] > 1000
    assert full["lost"] == 0 and full["corrupt"] == 0 and full["drift"] == 0


@pytest.mark.parametrize("level,name", [(1, "NORMAL"), (0, "OFF")])
def test_the_same_cuts_do_lose_commits_with_weaker_settings(
    base_db, tmp_path, level, name, request
):
    """Proof that the shim bites: without a sync at COMMIT, acknowledged commits vanish."""
    weak = _run_cuts(base_db, tmp_path, synchronous=level, cuts=60, seed=SEED)
    figures.report(
        request,
        f"\npowercut {name}: {weak['cuts']} cuts, {weak['acked']} acknowledged commits, "
        f"{weak['lost']} lost in {weak['lost_cuts']} cuts, {weak['corrupt']} corrupt",
    )
    assert weak["lost"] + weak["corrupt"] > 0


class _Cursor:
    """What the services expect of a cursor (``lastrowid``, ``rowcount``) on apsw."""

    def __init__(self, cursor) -> None:
        self._cursor = cursor

    def execute(self, sql, params=()):
        self._cursor.execute(sql, params)
        return self

    @property
    def lastrowid(self) -> int:
        return self._cursor.connection.last_insert_rowid()

    @property
    def rowcount(self) -> int:
        return self._cursor.connection.changes()

    def __iter__(self):
        return iter(self._cursor)

    def __getattr__(self, name):
        return getattr(self._cursor, name)


def _bind(value_cursor, _number, value):
    if isinstance(value, datetime):
        return value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot bind {type(value).__name__}")


def _apsw_database(path: Path, vfs_name: str, synchronous: int, checkpoint_every: int):
    """The app's database object, pragmas and IMMEDIATE transactions, over apsw and the shim."""
    from playhouse.apsw_ext import APSWDatabase

    class ShimDatabase(APSWDatabase):
        def cursor(self, named_cursor=None):
            return _Cursor(super().cursor())

    database = ShimDatabase(
        str(path),
        pragmas=dict(store.PRAGMAS, synchronous=synchronous, wal_autocheckpoint=checkpoint_every),
        lock_type="IMMEDIATE",
        timeout=5,
        vfs=vfs_name,
    )
    database.connect()
    database.connection().convert_binding = _bind
    return database


def _service_workload(session, rng: random.Random, skus: list[str], acked: list) -> None:
    from shopdesk import sales, stock
    from shopdesk.stock import stocktake

    with contextlib.suppress(ShopDeskError):
        stocktake.cancel_count(session)
    while True:
        sku = rng.choice(skus)
        roll = rng.random()
        if roll < 0.45:
            sale = sales.record_sale(session, lines=[(sku, rng.randint(1, 3))], allow_negative=True)
            acked.append(("sale", sale.number))
        elif roll < 0.8:
            move = stock.receive(session, sku=sku, quantity=rng.randint(5, 20))
            acked.append(("move", move.id))
        else:
            stocktake.start_count(session, skus=[sku])
            stocktake.enter_count(session, sku=sku, counted=rng.randint(0, 40))
            acked.append(("count", stocktake.post_count(session).count_id))


SERVICE_CHECKS = CHECKS  # per lot: batches and loose pools alike


def _present(con: sqlite3.Connection, kind: str, ident: int) -> bool:
    sql = {
        "sale": "SELECT 1 FROM sale WHERE number = ?",
        "move": "SELECT 1 FROM movement WHERE id = ?",
        "count": "SELECT 1 FROM stock_count WHERE id = ? AND status = 'posted'",
    }[kind]
    return con.execute(sql, (ident,)).fetchone() is not None


@pytest.mark.slow
@pytest.mark.parametrize("level,name,cuts", [(2, "FULL", 200), (1, "NORMAL", 40)])
def test_power_cuts_during_real_sales_stock_in_and_stocktakes(
    base_db, seller, tmp_path, request, level, name, cuts
):
    """The same shim under the real services (peewee on apsw, the app's pragmas);
    NORMAL, run briefly, shows that this path too can lose commits."""
    vfs = CrashVFS(f"crashservices{level}")
    rng = random.Random(SEED + 1)
    skus = [f"GULA-{n}" for n in range(3)]
    totals = {"acked": 0, "lost": 0, "corrupt": 0, "drift": 0}
    started = time.perf_counter()
    store.close_database()
    try:
        for cut in range(cuts):
            target = tmp_path / f"svc-{cut}.sqlite3"
            shutil.copy(base_db, target)
            vfs.reset(cut_at=rng.randint(1, 600))
            acked: list = []
            database = None
            try:
                every = rng.choice((4, 16, 100, 1000))  # pages between checkpoints
                database = _apsw_database(target, vfs.name, level, every)
                store.database.initialize(database)
                _service_workload(seller, rng, skus, acked)
            except Exception:  # the power went (an I/O error, whatever layer reports it)
                pass
            finally:
                if database is not None:
                    with contextlib.suppress(Exception):
                        database.connection().close(True)
            vfs.after_cut(rng, keep_some=cut % 2 == 1)
            totals["acked"] += len(acked)
            con = sqlite3.connect(target)
            try:
                con.execute("PRAGMA synchronous = OFF")
                if con.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
                    totals["corrupt"] += 1
                else:
                    totals["lost"] += sum(not _present(con, k, i) for k, i in acked)
                    totals["drift"] += sum(r[0] for r in con.execute(SERVICE_CHECKS))
            finally:
                con.close()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
    finally:
        vfs.unregister()
        store.database.initialize(None)
        store.open_database()
    figures.report(
        request,
        f"powercut {name} through the services: {cuts} cuts, {totals['acked']} acknowledged "
        f"sales/stock-ins/stocktakes, {totals['lost']} lost, {totals['corrupt']} corrupt, "
        f"{totals['drift']} cache/ledger differences, {time.perf_counter() - started:.1f} s",
    )
    if level == store.PRAGMAS["synchronous"]:
        assert totals["acked"] > 300
        assert totals["lost"] == 0 and totals["corrupt"] == 0 and totals["drift"] == 0
    else:
        assert totals["lost"] + totals["corrupt"] > 0
