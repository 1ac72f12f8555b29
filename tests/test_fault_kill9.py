"""kill -9 at random moments: no acknowledged commit is ever lost.

A fork server (``tests/fault_kill9_worker.py``) starts a new child per kill; the
child runs sales, stock in and stocktake posts through the real services and
reports every commit. After each kill: every acknowledged commit is there,
``PRAGMA integrity_check`` is ok, and the stock caches equal the ledger.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from shopdesk import backup, catalog, paths, stock, store
from tests import figures
from tests.conftest import ROOT

KILLS = 200
SEED = 20261129

# Lots (batches, and each variant's loose pool: lot 0) whose cache minus ledger
# is not zero (no row = 0); a variant's figure is the sum of its lots.
CACHE_VS_LEDGER = """
SELECT count(*) FROM (
  SELECT 1 FROM (
    SELECT variant_id, lot, on_hand AS q FROM lot_stock
    UNION ALL SELECT variant_id, COALESCE(batch_id, 0), -quantity FROM movement
  ) GROUP BY variant_id, lot HAVING SUM(q) != 0
)
"""


def _present(con: sqlite3.Connection, shop_id: int, kind: str, ident: int) -> bool:
    if kind == "sale":
        sql, args = "SELECT 1 FROM sale WHERE shop_id = ? AND number = ?", (shop_id, ident)
    elif kind == "move":
        sql, args = "SELECT 1 FROM movement WHERE shop_id = ? AND id = ?", (shop_id, ident)
    else:
        sql = "SELECT 1 FROM stock_count WHERE shop_id = ? AND id = ? AND status = 'posted'"
        args = (shop_id, ident)
    return con.execute(sql, args).fetchone() is not None


@pytest.mark.slow
def test_kill9_loses_no_acknowledged_commit(home, seller, tmp_path, request):
    skus = []
    for n in range(3):
        sku = f"KILL-{n}"
        catalog.create_product(seller, name=f"Keripik {n}", price=10000, sku=sku)
        stock.receive(seller, sku=sku, quantity=50)
        skus.append(sku)
    store.close_database()
    config = {"session": dataclasses.asdict(seller), "skus": skus}
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "fault_kill9_worker.py"), json.dumps(config)],
        cwd=ROOT,
        env=dict(os.environ, SHOPDESK_HOME=str(home)),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    rng = random.Random(SEED)
    acked: list[tuple[str, int]] = []
    lost = corrupt = drift = not_killed = 0
    started = time.perf_counter()
    try:
        for kill in range(KILLS):
            ack_file = tmp_path / f"ack-{kill}.txt"
            server.stdin.write(f"{rng.randrange(1 << 30)} {ack_file}\n")
            server.stdin.flush()
            pid = int(server.stdout.readline())
            time.sleep(rng.uniform(0.0, 0.25))
            os.kill(pid, signal.SIGKILL)
            status = int(server.stdout.readline().split()[1])
            if not (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL):
                not_killed += 1  # the child died on its own: a bug, shown below
            if ack_file.exists():
                for line in ack_file.read_text().splitlines():
                    parts = line.split()
                    if len(parts) == 3 and parts[0] == "ACK":
                        acked.append((parts[1], int(parts[2])))
            con = sqlite3.connect(paths.database_path(), timeout=5)
            try:
                if con.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
                    corrupt += 1
                lost += sum(not _present(con, seller.shop_id, kind, ident) for kind, ident in acked)
                drift += sum(r[0] for r in con.execute(CACHE_VS_LEDGER))
            finally:
                con.close()
    finally:
        server.stdin.close()
        server.wait(timeout=30)
    elapsed = time.perf_counter() - started
    kinds = {k: sum(1 for a in acked if a[0] == k) for k in ("sale", "move", "count")}
    figures.report(
        request,
        f"\nkill9: {KILLS} kills, {len(acked)} acknowledged commits "
        f"(sales {kinds['sale']}, stock in {kinds['move']}, stocktakes {kinds['count']}), "
        f"{lost} lost, {corrupt} corrupt, {drift} cache/ledger differences, "
        f"{not_killed} children died on their own, {elapsed:.1f} s",
    )
    assert not_killed == 0
    assert len(acked) > KILLS // 4  # the kills landed while real work was going on
    assert lost == 0 and corrupt == 0 and drift == 0


RESTORER = """
import sys
from pathlib import Path
from shopdesk import backup, store
from shopdesk.profiles import OperatorSession
store.open_database()
op = OperatorSession(1, "admin")
files = [Path(p) for p in sys.argv[1:]]
n = -1
while True:
    n += 1
    backup.restore(op, path=files[n % 2])
    print("ACK", n, flush=True)
"""


@pytest.mark.slow
def test_kill9_during_restores_leaves_one_whole_state(home, two_states, request):
    """A restore killed at a random moment leaves the old or the new data, whole."""
    state_a, state_b = two_states
    values = {0: 10, 1: 15}  # on hand after restoring file 0 (state A) or 1 (state B)
    rng = random.Random(SEED)
    kills, bad, restores = 20, [], 0
    for kill in range(kills):
        child = subprocess.Popen(
            [sys.executable, "-c", RESTORER, str(state_a), str(state_b)],
            cwd=ROOT,
            env=dict(os.environ, SHOPDESK_HOME=str(home)),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(rng.uniform(0.6, 2.0))
        child.kill()
        out, err = child.communicate()
        acks = [int(line.split()[1]) for line in out.splitlines() if line.startswith("ACK")]
        restores += len(acks)
        allowed = set(values.values())  # one whole state, never a mix
        con = sqlite3.connect(paths.database_path(), timeout=5)
        try:
            ok = con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            on_hand = con.execute("SELECT sum(on_hand) FROM lot_stock").fetchone()[0]
            drift = sum(r[0] for r in con.execute(CACHE_VS_LEDGER))
        finally:
            con.close()
        if not ok or drift or on_hand not in allowed or "Traceback" in err:
            bad.append((kill, ok, on_hand, allowed, drift, err[-300:]))
    leftovers = len(list(home.glob(".restore-*")))
    # Kills also landed while safety backups were written: never a half file under a final name.
    results = backup.verify_folder(paths.backups_dir())
    damaged = [path.name for path, result in results if not isinstance(result, backup.BackupInfo)]
    figures.report(
        request,
        f"\nkill9 during restore: {kills} kills, {restores} restores completed, {len(bad)} "
        f"broken states, {leftovers} temporary files left (removed after an hour), "
        f"{len(results)} backups written meanwhile, {len(damaged)} damaged",
    )
    assert restores > 0 and bad == [] and damaged == []
