"""peewee loads without its PostgreSQL driver (~85 ms of the app's start) until something
imports that driver; then peewee holds what its own import would have given it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytest.importorskip("psycopg")

NAMES = ("psycopg", "TransactionStatus", "Json_pg3", "Jsonb_pg3")
PROBE = """
import json, sys
{first}
import peewee
before = "psycopg" in sys.modules
import psycopg
names = {{n: repr(getattr(peewee, n, None)) for n in {names!r}}}
kinds = ("txn_idle", "txn_inerror", "txn_unknown")
names.update({{k: repr(getattr(peewee.Psycopg3Adapter, k)) for k in kinds}})
adapter = type(peewee.PostgresqlDatabase("x", prefer_psycopg3=True)._adapter).__name__
print(json.dumps([before, names, adapter]))
"""


def _probe(first: str) -> list[object]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(first=first, names=NAMES)],
        capture_output=True, text=True, cwd=ROOT, check=True,
    )  # fmt: skip
    result: list[object] = json.loads(done.stdout)
    return result


def test_peewee_through_shopdesk_loads_no_driver_until_asked_then_has_it_all():
    lean = _probe("import shopdesk.store")
    plain = _probe("")  # peewee alone, as its authors load it
    assert lean[0] is False and plain[0] is True
    assert lean[1:] == plain[1:]
    assert lean[2] == "Psycopg3Adapter"


@pytest.mark.sqlite_only  # a SQLite shop's start
def test_opening_a_sqlite_shop_and_logging_in_loads_no_postgresql_driver(tmp_path):
    code = (
        "import sys\n"
        "from shopdesk import opener, profiles, store\n"
        "opener.open_data()\n"
        "store.set_shop_scope(1)\n"
        "with store.transaction():\n"
        "    pass\n"
        "server = ('shopdesk.store.server', 'shopdesk.store.postgres')\n"
        "print(sorted(m for m in sys.modules if m.startswith('psycopg') or m in server))\n"
    )  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True,
        env={**__import__("os").environ, "SHOPDESK_HOME": str(tmp_path)},
    )  # fmt: skip
    assert done.stdout.strip() == "[]"
