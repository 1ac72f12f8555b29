"""Opening the database safely, and the one way to write to it.

SQLite settings follow ``shared/docs/data-safety.md``: WAL with
``synchronous=FULL`` (a commit survives a power cut), foreign keys, a 5 s busy
timeout and ``BEGIN IMMEDIATE`` for every ``atomic()`` so a read-then-write
never fails with "database is locked". Engine-specific pieces live in this package
(``shopdesk.store``) and nowhere else.
"""

from __future__ import annotations

import contextlib
import functools
import os
import random
import sqlite3
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import ParamSpec, TypeVar

import peewee

from shopdesk import paths
from shopdesk.errors import DatabaseError, ShopDeskError, StorageError
from shopdesk.i18n import _
from shopdesk.store import files, health, location, migrations, scope
from shopdesk.store.failures import translate_error
from shopdesk.store.files import BUSY_TIMEOUT_MS
from shopdesk.store.structure import SQLITE_MAGIC

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


def on_server() -> bool:
    """Whether the open database is a PostgreSQL server."""
    return isinstance(database.obj, peewee.PostgresqlDatabase)


def engine_errors() -> tuple[type[BaseException], ...]:
    """What the engines raise. The PostgreSQL driver (~85 ms to import) is loaded only
    by a server's code: while it is not, none of its errors can occur."""
    driver = sys.modules.get("psycopg")
    errors: tuple[type[BaseException], ...] = (peewee.PeeweeException, sqlite3.Error)
    return (*errors, driver.Error) if driver is not None else errors


@contextlib.contextmanager
def transaction() -> Iterator[None]:
    """One write: ``BEGIN IMMEDIATE`` ... ``COMMIT`` (on a server: ``BEGIN`` with the
    rows it changes locked, see ``lock_rows``), or nothing at all."""
    health.verify_opened()  # never to a file that failed the check on opening (``health``)
    try:
        with database.atomic():
            yield
    except engine_errors() as exc:
        raise translate_error(exc) from exc


def execute_many(sql: str, rows: Iterable[Sequence[object]]) -> None:
    """One statement for many rows (``executemany``), inside the caller's ``transaction``:
    a batch of plain inserts costs a fraction of as many single statements."""
    if on_server():
        from shopdesk.store import postgres

        postgres.execute_many(database.obj, sql, list(rows))
        return
    database.cursor().executemany(sql, rows)  # errors: ``transaction`` translates them


def new_ids(table: str, count: int) -> list[int]:
    """Ids for ``count`` new rows of ``table``, for a batch that names its ids inside
    its write transaction (SQLite: an INTEGER PRIMARY KEY without AUTOINCREMENT
    takes max + 1 and the write lock holds them; a server: its identity sequence)."""
    if count <= 0:
        return []
    if on_server():
        rows = database.execute_sql(
            f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)",
            (count,),
        ).fetchall()
        return [int(r[0]) for r in rows]
    row = database.execute_sql(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}").fetchone()
    return list(range(int(row[0]), int(row[0]) + count))


def lock_rows(table: str, ids: Iterable[int]) -> bool:
    """Hold ``table``'s rows ``ids`` until the transaction ends, so that another PC
    changing them waits (a server's ``SELECT ... FOR UPDATE``, in id order so two
    PCs never wait on each other). SQLite's write lock already holds the whole file.

    True when rows were locked just now: what the transaction read of them before
    may be older than what another PC committed meanwhile, so read it again."""
    if not on_server():
        return False
    wanted = sorted(set(ids))
    if wanted:
        database.execute_sql(
            f"SELECT id FROM {table} WHERE id = ANY(%s) ORDER BY id FOR UPDATE", (wanted,)
        )
    return bool(wanted)


RETRIES = 8
P = ParamSpec("P")
R = TypeVar("R")


def retried(work: Callable[P, R]) -> Callable[P, R]:
    """``work`` (one write transaction) run again when a server gave it up for a
    conflict with another PC (a deadlock or a serialization failure): nothing of
    it was kept, so the seller never sees the conflict. Inside an outer
    transaction the conflict goes up to whoever owns that transaction."""

    @functools.wraps(work)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        for attempt in range(RETRIES):
            try:
                return work(*args, **kwargs)
            except ShopDeskError as exc:
                again = on_server() and not database.in_transaction()
                if not again or attempt == RETRIES - 1:
                    raise
                from shopdesk.store import server  # loaded: a server is open

                if not server.is_retryable(exc):
                    raise
                time.sleep(random.uniform(0, 0.02 * (attempt + 1)))
        raise AssertionError("unreachable")

    return run


def data_version() -> int:
    """Changes whenever another connection commits (SQLite's ``PRAGMA data_version``;
    a server's next transaction id): a read-plan-write can see whether another
    window wrote meanwhile."""
    if on_server():
        sql = "SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint"
        return int(database.execute_sql(sql).fetchone()[0])
    return int(database.execute_sql("PRAGMA data_version").fetchone()[0])


