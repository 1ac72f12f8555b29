"""Raw work on database files, beside the app's open database: what backups,
restores, the health check and the opener do with a file as a whole.

Open a file read-only or for writing (``connect``, ``opened``), check it
(``problems``), read its schema version, summarise it (``fingerprint``), copy it
while others write (``snapshot``), put a checked copy's content into the live
file (``replace_content``), bring a copy to the app's schema (``upgrade``),
attach a second file to a connection, and move a file with its side files.
Failures are ``Error`` (``IntegrityError`` for a broken constraint);
``store.translate_error`` turns them into messages.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from pathlib import Path
from typing import TypeAlias

import peewee

from shopdesk.store import migrations, structure
from shopdesk.store.failures import translate_error

Connection: TypeAlias = sqlite3.Connection
Error: TypeAlias = sqlite3.Error
IntegrityError: TypeAlias = sqlite3.IntegrityError

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
# Putting a restore into the live file waits for other windows' writes longer.
_REPLACE_TIMEOUT_MS = BUSY_TIMEOUT_MS * 6


def connect(path: Path, *, readonly: bool = False) -> Connection:
    """A raw connection to a database file (autocommit when writable); close it."""
    if readonly:
        return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    return sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)


def opened(path: Path, *, readonly: bool = False) -> contextlib.closing[Connection]:
    """``connect`` for a ``with`` block, closed at its end."""
    return contextlib.closing(connect(path, readonly=readonly))


def has_database_header(path: Path) -> bool:
    """Whether the file starts as every SQLite database does (OSError when unreadable)."""
    with open(path, "rb") as handle:
        return handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC


def problems(con: Connection, *, quick: bool = False) -> list[str]:
    """What SQLite's own check finds wrong with the file: [] when it is sound.

    ``quick`` leaves out the cross-check of indexes against their tables.
    """
    rows = con.execute("PRAGMA quick_check" if quick else "PRAGMA integrity_check").fetchall()
    return [] if rows == [("ok",)] else [str(r[0]) for r in rows]


def schema_version(con: Connection) -> int:
    """The migration step the file has reached (``migrations.LATEST_VERSION`` when current)."""
    return int(con.execute("PRAGMA user_version").fetchone()[0])


def fingerprint(con: Connection) -> str:
    """A cheap summary that changes when rows are added, removed or edited.

    Counts and highest ids of every table, plus the newest time stamps of
    tables that carry one; used to skip the backup on opening when nothing changed.
    """
    parts = [str(schema_version(con))]
    for table in structure.table_names(con):
        columns = structure.columns(con, table)
        stamps = [c for c in ("updated_at", "at", "changed_at", "posted_at") if c in columns]
        extra = "".join(f", max({c})" for c in stamps)
        try:
            row = con.execute(f'SELECT count(*), max(rowid){extra} FROM "{table}"').fetchone()
        except sqlite3.OperationalError:  # WITHOUT ROWID and virtual tables
            row = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()
        parts.append(f"{table}:{row}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def single_file(con: Connection) -> None:
    """Leave the file self-contained: a rollback journal, no ``-wal`` file beside it."""
    con.execute("PRAGMA journal_mode=DELETE")


def snapshot(source: Path, target: Path) -> None:
    """Copy a database with SQLite's online backup API, never as a file copy: the
    copy is consistent while others write, and one self-contained file."""
    with opened(source) as src, contextlib.closing(sqlite3.connect(str(target))) as dest:
        src.backup(dest)
        single_file(dest)


def replace_content(live: Path, new_file: Path) -> None:
    """Swap the live database's content for a checked copy's, atomically.

    SQLite's backup API writes every page of the copy into the live database as
    one write transaction (WAL + ``synchronous=FULL``): a crash or power cut
    before it commits leaves the old content, after it the new one. Unlike an
    ``os.replace`` of the file, it needs no connection closed: other windows
    and commands wait for the lock, then see the restored data; none can go on
    writing into a replaced file and lose its change; stale ``-wal``/``-shm``
    files cannot exist, and it works on Windows, where an open file cannot be
    replaced.
    """
    try:
        with contextlib.closing(
            sqlite3.connect(str(live), timeout=_REPLACE_TIMEOUT_MS / 1000)
        ) as dest:
            page_size = dest.execute("PRAGMA page_size").fetchone()[0]
            with contextlib.closing(sqlite3.connect(str(new_file), isolation_level=None)) as src:
                if src.execute("PRAGMA page_size").fetchone()[0] != page_size:
                    # WAL cannot change its page size: rewrite the copy to the live one's.
                    src.execute(f"PRAGMA page_size = {int(page_size)}")
                    compact(src)
                src.backup(dest)
    except sqlite3.Error as exc:
        raise translate_error(exc) from exc


def upgrade(path: Path) -> None:
    """Bring a database file (new or older) to the schema of the app's migrations."""
    database = peewee.SqliteDatabase(str(path))
    database.connect()
    try:
        migrations.migrate(database)
    finally:
        database.close()


def attach(con: Connection, path: Path, name: str, *, readonly: bool = False) -> None:
    """Open a second file on ``con``; SQL then names its tables ``name."table"``."""
    target = f"{path.as_uri()}?mode=ro" if readonly else str(path)
    con.execute(f"ATTACH DATABASE ? AS {name}", (target,))


def detach(con: Connection, name: str) -> None:
    con.execute(f"DETACH DATABASE {name}")


def compact(con: Connection) -> None:
    """Rewrite the file without its free pages."""
    con.execute("VACUUM")


def move(source: Path, target: Path) -> None:
    """Rename a database file together with its side files (``-wal``, ``-shm``)."""
    os.replace(source, target)
    for suffix in ("-wal", "-shm"):
        side = Path(f"{source}{suffix}")
        if side.exists():
            os.replace(side, Path(f"{target}{suffix}"))


def unique_violation(exc: BaseException) -> bool:
    """Whether a broken constraint is a UNIQUE one (a row number already taken)."""
    return isinstance(exc, sqlite3.IntegrityError) and "UNIQUE" in str(exc).upper()
