"""Backups, verify, rotation and restore on real migrated databases."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from shopdesk import audit, backup, catalog, media_store, paths, sales, stock, store
from shopdesk.backup import archive as backup_archive
from shopdesk.backup import create as backup_create
from shopdesk.backup import folder as backup_folder
from shopdesk.backup import rows as backup_rows
from shopdesk.catalog import search
from shopdesk.errors import (
    AuthError,
    DatabaseError,
    NotFoundError,
    ShopDeskError,
    ValidationError,
)
from shopdesk.instance_lock import AlreadyRunningError
from shopdesk.store import copying
from shopdesk.store.models import AuditLog, Movement
from tests.conftest import OPERATOR_PASSWORD, PIN_A, ROOT, server_admin_url


def _stock_a(session, sku="KOPI-250", qty=10):
    catalog.create_product(session, name="Kopi Sindoro Robusta", price=35000, sku=sku)
    stock.receive(session, sku=sku, quantity=qty)


def _stock_b(session):
    catalog.create_product(session, name="Madu Hutan Bangli", price=80000, sku="MADU-500")
    stock.receive(session, sku="MADU-500", quantity=5)


def _extract(info: backup.BackupInfo, tmp_path: Path) -> sqlite3.Connection:
    target = tmp_path / f"{info.name}.sqlite3"
    with zipfile.ZipFile(info.path) as archive:
        target.write_bytes(archive.read(backup.DB_MEMBER))
    return sqlite3.connect(target)


def _reseal(info: backup.BackupInfo, tmp_path: Path, target: Path, **manifest) -> Path:
    """The database ``_extract`` left in ``tmp_path`` (changed since), sealed again as a
    sound backup at ``target``; ``manifest`` entries replace the original's."""
    db_file = tmp_path / f"{info.name}.sqlite3"
    with zipfile.ZipFile(info.path) as archive:
        sealed = json.loads(archive.read("manifest.json")) | manifest
    sealed["db"]["sha256"], sealed["db"]["size"] = backup_archive.sha256_file(db_file)
    backup_archive.write_archive(db_file, target, sealed)
    return target


def _refused_as_another_shops(session, forged: Path) -> None:
    before = _dump(paths.database_path())
    with pytest.raises(DatabaseError, match=r"toko lain|another shop"):
        backup.restore(session, path=forged)
    assert _dump(paths.database_path()) == before


def test_full_backup_is_a_sealed_zip_made_with_the_backup_api(operator, seller, seller_b):
    _stock_a(seller)
    info = backup.backup_now(operator)
    assert info.kind == "full" and info.path.parent == paths.backups_dir()
    data = info.path.read_bytes()
    assert data[-80:].startswith(b"SHOPDESK-SHA256:")
    with zipfile.ZipFile(info.path) as archive:
        assert sorted(archive.namelist()) == ["manifest.json", "shopdesk.sqlite3"]
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["kind"] == "full" and manifest["schema"] == info.schema
    assert backup.verify(info.path) == info


def test_shop_backup_holds_only_that_shop_and_no_secrets(tmp_path, operator, seller, seller_b):
    _stock_a(seller)
    _stock_b(seller_b)
    sales.record_sale(seller_b, lines=[("MADU-500", 1)])
    (tmp_path / "stick").mkdir()
    info = backup.backup_now(seller, folder=tmp_path / "stick")
    assert info.path.parent == tmp_path / "stick" and info.kind == "shop"
    con = _extract(info, tmp_path)
    assert con.execute("SELECT id FROM shop").fetchall() == [(seller.shop_id,)]
    assert con.execute("SELECT count(*) FROM operator").fetchone() == (0,)
    assert con.execute("SELECT pin_hash, recovery_hash FROM seller").fetchall() == [("", "")]
    for table in ("variant", "movement", "audit_log", "product", "batch"):
        shops = {r[0] for r in con.execute(f"SELECT DISTINCT shop_id FROM {table}")}
        assert shops <= {seller.shop_id}, table
    assert con.execute("SELECT count(*) FROM sale_line").fetchone() == (0,)
    raw = (tmp_path / f"{info.name}.sqlite3").read_bytes()
    for secret in (b"MADU-500", b"Madu Hutan", b"Bangli", b"argon2"):
        assert secret not in raw
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    con.close()


def _photo(path: Path, color: tuple[int, int, int]) -> Path:
    from PIL import Image

    Image.new("RGB", (64, 48), color).save(path, "JPEG")
    return path