def set_shop_scope(shop_id: int | None) -> None:
    """The process's default scope: the one shop whose rows it works on, or (None)
    none. On a server, row-level security shows no shop-owned row without a scope,
    and only that shop's with one, whatever a query's own filter says; a service
    that receives a session works on its shop anyway (``scope.follows_session``).
    SQLite has no such guard: the app's filters keep shops apart there."""
    scope.set_shop(shop_id)


def set_all_shops_scope() -> None:
    """The process's default scope: every shop (the operator's command says so)."""
    scope.set_all()


class _Watch:
    """A connection that never writes, kept beside the open database: its
    ``PRAGMA data_version`` moves with every commit by any other connection, of this
    process or another, which makes it the one stamp comparable across threads.
    A server needs no such connection: its next transaction id (``data_version``)
    moves with every write by anyone, this process's own included, and is the same
    seen from any connection. It counts the writes to every database of that server:
    a busy server plans again more often, never trusts a stale plan."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.con: sqlite3.Connection | None = None
        self.opened = 0  # which opening of a database the stamps belong to
        self.unwatched = 0
        self.server = False

    def open(self, path: Path) -> None:
        self.close()
        with self.lock:
            uri = f"{path.resolve().as_uri()}?mode=ro"
            self.con = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self.opened += 1

    def serve(self) -> None:
        self.close()
        with self.lock:
            self.server = True
            self.opened += 1

    def stamp(self) -> tuple[int, int]:
        if self.server:
            return (self.opened, data_version())
        with self.lock:
            if self.con is None:  # nothing open: two stamps never match
                self.unwatched += 1
                return (self.opened, -self.unwatched)
            return (self.opened, int(self.con.execute("PRAGMA data_version").fetchone()[0]))

    def close(self) -> None:
        with self.lock:
            self.server = False
            if self.con is not None:
                self.con.close()
                self.con = None


_watch = _Watch()


def change_stamp() -> tuple[int, int]:
    """Equal in two calls only when nobody committed to the database in between (any
    thread, any process): a plan made from what was read can still be trusted."""
    return _watch.stamp()


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
    check_later: bool = False,
) -> peewee.Database:
    """Open (and create or upgrade) the ShopDesk database and bind the models to it.

    Without ``path``: the server this data folder is connected to (or
    ``SHOPDESK_DATABASE_URL`` names), else the data folder's SQLite file.
    ``before_upgrade`` runs before an existing database's schema changes (see
    ``shopdesk.opener``, which passes a backup in). Refuses a file that is not
    SQLite, a file from a newer ShopDesk, and a file that fails
    ``PRAGMA quick_check``, leaving each untouched. ``check_later`` (the app's window)
    leaves that check, whose time grows with the file, for ``health.verify_opened`` or
    the first write, unless the schema is to be upgraded first.
    """
    url = location.configured() if path is None else None
    if url:
        return _open_server(url, migrate=migrate, before_upgrade=before_upgrade)
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
    health.check_later(None)
    if version > 0 and check_later and version == migrations.LATEST_VERSION:
        health.check_later(path)
    elif version > 0:
        health.check_now(path)
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
    _watch.open(path)
    return db


def _open_server(
    url: str, *, migrate: bool, before_upgrade: migrations.BeforeUpgrade | None
) -> peewee.Database:
    close_database()
    _assert_writable(paths.data_dir())  # photos, backups and logs still live in the folder
    health.check_later(None)  # a server checks itself; no file check is owed
    from shopdesk.store import server  # and with it the PostgreSQL driver

    db = server.open_server(url)
    database.initialize(db)
    try:
        with scope.all_shops():  # the schema and its guards span every shop
            if migrate:
                migrations.migrate(db, before_upgrade=before_upgrade)
            server.guard_current(db)
    except engine_errors() as exc:
        close_database()  # nothing half-open stays behind for the next command
        if server.is_gone(exc):
            raise translate_error(exc) from exc
        # It answered, but its data cannot be opened: the way back is on the server.
        raise server.unusable_error(exc, location.parse(url)[0].place) from exc
    _watch.serve()
    return db


def file_database(path: Path, *, schema: int = migrations.LATEST_VERSION) -> peewee.SqliteDatabase:
    """A second database file beside the app's (a copy in the making, a snapshot to
    read), opened with the app's settings and brought to its schema (or to
    ``schema``, that of an older server it copies); close it."""
    db = connect(path)
    try:
        db.connect()
        migrations.migrate(db, upto=schema)
    except (peewee.PeeweeException, sqlite3.Error) as exc:
        db.close()
        raise translate_error(exc) from exc
    return db


def close_database() -> None:
    _watch.close()
    obj = database.obj
    if obj is not None and not obj.is_closed():
        obj.close()
