"""Real database files of every schema (tests/fixtures/README.md says how each was
made, with the code of its own time) open with today's opener: a verified backup
of the old file first, then the upgrade, and nothing lost or changed on the way."""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import zipfile
from collections.abc import Iterator
from pathlib import Path

import peewee
import pytest

from shopdesk import backup, debts, paths, profiles, sales, stock, store
from shopdesk.store import migrations
from shopdesk.store.models import Seller
from tests.conftest import FIXTURES, OPERATOR_PASSWORD, PIN_A, PIN_B, schema_file

VERSIONS = range(1, migrations.LATEST_VERSION + 1)
PINS = {"kopi": PIN_A, "madu": PIN_B}
# Sums that no upgrade may change, each read once the table is there.
SUMS = {
    "sale": "SELECT shop_id, COUNT(*), SUM(total), COUNT(voided_at) FROM sale GROUP BY shop_id",
    "sale_line": "SELECT sale_id, SUM(quantity * unit_price - discount), SUM(quantity * unit_cost) "
    "FROM sale_line GROUP BY sale_id",
    "variant": "SELECT shop_id, SUM(price), SUM(cost) FROM variant GROUP BY shop_id",
    "movement": "SELECT shop_id, variant_id, batch_id, SUM(quantity) FROM movement "
    "GROUP BY shop_id, variant_id, batch_id",
    "debt_entry": "SELECT shop_id, customer_id, sale_id, SUM(amount), COUNT(*) FROM debt_entry "
    "GROUP BY shop_id, customer_id, sale_id",
    "customer_balance": "SELECT shop_id, customer_id, balance FROM customer_balance "
    "ORDER BY customer_id",
}


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[sqlite3.Connection]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        yield con
    finally:
        con.close()


def tables(con: sqlite3.Connection) -> list[str]:
    rows = con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    return [r[0] for r in rows if not r[0].startswith("sqlite_")]


def lots(con: sqlite3.Connection) -> dict[tuple[int, int], int]:
    """What each lot holds (variant, batch or 0 for loose stock), zeros left out:
    the lot_stock table of schema 4 on, the on_hand columns before it."""
    names = tables(con)
    if "lot_stock" in names:
        rows = con.execute("SELECT variant_id, lot, on_hand FROM lot_stock WHERE on_hand != 0")
        return {(v, lot): q for v, lot, q in rows}
    if "variant" not in names:
        return {}
    found = {(v, b): q for b, v, q in con.execute("SELECT id, variant_id, on_hand FROM batch")}
    for variant, on_hand in con.execute("SELECT id, on_hand FROM variant"):
        found[(variant, 0)] = on_hand - sum(q for (v, _b), q in found.items() if v == variant)
    return {key: q for key, q in found.items() if q != 0}


def facts(con: sqlite3.Connection, names: list[str]) -> dict[str, object]:
    """Row counts of ``names``, the money and ledger sums, what each lot holds."""
    found: dict[str, object] = {
        f"rows of {t}": con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in names
    }
    for table, sql in SUMS.items():
        if table in names:
            found[f"sums of {table}"] = con.execute(sql).fetchall()
    found["lots"] = lots(con)
    return found


def schema(con: sqlite3.Connection) -> list[tuple[str, str, str, str]]:
    return con.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
    ).fetchall()


@pytest.fixture(scope="module")
def todays_schema(tmp_path_factory) -> list[tuple[str, str, str, str]]:
    """sqlite_master of a database made new by today's steps."""
    path = tmp_path_factory.mktemp("fresh") / "fresh.sqlite3"
    fresh = peewee.SqliteDatabase(str(path))
    migrations.migrate(fresh)
    fresh.close()
    with read_only(path) as con:
        return schema(con)


def test_every_schema_version_has_its_file():
    """A new step is released with a real file of its schema (see the README)."""
    made = sorted(p.name for p in FIXTURES.glob("schema_v*.sqlite3"))
    assert made == [schema_file(v).name for v in VERSIONS]
    for version in VERSIONS:
        with read_only(schema_file(version)) as con:
            assert con.execute("PRAGMA user_version").fetchone()[0] == version
        assert schema_file(version).stat().st_size < 1_000_000


@pytest.mark.parametrize("version", VERSIONS)
def test_old_file_upgrades_keeping_every_row_and_figure(version, open_old, todays_schema):
    with read_only(schema_file(version)) as con:
        names = tables(con)
        before = facts(con, names)

    open_old(version)

    con = store.database.obj.connection()
    assert migrations.user_version(store.database.obj) == migrations.LATEST_VERSION
    assert schema(con) == todays_schema
    assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    assert facts(con, names) == before
    for seller in list(Seller.select()):
        report = stock.check(profiles.session_for(seller))
        assert report.ok, (seller.login, report)
        assert debts.check(profiles.session_for(seller)).ok, seller.login
    store.close_database()
    check_backup_before_upgrade(version)


def check_backup_before_upgrade(version: int) -> None:
    """A verified full backup holding exactly the old file's data; none for today's."""
    made = list(paths.backups_dir().glob("shopdesk-full-*.zip"))
    if version == migrations.LATEST_VERSION:
        assert made == []
        return
    assert [p.name.endswith(f"-before-v{version + 1}.zip") for p in made] == [True]
    assert backup.verify(made[0]).schema == version
    copy = made[0].parent / "old.sqlite3"
    with zipfile.ZipFile(made[0]) as archive:
        copy.write_bytes(archive.read(backup.DB_MEMBER))
    with read_only(copy) as con, read_only(schema_file(version)) as old:
        assert list(con.iterdump()) == list(old.iterdump())


