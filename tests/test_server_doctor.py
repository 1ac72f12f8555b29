"""``shopdesk doctor`` on a PC whose data lives on a server, and the way back for
damaged data there (issue 14): the doctor checks what a server has (that it
answers and its version, the schema, row-level security on and forced on every
shop-owned table, the app's role, the ledgers' guards, ledger = cache and the
money per shop) and claims nothing of a SQLite file; "replace a damaged
database" names the server and what to do, and touches no file of this PC.

On the tests' own cluster (tests/pg_cluster.py), wherever PostgreSQL is installed.
"""

from __future__ import annotations

import pytest

from shopdesk import backup, doctor, paths, profiles, sales, stock, store
from shopdesk.cli import main
from shopdesk.errors import DatabaseError, ValidationError
from shopdesk.store import migrations
from tests.conftest import OPERATOR_PASSWORD, PIN_A, PIN_B, open_on_server
from tests.pg_cluster import APP_ROLE


@pytest.fixture
def server(pg_database, tmp_path, monkeypatch):
    """Two shops with stock and sales on this test's server database:
    (database name, its address, operator, seller A)."""
    name, url = pg_database
    op = open_on_server(url, tmp_path / "home", monkeypatch)
    sellers = []
    for login, pin, shop in (("kopi", PIN_A, "Kopi Sindoro"), ("madu", PIN_B, "Madu Bangli")):
        profiles.create_seller(op, login=login, display_name=login, pin=pin, shop_name=shop)
        seller = profiles.seller_login(login=login, pin=pin)
        from shopdesk import catalog

        catalog.create_product(seller, name=f"Produk {login}", price=10_000, sku=login.upper())
        stock.receive(seller, sku=login.upper(), quantity=10)
        sales.record_sale(seller, lines=[(login.upper(), 2)])
        sellers.append(seller)
    yield name, url, op, sellers[0]
    store.close_database()
    store.set_shop_scope(None)


def _by_status(findings):
    return {f.what: f.status for f in findings}


def test_doctor_on_a_server_says_what_it_checked_there(server):
    _name, url, op, _a = server
    findings = doctor.run(op)
    assert all(f.status == doctor.OK for f in findings if "Cadangan" not in f.what), findings
    text = "\n".join(f.what for f in findings)
    place = url.split("@", 1)[1]
    host = place.split("/", 1)[0]
    assert host in text and "PostgreSQL" in text
    assert "tidak ada berkas database di PC ini yang diperiksa" in text
    assert f"Skema: versi {migrations.LATEST_VERSION}," in text
    assert "keamanan tingkat baris" in text.lower()
    assert APP_ROLE in text
    assert "Stok:" in text and "Kasbon:" in text and "Uang:" in text
    assert "2 toko" in text
    # Nothing of a SQLite file is claimed.
    assert "integritas" not in text.lower() and ".sqlite3" not in text


def test_doctor_on_a_server_finds_a_lost_guard_a_strong_role_and_wrong_money(server, pg_cluster):
    name, _url, op, a = server
    pg_cluster.query(name, "ALTER TABLE movement NO FORCE ROW LEVEL SECURITY")
    pg_cluster.query(name, "ALTER TABLE debt_entry DISABLE ROW LEVEL SECURITY")
    pg_cluster.query(name, "UPDATE sale SET total = total + 1 WHERE shop_id = %s", (a.shop_id,))
    pg_cluster.query(name, f"ALTER ROLE {APP_ROLE} BYPASSRLS")
    try:
        store.close_database()
        store.open_database(migrate=False)
        findings = doctor.run(op)
    finally:
        pg_cluster.query(name, f"ALTER ROLE {APP_ROLE} NOBYPASSRLS")
    failed = [f for f in findings if f.status == doctor.FAIL]
    text = "\n".join(f"{f.what} {f.todo}" for f in failed)
    assert "debt_entry, movement" in text
    assert "BYPASSRLS" in text and APP_ROLE in text
    assert "Uang: 1 penjualan" in text and "kopi" in text
    assert len(failed) == 3


def test_cli_doctor_on_a_server_prints_its_checks_in_indonesian(server, capsys, monkeypatch):
    monkeypatch.setenv("SHOPDESK_OPERATOR_PASSWORD", OPERATOR_PASSWORD)
    # A file left in the data folder from before the move is not the data: never checked.
    paths.database_path().write_bytes(b"bukan database" * 100)
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert f"Skema: versi {migrations.LATEST_VERSION}," in out and "Uang:" in out
    assert "[OK  ] Server " in out


# --- replacing a damaged database on a server PC ------------------------------------------------


def test_replacing_a_damaged_database_on_a_server_pc_names_the_server(server, tmp_path):
    _name, url, op, _a = server
    (tmp_path / "backups").mkdir()
    saved = backup.backup_now(op, folder=tmp_path / "backups")
    left = paths.database_path()
    left.write_bytes(b"bukan database" * 100)  # a damaged file left in the folder
    before = left.read_bytes()
    assert not backup.live_database_is_damaged()
    with pytest.raises(ValidationError) as caught:
        backup.restore_over_damaged(path=saved.path, password=OPERATOR_PASSWORD)
    message = caught.value.message
    assert url.split("@", 1)[1].split("/", 1)[0] in message
    assert "pg_restore" in message and "shopdesk backup restore" in message
    assert left.read_bytes() == before


def test_cli_restore_on_a_server_pc_restores_into_the_server(server, tmp_path, capsys, monkeypatch):
    _name, _url, op, a = server
    (tmp_path / "backups").mkdir()
    saved = backup.backup_now(op, folder=tmp_path / "backups")
    sales.record_sale(a, lines=[("KOPI", 1)])
    left = paths.database_path()
    left.write_bytes(b"bukan database" * 100)
    before = left.read_bytes()
    store.close_database()
    monkeypatch.setenv("SHOPDESK_OPERATOR_PASSWORD", OPERATOR_PASSWORD)
    assert main(["backup", "restore", str(saved.path), "--yes"]) == 0, capsys.readouterr()
    assert left.read_bytes() == before
    store.open_database()
    assert stock.stock(a, sku="KOPI").on_hand == 8  # the sale after the backup is gone


def test_unusable_data_on_the_server_names_it_and_the_way_back(
    server, pg_cluster, capsys, monkeypatch
):
    name, url, _op, _a = server
    monkeypatch.setenv("SHOPDESK_OPERATOR_PASSWORD", OPERATOR_PASSWORD)
    store.close_database()
    pg_cluster.query(name, "DROP TABLE schema_version")  # the schema's version lost
    with pytest.raises(DatabaseError) as caught:
        store.open_database()
    message = caught.value.message
    host = url.split("@", 1)[1].split("/", 1)[0]
    assert host in message and "pg_restore" in message and "Traceback" not in message
    assert main(["doctor"]) != 0
    err = capsys.readouterr().err
    assert host in err and "pg_restore" in err
