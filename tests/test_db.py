"""The database core: settings, migrations, refusals that leave files untouched."""

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from shopdesk import store
from shopdesk.errors import DatabaseError, StorageError
from shopdesk.store import migrations
from tests.conftest import ROOT, schema_file


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.sqlite_only  # SQLite's pragmas
def test_pragmas_are_the_safe_ones(home):
    con = store.database.obj
    assert con.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute_sql("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert con.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert con.execute_sql("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert con.execute_sql("PRAGMA user_version").fetchone()[0] == migrations.LATEST_VERSION


@pytest.mark.sqlite_only  # SQLite's BEGIN IMMEDIATE
def test_atomic_blocks_begin_immediate(home):
    statements = []
    raw = store.database.obj.connection()
    raw.set_trace_callback(statements.append)
    try:
        with store.transaction():
            store.database.obj.execute_sql("SELECT 1")
    finally:
        raw.set_trace_callback(None)
    assert statements[0] == "BEGIN IMMEDIATE"


@pytest.mark.sqlite_only  # reads sqlite_master
def test_schema_is_built_by_the_migrations(home):
    tables = {
        r[0]
        for r in store.database.obj.execute_sql(
            "SELECT name FROM sqlite_master WHERE type='table'"
        ).fetchall()
    }
    from shopdesk.store.models import ALL_MODELS

    assert {m._meta.table_name for m in ALL_MODELS} <= tables


def test_every_step_has_a_docstring():
    assert all(step.__doc__ and step.__doc__.strip() for step in migrations.STEPS)


def test_failed_step_leaves_the_database_at_its_version(tmp_path, monkeypatch):
    monkeypatch.setenv("SHOPDESK_HOME", str(tmp_path))
    target = tmp_path / "shopdesk.sqlite3"
    shutil.copy(schema_file(1), target)

    def broken(database):
        """A step that fails halfway."""
        database.execute_sql("CREATE TABLE half_done (id INTEGER)")
        raise RuntimeError("boom")

    monkeypatch.setattr(migrations, "STEPS", [migrations.STEPS[0], broken])
    monkeypatch.setattr(migrations, "LATEST_VERSION", 2)
    with pytest.raises(RuntimeError):
        store.open_database(target)
    store.close_database()
    con = sqlite3.connect(target)
    assert con.execute("PRAGMA user_version").fetchone()[0] == 1
    assert (
        con.execute("SELECT count(*) FROM sqlite_master WHERE name='half_done'").fetchone()[0] == 0
    )
    con.close()


def test_newer_database_is_refused_and_untouched(tmp_path, monkeypatch):
    monkeypatch.setenv("SHOPDESK_HOME", str(tmp_path))
    target = tmp_path / "shopdesk.sqlite3"
    con = sqlite3.connect(target)
    con.execute("CREATE TABLE t (x)")
    con.execute(f"PRAGMA user_version = {migrations.LATEST_VERSION + 5}")
    con.commit()
    con.close()
    before = digest(target)
    with pytest.raises(DatabaseError) as caught:
        store.open_database(target)
    assert "lebih baru" in caught.value.message
    assert digest(target) == before
    assert not Path(str(target) + "-wal").exists()


def test_a_file_that_is_not_sqlite_is_refused_and_untouched(tmp_path, monkeypatch):
    monkeypatch.setenv("SHOPDESK_HOME", str(tmp_path))
    target = tmp_path / "shopdesk.sqlite3"
    target.write_bytes(b"PK\x03\x04 this is a zip, not a database" * 10)
    before = digest(target)
    with pytest.raises(DatabaseError) as caught:
        store.open_database(target)
    assert "bukan database ShopDesk" in caught.value.message
    assert digest(target) == before


def test_damaged_database_names_the_newest_backup(tmp_path, monkeypatch):
    monkeypatch.setenv("SHOPDESK_HOME", str(tmp_path))
    target = tmp_path / "shopdesk.sqlite3"
    shutil.copy(schema_file(1), target)
    (tmp_path / "backups").mkdir()
    (tmp_path / "backups" / "shopdesk-2026-11-28.sqlite3.gz").write_bytes(b"x")
    data = bytearray(target.read_bytes())
    page = 4096
    data[page * 2 : page * 2 + 200] = os.urandom(200)  # scribble over a b-tree page
    target.write_bytes(bytes(data))
    with pytest.raises(DatabaseError) as caught:
        store.open_database(target)
    assert "shopdesk-2026-11-28.sqlite3.gz" in caught.value.message


def test_read_only_data_folder_gives_a_clear_message(readonly_dir):
    env = dict(os.environ, SHOPDESK_HOME=str(readonly_dir), SHOPDESK_OPERATOR_PASSWORD="x" * 10)
    done = subprocess.run(
        [sys.executable, "-m", "shopdesk", "init"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert done.returncode == StorageError.exit_code, done.stderr
    assert "tidak bisa menulis ke folder datanya" in done.stderr
    assert "Traceback" not in done.stderr
    assert list(readonly_dir.iterdir()) == []


def test_disk_full_is_unwrapped_from_the_rollback_error():
    inner = sqlite3.OperationalError("database or disk is full")
    try:
        try:
            raise inner
        except sqlite3.OperationalError:
            raise sqlite3.OperationalError("cannot rollback - no transaction is active")  # noqa: B904
    except sqlite3.OperationalError as outer:
        error = store.translate_error(outer)
    assert isinstance(error, StorageError)
    assert error.message.startswith("Disk penuh")


def test_an_old_sqlite_library_is_refused_with_a_message(tmp_path, monkeypatch):
    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 34, 1))
    monkeypatch.setattr(sqlite3, "sqlite_version", "3.34.1")
    target = tmp_path / "new.sqlite3"
    with pytest.raises(DatabaseError) as caught:
        store.open_database(target)
    assert "3.35.0" in caught.value.message and "3.34.1" in caught.value.message
    assert not target.exists()


def _damaged_current_file(folder: Path) -> Path:
    """A database at the current schema with one seller's data, its movement table
    scribbled over; a backup named in the backups folder."""
    from shopdesk import profiles
    from tests.conftest import damage_table

    target = folder / "shopdesk.sqlite3"
    store.open_database(target)
    op = profiles.create_operator(password="rahasia-operator")
    profiles.create_seller(op, login="kopi", display_name="Sri", pin="111111", shop_name="K")
    store.close_database()
    damage_table(target, "movement")
    (folder / "backups").mkdir()
    (folder / "backups" / "shopdesk-2026-11-28.sqlite3.gz").write_bytes(b"x")
    return target


@pytest.mark.sqlite_only
def test_a_check_left_for_later_refuses_every_write_to_a_damaged_file(tmp_path, monkeypatch):
    # The app's window opens without waiting for quick_check (its time grows with the shop);
    # the first write waits for it, and a damaged file is never written.
    from shopdesk import profiles

    monkeypatch.setenv("SHOPDESK_HOME", str(tmp_path))
    target = _damaged_current_file(tmp_path)
    before = digest(target)
    store.open_database(target, check_later=True)
    try:
        assert profiles.operator_exists()  # reads of sound tables still work
        for _attempt in range(2):
            with pytest.raises(DatabaseError) as caught:
                profiles.seller_login(login="kopi", pin="111111")
            assert "shopdesk-2026-11-28.sqlite3.gz" in caught.value.message
        with pytest.raises(DatabaseError):
            store.verify_opened()
    finally:
        store.close_database()
    assert digest(target) == before


@pytest.mark.sqlite_only
def test_a_damaged_current_file_is_refused_at_once_without_check_later(tmp_path, monkeypatch):
    monkeypatch.setenv("SHOPDESK_HOME", str(tmp_path))
    target = _damaged_current_file(tmp_path)
    with pytest.raises(DatabaseError):
        store.open_database(target)
    store.verify_opened()  # nothing owed: the refused file was never opened
