"""The app's own backups of a PostgreSQL server's data (issue 14, point 6): the
same sealed zip with a SQLite file inside, built from the server's rows, checked
by the same verifier, and restored into either engine; on the tests' own cluster."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import zipfile

import pytest

from shopdesk import backup, catalog, opener, profiles, sales, stock, store
from shopdesk.errors import DatabaseError
from shopdesk.store import copying, migrations, models
from tests import every_table
from tests.conftest import OPERATOR_PASSWORD, PIN_A, PIN_B, make_seller, open_on_server


@pytest.fixture
def server(pg_database, tmp_path, monkeypatch):
    """The app on this test's server database, with rows in every table:
    (database name, operator, seller A, seller B)."""
    name, url = pg_database
    op = open_on_server(url, tmp_path / "home", monkeypatch)
    a = make_seller(op, "kopi", PIN_A, "Kopi Sindoro")
    b = make_seller(op, "madu", PIN_B, "Madu Bangli", timezone="WITA")
    every_table.fill(op, a, b, tmp_path / "work")
    yield name, op, a, b
    store.close_database()
    store.set_shop_scope(None)


def _figures():
    return copying.figures(store.database.obj)


def _without_audit(figures):
    """Figures of every table but the audit log (restores and logins add to it)."""
    return {t: figures.digests[t] for t in figures.digests if t != "audit_log"}


def test_a_server_backup_is_the_usual_zip_and_restores_into_a_sqlite_folder(
    server, tmp_path, monkeypatch
):
    _name, op, _a, _b = server
    expected = _figures()
    info = backup.backup_now(op, folder=tmp_path)
    assert backup.verify(info.path).kind == backup.FULL
    with zipfile.ZipFile(info.path) as archive:
        assert archive.read(backup.DB_MEMBER)[:16] == b"SQLite format 3\x00"
        (tmp_path / "inside.sqlite3").write_bytes(archive.read(backup.DB_MEMBER))
    with sqlite3.connect(tmp_path / "inside.sqlite3") as con:  # the photos are rows inside
        held = con.execute("SELECT shop_id, kind, sha256, data FROM media").fetchall()
    assert {(shop, kind) for shop, kind, _h, _d in held} == {
        (shop, kind) for shop in (1, 2) for kind in ("photos", "logos")
    }
    assert all(hashlib.sha256(data).hexdigest() == sha for _s, _k, sha, data in held)
    # A PC of its own, on SQLite, takes the whole server's data from it.
    store.close_database()
    monkeypatch.delenv("SHOPDESK_DATABASE_URL")
    monkeypatch.setenv("SHOPDESK_HOME", str(tmp_path / "laptop"))
    store.open_database()
    laptop_op = profiles.create_operator(password="laptop-operator")
    backup.restore(laptop_op, path=info.path)
    assert _without_audit(_figures()) == _without_audit(expected)
    seller = profiles.seller_login(login="kopi", pin=PIN_A)
    assert stock.check(seller).ok
    # The laptop never had the photo's file: it comes out of the restored data.
    photo = next(p for product in catalog.list_products(seller) for p in product.photos)
    path = catalog.photos.photo_file(seller, photo)
    assert path.is_relative_to(tmp_path / "laptop")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == photo.filename.split(".")[0]


def test_full_restore_on_the_server(server, tmp_path):
    _name, op, a, b = server
    saved = backup.backup_now(op, folder=tmp_path)
    expected = _figures()
    sales.record_sale(a, lines=[("K-0", 1)])
    sales.record_sale(b, lines=[("K-1", 2)])
    history = models.AuditLog.select().count()
    result = backup.restore(op, path=saved.path)
    assert _without_audit(_figures()) == _without_audit(expected)
    last = models.AuditLog.select().order_by(models.AuditLog.id.desc()).first()
    assert last.action == "backup.restore" and saved.name in last.detail
    # What was done after the backup stays on record, and the safety copy holds it.
    assert models.AuditLog.select().count() > history
    backup.restore(op, path=result.safety_backup.path)
    assert stock.stock(b, sku="K-1").on_hand == stock.stock(a, sku="K-0").on_hand - 1
    # The server's numbers and ids go on after the restored rows.
    newest = (
        models.Sale.select().where(models.Sale.shop == a.shop_id).order_by(models.Sale.id.desc())
    )
    last = newest.first()
    sale = sales.record_sale(a, lines=[("K-0", 1)])
    assert sale.number == last.number + 1 and sale.id > last.id


def test_a_sqlite_backup_restores_onto_the_server(server, tmp_path, monkeypatch):
    """A PC with its own file makes a backup; the operator restores it onto the server."""
    _name, op, _a, _b = server
    url = os.environ["SHOPDESK_DATABASE_URL"]
    store.close_database()
    monkeypatch.delenv("SHOPDESK_DATABASE_URL")
    monkeypatch.setenv("SHOPDESK_HOME", str(tmp_path / "pc"))
    store.open_database()
    pc_op = profiles.create_operator(password=OPERATOR_PASSWORD)
    teh = make_seller(pc_op, "teh", PIN_A, "Teh Kemuning")
    catalog.create_product(teh, name="Teh Hitam", price=8_000, sku="T-1")
    stock.receive(teh, sku="T-1", quantity=30)
    sales.record_sale(teh, lines=[("T-1", 4)])
    expected = _figures()
    saved = backup.backup_now(pc_op, folder=tmp_path)
    store.close_database()
    monkeypatch.setenv("SHOPDESK_DATABASE_URL", url)
    monkeypatch.setenv("SHOPDESK_HOME", str(tmp_path / "home"))
    store.open_database()
    backup.restore(op, path=saved.path)
    assert _without_audit(_figures()) == _without_audit(expected)
    teh = profiles.seller_login(login="teh", pin=PIN_A)
    assert stock.stock(teh, sku="T-1").on_hand == 26
    assert sales.record_sale(teh, lines=[("T-1", 1)]).number == 2


def test_shop_restore_on_the_server_keeps_the_other_shop(server, tmp_path):
    _name, _op, a, b = server
    saved = backup.backup_now(a, folder=tmp_path)
    before = stock.stock(a, sku="K-0").on_hand
    b_before = stock.stock(b, sku="K-1").on_hand
    sales.record_sale(a, lines=[("K-0", 5)])
    b_sale = sales.record_sale(b, lines=[("K-1", 1)])
    backup.restore(a, path=saved.path)
    assert stock.stock(a, sku="K-0").on_hand == before
    assert stock.stock(b, sku="K-1").on_hand == b_before - 1  # B's own sale stays
    assert sales.get_sale(b, number=b_sale.number).total == b_sale.total


def test_a_restore_cut_off_by_the_server_changes_nothing(server, tmp_path, pg_cluster, monkeypatch):
    _name, op, a, _b = server
    saved = backup.backup_now(op, folder=tmp_path)
    sales.record_sale(a, lines=[("K-0", 1)])
    before = _figures()
    real = copying._insert

    def pulled(model, db, rows, fields):
        if model is models.Movement and isinstance(db, type(store.database.obj)):
            pg_cluster.stop("immediate")
        real(model, db, rows, fields)

    monkeypatch.setattr(copying, "_insert", pulled)
    try:
        with pytest.raises(DatabaseError, match="server"):
            backup.restore(op, path=saved.path)
    finally:
        pg_cluster.start()
    monkeypatch.setattr(copying, "_insert", real)
    assert _figures() == before


def test_shop_restore_when_the_server_spells_the_shop_time_its_own_way(
    server, tmp_path, pg_cluster
):
    """A server prints 10:00:00.5 where the backup's file holds 10:00:00.500000:
    still the same shop."""
    name, _op, a, _b = server
    pg_cluster.query(
        name, "UPDATE shop SET created_at = '2026-01-02 10:00:00.5' WHERE id = %s", (a.shop_id,)
    )
    saved = backup.backup_now(a, folder=tmp_path)
    before = stock.stock(a, sku="K-0").on_hand
    sales.record_sale(a, lines=[("K-0", 2)])
    backup.restore(a, path=saved.path)
    assert stock.stock(a, sku="K-0").on_hand == before


def test_backup_on_open_on_a_server_once_a_day(server):
    first = backup.backup_on_open()
    assert first is not None and backup.verify(first.path).kind == backup.FULL
    sales.record_sale(server[2], lines=[("K-0", 1)])
    assert backup.backup_on_open() is None  # a server's is made once a day


def test_a_server_at_an_older_schema_is_backed_up_before_its_upgrade(
    pg_database, tmp_path, monkeypatch
):
    """A new ShopDesk opens a server still at the schema before: first a verified
    backup of it as it is (a SQLite file at that older schema), then the upgrade;
    the backup restores onto the upgraded server."""
    _name, url = pg_database
    older = migrations.LATEST_VERSION - 1
    monkeypatch.setenv("SHOPDESK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("SHOPDESK_DATABASE_URL", url)
    store.open_database(migrate=False)
    migrations.migrate(store.database.obj, upto=older)
    store.database.execute_sql(
        "INSERT INTO operator (username, password_hash, created_at) VALUES (?, ?, ?)",
        ("admin", profiles.hasher().hash(OPERATOR_PASSWORD), "2026-12-01 08:00:00"),
    )
    store.database.execute_sql(
        "INSERT INTO shop (name, created_at) VALUES ('Toko Lama', '2026-12-01 08:00:00')"
    )
    store.close_database()
    opener.open_data()
    assert migrations.user_version(store.database.obj) == migrations.LATEST_VERSION
    made = [
        info
        for _p, info in backup.list_backups(profiles.operator_login(password=OPERATOR_PASSWORD))
    ]
    before = [i for i in made if i.reason == f"before-v{older + 1}"]
    assert len(before) == 1 and before[0].schema == older
    op = profiles.operator_login(password=OPERATOR_PASSWORD)
    store.database.execute_sql("UPDATE shop SET name = 'Toko Baru'")
    backup.restore(op, path=before[0].path)
    assert [r.name for r in models.Shop.select()] == ["Toko Lama"]