def _media_in(info: backup.BackupInfo, tmp_path: Path) -> set[tuple[int, str]]:
    con = _extract(info, tmp_path)
    try:
        return set(con.execute("SELECT shop_id, filename FROM media WHERE kind = 'photos'"))
    finally:
        con.close()


def _lose_photo(shop_id: int, filename: str) -> None:
    """The data and this PC lose a photo: its row of content and its cached file."""
    with store.transaction():
        store.database.execute_sql(
            "DELETE FROM media WHERE shop_id = ? AND filename = ?", (shop_id, filename)
        )
    media_store.cache_file("photos", filename).unlink(missing_ok=True)


def test_backups_carry_the_photos_of_their_shop_only(tmp_path, operator, seller, seller_b):
    _stock_a(seller)
    _stock_b(seller_b)
    kopi = catalog.get_variant(seller, "KOPI-250").product_id
    madu = catalog.get_variant(seller_b, "MADU-500").product_id
    photo_a = catalog.add_photo(
        seller, product_id=kopi, image_path=_photo(tmp_path / "a.jpg", (200, 0, 0))
    )
    photo_b = catalog.add_photo(
        seller_b, product_id=madu, image_path=_photo(tmp_path / "b.jpg", (0, 0, 200))
    )
    original = catalog.photos.photo_file(seller, photo_a).read_bytes()
    (tmp_path / "stick").mkdir()
    shop = backup.backup_now(seller, folder=tmp_path / "stick")
    full = backup.backup_now(operator, folder=tmp_path / "stick")
    # The photos are rows of the database inside, not files beside it.
    assert _media_in(shop, tmp_path) == {(seller.shop_id, photo_a.filename)}
    assert _media_in(full, tmp_path) == {
        (seller.shop_id, photo_a.filename),
        (seller_b.shop_id, photo_b.filename),
    }
    assert shop.media == () and full.media == ()
    # The shop loses its photo; restoring the shop brings it back, checked.
    _lose_photo(seller.shop_id, photo_a.filename)
    with pytest.raises(NotFoundError):
        catalog.photos.photo_file(seller, photo_a)
    backup.restore(seller, path=shop.path)
    assert catalog.photos.photo_file(seller, photo_a).read_bytes() == original


