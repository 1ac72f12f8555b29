"""What a database file holds, read from SQLite's own catalog: its tables, their
columns and foreign keys, its triggers; and the append-only guards lifted for
the one write allowed past them (a seller's restore).

Every function takes a raw connection (``store.files``) and the name of an
attached database (``schema``: ``main`` unless another file is attached).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

SQLITE_MAGIC = b"SQLite format 3\x00"  # how every SQLite file begins


def table_names(con: sqlite3.Connection, schema: str = "main") -> list[str]:
    """The tables, in the order they were created."""
    rows = con.execute(
        f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' "
        "AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
    )
    return [r[0] for r in rows]


def columns(con: sqlite3.Connection, table: str, schema: str = "main") -> list[str]:
    return [r[1] for r in con.execute(f'PRAGMA {schema}.table_info("{table}")')]


def links(con: sqlite3.Connection, table: str, schema: str = "main") -> list[tuple[str, str, str]]:
    """(parent, column, parent column) of each foreign key of ``table``."""
    return [
        (fk[2], fk[3], fk[4] or "id")
        for fk in con.execute(f'PRAGMA {schema}.foreign_key_list("{table}")')
    ]


def links_off(con: sqlite3.Connection) -> None:
    """Stop checking foreign keys on this connection (SQLite cannot defer RESTRICT);
    ``broken_links`` checks them all before the COMMIT instead."""
    con.execute("PRAGMA foreign_keys = OFF")


def broken_links(con: sqlite3.Connection, schema: str = "main") -> list[tuple[object, ...]]:
    """Rows whose foreign key points at no row: [] when every link holds."""
    return con.execute(f"PRAGMA {schema}.foreign_key_check").fetchall()


def trigger_names(con: sqlite3.Connection) -> set[str]:
    return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}


@contextmanager
def guards_lifted(con: sqlite3.Connection, tables: list[str]) -> Iterator[None]:
    """Drop the triggers that refuse changes to ``tables`` (the append-only
    guards), and create them again when the block ends without an error.

    Run it inside the transaction that makes the change: a failure rolls the
    drop back together with the change. Triggers that keep the search index up
    to date keep firing.
    """
    guards = con.execute(
        "SELECT name, sql FROM main.sqlite_master WHERE type = 'trigger' AND sql LIKE '%RAISE(%' "
        f"AND tbl_name IN ({', '.join('?' for _t in tables)})",
        tables,
    ).fetchall()
    for name, _sql in guards:
        con.execute(f'DROP TRIGGER main."{name}"')
    yield
    for _name, sql in guards:
        con.execute(sql)
