"""Opening the database safely, and the one way to write to it.

SQLite settings follow ``shared/docs/data-safety.md``: WAL with
``synchronous=FULL`` (a commit survives a power cut), foreign keys, a 5 s busy
timeout and ``BEGIN IMMEDIATE`` for every ``atomic()`` so a read-then-write
never fails with "database is locked". Engine-specific pieces live in this package
(``shopdesk.store``) and nowhere else.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import peewee

from shopdesk import paths
from shopdesk.errors import DatabaseError, StorageError
from shopdesk.i18n import _
from shopdesk.store import files, migrations
from shopdesk.store.failures import translate_error
from shopdesk.store.files import BUSY_TIMEOUT_MS, SQLITE_MAGIC

PRAGMAS = {
    "journal_mode": "wal",  # set first and with its own retry: see _ensure_wal
    "synchronous": 2,  # FULL: survives power cuts, see data-safety.md
    "foreign_keys": 1,
    "busy_timeout": BUSY_TIMEOUT_MS,
    "cache_size": -32000,  # 32 MB page cache
    "temp_store": 2,
}

# Models bind to this proxy; open_database() points it at the real file.
database = peewee.DatabaseProxy()


def chunks(items: list[int], size: int) -> Iterator[list[int]]:
    """``items`` in slices of ``size``: one ``IN (...)`` stays under SQLite's cap on
    bound variables."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


@contextlib.contextmanager
def transaction() -> Iterator[None]:
    """One write: ``BEGIN IMMEDIATE`` ... ``COMMIT``, or nothing at all."""
    try:
        with database.atomic():
            yield
    except (peewee.PeeweeException, sqlite3.Error) as exc:
        raise translate_error(exc) from exc


def execute_many(sql: str, rows: Iterable[Sequence[object]]) -> None:
    """One statement for many rows (``executemany``), inside the caller's ``transaction``:
    a batch of plain inserts costs a fraction of as many single statements."""
    database.cursor().executemany(sql, rows)  # errors: ``transaction`` translates them


def next_id(table: str) -> int:
    """The id the engine gives the next row of ``table`` (SQLite: an INTEGER PRIMARY KEY
    without AUTOINCREMENT takes max + 1), for a batch that names its ids inside its
    write transaction."""
    row = database.execute_sql(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}").fetchone()
    return int(row[0])


def data_version() -> int:
    """Changes whenever another connection commits (SQLite's ``PRAGMA data_version``):
    a read-plan-write can see whether another window wrote meanwhile."""
    return int(database.execute_sql("PRAGMA data_version").fetchone()[0])


def check_sqlite_file(path: Path) -> None:
    """Refuse a file that exists but is not SQLite, before anything touches it."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise DatabaseError(
            _("The database file {path} cannot be read.").format(path=path), detail=str(exc)
        ) from exc
    if head and head != SQLITE_MAGIC:
        raise DatabaseError(
            _(
                "{path} is not a ShopDesk database. Choose the right file or restore a backup."
            ).format(path=path)
        )


def read_user_version(path: Path) -> int:
    """The schema version of an existing file, read without changing it."""
    if not path.exists() or path.stat().st_size == 0:
        return 0
    try:
        with files.opened(path, readonly=True) as con:
            return files.schema_version(con)
    except sqlite3.DatabaseError as exc:
        raise translate_error(exc) from exc


def _assert_writable(folder: Path) -> None:
    try:
        paths.make_private_dir(folder)
        # A probe of its own: two programs starting at once must not trip over one name.
        fd, probe = tempfile.mkstemp(prefix=".write-test-", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise StorageError(
            _(
                "ShopDesk cannot write to its data folder {path}. "
                "Ask the operator to give this account write access."
            ).format(path=folder),
            detail=str(exc),
        ) from exc


def _create_private(path: Path) -> None:
    """Create a new database file readable by this account only, before SQLite
    would create it with the umask's mode: SQLite gives the -wal and -shm files
    the mode of the database file."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, paths.PRIVATE_FILE_MODE)
    except FileExistsError:
        return
    except OSError as exc:
        raise translate_error(exc) from exc
    os.close(fd)
    paths.set_mode(path, paths.PRIVATE_FILE_MODE)


class ShopDatabase(peewee.SqliteDatabase):
    """SQLite with the app's settings on every new connection."""

    def _connect(self) -> sqlite3.Connection:
        # peewee's hook that makes each connection; on a full disk it gets a
        # private index (see store.files), so that reads still work.
        path = Path(self.database)
        if not files.private_index(path):
            return super()._connect()  # type: ignore[misc,no-any-return]
        conn = sqlite3.connect(
            files.private_uri(path),
            uri=True,
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=False,
        )
        try:
            files.start_private(conn, path)
            self._add_conn_hooks(conn)  # type: ignore[attr-defined]
        except Exception:
            conn.close()
            raise
        return conn

    def _set_pragmas(self, conn: sqlite3.Connection) -> None:
        _ensure_wal(conn)
        # peewee's hook for the pragmas of each new connection; its stubs leave it out.
        super()._set_pragmas(conn)  # type: ignore[misc]