def test_an_older_backup_brings_its_photo_files_into_the_data(tmp_path, operator, seller):
    """A backup from before photos were kept in the database (schema 7) carries them as
    files beside it: a restore puts them back and takes them into the data."""
    _stock_a(seller)
    product = catalog.get_variant(seller, "KOPI-250").product_id
    photo = catalog.add_photo(
        seller, product_id=product, image_path=_photo(tmp_path / "a.jpg", (0, 120, 0))
    )
    original = catalog.photos.photo_file(seller, photo).read_bytes()
    saved = backup.backup_now(seller)
    con = _extract(saved, tmp_path)
    con.executescript("DROP TABLE media; PRAGMA user_version = 7;")
    con.close()
    loose = tmp_path / "loose.jpg"
    loose.write_bytes(original)
    member = f"photos/{photo.filename}"
    (tmp_path / "old").mkdir()
    old = tmp_path / "old" / saved.path.name
    db_file = tmp_path / f"{saved.name}.sqlite3"
    with zipfile.ZipFile(saved.path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    manifest["schema"] = 7
    manifest["db"]["sha256"], manifest["db"]["size"] = backup_archive.sha256_file(db_file)
    digest, size = backup_archive.sha256_file(loose)
    manifest["media"] = {member: {"size": size, "sha256": digest}}
    backup_archive.write_archive(db_file, old, manifest, {member: loose})
    assert backup.verify(old).media == ((member, size, digest),)
    _lose_photo(seller.shop_id, photo.filename)

    backup.restore(seller, path=old)

    media_store.cache_file("photos", photo.filename).unlink()  # read from the data itself
    assert catalog.photos.photo_file(seller, photo).read_bytes() == original


def test_a_backup_mostly_of_photos_stores_its_database_undeflated(tmp_path, operator, seller):
    """Photos do not shrink: a database that is mostly photos is stored, not deflated
    (seconds per 100 MB saved), and still verified and restored like any other."""
    import random

    from PIL import Image

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    plain = backup.backup_now(operator, folder=tmp_path / "a")
    noise = Image.frombytes("RGB", (1200, 900), random.Random(3).randbytes(1200 * 900 * 3))
    noise.save(tmp_path / "noise.jpg", quality=90)
    product = catalog.create_product(seller, name="Kain Tenun", price=450_000, is_food=False)
    catalog.add_photo(seller, product_id=product.id, image_path=tmp_path / "noise.jpg")
    heavy = backup.backup_now(operator, folder=tmp_path / "b")
    kinds = {}
    for info in (plain, heavy):
        with zipfile.ZipFile(info.path) as archive:
            kinds[info] = archive.getinfo(backup.DB_MEMBER).compress_type
    assert kinds == {plain: zipfile.ZIP_DEFLATED, heavy: zipfile.ZIP_STORED}
    assert backup.verify(heavy.path).db_size == heavy.db_size
    backup.restore(operator, path=heavy.path)
    assert [p.name for p in catalog.list_products(seller)] == ["Kain Tenun"]


def test_backup_is_read_back_after_writing(tmp_path, operator, monkeypatch):
    real = backup_create.write_archive

    def flaky(snapshot, destination, manifest, media=None, **options):
        real(snapshot, destination, manifest, media, **options)
        with open(destination, "r+b") as handle:  # the stick garbled one byte
            handle.seek(100)
            byte = handle.read(1)
            handle.seek(100)
            handle.write(bytes([byte[0] ^ 0x10]))

    monkeypatch.setattr(backup_create, "write_archive", flaky)
    with pytest.raises(backup.DamagedBackupError) as caught:
        backup.backup_now(operator, folder=tmp_path)
    assert str(tmp_path) in caught.value.message
    assert list(tmp_path.glob("*.zip")) == []  # the garbled copy is not left to be trusted


def test_shop_restore_replaces_only_that_shop_inside_the_ledger_rules(operator, seller, seller_b):
    _stock_a(seller)
    _stock_b(seller_b)
    saved = backup.backup_now(seller)
    catalog.create_product(seller, name="Kopi Baru Salah", price=1000, sku="KOPI-NEW")
    stock.receive(seller, sku="KOPI-250", quantity=7)
    sales.record_sale(seller, lines=[("KOPI-250", 2)])
    sales.record_sale(seller_b, lines=[("MADU-500", 1)])
    b_movements = Movement.select().where(Movement.shop == seller_b.shop_id).count()

    result = backup.restore(seller, path=saved.path)

    assert result.safety_backup.kind == "full"
    assert stock.stock(seller, sku="KOPI-250").on_hand == 10
    with pytest.raises(ShopDeskError):
        catalog.get_variant(seller, "KOPI-NEW")
    assert stock.check(seller).ok and stock.check(seller_b).ok
    assert stock.stock(seller_b, sku="MADU-500").on_hand == 4
    assert Movement.select().where(Movement.shop == seller_b.shop_id).count() == b_movements
    assert [r.sku for r in search.search(seller, "robusta")] == ["KOPI-250"]
    assert search.search(seller, "baru") == []
    # The ledger is append-only again, and the restore is in the audit log.
    with pytest.raises(Exception, match="append-only"):
        Movement.delete().where(Movement.shop == seller.shop_id).execute()
    actions = [e.action for e in audit.entries(seller)]
    assert actions[0] == "backup.restore"
    assert "product.create" in actions  # the audit history is kept, not rewound


def test_failed_shop_restore_changes_nothing(operator, seller, seller_b, monkeypatch):
    _stock_a(seller)
    saved = backup.backup_now(seller)
    stock.receive(seller, sku="KOPI-250", quantity=3)
    before = _dump(paths.database_path())

    def boom(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(backup_rows, "_refuse_foreign_links", boom)
    with pytest.raises(ShopDeskError) as caught:
        backup.restore(seller, path=saved.path)
    assert caught.value.message.startswith("Disk penuh")
    after = _dump(paths.database_path(), skip_audit_after=True)
    assert after == before
    if not store.on_server():  # the guards were lifted and made again in its transaction
        names = {r[0] for r in store.database.execute_sql("SELECT name FROM sqlite_master")}
        assert {"movement_no_delete", "movement_no_update", "audit_log_no_delete"} <= names


def _rows_of(con: sqlite3.Connection, table: str) -> list[tuple]:
    try:
        return con.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
    except sqlite3.OperationalError:  # WITHOUT ROWID (lot_stock): in primary-key order
        return con.execute(f"SELECT * FROM {table}").fetchall()


def _dump(path: Path, skip_audit_after: bool = False) -> dict:
    """Every row of the live data but the audit log (and, on SQLite, its triggers):
    of the file at ``path``, or on a server, of the server (rows compared by digest)."""
    if store.on_server():
        digests = copying.figures(store.database.obj).digests
        return {t: d for t, d in digests.items() if t != "audit_log"}
    con = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'search_%'"
            )
        ]
        out = {t: _rows_of(con, t) for t in tables}
        out["triggers"] = sorted(
            r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
        )
        out.pop("audit_log")  # the safety backup and logins add audit rows
        return out
    finally:
        con.close()


