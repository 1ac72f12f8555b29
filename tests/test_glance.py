"""The login window's plain read (``store.glance``): the same sellers as ``profiles``,
from the file alone and without changing it; None whenever the data must be opened first."""

from __future__ import annotations

import hashlib
import sqlite3

from shopdesk import paths, profiles, settings, store
from shopdesk.store import glance, migrations
from tests.conftest import OPERATOR_PASSWORD, make_seller


def _seats() -> tuple[glance.Seat, ...]:
    return tuple(
        glance.Seat(p.login, p.display_name, p.shop_name, p.logo) for p in profiles.list_profiles()
    )


def test_the_picker_reads_what_profiles_lists(operator):
    make_seller(operator, "teh", "111111", "Teh Kelor & Jahe")
    make_seller(operator, "kopi", "222222", "Kopi Sindoro")
    make_seller(operator, "madu", "333333", "Madu Bangli")
    make_seller(operator, "gula", "444444", "Gula Aren")
    profiles.set_seller_disabled(operator, login="gula", disabled=True)
    settings.put(operator, "language", "en")
    store.close_database()  # the read comes before the app opens anything

    found = glance.glance()
    store.open_database()
    assert found is not None and found.operator
    assert found.language == "en"
    assert found.sellers == _seats()
    assert [s.login for s in found.sellers] == ["kopi", "madu", "teh"]  # by shop, none disabled


def test_a_pc_without_operator_or_language_says_so(home):
    found = glance.glance()
    assert found == glance.Glance(operator=False, language=None, sellers=())


def test_reading_changes_nothing_in_the_file(seller):
    store.close_database()
    db = paths.database_path()
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    assert glance.glance() is not None
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    store.open_database()


def test_the_data_is_opened_first_when_it_must_be(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("SHOPDESK_HOME", str(folder))
    db = folder / "shopdesk.sqlite3"
    assert glance.glance() is None  # no file yet: the opening creates it
    db.write_bytes(b"")
    assert glance.glance() is None  # empty
    db.write_bytes(b"not a database at all" * 50)
    assert glance.glance() is None  # foreign: the opening refuses it with a message
    db.unlink()
    store.open_database()
    profiles.create_operator(password=OPERATOR_PASSWORD)
    store.close_database()
    assert glance.glance() is not None
    for version in (migrations.LATEST_VERSION - 1, migrations.LATEST_VERSION + 1):
        with sqlite3.connect(db) as con:  # an older file (upgrade, backup first) or a newer app's
            con.execute(f"PRAGMA user_version = {version}")
        assert glance.glance() is None
    with sqlite3.connect(db) as con:
        con.execute(f"PRAGMA user_version = {migrations.LATEST_VERSION}")
        con.execute("DROP TABLE setting")  # damaged beyond the header: the opening says so
    assert glance.glance() is None


def test_a_server_data_folder_is_opened_the_normal_way(seller, monkeypatch):
    store.close_database()
    assert glance.glance() is not None
    monkeypatch.setenv("SHOPDESK_DATABASE_URL", "postgresql://nobody@127.0.0.1:9/none")
    assert glance.glance() is None  # and no connection is tried
    monkeypatch.delenv("SHOPDESK_DATABASE_URL")
    (paths.data_dir() / "server.json").write_text("{broken", encoding="utf-8")
    assert glance.glance() is None  # the opening explains the broken settings