@pytest.mark.parametrize("version", VERSIONS)
def test_people_of_an_old_file_log_in_after_the_upgrade(version, open_old):
    open_old(version)
    profiles.operator_login(password=OPERATOR_PASSWORD)
    logins = [s.login for s in Seller.select().order_by(Seller.id)]
    assert logins == (["kopi"] if version == 1 else ["kopi", "madu"])
    for login in logins:
        session = profiles.seller_login(login=login, pin=PINS[login])
        assert session.shop_name == {"kopi": "Kopi Sindoro", "madu": "Madu Bangli"}[login]


@pytest.mark.parametrize("version", VERSIONS[1:])
def test_files_hold_what_the_readme_promises(version):
    """Every kind of row an upgrade must carry (schema 1 had only the operator and one seller)."""
    with read_only(schema_file(version)) as con:
        sql = con.execute
        assert sql("SELECT COUNT(*) FROM shop").fetchone()[0] == 2
        assert sql("SELECT COUNT(DISTINCT shop_id) FROM category").fetchone()[0] == 2
        assert sql("SELECT COUNT(*) FROM variant WHERE option1_value != ''").fetchone()[0] >= 4
        assert sql("SELECT COUNT(*) FROM product WHERE archived").fetchone()[0] == 1
        assert sql("SELECT COUNT(DISTINCT expires_on) FROM batch").fetchone()[0] >= 3
        assert sql("SELECT COUNT(*) FROM movement WHERE quantity > 0").fetchone()[0] > 0
        reasons = {r[0] for r in sql("SELECT DISTINCT reason FROM movement")}
        assert {"received", "sold", "damaged", "expired", "stocktake", "void"} <= reasons
        assert sql("SELECT COUNT(*) FROM sale WHERE voided_at IS NOT NULL").fetchone()[0] == 1
        assert sql("SELECT COUNT(*) FROM sale_line").fetchone()[0] > 0
        assert sql("SELECT status FROM stock_count").fetchall() == [("posted",)]
        assert sql("SELECT COUNT(DISTINCT waiting) FROM listing_state").fetchone()[0] == 2
        assert sql("SELECT COUNT(*) FROM bundle").fetchone()[0] == 1
        assert sql("SELECT COUNT(*) FROM setting WHERE shop_id IS NULL").fetchone()[0] == 1
        assert sql("SELECT COUNT(DISTINCT shop_id) FROM setting").fetchone()[0] == 2
        assert sql("SELECT COUNT(DISTINCT action) FROM audit_log").fetchone()[0] >= 8
        stock_by_lot = lots(con)
    assert any(lot == 0 and q > 0 for (_v, lot), q in stock_by_lot.items())  # loose stock
    assert any(q < 0 for q in stock_by_lot.values())  # a variant sold below zero


@pytest.mark.parametrize("version", VERSIONS[6:])
def test_files_hold_customers_and_kasbon(version):
    """Schema 7 on: customers of both shops, a credit sale, payments, a voided one."""
    with read_only(schema_file(version)) as con:
        sql = con.execute
        assert sql("SELECT COUNT(DISTINCT shop_id) FROM customer").fetchone()[0] == 2
        assert sql("SELECT COUNT(*) FROM customer WHERE whatsapp = ''").fetchone()[0] == 1
        kinds = {r[0] for r in sql("SELECT DISTINCT kind FROM debt_entry")}
        assert kinds == {"sale", "payment", "void"}
        assert sql("SELECT COUNT(*) FROM sale WHERE customer_id IS NOT NULL").fetchone()[0] == 3
        assert sql("SELECT SUM(balance) FROM customer_balance").fetchone()[0] == 80_000


@pytest.mark.parametrize("version", VERSIONS[7:])
def test_files_hold_photos_and_logos_whole(version):
    """Schema 8 on: the photo and both shops' logos are rows of media, bytes whole."""
    with read_only(schema_file(version)) as con:
        rows = con.execute("SELECT shop_id, kind, filename, sha256, data FROM media").fetchall()
        named = set(con.execute("SELECT shop_id, 'photos', filename FROM photo"))
        named |= set(con.execute("SELECT id, 'logos', logo FROM shop WHERE logo != ''"))
    assert {(shop, kind, name) for shop, kind, name, _h, _d in rows} == named
    assert {kind for _s, kind, _n, _h, _d in rows} == {"photos", "logos"}
    assert all(hashlib.sha256(data).hexdigest() == sha for _s, _k, _n, sha, data in rows)


@pytest.mark.parametrize("version", VERSIONS[:6])
def test_a_file_from_before_kasbon_sells_on_credit_after_the_upgrade(version, open_old):
    """Old sales have no customer and no debt; the first kasbon on the upgraded file works."""
    open_old(version)
    session = profiles.seller_login(login="kopi", pin=PIN_A)
    old = sales.list_sales(session)
    assert all(s.customer_id is None and s.on_credit == 0 for s in old)
    sri = debts.add_customer(session, name="Bu Sri", whatsapp="081227009999")
    if version == 1:  # schema 1 had no products to sell
        assert debts.debts(session) == []
        return
    sale = sales.record_sale(
        session, lines=[("GULA-0001", 1)], paid=0, customer=sri.id, allow_expired=True
    )
    debts.record_payment(session, customer=sri.id, amount=sale.total)
    assert debts.get_customer(session, sri.id).balance == 0 and debts.check(session).ok