def test_shop_backup_restores_only_into_its_own_shop(operator, seller, seller_b):
    _stock_a(seller)
    saved = backup.backup_now(seller)
    full = backup.backup_now(operator)
    with pytest.raises(AuthError, match=r"toko lain|another shop"):
        backup.restore(seller_b, path=saved.path)
    with pytest.raises(ValidationError):
        backup.restore(operator, path=saved.path)
    with pytest.raises(AuthError):
        backup.restore(seller, path=full.path)
    with pytest.raises(AuthError):
        backup.restore(None, path=full.path)  # type: ignore[arg-type]


def test_crafted_shop_backup_that_points_into_another_shop_is_refused(
    tmp_path, operator, seller, seller_b
):
    _stock_a(seller)
    _stock_b(seller_b)
    saved = backup.backup_now(seller)
    b_variant = store.database.execute_sql(
        "SELECT id FROM variant WHERE shop_id = ?", (seller_b.shop_id,)
    ).fetchone()[0]
    # Re-seal a backup whose movement points at seller B's variant.
    con = _extract(saved, tmp_path)
    con.execute("DROP TRIGGER movement_no_update")
    con.execute("UPDATE movement SET variant_id = ?", (b_variant,))
    con.commit()
    con.close()
    _refused_as_another_shops(seller, _reseal(saved, tmp_path, tmp_path / "forged.zip"))


@pytest.mark.sqlite_only  # its journal and pages (test_backup_server.py: on a server)
def test_full_restore_swaps_the_file_and_records_itself(operator, seller, seller_b):
    _stock_a(seller)
    saved = backup.backup_now(operator)
    stock.receive(seller, sku="KOPI-250", quantity=5)
    result = backup.restore(operator, path=saved.path)
    assert stock.stock(seller, sku="KOPI-250").on_hand == 10
    assert result.safety_backup.path.exists()
    last = AuditLog.select().order_by(AuditLog.id.desc()).first()
    assert last.action == "backup.restore" and saved.name in last.detail
    assert store.database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.database.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert not list(paths.data_dir().glob(".restore-*"))
    # the safety copy really holds the state that was replaced
    back = backup.restore(operator, path=result.safety_backup.path)
    assert stock.stock(seller, sku="KOPI-250").on_hand == 15
    assert back.restored.reason == "before-restore"


@pytest.mark.sqlite_only  # other raw connections to the file
def test_full_restore_while_other_connections_are_open(operator, seller):
    """The GUI restores with its own worker threads' connections open: they see
    the restored data at once, in WAL mode, with nothing to reopen."""
    _stock_a(seller)
    saved = backup.backup_now(operator)
    stock.receive(seller, sku="KOPI-250", quantity=5)
    other = sqlite3.connect(paths.database_path())
    try:
        assert other.execute("SELECT sum(on_hand) FROM lot_stock").fetchone() == (15,)
        backup.restore(operator, path=saved.path)
        assert other.execute("SELECT sum(on_hand) FROM lot_stock").fetchone() == (10,)
        assert other.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        other.execute("INSERT INTO audit_log (at, actor, action) VALUES ('2026', 'x', 'after')")
        other.commit()
    finally:
        other.close()
    assert stock.stock(seller, sku="KOPI-250").on_hand == 10
    assert AuditLog.select().order_by(AuditLog.id.desc()).first().action == "after"
    assert store.database.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_restore_of_an_older_schema_upgrades_it(tmp_path, operator, seller, monkeypatch):
    from tests.conftest import FIXTURES

    folder = tmp_path / "old"
    folder.mkdir()
    db_file = tmp_path / "v1.sqlite3"
    db_file.write_bytes((FIXTURES / "schema_v1.sqlite3").read_bytes())
    sha, size = backup_archive.sha256_file(db_file)
    manifest = {
        "format": backup.FORMAT,
        "format_version": 1,
        "kind": "full",
        "reason": "manual",
        "created_at": "2026-01-01T00:00:00.000",
        "schema": 1,
        "shop": None,
        "db": {"name": backup.DB_MEMBER, "size": size, "sha256": sha},
        "fingerprint": "",
    }
    old = folder / "shopdesk-full-20260101T000000000Z-manual.zip"
    backup_archive.write_archive(db_file, old, manifest)
    backup.restore(operator, path=old)
    from shopdesk import profiles
    from shopdesk.store import migrations

    assert migrations.user_version(store.database.obj) == migrations.LATEST_VERSION
    assert profiles.seller_login(login="kopi", pin="111111").shop_name == "Kopi Sindoro"


