"""Shared fixtures: a real database file in a temporary data folder, migrated
as the app does it, with an operator and two sellers when asked for."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from hypothesis import settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["SHOPDESK_FAST_HASH"] = "1"  # cheap argon2 for tests; test_profiles checks the real ones
os.environ.pop("SHOPDESK_LANG", None)

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# How many examples each fuzz test of a reader tries (tests that name their own
# number keep it): ``ci``, the default, about 200; ``release``, 5000, for the
# release checks (README, "Development"): SHOPDESK_FUZZ=release.
FUZZ_EXAMPLES = {"ci": 200, "release": 5000}
for _name, _examples in FUZZ_EXAMPLES.items():
    settings.register_profile(
        _name,
        max_examples=_examples,
        deadline=None,
        print_blob=True,  # a failure prints the line that reproduces it
    )
settings.load_profile(os.environ.get("SHOPDESK_FUZZ", "ci"))

OPERATOR_PASSWORD = "rahasia-operator"
PIN_A = "111111"
PIN_B = "222222"


@pytest.fixture
def shared_data() -> Path:
    """../shared/data when it is there (CI has it); the test is skipped otherwise."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present in this clone")
    return SHARED_DATA


# --- the engine: SQLite, or a real PostgreSQL server ---------------------------------
#
# ``SHOPDESK_TEST_SERVER`` (or ``--server``) names a PostgreSQL server as a user who
# may create roles and databases (``postgresql://postgres@localhost:54391/postgres``):
# then every test runs on a database of its own there, migrated once and emptied
# before each test, opened by the app as the unprivileged role ``shopdesk_test``
# (row-level security applies to it) through ``SHOPDESK_DATABASE_URL``. Tests of what only a
# SQLite file has (its pages, its journal, raw file copies) are marked
# ``sqlite_only`` and skipped there.
SERVER_ENV = "SHOPDESK_TEST_SERVER"
APP_ROLE = "shopdesk_test"


def pytest_addoption(parser):
    parser.addoption("--server", default=None, help="PostgreSQL admin URL: run on that server")


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only: the test reads or damages a SQLite file")
    url = config.getoption("--server", default=None)
    if url:
        os.environ[SERVER_ENV] = url


def server_admin_url() -> str | None:
    return os.environ.get(SERVER_ENV) or None


# Whole modules about the SQLite file itself: its pages, journal and disk.
SQLITE_ONLY_MODULES = {
    "test_fault_storage.py": "the SQLite file's own storage faults",
    "test_fault_powercut.py": "power cuts under SQLite's writes",
    "test_fault_powercut_files.py": "power cuts under restores of SQLite files",
    "test_fault_damaged_files.py": "damaged SQLite files",
    "test_fault_kill9.py": "SQLite's journal after kill -9 (a server's: test_server_gone.py)",
    "test_full_disk.py": "a SQLite file on a full disk",
    "test_login_faults.py": "logins on a SQLite file whose disk is full",
    "test_stock_cache_migration.py": "upgrades of SQLite schema files",
    "test_schema_fixtures.py": "upgrades of SQLite schema files",
    "test_restore_leftovers.py": "work files of SQLite restores",
    "test_glance.py": "the login window's read of the SQLite file",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        reason = SQLITE_ONLY_MODULES.get(item.path.name)
        if reason:
            item.add_marker(pytest.mark.sqlite_only(reason=reason))
    if not server_admin_url():
        return
    skip = pytest.mark.skip(reason="SQLite only: the suite runs on a PostgreSQL server")
    for item in items:
        if item.get_closest_marker("sqlite_only"):
            item.add_marker(skip)


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(server_admin_url(), autocommit=True) as con:
        con.execute(sql)


def _app_url(dbname: str) -> str:
    from urllib.parse import urlsplit

    admin = urlsplit(server_admin_url())
    return f"postgresql://{APP_ROLE}@{admin.hostname}:{admin.port or 5432}/{dbname}"


@pytest.fixture(scope="session")
def server_session_database(tmp_path_factory) -> str | None:
    """This test process's database on the test server, migrated once (None: SQLite)."""
    if not server_admin_url():
        yield None
        return
    import psycopg

    name = f"shopdesk_test_{os.getpid()}"
    with psycopg.connect(server_admin_url(), autocommit=True) as con:
        if not con.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (APP_ROLE,)).fetchone():
            con.execute(f"CREATE ROLE {APP_ROLE} LOGIN")
        con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        con.execute(f"CREATE DATABASE {name} OWNER {APP_ROLE}")
    from shopdesk import store

    before = os.environ.get("SHOPDESK_HOME")
    os.environ["SHOPDESK_DATABASE_URL"] = _app_url(name)
    os.environ["SHOPDESK_HOME"] = str(tmp_path_factory.mktemp("server-home"))
    try:
        store.open_database()
        store.close_database()
    finally:
        del os.environ["SHOPDESK_DATABASE_URL"]
        if before is None:
            del os.environ["SHOPDESK_HOME"]
        else:
            os.environ["SHOPDESK_HOME"] = before
    yield name
    _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


