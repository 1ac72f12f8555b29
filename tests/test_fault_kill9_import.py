"""kill -9 in the middle of an import: nothing of it stays, and the search trigger it
set aside for its rows is back (``store.fulltext.TEXT.new_variants_indexed_at_end``
drops it inside the import's own transaction)."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import sqlite3
import subprocess
import sys

import pytest

from shopdesk import catalog, paths, store
from shopdesk.catalog import search, table_io
from tests.conftest import ROOT, sqlite_triggers

ROWS = 3000

# The child: a tiny page cache, so that the import's pages spill into the WAL before
# its commit (the dropped trigger's schema page among them); it stops for the kill
# once every row is written and the trigger is away.
CHILD = """
import json, sys, time
from shopdesk import opener, stock, store
from shopdesk.catalog import table_io
from shopdesk.catalog.table_io import applying
from shopdesk.profiles import Session
config = json.loads(sys.argv[1])
opener.open_data()
store.database.execute_sql("PRAGMA cache_size = 20")

def stop_here(*args, **kwargs):
    away = store.database.execute_sql(
        "SELECT COUNT(*) FROM sqlite_master WHERE name = 'variant_search_ai'"
    ).fetchone()[0] == 0
    print("trigger away" if away else "trigger there", flush=True)
    time.sleep(60)

applying.stock.write_movements = stop_here
table_io.apply_import(Session(**config["session"]), config["file"])
"""


def _catalog_file(path) -> None:
    rows = ["sku,name,category,variant_name,variant_option,unit,price,cost,stock,barcode"]
    rows += [f",Keripik Desa {n},Keripik,,,bungkus,12000,8000,5," for n in range(ROWS)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


@pytest.mark.sqlite_only(reason="kills a process writing a SQLite file, reads its triggers")
def test_an_import_killed_with_its_trigger_away_leaves_nothing_behind(home, seller, tmp_path):
    catalog.create_product(seller, name="Kopi Robusta", price=25_000)
    triggers = sqlite_triggers()
    source = tmp_path / "katalog.csv"
    _catalog_file(source)
    store.close_database()
    config = {"session": dataclasses.asdict(seller), "file": str(source)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, json.dumps(config)],
        cwd=ROOT,
        env=dict(os.environ, SHOPDESK_HOME=str(home)),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "trigger away"  # the moment under test
        wal = paths.database_path().with_name(paths.database_path().name + "-wal")
        assert wal.stat().st_size > 100 * 4096  # uncommitted pages reached the WAL
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert sqlite_triggers() == triggers
    con = sqlite3.connect(paths.database_path())
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("SELECT COUNT(*) FROM product").fetchone()[0] == 1
    finally:
        con.close()
    store.open_database()
    assert [r.name for r in search.search(seller, "keripik")] == []
    result = table_io.apply_import(seller, source)  # the same file again, whole this time
    assert result.products_created == ROWS
    assert search.count(seller, "keripik desa") == ROWS
    catalog.create_product(seller, name="Madu Hutan", price=60_000)
    assert [r.name for r in search.search(seller, "madu")] == ["Madu Hutan"]
