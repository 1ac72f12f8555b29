"""The 10,000-row import of ``benchmarks.postgres``: the same CSV (``catalog.write_import_file``)
into an empty shop, on the server, on SQLite, and with bare psycopg (the floor).

Each run starts from an empty shop made once through the app (an operator, one seller): on
SQLite a copy of that file, on the server a database made from it as a template
(``CREATE DATABASE ... TEMPLATE``). The floor reads the file with ``csv`` and inserts the
rows the app's import wrote (every table ``catalog._IMPORTED`` names) with ``executemany``
in one transaction, as the app's role (``COPY`` is refused under row-level security).
"""

from __future__ import annotations

import csv
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import catalog, server_shop
from benchmarks.timing import median

RUNS = 5
LOGIN, PIN = "impor", "123456"
TEMPLATE = "shopdesk_import_empty"


def _make_empty_shop() -> None:
    """An operator and one seller with an empty shop, in whatever store is open."""
    from shopdesk import profiles, store

    op = profiles.create_operator(password="bench-operator")
    profiles.create_seller(op, login=LOGIN, display_name="I", pin=PIN, shop_name="I")
    store.close_database()


def _import(source: Path, opened: Callable[[], None]) -> float:
    """Seconds of preview + apply on a fresh empty shop that ``opened`` opens."""
    from shopdesk import profiles, store
    from shopdesk.catalog import table_io

    opened()
    try:
        session = profiles.seller_login(login=LOGIN, pin=PIN)
        store.set_shop_scope(session.shop_id)
        started = time.perf_counter()
        assert table_io.preview_import(session, source).ok
        result = table_io.apply_import(session, source)
        elapsed = time.perf_counter() - started
        assert result.variants_created == catalog.IMPORT_ROWS
        return elapsed
    finally:
        store.close_database()


class Server:
    def __init__(self, cluster: Any) -> None:
        self.cluster = cluster
        with server_shop.on_server(cluster.fresh_database(TEMPLATE)):
            from shopdesk import store

            store.open_database()
            _make_empty_shop()

    def fresh(self, name: str) -> str:
        from tests.pg_cluster import APP_ROLE

        self.cluster.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self.cluster.admin(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE} OWNER {APP_ROLE}")
        return self.cluster.url(name)

    def opened(self) -> None:
        from shopdesk import store

        with server_shop.on_server(self.fresh("shopdesk_import_app")):
            store.open_database()

    def written(self) -> dict[str, list[tuple]]:
        """Every row of the tables the app's last import filled (its shop was empty)."""
        return {
            table: self.cluster.query("shopdesk_import_app", f"SELECT * FROM {table}")
            for table in catalog._IMPORTED
        }

    def floor(self, source: Path, rows: dict[str, list[tuple]], shop: int) -> float:
        con = server_shop.raw_connection(self.fresh("shopdesk_import_floor"), shop)
        try:
            started = time.perf_counter()
            with open(source, newline="", encoding="utf-8-sig") as handle:
                assert sum(1 for _row in csv.reader(handle, delimiter=";")) > catalog.IMPORT_ROWS
            with con.transaction(), con.cursor() as cur:
                for table in catalog._IMPORTED:
                    if rows[table]:
                        marks = ", ".join(["%s"] * len(rows[table][0]))
                        cur.executemany(f"INSERT INTO {table} VALUES ({marks})", rows[table])
            return time.perf_counter() - started
        finally:
            con.close()


def measure(cluster: Any, home: Path) -> tuple[list[float], list[float], float]:
    """Seconds of the server's imports, of their floors, and SQLite's median. In a data
    folder of their own: an import first backs up the data folder's shop."""
    old_home = os.environ["SHOPDESK_HOME"]
    os.environ["SHOPDESK_HOME"] = str(home / "import")
    try:
        return _measure(cluster, home / "import")
    finally:
        os.environ["SHOPDESK_HOME"] = old_home


def _measure(cluster: Any, home: Path) -> tuple[list[float], list[float], float]:
    from shopdesk import paths, store

    home.mkdir()
    source = home / "katalog.csv"
    catalog.write_import_file(source)
    empty = home / "import-empty.sqlite3"
    store.open_database(empty)
    _make_empty_shop()
    target = paths.database_path()

    def sqlite_opened() -> None:
        shutil.copyfile(empty, target)
        store.open_database(target)

    server = Server(cluster)
    _import(source, server.opened)  # warm-up, and the rows the floor writes
    rows = server.written()
    ((shop,),) = cluster.query("shopdesk_import_app", "SELECT id FROM shop")
    sqlite, app, floors = [], [], []
    for _run in range(RUNS):  # SQLite, the server and the floor in turn
        sqlite.append(_import(source, sqlite_opened))
        app.append(_import(source, server.opened))
        floors.append(server.floor(source, rows, shop))
    return app, floors, median(sqlite)