_SCHEMA_TABLES: set[str] = set()  # the migrated database's tables (the first reset's)


def _empty_server_database(name: str) -> None:
    """Every row gone and every id back to 1, the schema kept (much quicker than a new
    database per test): other connections ended first, the ledger's guards (triggers)
    and the keys' checks off for this one session; a table a test added is dropped."""
    import psycopg

    from shopdesk.store import server_schema

    admin = server_admin_url().rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )
        tables = [
            row[0]
            for row in con.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> %s",
                (server_schema.VERSION_TABLE,),
            )
        ]
        _SCHEMA_TABLES.update(() if _SCHEMA_TABLES else tables)
        for table in set(tables) - _SCHEMA_TABLES:
            con.execute(f'DROP TABLE "{table}" CASCADE')
        tables = [table for table in tables if table in _SCHEMA_TABLES]
        con.execute("SET session_replication_role = replica")  # no triggers, no key checks
        for table in tables:  # DELETE: TRUNCATE makes new files, ten times slower here
            con.execute(f"DELETE FROM {table}")
        con.execute(
            "SELECT setval(pg_get_serial_sequence(table_name, column_name), 1, false) "
            "FROM information_schema.columns WHERE table_schema = 'public' "
            "AND is_identity = 'YES'"
        )


def empty_test_server() -> None:
    """On the test server: this test's database emptied again (nothing on SQLite). For
    a test that makes several databases in one test function: each example of a
    hypothesis state machine must start from nothing, as its new SQLite file does."""
    url = os.environ.get("SHOPDESK_DATABASE_URL")
    if server_admin_url() and url:
        _empty_server_database(url.rsplit("/", 1)[1])


@pytest.fixture(autouse=True)
def server_database(request, monkeypatch) -> str | None:
    """On the test server: the process's database, emptied for this test
    (SHOPDESK_DATABASE_URL names it)."""
    if not server_admin_url() or request.node.get_closest_marker("sqlite_only"):
        yield None
        return
    name = request.getfixturevalue("server_session_database")
    _empty_server_database(name)
    monkeypatch.setenv("SHOPDESK_DATABASE_URL", _app_url(name))
    from shopdesk import store

    # A test's own checks read across shops, and say so; the services it calls work
    # on their session's shop whatever is set here (tests/test_shop_scope.py shows
    # that nothing is seen without a scope).
    store.set_all_shops_scope()
    yield name
    store.close_database()
    store.set_shop_scope(None)


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """A fresh data folder with the database opened and migrated."""
    from shopdesk import i18n, store

    folder = tmp_path / "home"
    monkeypatch.setenv("SHOPDESK_HOME", str(folder))
    i18n.set_language("id")
    store.open_database()
    yield folder
    store.close_database()
    i18n.set_language("id")


def schema_file(version: int) -> Path:
    """The real database file of schema ``version`` (tests/fixtures/README.md)."""
    return FIXTURES / f"schema_v{version}.sqlite3"


@pytest.fixture
def open_old(tmp_path, monkeypatch):
    """open_old(version): a copy of that schema's file as the database of a fresh
    data folder, opened as the app opens it (backup first, then the upgrade).
    Returns the copy's path; the database stays open for the test."""
    import shutil

    from shopdesk import i18n, opener, store

    folder = tmp_path / "old-home"
    folder.mkdir()
    monkeypatch.setenv("SHOPDESK_HOME", str(folder))
    i18n.set_language("id")

    def open_copy(version: int) -> Path:
        target = folder / "shopdesk.sqlite3"
        shutil.copy(schema_file(version), target)
        opener.open_data(target)
        return target

    yield open_copy
    store.close_database()


@pytest.fixture
def operator(home):
    from shopdesk import profiles

    return profiles.create_operator(password=OPERATOR_PASSWORD)


def make_seller(op, login: str, pin: str, shop: str, **fields):
    from shopdesk import profiles

    profiles.create_seller(
        op, login=login, display_name=login.title(), pin=pin, shop_name=shop, **fields
    )
    return profiles.seller_login(login=login, pin=pin)


def open_on_server(url: str, home: Path, monkeypatch):
    """The app in data folder ``home`` on the server database ``url``, in Indonesian,
    opened, with an operator: the operator's session."""
    from shopdesk import i18n, profiles, store

    monkeypatch.setenv("SHOPDESK_HOME", str(home))
    monkeypatch.setenv("SHOPDESK_DATABASE_URL", url)
    i18n.set_language("id")
    store.open_database()
    return profiles.create_operator(password=OPERATOR_PASSWORD)


