"""Several PCs selling at once on the real server (issue 14, point 3): 4 processes
× 250 sales of one product, all at the same moment. Every sale is recorded (no
error reaches a seller: conflicts wait on the locked rows or are run again),
the stock ends exactly right, the ledger equals the cache, the sale numbers
run 1..1000 without a gap or a double, and nothing is oversold.

Runs on the test server (``SHOPDESK_TEST_SERVER``, tests/conftest.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from shopdesk import catalog, stock, store
from shopdesk.store.models import Sale
from tests.conftest import PIN_A, server_admin_url

pytestmark = pytest.mark.skipif(not server_admin_url(), reason="needs a PostgreSQL test server")

PCS = 4
SALES_EACH = 250
ROOT = Path(__file__).resolve().parent.parent

WORKER = textwrap.dedent(
    """
    import json, os, sys, time
    from pathlib import Path
    from shopdesk import profiles, sales, store
    from shopdesk.errors import ShopDeskError

    go, sku, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    store.open_database(migrate=False)
    session = profiles.seller_login(login="kopi", pin=os.environ["PIN"])
    store.set_shop_scope(session.shop_id)
    while not go.exists():
        time.sleep(0.005)
    done, errors = 0, []
    for _ in range(count):
        try:
            sales.record_sale(session, lines=[(sku, 1)])
            done += 1
        except ShopDeskError as exc:
            errors.append(f"{exc.message} | {exc.detail}")
    print(json.dumps({"done": done, "errors": errors}))
    """
)


def _run_pcs(tmp_path: Path, sku: str, each: int) -> list[dict]:
    go = tmp_path / "go"
    env = {**os.environ, "PIN": PIN_A, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(go), sku, str(each)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PCS)
    ]
    go.touch()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def test_four_pcs_sell_one_product_at_once(seller, tmp_path):
    catalog.create_product(seller, name="Kopi Sindoro", price=35000, sku="KOPI-1")
    stock.receive(seller, sku="KOPI-1", quantity=PCS * SALES_EACH)
    store.close_database()

    results = _run_pcs(tmp_path, "KOPI-1", SALES_EACH)

    store.open_database()
    assert [r["errors"] for r in results] == [[]] * PCS
    assert sum(r["done"] for r in results) == PCS * SALES_EACH
    assert catalog.get_variant(seller, "KOPI-1").on_hand == 0
    report = stock.check(seller)
    assert report.ok, report
    numbers = sorted(s.number for s in Sale.select(Sale.number).where(Sale.shop == seller.shop_id))
    assert numbers == list(range(1, PCS * SALES_EACH + 1))


def test_four_pcs_never_oversell(seller, tmp_path):
    """Stock for 30 sales, 4 PCs trying 20 each: exactly 30 go through, the other
    50 are refused for want of stock (the seller's message), none below zero."""
    catalog.create_product(seller, name="Gula Aren", price=20000, sku="GULA-1")
    stock.receive(seller, sku="GULA-1", quantity=30)
    store.close_database()

    results = _run_pcs(tmp_path, "GULA-1", 20)

    store.open_database()
    assert sum(r["done"] for r in results) == 30
    refusals = [e for r in results for e in r["errors"]]
    assert len(refusals) == 50
    assert all("GULA-1" in e and "stok" in e.lower() for e in refusals), refusals[:3]
    assert catalog.get_variant(seller, "GULA-1").on_hand == 0
    assert stock.check(seller).ok


def test_a_login_holds_only_its_own_shop(seller, seller_b):
    """Another shop's write in progress (its shop's lock held, as a sale holds it)
    does not stop seller A's login: the PIN check (argon2, a third of a second on an
    old PC) holds only shop A's writes, so logins never stall other shops' sales."""
    import threading

    import psycopg

    from shopdesk import profiles
    from shopdesk.store.postgres import WRITE_LOCK

    store.close_database()
    with psycopg.connect(os.environ["SHOPDESK_DATABASE_URL"]) as b:  # another PC of shop B
        b.execute(
            "SELECT pg_advisory_xact_lock_shared(%s, 0), pg_advisory_xact_lock(%s, %s)",
            (WRITE_LOCK, WRITE_LOCK, seller_b.shop_id),
        )
        done: list[object] = []
        login = threading.Thread(
            target=lambda: done.append(profiles.seller_login(login="kopi", pin=PIN_A))
        )
        login.start()
        login.join(timeout=120)  # a login waiting on shop B would wait until B commits
        stalled = login.is_alive()
        b.rollback()
    login.join()
    assert not stalled and done and done[0].shop_id == seller.shop_id
