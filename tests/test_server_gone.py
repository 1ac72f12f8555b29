"""The server gone (issue 14, point 7), on a real PostgreSQL server that the test
stops and starts: the cable pulled or the server PC off gives a clear Indonesian
message and writes nothing; the same process carries on by itself when the
server is back; a client killed with kill -9 mid-sale or a server restarted
mid-sale loses no acknowledged sale."""

from __future__ import annotations

import dataclasses
import json
import os
import random
import signal
import subprocess
import sys
import time

import pytest

from shopdesk import catalog, profiles, sales, stock, store
from shopdesk.cli import main
from shopdesk.errors import DatabaseError
from tests import figures
from tests.conftest import PIN_A, ROOT, open_on_server

KILLS = 40
SEED = 20261206

SERVER_GONE = "server"


@pytest.fixture
def on_server(pg_database, tmp_path, monkeypatch):
    """This test's own database on the tests' cluster, opened by the app, with a
    seller and a stocked product: (cluster database name, seller)."""
    name, url = pg_database
    op = open_on_server(url, tmp_path / "home", monkeypatch)
    profiles.create_seller(op, login="kopi", display_name="Sri", pin=PIN_A, shop_name="Kopi")
    seller = profiles.seller_login(login="kopi", pin=PIN_A)
    catalog.create_product(seller, name="Kopi Bubuk", price=10_000, sku="KOPI")
    stock.receive(seller, sku="KOPI", quantity=100)
    yield name, seller
    store.close_database()
    store.set_shop_scope(None)


# Lots whose cache differs from their ledger rows (as in tests/test_fault_kill9.py).
CACHE_VS_LEDGER = """
SELECT count(*) FROM (
  SELECT 1 FROM (
    SELECT variant_id, lot, on_hand AS q FROM lot_stock
    UNION ALL SELECT variant_id, COALESCE(batch_id, 0), -quantity FROM movement
  ) AS both_sides GROUP BY variant_id, lot HAVING SUM(q) != 0
) AS drifting
"""


def _drift(cluster, name):
    return cluster.query(name, CACHE_VS_LEDGER)[0][0]


def _sales(cluster, name):
    return cluster.query(name, "SELECT count(*), COALESCE(sum(total), 0) FROM sale")[0]


def test_a_sale_while_the_server_is_off_says_so_and_writes_nothing(pg_cluster, on_server):
    name, seller = on_server
    sales.record_sale(seller, lines=[("KOPI", 1)])
    pg_cluster.stop("immediate")  # the server PC loses power
    try:
        with pytest.raises(DatabaseError) as gone:
            sales.record_sale(seller, lines=[("KOPI", 2)])
        message = str(gone.value)
        assert "server" in message and "Periksa" in message  # Indonesian, says what to do
        with pytest.raises(DatabaseError):  # and again: still a message, never a traceback
            stock.stock(seller, sku="KOPI")
    finally:
        pg_cluster.start()
    # Back: the same process carries on, without reopening anything.
    sale = sales.record_sale(seller, lines=[("KOPI", 3)])
    assert sale.number == 2
    assert _sales(pg_cluster, name) == (2, 40_000)
    assert stock.stock(seller, sku="KOPI").on_hand == 96
    assert _drift(pg_cluster, name) == 0


def test_the_command_line_while_the_server_is_off(pg_cluster, on_server, capsys, monkeypatch):
    """A command run while the server PC is off says so in Indonesian (no
    traceback, nothing written); the same command works once it is back."""
    name, _seller = on_server
    store.close_database()
    monkeypatch.setenv("SHOPDESK_PIN", PIN_A)
    pg_cluster.stop("immediate")
    try:
        code = main(["sale", "record", "--seller", "kopi", "KOPI:1"])
        err = capsys.readouterr().err
    finally:
        pg_cluster.start()
    assert code == DatabaseError.exit_code
    assert "tidak bisa dihubungi" in err or "terputus" in err, err
    assert "Traceback" not in err
    assert _sales(pg_cluster, name) == (0, 0)
    assert main(["sale", "record", "--seller", "kopi", "KOPI:1"]) == 0
    assert _sales(pg_cluster, name) == (1, 10_000)