@pytest.fixture
def seller(operator):
    """Seller A: a coffee shop in Temanggung with WhatsApp and P-IRT."""
    return make_seller(
        operator,
        "kopi",
        PIN_A,
        "Kopi Sindoro",
        owner_name="Sri",
        address="Jl. Raya Kledung 12, Temanggung",
        whatsapp="081227001234",
        pirt_number="2063201010123-28",
        halal_cert_number="ID33110000123450224",
    )


@pytest.fixture
def seller_b(operator):
    """Seller B, who must never see seller A's data (and vice versa)."""
    return make_seller(
        operator, "madu", PIN_B, "Madu Bangli", whatsapp="+6281338005678", timezone="WITA"
    )


@pytest.fixture
def cli(home, capsys, monkeypatch):
    """Run the real CLI in-process: cli("product", "list", pin="111111") -> (code, out, err)."""
    from shopdesk import store
    from shopdesk.cli import main

    def run(
        *argv: str, pin: str | None = None, password: str | None = None, env: dict | None = None
    ):
        if pin is not None:
            monkeypatch.setenv("SHOPDESK_PIN", pin)
        if password is not None:
            monkeypatch.setenv("SHOPDESK_OPERATOR_PASSWORD", password)
        for key, value in (env or {}).items():
            monkeypatch.setenv(key, value)
        code = main([str(a) for a in argv])
        out = capsys.readouterr()
        store.open_database()  # main() closes it; later asserts read it again
        if server_admin_url():  # and its scope ends with the command: the test's checks again
            store.set_all_shops_scope()
        return code, out.out, out.err

    return run


@pytest.fixture
def readonly_dir(tmp_path):
    """A folder that really refuses writes: a read-only bind mount as root
    (root ignores permission bits), permission bits otherwise."""
    import subprocess

    folder = tmp_path / "readonly"
    folder.mkdir()
    if os.name != "nt" and os.geteuid() == 0:
        mounted = subprocess.run(["mount", "--bind", str(folder), str(folder)], capture_output=True)
        remounted = mounted.returncode == 0 and (
            subprocess.run(
                ["mount", "-o", "remount,bind,ro", str(folder)], capture_output=True
            ).returncode
            == 0
        )
        if not remounted:
            pytest.skip("running as root without permission to mount a read-only folder")
        yield folder
        subprocess.run(["umount", str(folder)], capture_output=True)
    else:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)


@pytest.fixture
def two_states(operator, seller, tmp_path) -> tuple[Path, Path]:
    """Two whole-PC backups a restore can swing between: R-1 with 10 on hand (state A),
    then with 15 (state B); the database is closed for child processes to open."""
    from shopdesk import backup, catalog, stock, store

    catalog.create_product(seller, name="Kopi", price=10000, sku="R-1")
    stock.receive(seller, sku="R-1", quantity=10)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    state_a = backup.backup_now(operator, folder=tmp_path / "a").path
    stock.receive(seller, sku="R-1", quantity=5)
    state_b = backup.backup_now(operator, folder=tmp_path / "b").path
    store.close_database()
    return state_a, state_b


@pytest.fixture(scope="session")
def pg_cluster():
    """A PostgreSQL cluster of the tests' own, started (tests/pg_cluster.py); skipped
    where PostgreSQL is not installed."""
    from tests import pg_cluster as clusters

    bin_dir = clusters.binaries()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed (/usr/lib/postgresql/*/bin)")
    cluster = clusters.Cluster(bin_dir)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture
def pg_database(pg_cluster, request):
    """A fresh, empty database on the tests' own cluster: (name, the app's URL)."""
    name = f"t_{abs(hash(request.node.nodeid)) % 10**9}"
    if not pg_cluster.running():
        pg_cluster.start()
    url = pg_cluster.fresh_database(name)
    from shopdesk import store

    store.set_all_shops_scope()  # the test's own checks read across shops, and say so
    yield name, url
    store.close_database()
    store.set_shop_scope(None)
    if pg_cluster.running():
        pg_cluster.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def damage_table(path: Path, table: str) -> None:
    """Scribble over the first page of ``table`` in a closed database file: the file still
    opens and reads its other tables, and ``PRAGMA quick_check`` fails."""
    con = sqlite3.connect(path)
    try:
        root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,))
        page = int(root.fetchone()[0])
        size = int(con.execute("PRAGMA page_size").fetchone()[0])
    finally:
        con.close()
    with open(path, "r+b") as handle:
        handle.seek((page - 1) * size)
        handle.write(b"\xa5" * 64)


def sqlite_triggers() -> list[tuple[str, str]]:
    """Every trigger of the data folder's database file: (name, its SQL), by name."""
    from shopdesk import paths

    con = sqlite3.connect(paths.database_path())
    try:
        return con.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
        ).fetchall()
    finally:
        con.close()
