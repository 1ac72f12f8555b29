"""Moving a data folder onto a real PostgreSQL server and back (issue 14, point 5):
``shopdesk server move-in`` and ``move-out``, on the tests' own cluster."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from shopdesk import catalog, i18n, moving, paths, profiles, sales, stock, store
from shopdesk.catalog import search
from shopdesk.cli import main
from shopdesk.errors import AuthError, DatabaseError
from shopdesk.store import copying, models
from tests import every_table
from tests.conftest import OPERATOR_PASSWORD, PIN_A, PIN_B, make_seller


@pytest.fixture
def sqlite_folder(tmp_path, monkeypatch):
    """A SQLite data folder with rows in every table (closed): the shop to move in."""
    folder = tmp_path / "home"
    monkeypatch.setenv("SHOPDESK_HOME", str(folder))
    monkeypatch.delenv("SHOPDESK_DATABASE_URL", raising=False)
    i18n.set_language("id")
    store.open_database()
    op = profiles.create_operator(password=OPERATOR_PASSWORD)
    a = make_seller(op, "kopi", PIN_A, "Kopi Sindoro")
    b = make_seller(op, "madu", PIN_B, "Madu Bangli", timezone="WITA")
    every_table.fill(op, a, b, tmp_path / "work")
    store.close_database()
    store.set_shop_scope(None)
    return folder


def _open_server(url, monkeypatch):
    monkeypatch.setenv("SHOPDESK_DATABASE_URL", url)
    store.open_database()
    return store.database.obj


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _server_rows(cluster, name):
    tables = [m._meta.table_name for m in models.ALL_MODELS]
    return {t: cluster.query(name, f'SELECT count(*) FROM "{t}"')[0][0] for t in tables}


def test_move_in_onto_a_server_then_sell_there(sqlite_folder, pg_cluster, pg_database, monkeypatch):
    name, url = pg_database
    database = sqlite_folder / paths.DB_FILENAME
    before = (_sha(database), database.stat().st_mtime_ns)
    local = store.file_database(database)
    expected = copying.figures(local)
    local.close()
    server = _open_server(url, monkeypatch)
    report = moving.move_in(sqlite_folder, server)
    assert (_sha(database), database.stat().st_mtime_ns) == before  # the file is left alone
    assert report.rows == expected.rows == _server_rows(pg_cluster, name)
    assert copying.figures(server) == expected  # same rows, sums per shop, ledger
    # The seller logs in with their own PIN on the server and goes on selling:
    # the next sale takes the next number and a new row id.
    seller = profiles.seller_login(login="kopi", pin=PIN_A)
    on_hand = stock.stock(seller, sku="K-0").on_hand
    numbers = pg_cluster.query(name, "SELECT max(number), max(id) FROM sale WHERE shop_id = 1")[0]
    sale = sales.record_sale(seller, lines=[("K-0", 2)])
    assert sale.number == numbers[0] + 1 and sale.id > numbers[1]
    assert stock.stock(seller, sku="K-0").on_hand == on_hand - 2
    assert len(search.search(seller, "singkong")) == 1  # the server's own index found them


def test_move_in_refuses_a_server_that_holds_data(
    sqlite_folder, pg_cluster, pg_database, monkeypatch
):
    name, url = pg_database
    server = _open_server(url, monkeypatch)
    moving.move_in(sqlite_folder, server)
    before = _server_rows(pg_cluster, name)
    with pytest.raises(DatabaseError, match="tidak kosong"):
        moving.move_in(sqlite_folder, server)
    assert _server_rows(pg_cluster, name) == before


def test_a_move_in_cut_off_by_the_server_leaves_it_empty(
    sqlite_folder, pg_cluster, pg_database, monkeypatch
):
    """The server goes away in the middle of the copy (after rows went in): the
    seller reads why, and the server, once back, holds no rows at all."""
    name, url = pg_database
    server = _open_server(url, monkeypatch)
    real = copying._insert

    def pulled(model, db, rows, fields):
        if model is models.Movement:
            pg_cluster.stop("immediate")
        real(model, db, rows, fields)

    monkeypatch.setattr(copying, "_insert", pulled)
    try:
        with pytest.raises(DatabaseError, match="server"):
            moving.move_in(sqlite_folder, server)
    finally:
        pg_cluster.start()
    assert set(_server_rows(pg_cluster, name).values()) == {0}


def test_move_out_of_a_server_into_a_folder(
    sqlite_folder, pg_cluster, pg_database, monkeypatch, tmp_path
):
    _name, url = pg_database
    server = _open_server(url, monkeypatch)
    moving.move_in(sqlite_folder, server)
    seller = profiles.seller_login(login="kopi", pin=PIN_A)
    sales.record_sale(seller, lines=[("B-0", 1)])  # made on the server
    expected = copying.figures(server)
    portable = tmp_path / "portable"
    report = moving.move_out(server, portable)
    assert report.rows == expected.rows and report.media > 0
    store.close_database()
    monkeypatch.delenv("SHOPDESK_DATABASE_URL")
    monkeypatch.setenv("SHOPDESK_HOME", str(portable))
    store.open_database()
    assert copying.figures(store.database.obj) == expected
    seller = profiles.seller_login(login="kopi", pin=PIN_A)
    assert stock.check(seller).ok


def test_the_operator_moves_in_and_out_from_the_command_line(
    sqlite_folder, pg_cluster, pg_database, monkeypatch, capsys, tmp_path
):
    name, url = pg_database
    monkeypatch.setenv("SHOPDESK_DATABASE_URL", url)
    monkeypatch.setenv("SHOPDESK_OPERATOR_PASSWORD", "not-the-password")
    assert main(["server", "move-in"]) == AuthError.exit_code
    assert "Kata sandi" in capsys.readouterr().err
    assert set(_server_rows(pg_cluster, name).values()) == {0}
    monkeypatch.setenv("SHOPDESK_OPERATOR_PASSWORD", OPERATOR_PASSWORD)
    assert main(["server", "move-in"]) == 0
    out = capsys.readouterr().out
    assert "Diperiksa" in out and "sale_line" in out
    assert "Foto dan logo: 4, masing-masing dicocokkan dengan SHA-256-nya." in out
    rows = _server_rows(pg_cluster, name)
    assert all(rows.values())
    # Moving in twice is refused: the server holds data now.
    assert main(["server", "move-in"]) == DatabaseError.exit_code
    assert "tidak kosong" in capsys.readouterr().err
    assert main(["server", "move-out", str(tmp_path / "copy")]) == 0
    assert (tmp_path / "copy" / paths.DB_FILENAME).is_file()
    actions = [r[0] for r in pg_cluster.query(name, "SELECT action FROM audit_log")]
    assert "backup.move_in" in actions and "backup.move_out" in actions


def _as_before_photos_were_kept(folder) -> dict[tuple[int, str, str], bytes]:
    """The folder as an older ShopDesk left it: its photos and logos as files under
    media/ only, none in the database. Returns what the files hold."""
    con = sqlite3.connect(folder / paths.DB_FILENAME)
    held = {
        (s, k, f): d
        for s, k, f, d in con.execute("SELECT shop_id, kind, filename, data FROM media")
    }
    con.execute("DELETE FROM media")
    con.commit()
    con.close()
    for (_shop, kind, filename), data in held.items():
        (folder / "media" / kind).mkdir(parents=True, exist_ok=True)
        (folder / "media" / kind / filename).write_bytes(data)
    return held


def test_move_in_takes_the_photo_files_of_an_older_folder_to_the_server(
    sqlite_folder, pg_database, monkeypatch, tmp_path
):
    """Every photo of every shop reaches the server, checked; another PC, which never
    had the files, shows them."""
    _name, url = pg_database
    held = _as_before_photos_were_kept(sqlite_folder)
    assert {kind for _s, kind, _f in held} == {"photos", "logos"} and len(held) == 4
    server = _open_server(url, monkeypatch)
    report = moving.move_in(sqlite_folder, server)
    assert report.media == 4
    on_server = {
        (m.shop_id, m.kind, m.filename): m.data for m in models.Media.select().bind(server)
    }
    assert on_server == held
    store.close_database()
    monkeypatch.setenv("SHOPDESK_HOME", str(tmp_path / "pc2"))  # another PC of the server
    store.open_database()
    for login, pin in (("kopi", PIN_A), ("madu", PIN_B)):
        seller = profiles.seller_login(login=login, pin=pin)
        photo = next(p for product in catalog.list_products(seller) for p in product.photos)
        path = catalog.photos.photo_file(seller, photo)
        assert path.is_relative_to(tmp_path / "pc2")
        assert path.read_bytes() == held[(seller.shop_id, "photos", photo.filename)]


def test_move_in_refuses_a_photo_whose_bytes_are_not_its_content(
    sqlite_folder, pg_cluster, pg_database, monkeypatch
):
    """A photo damaged in the folder's file is named, and the server stays empty."""
    name, url = pg_database
    con = sqlite3.connect(sqlite_folder / paths.DB_FILENAME)
    con.execute("UPDATE media SET data = zeroblob(size) WHERE id = 1")
    con.commit()
    con.close()
    server = _open_server(url, monkeypatch)
    with pytest.raises(copying.CopyMismatchError) as refused:
        moving.move_in(sqlite_folder, server)
    assert "media 1" in (refused.value.detail or "")
    assert set(_server_rows(pg_cluster, name).values()) == {0}