@pytest.mark.slow
def test_kill9_mid_sale_on_a_server_loses_no_acknowledged_commit(
    pg_cluster, on_server, tmp_path, request
):
    """The SQLite kill test's fork server (tests/fault_kill9_worker.py), on the server."""
    name, seller = on_server
    store.close_database()
    config = {"session": dataclasses.asdict(seller), "skus": ["KOPI"]}
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "fault_kill9_worker.py"), json.dumps(config)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    rng = random.Random(SEED)
    acked: list[tuple[str, int]] = []
    lost = not_killed = 0
    try:
        for kill in range(KILLS):
            ack_file = tmp_path / f"ack-{kill}.txt"
            server.stdin.write(f"{rng.randrange(1 << 30)} {ack_file}\n")
            server.stdin.flush()
            pid = int(server.stdout.readline())
            _first_ack(ack_file)  # the child is at work (slow on a loaded machine)
            time.sleep(rng.uniform(0.0, 0.3))
            os.kill(pid, signal.SIGKILL)
            status = int(server.stdout.readline().split()[1])
            if not (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL):
                not_killed += 1
            if ack_file.exists():
                for line in ack_file.read_text().splitlines():
                    parts = line.split()
                    if len(parts) == 3 and parts[0] == "ACK":
                        acked.append((parts[1], int(parts[2])))
    finally:
        server.stdin.close()
        server.wait(timeout=60)
    lost = sum(not _present(pg_cluster, name, kind, ident) for kind, ident in acked)
    drift = _drift(pg_cluster, name)
    figures.report(
        request,
        f"\nkill9 on PostgreSQL: {KILLS} kills, {len(acked)} acknowledged commits, "
        f"{lost} lost, {drift} cache/ledger differences, {not_killed} died on their own",
    )
    assert not_killed == 0 and len(acked) >= KILLS  # every child had done work
    assert lost == 0 and drift == 0


def _first_ack(ack_file, limit=30.0):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if ack_file.exists() and ack_file.read_text():
            return
        time.sleep(0.02)


def _present(cluster, name, kind, ident):
    sql = {
        "sale": "SELECT 1 FROM sale WHERE number = %s",
        "move": "SELECT 1 FROM movement WHERE id = %s",
        "count": "SELECT 1 FROM stock_count WHERE id = %s AND status = 'posted'",
    }[kind]
    return bool(cluster.query(name, sql, (ident,)))


def _more_acks(out_file, seen, limit=60.0):
    """Wait until the seller's process acknowledged a sale beyond the first ``seen``."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and out_file.read_text().count("ACK") <= seen:
        time.sleep(0.05)


SELLER = """
import json, sys, time
from pathlib import Path
from shopdesk import i18n, opener, sales
from shopdesk.errors import ShopDeskError
from shopdesk.profiles import Session
i18n.set_language("id")
session = Session(**json.loads(sys.argv[1]))
stop = Path(sys.argv[2])
opener.open_data()
while not stop.exists():
    try:
        sale = sales.record_sale(session, lines=[("KOPI", 1)], allow_negative=True)
        print("ACK", sale.number, flush=True)
    except ShopDeskError as exc:
        print("ERR", exc.message, flush=True)
        time.sleep(0.2)
