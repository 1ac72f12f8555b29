"""The big shop (``benchmarks.dataset``) on a throwaway PostgreSQL cluster, loaded fast.

``moving.move_in`` checks every row on its way in and takes minutes on 1M movements;
a benchmark only needs the same rows on the server. So ``load(cluster, path)`` migrates an
empty database through the app (``store.open_database``), copies every table of the SQLite
file into it with psycopg ``COPY`` (as the cluster's superuser, triggers held back by
``session_replication_role = replica``), moves the id sequences past the copied ids, then
fills the search index with the store's own rebuild (``fulltext.TEXT.rebuild``), and
vacuums.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Any

# Filled by the app's own steps on the server (the schema's version) or by the rebuild.
_SKIPPED = {"search_index"}


def _server_tables(con: Any) -> dict[str, list[str]]:
    rows = con.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"
    ).fetchall()
    tables: dict[str, list[str]] = {}
    for table, column in rows:
        tables.setdefault(table, []).append(column)
    return tables


def _copy_rows(source: sqlite3.Connection, con: Any, table: str, columns: list[str]) -> int:
    names = ", ".join(f'"{c}"' for c in columns)
    rows = source.execute(f"SELECT {names} FROM {table}")
    count = 0
    with con.cursor().copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _copy_tables(path: Path, admin_url: str) -> int:
    import psycopg

    source = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    copied = 0
    try:
        with psycopg.connect(admin_url) as con:
            con.execute("SET session_replication_role = replica")  # no triggers, no FK checks
            server = _server_tables(con)
            local = {
                name
                for (name,) in source.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            for table, columns in server.items():
                if table in _SKIPPED or table not in local:
                    continue
                if con.execute(f"SELECT EXISTS (SELECT 1 FROM {table})").fetchone()[0]:
                    continue  # the app's own rows (the schema's version)
                copied += _copy_rows(source, con, table, columns)
            for table, column in con.execute(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = 'public' AND is_identity = 'YES'"
            ).fetchall():
                con.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                    f"COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)"
                )
            con.execute("ANALYZE")
    finally:
        source.close()
    return copied


def load(cluster: Any, path: Path, name: str = "shopdesk_bench") -> tuple[str, float]:
    """The app's URL of a server database holding the rows of the SQLite shop at ``path``;
    and the seconds it took."""
    from shopdesk import store
    from shopdesk.store import fulltext

    started = time.perf_counter()
    url = cluster.fresh_database(name)
    admin_url = f"postgresql://postgres@127.0.0.1:{cluster.port}/{name}"
    with on_server(url):
        store.open_database()
        store.close_database()
    _copy_tables(path, admin_url)
    with on_server(admin_url):
        store.open_database()
        try:
            with store.database.atomic():
                fulltext.TEXT.rebuild()
        finally:
            store.close_database()
    # A settled server, as autovacuum leaves one after a load: statistics, the visibility
    # map, and the search index's pending entries merged (else every search reads them).
    cluster.query(name, "VACUUM ANALYZE")
    return url, time.perf_counter() - started


class on_server:
    """The store opens the server at ``url`` while inside (``SHOPDESK_DATABASE_URL``)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.old: str | None = None

    def __enter__(self) -> None:
        self.old = os.environ.get("SHOPDESK_DATABASE_URL")
        os.environ["SHOPDESK_DATABASE_URL"] = self.url

    def __exit__(self, *exc: object) -> None:
        if self.old is None:
            os.environ.pop("SHOPDESK_DATABASE_URL", None)
        else:
            os.environ["SHOPDESK_DATABASE_URL"] = self.old


def raw_connection(url: str, shop: int) -> Any:
    """A bare psycopg connection as the app's role, scoped to ``shop`` (row-level security)."""
    import psycopg

    con = psycopg.connect(url, autocommit=True)
    con.execute("SELECT set_config('shopdesk.shop', %s, false)", (str(shop),))
    return con
