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
import shutil
import sqlite3
from pathlib import Path
from typing import TypeAlias

import peewee

from shopdesk.store import migrations, structure
from shopdesk.store.failures import translate_error
from shopdesk.store.structure import SQLITE_MAGIC

Connection: TypeAlias = sqlite3.Connection
Error: TypeAlias = sqlite3.Error
IntegrityError: TypeAlias = sqlite3.IntegrityError

BUSY_TIMEOUT_MS = 5000
# Putting a restore into the live file waits for other windows' writes longer.
_REPLACE_TIMEOUT_MS = BUSY_TIMEOUT_MS * 6


# Readers of a WAL database share an index, the ``-shm`` file beside it, whose
# first 32 KiB the first reader takes from the disk. A full disk cannot give
# them: every read then fails, and leaves a 3-byte ``-shm`` and an empty
# ``-wal`` behind. Such a file is opened with a private index instead, kept in
# this process's memory: reads go on, a write says the disk is full, and
# nothing is left behind. The file is then this process's alone until its
# connections close (another program waits, then hears "busy"), and stays so
# for the life of the process, since a shared and a private connection to one
# file cannot both hold it.
SHARED_INDEX_BYTES = 32 * 1024
_ROOM_FOR_INDEX = 2 * SHARED_INDEX_BYTES
# Unix's variant of the default VFS that keeps the index in memory shared by the
# process's connections; elsewhere one exclusive connection at a time does it.
_PRIVATE_VFS = "unix-excl" if os.name == "posix" else ""
_private: set[Path] = set()


def private_index(path: Path) -> bool:
    """Whether ``path`` must be opened with a private index (see above): the
    disk has no room for the shared one, and no other program made it yet."""
    key = Path(path).absolute()
    if key in _private:
        return True
    try:
        if os.stat(f"{path}-shm").st_size >= SHARED_INDEX_BYTES:
            return False  # ready, and perhaps in use by another program
    except OSError:
        pass
    try:
        full = shutil.disk_usage(key.parent).free < _ROOM_FOR_INDEX
    except OSError:
        return False
    if full:
        _private.add(key)
    return full


def private_uri(path: Path, *, readonly: bool = False) -> str:
    """The address that opens ``path`` with a private index (``uri=True``); a
    missing file is created unless ``readonly``."""
    mode = "rw" if readonly or path.exists() else "rwc"
    vfs = f"&vfs={_PRIVATE_VFS}" if _PRIVATE_VFS else ""
    return f"{Path(path).absolute().as_uri()}?mode={mode}{vfs}"


def start_private(con: Connection, path: Path) -> None:
    """The first statements of a private-index connection: hold the file, then
    remove a ``-shm`` stub left by a failed open (nobody else can use it now)."""
    if not _PRIVATE_VFS:
        con.execute("PRAGMA locking_mode = EXCLUSIVE")
    con.execute("PRAGMA schema_version").fetchone()
    with contextlib.suppress(OSError):
        os.unlink(f"{path}-shm")


def connect(path: Path, *, readonly: bool = False, timeout_ms: int = BUSY_TIMEOUT_MS) -> Connection:
    """A raw connection to a database file (autocommit when writable); close it."""
    timeout = timeout_ms / 1000
    if private_index(path):
        address = private_uri(path, readonly=readonly)
        con = sqlite3.connect(address, uri=True, timeout=timeout, isolation_level=None)
        try:
            start_private(con, path)
            if readonly:
                con.execute("PRAGMA query_only = 1")
        except sqlite3.Error:
            con.close()
            raise
        return con
    if readonly:
        return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=timeout)
    return sqlite3.connect(str(path), timeout=timeout, isolation_level=None)


def opened(
    path: Path, *, readonly: bool = False, timeout_ms: int = BUSY_TIMEOUT_MS
) -> contextlib.closing[Connection]:
    """``connect`` for a ``with`` block, closed at its end."""
    return contextlib.closing(connect(path, readonly=readonly, timeout_ms=timeout_ms))


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
        with opened(live, timeout_ms=_REPLACE_TIMEOUT_MS) as dest:
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


def set_aside(source: Path, target: Path) -> None:
    """Give a database file the second name ``target`` before another file takes its
    name, so that ``source`` names a whole file at every moment, also after a power
    cut between the steps: first a hard link, then its side files (``-wal``,
    ``-shm``) move along (a ``-wal`` left beside the file that comes next would be
    read into it). A drive without hard links gets a rename instead."""
    try:
        os.link(source, target)
    except OSError:
        os.replace(source, target)
    for suffix in ("-wal", "-shm"):
        side = Path(f"{source}{suffix}")
        if side.exists():
            os.replace(side, Path(f"{target}{suffix}"))


def unique_violation(exc: BaseException) -> bool:
    """Whether a broken constraint is a UNIQUE one (a row number already taken)."""
    return isinstance(exc, sqlite3.IntegrityError) and "UNIQUE" in str(exc).upper()