def test_full_restore_refuses_while_the_app_is_open(tmp_path, operator, seller):
    saved = backup.backup_now(operator)
    _stock_a(seller)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from shopdesk import instance_lock; instance_lock.acquire(); "
            "print('held', flush=True); sys.stdin.read()",
        ],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        before = _dump(paths.database_path())
        with pytest.raises(AlreadyRunningError) as caught:
            backup.restore(operator, path=saved.path)
        assert str(holder.pid) in caught.value.message
        assert _dump(paths.database_path()) == before
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)


def test_full_restore_of_a_damaged_or_newer_backup_changes_nothing(tmp_path, operator, seller):
    _stock_a(seller)
    saved = backup.backup_now(operator)
    before = _dump(paths.database_path())
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(saved.path.read_bytes()[:-500])
    with pytest.raises(backup.DamagedBackupError, match=r"damaged\.zip"):
        backup.restore(operator, path=damaged)
    # A sound backup from a newer ShopDesk.
    con = _extract(saved, tmp_path)
    con.execute("PRAGMA user_version = 99")
    con.commit()
    con.close()
    newer = _reseal(saved, tmp_path, tmp_path / "newer.zip", schema=99)
    with pytest.raises(DatabaseError, match="lebih baru"):
        backup.restore(operator, path=newer)
    assert _dump(paths.database_path()) == before
    assert not list(paths.data_dir().glob(".restore-*"))


@pytest.mark.sqlite_only  # the file fingerprint (a server: once a day, test_backup_server)
def test_backup_on_open_once_a_day_unless_something_changed(operator, seller, monkeypatch):
    first = backup.backup_on_open()
    assert first is not None and first.reason == "open"
    assert backup.backup_on_open() is None  # same day, nothing changed
    _stock_a(seller)
    second = backup.backup_on_open()
    assert second is not None  # changed since
    assert backup.backup_on_open() is None
    tomorrow = datetime.now() + timedelta(days=1)
    monkeypatch.setattr(backup_create, "utcnow", lambda: tomorrow)
    assert backup.backup_on_open() is not None  # a new day


def test_backup_before_import_and_its_name(operator):
    info = backup.backup_before("import")
    assert info.reason == "before-import" and info.name.endswith("-before-import.zip")