"""


@pytest.mark.slow
def test_server_restarts_mid_sale_lose_no_acknowledged_sale(
    pg_cluster, on_server, tmp_path, request
):
    """A seller's process sells on while the server is restarted under it (an
    immediate stop: the server PC's power cut), five times: it says so in words,
    carries on by itself each time the server is back, and every sale it
    acknowledged is there."""
    name, seller = on_server
    store.close_database()
    stop = tmp_path / "stop"
    out_file = tmp_path / "out.txt"
    with open(out_file, "w") as out_handle:
        child = subprocess.Popen(
            [sys.executable, "-c", SELLER, json.dumps(dataclasses.asdict(seller)), str(stop)],
            cwd=ROOT,
            stdout=out_handle,
            stderr=subprocess.PIPE,
            text=True,
        )
    rng = random.Random(SEED)
    restarts = 5
    try:
        _more_acks(out_file, 0)  # selling
        for _restart in range(restarts):
            time.sleep(rng.uniform(0.2, 0.8))
            pg_cluster.stop("immediate")
            time.sleep(rng.uniform(0.3, 1.0))
            pg_cluster.start()
            _more_acks(out_file, out_file.read_text().count("ACK"))  # it carried on
    finally:
        stop.touch()
        _out, err = child.communicate(timeout=60)
    out = out_file.read_text()
    acked = [int(line.split()[1]) for line in out.splitlines() if line.startswith("ACK")]
    errors = [line[4:] for line in out.splitlines() if line.startswith("ERR")]
    after_last = out.rsplit("ERR", 1)[-1].count("ACK") if errors else len(acked)
    numbers = {r[0] for r in pg_cluster.query(name, "SELECT number FROM sale")}
    lost = [n for n in acked if n not in numbers]
    figures.report(
        request,
        f"\nserver restarts mid-sale: {restarts} restarts, {len(acked)} sales acknowledged, "
        f"{len(lost)} lost, {len(errors)} messages shown ({sorted(set(errors))[:2]}), "
        f"{after_last} sales after the last restart",
    )
    assert "Traceback" not in err, err[-2000:]
    assert errors and all("server" in e.lower() for e in errors)
    assert lost == [] and after_last > 0
    assert _drift(pg_cluster, name) == 0


def _namespaces_work() -> bool:
    """Whether this machine lets a test make a network of its own and drop its packets."""
    probe = "ip link set lo up && tc qdisc add dev lo root blackhole"
    try:
        done = subprocess.run(["unshare", "-n", "sh", "-c", probe], capture_output=True)
    except OSError:
        return False
    return done.returncode == 0


@pytest.mark.slow
def test_a_pulled_cable_is_noticed_and_work_carries_on(tmp_path, request):
    """The cable pulled (packets silently lost, as a real cable pull does, in a
    network of the test's own): the sale then, and one in the middle of its writes,
    each end with the Indonesian message within about half a minute instead of
    hanging; nothing of them is written; when the cable is back the same process
    sells again, also on the product the cut-off sale had locked."""
    from tests import pg_cluster as clusters

    bin_dir = clusters.binaries()
    if bin_dir is None or not _namespaces_work():
        pytest.skip("needs PostgreSQL and a network namespace with tc (unshare -n)")
    cluster = clusters.Cluster(bin_dir)  # made here, started inside the namespace
    config = {
        "root": str(cluster.root),
        "data": str(cluster.data),
        "log": str(cluster.root / "server.log"),
        "pg_ctl": str(bin_dir / "pg_ctl"),
        "as_user": cluster.as_user,
        "home": str(tmp_path / "home"),
    }
    try:
        done = subprocess.run(
            [
                "unshare",
                "-n",
                sys.executable,
                str(ROOT / "tests" / "cable_worker.py"),
                json.dumps(config),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        cluster.remove()
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    steps = {s["step"]: s for s in map(json.loads, lines)}
    figures.report(
        request,
        "\ncable pulled: "
        + "; ".join(
            f"{k}: {v.get('saved') or v.get('message', '')[:40]} ({v.get('seconds')} s)"
            for k, v in steps.items()
            if k != "server"
        ),
    )
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert steps["before"]["saved"] == 1
    for cut in ("pulled", "pulled mid-sale"):
        assert (
            "terputus" in steps[cut]["message"] or "tidak bisa dihubungi" in steps[cut]["message"]
        )
        assert steps[cut]["seconds"] <= 60
    assert steps["back"]["saved"] == 2 and steps["back again"]["saved"] == 3
    assert steps["server"] == {"step": "server", "numbers": [1, 2, 3], "on_hand": 97}
