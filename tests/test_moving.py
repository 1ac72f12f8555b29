"""Moving a data folder into an empty database and back out (cooperative mode,
issue 14 point 5), on real files; ``tests/test_moving_server.py`` does the same
against a real PostgreSQL server."""

from __future__ import annotations

import hashlib

import pytest

from shopdesk import catalog, moving, paths, profiles, stock, store
from shopdesk.errors import DatabaseError, StorageError, ValidationError
from shopdesk.store import copying, models
from tests import every_table
from tests.conftest import PIN_A

# A SQLite data folder moves here; tests/test_moving_server.py moves onto a server.
pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def folder(operator, seller, seller_b, tmp_path):
    """A data folder with rows in every table and its photos; closed."""
    every_table.fill(operator, seller, seller_b, tmp_path / "work")
    store.close_database()
    return paths.data_dir()


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sha_of(data):
    return hashlib.sha256(data).hexdigest()


def _counts(db):
    return {m._meta.table_name: m.select().bind(db).count() for m in models.ALL_MODELS}


def test_move_in_copies_everything_and_leaves_the_folder_untouched(folder, tmp_path):
    database = folder / paths.DB_FILENAME
    before = (_sha(database), database.stat().st_mtime_ns)
    target = store.file_database(tmp_path / "server.sqlite3")
    report = moving.move_in(folder, target)
    assert (_sha(database), database.stat().st_mtime_ns) == before
    assert report.rows == _counts(target) and all(report.rows.values())
    assert report.shops == 2 and report.ledger_drift == 0
    source = store.file_database(database)
    assert copying.figures(source) == copying.figures(target)
    assert set(report.sales_total) == {1, 2}
    source.close()
    target.close()


def test_move_in_refuses_a_database_that_holds_data(folder, tmp_path):
    target = store.file_database(tmp_path / "server.sqlite3")
    moving.move_in(folder, target)
    before = _counts(target)
    with pytest.raises(DatabaseError):
        moving.move_in(folder, target)
    assert _counts(target) == before


def test_a_move_in_cut_off_leaves_the_server_empty(folder, tmp_path, monkeypatch):
    target = store.file_database(tmp_path / "server.sqlite3")
    real = copying._insert

    def cut(model, db, rows, fields):
        if model is models.SaleLine:
            raise OSError("the cable was pulled")
        real(model, db, rows, fields)

    monkeypatch.setattr(copying, "_insert", cut)
    with pytest.raises(OSError):
        moving.move_in(folder, target)
    assert copying.holds_rows(target) == []


def test_move_in_of_a_folder_without_data_is_refused(tmp_path):
    target = store.file_database(tmp_path / "server.sqlite3")
    with pytest.raises(ValidationError):
        moving.move_in(tmp_path / "empty", target)


def test_move_out_makes_a_folder_the_app_opens(folder, tmp_path, monkeypatch):
    server = store.file_database(tmp_path / "server.sqlite3")
    moving.move_in(folder, server)
    portable = tmp_path / "portable"
    report = moving.move_out(server, portable)
    assert report.rows == _counts(server)
    # The photos and logos travel in the database, each the content its name hashes to.
    kept = {(m.shop_id, m.kind, m.filename): m.data for m in models.Media.select().bind(server)}
    assert {(shop, kind) for shop, kind, _name in kept} == {
        (shop, kind) for shop in (1, 2) for kind in ("photos", "logos")
    }
    assert report.media == len(kept) == 4
    assert all(_sha_of(data) == name.split(".")[0] for (_s, _k, name), data in kept.items())
    assert [p.name for p in portable.iterdir() if p.name.startswith(".")] == []
    server.close()
    # The copy is a data folder like any other: the seller logs in and sells from it.
    monkeypatch.setenv("SHOPDESK_HOME", str(portable))
    store.open_database()
    session = profiles.seller_login(login="kopi", pin=PIN_A)
    assert stock.check(session).ok
    assert not (portable / "media").exists()  # no file came along: the database holds them
    product = catalog.get_product(session, catalog.get_variant(session, "K-0").product_id)
    photo = catalog.photos.photo_file(session, product.photos[0])
    assert photo.parent == portable / "media" / "photos"
    assert _sha(photo) == product.photos[0].filename.split(".")[0]
    store.close_database()


def test_move_out_refuses_a_folder_with_data(folder, tmp_path):
    server = store.file_database(tmp_path / "server.sqlite3")
    moving.move_in(folder, server)
    with pytest.raises(ValidationError):
        moving.move_out(server, folder)
    server.close()


def test_a_move_out_that_fails_leaves_no_folder(folder, tmp_path, monkeypatch):
    server = store.file_database(tmp_path / "server.sqlite3")
    moving.move_in(folder, server)
    monkeypatch.setattr(copying, "_insert", lambda *a: (_ for _ in ()).throw(OSError("full")))
    with pytest.raises(StorageError):
        moving.move_out(server, tmp_path / "portable")
    assert not (tmp_path / "portable").exists()
    server.close()