def _ensure_wal(conn: sqlite3.Connection) -> None:
    """Put the file in WAL mode (it stays so once set).

    Switching needs an exclusive lock, and SQLite answers "locked" at once,
    without the busy handler, when another program opens the same new file at
    that moment; so this one step waits and retries by itself.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
                return
            if conn.execute("PRAGMA journal_mode = wal").fetchone()[0] == "wal":
                return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc).lower() or time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            raise sqlite3.OperationalError("database is locked (cannot switch to WAL)")
        time.sleep(0.02)


def connect(path: Path) -> peewee.SqliteDatabase:
    """A peewee database with the app's settings; connections are per thread."""
    return ShopDatabase(
        str(path),
        pragmas={k: v for k, v in PRAGMAS.items() if k != "journal_mode"},
        lock_type="IMMEDIATE",
        timeout=BUSY_TIMEOUT_MS / 1000,
        check_same_thread=False,
    )


# The schema and the stock caches use DROP COLUMN (3.35), UPDATE ... FROM (3.33)
# and upserts. Python 3.11's Windows and macOS builds (and so the frozen app)
# carry newer; an old Linux system library may not.
MIN_SQLITE = (3, 35, 0)


def _assert_sqlite_version() -> None:
    if sqlite3.sqlite_version_info < MIN_SQLITE:
        raise DatabaseError(
            _(
                "ShopDesk needs SQLite {need} or newer, and this Python has {have}. "
                "Install a newer Python (python.org) or the ShopDesk installer; "
                "nothing was changed."
            ).format(need=".".join(map(str, MIN_SQLITE)), have=sqlite3.sqlite_version)
        )


def open_database(
    path: Path | None = None,
    *,
    migrate: bool = True,
    before_upgrade: migrations.BeforeUpgrade | None = None,
) -> peewee.SqliteDatabase:
    """Open (and create or upgrade) the ShopDesk database and bind the models to it.

    ``before_upgrade`` runs before an existing file's schema changes (see
    ``shopdesk.opener``, which passes a backup in). Refuses a file that is not
    SQLite, a file from a newer ShopDesk, and a file that fails
    ``PRAGMA quick_check``, leaving each untouched.
    """
    _assert_sqlite_version()
    path = Path(path) if path else paths.database_path()
    _assert_writable(path.parent)
    check_sqlite_file(path)
    version = read_user_version(path)
    if version > migrations.LATEST_VERSION:
        raise DatabaseError(
            _(
                "This database was made by a newer ShopDesk (schema {found}, this app knows "
                "{known}). Install the newer ShopDesk; the file was not changed."
            ).format(found=version, known=migrations.LATEST_VERSION)
        )
    if version > 0:
        _check_integrity(path)
    else:
        _create_private(path)
    db = connect(path)
    database.initialize(db)
    try:
        db.connect(reuse_if_open=True)
    except (peewee.PeeweeException, sqlite3.Error) as exc:
        raise translate_error(exc) from exc
    if migrate:
        migrations.migrate(db, before_upgrade=before_upgrade)
    return db


def _check_integrity(path: Path) -> None:
    try:
        with files.opened(path, readonly=True) as con:
            ok = not files.problems(con, quick=True)
    except sqlite3.DatabaseError as exc:
        ok = False
        detail = str(exc)
    else:
        detail = "quick_check failed"
    if not ok:
        newest = newest_backup_name()
        hint = (
            _("Restore the newest backup: {name}.").format(name=newest)
            if newest
            else _("No backup was found; ask the operator for help.")
        )
        raise DatabaseError(
            _("The database file is damaged and was not opened.") + " " + hint, detail=detail
        )


def newest_backup_name() -> str | None:
    folder = paths.backups_dir()
    if not folder.is_dir():
        return None
    full = sorted(folder.glob("shopdesk-full-*.zip"))  # whole-PC backups, named by UTC time
    if full:
        return full[-1].name
    files = sorted(
        (f for f in folder.rglob("*") if f.is_file() and not f.name.startswith(".")),
        key=lambda f: f.stat().st_mtime,
    )
    return files[-1].name if files else None


def file_database(path: Path) -> peewee.SqliteDatabase:
    """A second database file beside the app's (a copy in the making, a snapshot to
    read), opened with the app's settings and brought to its schema; close it."""
    db = connect(path)
    try:
        db.connect()
        migrations.migrate(db)
    except (peewee.PeeweeException, sqlite3.Error) as exc:
        db.close()
        raise translate_error(exc) from exc
    return db


def close_database() -> None:
    obj = database.obj
    if obj is not None and not obj.is_closed():
        obj.close()