def test_rotation_keeps_7_daily_4_weekly_12_monthly(tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    start = datetime(2026, 11, 29, 8, 0)
    made = []
    for day in range(500):
        for hour in (0, 5):  # two a day
            moment = start - timedelta(days=day, hours=hour)
            path = folder / f"shopdesk-full-{backup_folder.stamp(moment)}Z-open.zip"
            path.write_bytes(b"x")
            made.append((moment, path))
    (folder / "notes.txt").write_text("not a backup")
    backup.rotate(folder)
    kept = sorted(p.name for p in folder.glob("shopdesk-*.zip"))
    newest_per_day = {}
    for moment, path in made:
        if moment.date() not in newest_per_day or moment > newest_per_day[moment.date()][0]:
            newest_per_day[moment.date()] = (moment, path)
    days = sorted(newest_per_day, reverse=True)
    for day in days[:7]:
        assert newest_per_day[day][1].name in kept
    months = {(d.year, d.month) for d in days}
    assert len(months) >= 12
    assert len(kept) <= backup.KEEP_NEWEST + 7 + 4 + 12
    assert len(kept) >= 12 + 3  # months overlap the days and weeks a little
    oldest_kept = min(backup_folder._created_from_name(folder / k) for k in kept)
    assert oldest_kept > start - timedelta(days=366)
    assert (folder / "notes.txt").exists()


def test_cli_backup_now_list_verify_restore(cli, operator, seller, tmp_path):
    _stock_a(seller)
    code, out, err = cli("backup", "now", password=OPERATOR_PASSWORD)
    assert code == 0, err
    code, out, _err = cli("backup", "now", "--seller", "kopi", "--to", tmp_path, pin=PIN_A)
    assert code == 0 and "diperiksa" in out
    assert "cabut" not in out  # tmp_path is no stick: nothing to pull out
    code, out, _err = cli("backup", "list", "--seller", "kopi", "--to", tmp_path, pin=PIN_A)
    assert code == 0 and "Kopi Sindoro" in out
    shop_file = next(tmp_path.glob("shopdesk-shop-*.zip"))
    code, out, _err = cli("backup", "verify", "--folder", tmp_path)
    assert code == 0 and "OK" in out
    (tmp_path / "broken.zip").write_bytes(shop_file.read_bytes()[:1000])
    code, out, _err = cli("backup", "verify", "--folder", tmp_path)
    assert code == 8 and "broken.zip" in out
    stock.receive(seller, sku="KOPI-250", quantity=5)
    code, out, err = cli("backup", "restore", shop_file, "--seller", "kopi", "--yes", pin=PIN_A)
    assert code == 0, err
    assert stock.stock(seller, sku="KOPI-250").on_hand == 10
    code, out, err = cli("--lang", "en", "backup", "restore", shop_file, password=OPERATOR_PASSWORD)
    assert code != 0 and "--yes" in err


def test_cli_doctor_reports_and_finds_a_stock_drift(cli, operator, seller):
    _stock_a(seller)
    code, out, err = cli("--lang", "en", "doctor", password=OPERATOR_PASSWORD)
    assert code == 0, out + err
    checked = "answers, PostgreSQL" if server_admin_url() else "integrity check passed"
    assert checked in out and "no backup" in out
    store.database.execute_sql("UPDATE lot_stock SET on_hand = on_hand + 1")
    cli("backup", "now", password=OPERATOR_PASSWORD)
    code, out, err = cli("--lang", "en", "doctor", password=OPERATOR_PASSWORD)
    assert code == 1
    assert "differ from the ledger (sellers: kopi)" in out and "stock rebuild" in out


@pytest.mark.sqlite_only  # doctor's file checks
def test_doctor_finds_a_cache_row_filed_under_another_shop(operator, seller, seller_b):
    from shopdesk import doctor

    _stock_a(seller)
    store.database.execute_sql("UPDATE lot_stock SET shop_id = ?", (seller_b.shop_id,))
    finding = next(f for f in doctor.run(operator) if f.what.startswith("Stok"))
    assert finding.status == doctor.FAIL
    assert stock.rebuild(seller) == 1
    finding = next(f for f in doctor.run(operator) if f.what.startswith("Stok"))
    assert finding.status == doctor.OK


@pytest.mark.sqlite_only  # a damaged file
def test_a_damaged_database_is_diagnosed_and_restored_with_the_backups_password(
    cli, operator, seller, tmp_path, monkeypatch
):
    _stock_a(seller)
    code, _out, err = cli("backup", "now", password=OPERATOR_PASSWORD)
    assert code == 0, err
    saved = max(paths.backups_dir().glob("shopdesk-full-*.zip"))
    store.close_database()
    live = paths.database_path()
    con = sqlite3.connect(live)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    data = bytearray(live.read_bytes())
    data[4096 * 3 : 4096 * 3 + 300] = os.urandom(300)  # a b-tree page scribbled over
    live.write_bytes(bytes(data))
    from shopdesk.cli import main

    code = main(["--lang", "en", "doctor"])
    assert code == 1
    monkeypatch.setenv("SHOPDESK_OPERATOR_PASSWORD", "salah-sandi-123")
    code = main(["backup", "restore", str(saved), "--yes"])
    assert code == AuthError.exit_code
    monkeypatch.setenv("SHOPDESK_OPERATOR_PASSWORD", OPERATOR_PASSWORD)
    code = main(["backup", "restore", str(saved), "--yes"])
    assert code == 0
    store.open_database()
    assert stock.stock(seller, sku="KOPI-250").on_hand == 10
    kept = [p for p in live.parent.glob("shopdesk.sqlite3.damaged-*") if p.name[-4:] != "-wal"]
    assert len([p for p in kept if not p.name.endswith("-shm")]) == 1
    last = AuditLog.select().order_by(AuditLog.id.desc()).first()
    assert last.action == "backup.restore" and "damaged_kept" in last.detail


def test_opening_a_damaged_database_names_the_newest_whole_pc_backup(operator, seller, tmp_path):
    older = backup.backup_now(operator)
    newest = backup.backup_now(operator)
    backup.backup_now(seller)  # a shop backup cannot repair the PC: not named
    assert older.name < newest.name
    assert store.newest_backup_name() == newest.name


@pytest.mark.sqlite_only  # SQLite reuses the newest row's number; a server's sequence does not
def test_shop_restore_refuses_when_another_shop_took_its_row_numbers(operator, seller, seller_b):
    _stock_a(seller)
    mistake = catalog.create_product(seller, name="Salah Ketik", price=1000, sku="KOPI-X")
    saved = backup.backup_now(seller)
    catalog.delete_product(seller, mistake.id)  # the newest row: SQLite reuses its number
    taken = catalog.create_product(seller_b, name="Madu Baru", price=5000, sku="MADU-X")
    assert taken.id == mistake.id
    before = _dump(paths.database_path())
    with pytest.raises(DatabaseError) as caught:
        backup.restore(seller, path=saved.path)
    assert "operator" in caught.value.message.lower()
    assert _dump(paths.database_path()) == before


def test_an_older_backup_copy_is_upgraded_by_the_same_steps(tmp_path):
    from shopdesk.store import migrations
    from tests.conftest import FIXTURES

    copy = tmp_path / "old.sqlite3"
    copy.write_bytes((FIXTURES / "schema_v1.sqlite3").read_bytes())
    store.files.upgrade(copy)
    con = sqlite3.connect(copy)
    assert con.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST_VERSION
    assert con.execute("SELECT login FROM seller").fetchall() == [("kopi",)]
    con.close()


def test_a_backup_to_a_stick_that_is_not_there_is_refused(operator, seller, tmp_path):
    for owner in (operator, seller):
        with pytest.raises(ShopDeskError) as caught:
            backup.backup_now(owner, folder=tmp_path / "E-drive")
        assert "E-drive" in caught.value.message and "colokkan" in caught.value.message
    assert not (tmp_path / "E-drive").exists()


@pytest.mark.sqlite_only  # where the file lies
def test_doctor_warns_about_a_database_on_a_stick_or_network(operator, monkeypatch, tmp_path):
    from shopdesk import doctor

    assert doctor.drive_kind(tmp_path) in ("local", "unknown")
    monkeypatch.setattr(doctor, "drive_kind", lambda folder: "removable")
    found = {f.what: f for f in doctor.run(operator)}
    stick = next(f for what, f in found.items() if str(paths.data_dir()) in what)
    assert stick.status == doctor.WARN and "flashdisk" in stick.what.lower()


def _as_schema_3(db_file: Path) -> None:
    """Turn a backup's database back into schema 3: the caches in on_hand columns
    (a variant's column held its whole figure: its loose lot and its batches), and
    no marketplace order numbers on sales (step 5), no marketplace tables (step 6),
    no customers or debts (step 7), no photos in the database (step 8)."""
    con = sqlite3.connect(db_file)
    con.executescript(
        """
        DROP TABLE media;
        DROP TABLE marketplace_link;
        DROP TABLE listing_detail;
        DROP TABLE listing_template;
        DROP TABLE customer_balance;
        DROP TABLE debt_entry;
        DROP INDEX sale_customer;
        ALTER TABLE sale DROP COLUMN customer_id;
        DROP TABLE customer;
        ALTER TABLE variant ADD COLUMN on_hand INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE batch ADD COLUMN on_hand INTEGER NOT NULL DEFAULT 0;
        UPDATE variant SET on_hand = coalesce(
            (SELECT sum(on_hand) FROM lot_stock WHERE variant_id = variant.id), 0);
        UPDATE batch SET on_hand = coalesce((SELECT on_hand FROM lot_stock
            WHERE variant_id = batch.variant_id AND lot = batch.id), 0);
        DROP TABLE lot_stock;
        DROP INDEX sale_external_order;
        ALTER TABLE sale DROP COLUMN external_order;
        PRAGMA user_version = 3;
        """
    )
    con.close()


@pytest.mark.sqlite_only  # a backup made from the file with its steps undone
def test_shop_restore_of_a_schema_3_backup_keeps_its_stock(tmp_path, operator, seller, seller_b):
    _stock_a(seller)
    stock.receive(seller, sku="KOPI-250", quantity=4, batch_code="B1")
    _stock_b(seller_b)
    saved = backup.backup_now(seller)
    con = _extract(saved, tmp_path)
    con.close()
    _as_schema_3(tmp_path / f"{saved.name}.sqlite3")
    (tmp_path / "old").mkdir()
    old = _reseal(saved, tmp_path, tmp_path / "old" / saved.path.name, schema=3)
    assert backup.verify(old).schema == 3
    stock.receive(seller, sku="KOPI-250", quantity=5)
    sales.record_sale(seller_b, lines=[("MADU-500", 1)])

    backup.restore(seller, path=old)

    info = stock.stock(seller, sku="KOPI-250")
    batches = {b.code: b.on_hand for b in info.batches}  # B1 and the day's own batch
    assert (info.on_hand, batches["B1"], sum(batches.values())) == (14, 4, 14)
    assert stock.check(seller).ok and stock.check(seller_b).ok
    assert stock.stock(seller_b, sku="MADU-500").on_hand == 4  # 5 in, 1 sold


def test_crafted_stock_cache_row_for_another_shops_variant_is_refused(
    tmp_path, operator, seller, seller_b
):
    """The cache table has no foreign keys: its link to a variant is checked all the same."""
    _stock_a(seller)
    catalog.create_product(seller_b, name="Madu Tanpa Stok", price=80000, sku="MADU-0")
    saved = backup.backup_now(seller)
    b_variant = store.database.execute_sql(
        "SELECT id FROM variant WHERE shop_id = ?", (seller_b.shop_id,)
    ).fetchone()[0]
    con = _extract(saved, tmp_path)
    con.execute(
        "INSERT INTO lot_stock (variant_id, lot, shop_id, on_hand) VALUES (?, 0, ?, 50)",
        (b_variant, seller.shop_id),
    )
    con.commit()
    con.close()
    _refused_as_another_shops(seller, _reseal(saved, tmp_path, tmp_path / "forged.zip"))
    assert catalog.get_variant(seller_b, "MADU-0").on_hand == 0


@pytest.mark.parametrize("whose", ["another variant's", "another shop's"])
def test_crafted_lot_row_naming_a_batch_of_another_variant_is_refused(
    tmp_path, operator, seller, seller_b, whose
):
    """A lot is 0 or a batch of the row's own variant: any other batch id is refused."""
    _stock_a(seller)  # KOPI-250 with one batch
    catalog.create_product(seller, name="Kopi Lain", price=30000, sku="KOPI-2")
    _stock_b(seller_b)
    saved = backup.backup_now(seller)
    run = store.database.execute_sql
    variant = run("SELECT id FROM variant WHERE sku = 'KOPI-2'").fetchone()[0]
    owner = seller.shop_id if whose == "another variant's" else seller_b.shop_id
    lot = run("SELECT id FROM batch WHERE shop_id = ?", (owner,)).fetchone()[0]
    con = _extract(saved, tmp_path)
    con.execute(
        "INSERT INTO lot_stock (variant_id, lot, shop_id, on_hand) VALUES (?, ?, ?, 50)",
        (variant, lot, seller.shop_id),
    )
    con.commit()
    con.close()
    _refused_as_another_shops(seller, _reseal(saved, tmp_path, tmp_path / "forged.zip"))
    assert catalog.get_variant(seller, "KOPI-2").on_hand == 0


def test_backup_reasons_are_named_in_the_users_language():
    from shopdesk import i18n

    i18n.set_language("id")
    assert backup.reason_label("before-v4") == "sebelum pembaruan"
    assert backup.reason_label("manual") == "dibuat manual"
    assert backup.reason_label("before-vx") == "before-vx"  # unknown: shown as it is


def test_the_face_keeps_restore_a_function_after_its_module_loads_for_another_name():
    """doctor asks for live_database_is_damaged first: that loads the module
    backup/restore.py, which must not shadow the function ``backup.restore``."""
    import subprocess
    import sys

    code = (
        "from shopdesk import backup; backup.live_database_is_damaged; "
        "print(callable(backup.restore), backup.restore.__name__)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.split() == ["True", "restore"], done.stderr
