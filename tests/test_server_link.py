"""Connecting a data folder to a real PostgreSQL server (issue 14, point 1): the
connection test names each failure in Indonesian and saves nothing; a good
connection keeps the password in a private password file only, never printed
or logged; ``server status`` says where the data lives; ``disconnect`` goes back.

Runs on the test server (``SHOPDESK_TEST_SERVER``, tests/conftest.py); skipped
on a SQLite-only run.
"""

from __future__ import annotations

import os
import stat
from urllib.parse import urlsplit

import psycopg
import pytest

from shopdesk import paths, server_link, store
from shopdesk.cli import main
from shopdesk.errors import DatabaseError, ValidationError
from shopdesk.store import location, postgres
from tests.conftest import server_admin_url

pytestmark = pytest.mark.skipif(not server_admin_url(), reason="needs a PostgreSQL test server")

PW_ROLE = "shopdesk_pw"
PASSWORD = "rahasia-koperasi-7"


@pytest.fixture
def folder(tmp_path, monkeypatch, server_database):
    """An empty data folder, the server named only by what the folder keeps."""
    monkeypatch.delenv("SHOPDESK_DATABASE_URL")
    monkeypatch.setenv("SHOPDESK_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("SHOPDESK_SERVER_PASSWORD", raising=False)
    yield tmp_path / "home"
    store.close_database()


@pytest.fixture
def pw_url(server_database) -> str:
    """The test database, as a role that must give its password."""
    with psycopg.connect(server_admin_url(), autocommit=True) as con:
        if not con.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (PW_ROLE,)).fetchone():
            con.execute(f"CREATE ROLE {PW_ROLE} LOGIN")
        con.execute(f"ALTER ROLE {PW_ROLE} PASSWORD '{PASSWORD}'")
        con.execute(f"GRANT shopdesk_test TO {PW_ROLE}")
    admin = urlsplit(server_admin_url())
    return f"postgresql://{PW_ROLE}@{admin.hostname}:{admin.port}/{server_database}"


def _asks_password(url: str) -> bool:
    try:
        server_link.test(url, "surely-wrong")
    except DatabaseError:
        return True
    return False


def test_each_failure_has_its_own_message_and_saves_nothing(folder, pw_url, monkeypatch):
    server, _pw = location.parse(pw_url)
    port = server.port
    cases = [
        (pw_url.replace(f"/{server.dbname}", "/tidak_ada_db"), "tidak punya database"),
        (pw_url.replace(f":{port}/", ":1/"), "tidak bisa dihubungi"),
        (pw_url.replace(server.host, "host-tidak-ada.invalid"), "tidak bisa dihubungi"),
    ]
    if _asks_password(pw_url):
        cases.append((pw_url, "menolak nama pengguna atau kata sandi"))
    for url, words in cases:
        password = None if "tidak_ada_db" not in url else PASSWORD
        with pytest.raises(DatabaseError, match=words):
            server_link.connect(url, password if url != pw_url else "salah")
    for bad in ("http://toko@host/db", "postgresql://host:5432/db", "postgresql://u@host/"):
        with pytest.raises(ValidationError, match="postgresql://PENGGUNA@HOST:PORT/DATABASE"):
            server_link.connect(bad, PASSWORD)
    monkeypatch.setattr(postgres, "MIN_SERVER", 990000)
    with pytest.raises(DatabaseError, match="ShopDesk butuh versi"):
        server_link.connect(pw_url, PASSWORD)
    assert not (folder / location.SERVER_FILE).exists()
    assert not (folder / location.PASS_FILE).exists()
    assert server_link.status().on_server is False


def test_connect_keeps_the_password_private_and_status_says_where(
    folder, pw_url, capsys, monkeypatch
):
    monkeypatch.setenv("SHOPDESK_SERVER_PASSWORD", PASSWORD)
    assert main(["server", "connect", pw_url]) == 0
    out = capsys.readouterr()
    server, _pw = location.parse(pw_url)
    assert server.place in out.out
    saved = (folder / location.SERVER_FILE).read_text(encoding="utf-8")
    assert PASSWORD not in saved
    secret = folder / location.PASS_FILE
    assert PASSWORD in secret.read_text(encoding="utf-8")
    if os.name == "posix":
        assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    monkeypatch.delenv("SHOPDESK_SERVER_PASSWORD")
    assert main(["server", "status"]) == 0
    out = capsys.readouterr()
    assert f"server {server.place}" in out.out and "PostgreSQL" in out.out
    # The app now opens the server by itself, with the password from the file.
    db = store.open_database()
    assert store.on_server() and store.migrations.user_version(db) > 0
    store.close_database()
    logs = (
        [p for p in paths.logs_dir().rglob("*") if p.is_file()] if paths.logs_dir().exists() else []
    )
    for path in logs:
        assert PASSWORD not in path.read_text(encoding="utf-8", errors="replace")
    assert PASSWORD not in out.out + out.err

    assert main(["server", "disconnect"]) == 0
    assert "PC ini" in capsys.readouterr().out
    assert not secret.exists() and not (folder / location.SERVER_FILE).exists()
    assert server_link.status().on_server is False


def test_status_says_when_the_server_does_not_answer(folder, pw_url, capsys, monkeypatch):
    server, _pw = location.parse(pw_url)
    location.save(location.Server(server.user, server.host, 1, server.dbname), PASSWORD)
    assert main(["server", "status"]) == 1
    out = capsys.readouterr().out
    assert "tidak bisa dihubungi" in out
    assert PASSWORD not in out
