"""PostgreSQL through peewee's own support (psycopg 3), speaking the app's SQL.

The core writes plain SQL with ``?`` placeholders (``:name`` with a dict) and
reads results as SQLite gives them. So that the same services run on both
engines, a connection here:

* rewrites the app's raw SQL for psycopg: ``?`` → ``%s`` (``?1`` too),
  ``:name`` → ``%(name)s``, a literal ``%`` doubled, ``x COLLATE NOCASE`` →
  ``lower(x)``, ``CROSS JOIN t ON`` → ``JOIN t ON``;
  peewee's own SQL (already ``%s``) passes untouched;
* sends a Python ``bool`` as the integer 0/1 (the schema keeps SQLite's integer
  flags), reads ``numeric`` (what ``SUM`` of a ``bigint`` gives) as an ``int``
  when it is whole, and dates and times as SQLite's text (``2026-12-06
  16:12:52.123456``), which peewee's fields parse as they do on SQLite;
* compares text byte by byte (the schema's columns are ``COLLATE "C"``).
"""

from __future__ import annotations

import contextlib
import functools
import re
from decimal import Decimal
from typing import Any

import peewee
import psycopg
from psycopg.adapt import Dumper, Loader

from shopdesk.store import scope, server_errors

# The oldest server the schema runs on: identity columns, FORCE ROW LEVEL
# SECURITY and ``pg_snapshot_xmax`` (13).
MIN_SERVER = 130000
MIN_SERVER_TEXT = "13"

_NOCASE = re.compile(r"([\w.]+)\s+COLLATE\s+NOCASE", re.IGNORECASE)
_NAME = re.compile(r"[A-Za-z_]\w*")
_DIGITS = re.compile(r"\d+")
# SQLite's way to fix the join order (a CROSS JOIN with ON) is a plain join here.
_ORDERED_JOIN = re.compile(r"\bCROSS JOIN(\s+\w+(?:\s+\w+)?\s+ON)\b")


def to_psycopg(sql: str, params: Any) -> tuple[str, Any]:
    """The app's SQL (``?``, ``?1`` or ``:name`` parameters) and its parameters as
    psycopg expects them."""
    text, order = _rewritten(sql, isinstance(params, dict))
    return text, ([params[i] for i in order] if order else params)


@functools.lru_cache(maxsize=1024)
def _rewritten(sql: str, named: bool) -> tuple[str, tuple[int, ...]]:
    """``to_psycopg``'s text, and for ``?1``-style SQL the index of the parameter each
    ``%s`` takes. Kept per text: the app sends the same few hundred statements over and
    over, and reading one character by character cost a sale a millisecond of CPU."""
    sql = _NOCASE.sub(r"lower(\1)", sql)
    sql = _ORDERED_JOIN.sub(r"JOIN\1", sql)
    numbered: list[int] = []  # ``?1`` may appear twice: psycopg wants each in turn
    out: list[str] = []
    quote = ""
    i = 0
    while i < len(sql):
        char = sql[i]
        if quote:
            out.append("%%" if char == "%" else char)
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
            out.append(char)
        elif char == "?":
            digits = _DIGITS.match(sql, i + 1)
            if digits:
                numbered.append(int(digits.group(0)) - 1)
                i = digits.end()
                out.append("%s")
                continue
            out.append("%s")
        elif char == "%":
            out.append("%%")
        elif char == ":" and named and sql[i + 1 : i + 2] != ":" and sql[i - 1 : i] != ":":
            name = _NAME.match(sql, i + 1)
            if name:
                out.append(f"%({name.group(0)})s")
                i = name.end()
                continue
            out.append(char)
        else:
            out.append(char)
        i += 1
    return "".join(out), tuple(numbered)


def _app_sql(sql: str, params: object) -> bool:
    """The app's own SQL (to rewrite), not peewee's (already in psycopg's style)."""
    if isinstance(params, dict):
        return True
    return bool(params) and "?" in sql and "%s" not in sql


def _without_nul(params: Any) -> Any:
    """PostgreSQL's text cannot hold NUL: a typed or scanned one becomes U+FFFD (the
    checks refuse control characters in what is stored; this is what is looked up)."""
    if isinstance(params, tuple | list) and any(isinstance(p, str) and "\x00" in p for p in params):
        return type(params)(
            p.replace("\x00", "\ufffd") if isinstance(p, str) else p for p in params
        )
    return params


class _BoolAsInt(Dumper):
    oid = psycopg.adapters.types["int8"].oid

    def dump(self, obj: bool) -> bytes:
        return b"1" if obj else b"0"


class _WholeNumeric(Loader):
    def load(self, data: Any) -> int | float:
        number = Decimal(bytes(data).decode())
        return int(number) if number == number.to_integral_value() else float(number)


class _Text(Loader):
    def load(self, data: Any) -> str:
        return bytes(data).decode()


def _adapt(conn: psycopg.Connection[Any]) -> None:
    conn.adapters.register_dumper(bool, _BoolAsInt)
    conn.adapters.register_loader("numeric", _WholeNumeric)
    for name in ("timestamp", "date"):
        conn.adapters.register_loader(name, _Text)


WRITE_LOCK = 0x5344  # "SD": the advisory lock space of ShopDesk's writes
_SQLITE_LOCKS = {"DEFERRED": "REPEATABLE READ", "IMMEDIATE": None, "EXCLUSIVE": None}

# Whose rows a connection shows (``scope``): row-level security (``server_schema``)
# shows only the rows of the scope, none without one. Set on each connection before
# its next statement, so threads with their own connections follow.
SCOPE_SQL = "SELECT set_config('shopdesk.shop', %s, false)"


_SAVEPOINTS = ("SAVEPOINT ", "RELEASE SAVEPOINT ", "ROLLBACK TO SAVEPOINT ")


class ServerDatabase(peewee.PostgresqlDatabase):
    """A PostgreSQL database speaking the app's SQL (see the module's notes)."""

    def _connect(self) -> Any:
        conn = super()._connect()  # type: ignore[misc]
        _adapt(conn)
        return conn

    def execute_sql(self, sql: str, params: Any = None, commit: Any = None) -> Any:
        params = _without_nul(params)
        if _app_sql(sql, params):
            sql, params = to_psycopg(sql, params)
        elif not params:  # peewee passes () and psycopg still reads each '%'
            sql = sql.replace("%", "%%")
        try:
            if sql.startswith(_SAVEPOINTS):
                return self._savepoint_sql(sql)
            self._follow_scope()
            return super().execute_sql(sql, params)  # type: ignore[no-untyped-call]
        except peewee.OperationalError as exc:
            if self.transaction_depth() or not server_errors.is_gone(exc):
                raise  # inside a transaction: ``store.transaction`` says it
            self._lost()  # a read between transactions: the next action reconnects
            raise server_errors.gone_error(exc) from exc

    def _savepoint_sql(self, sql: str) -> Any:
        """A savepoint's own statement, without the scope (a failed transaction takes
        no other statement before its ROLLBACK TO); that rollback also undoes a scope
        set after the savepoint, so the next statement sets it again."""
        try:
            return super().execute_sql(sql)  # type: ignore[no-untyped-call]
        finally:
            if sql.startswith("ROLLBACK"):
                self._conn_state().scope = None

    def _conn_state(self) -> Any:
        # peewee's per-thread connection state (its stubs leave it out).
        return self.__dict__["_state"]

    def _follow_scope(self) -> None:
        state = self._conn_state()
        wanted = scope.shop()
        if getattr(state, "scope", None) != wanted:
            state.scope = wanted
            try:
                super().execute_sql(SCOPE_SQL, (wanted,))  # type: ignore[no-untyped-call]
            except BaseException:
                state.scope = None
                raise

    def begin(self, isolation_level: Any = None) -> None:
        # SQLite's lock kinds, as the app names them: a DEFERRED read is a snapshot.
        writes = not (isinstance(isolation_level, str) and isolation_level.upper() == "DEFERRED")
        if isinstance(isolation_level, str) and isolation_level.upper() in _SQLITE_LOCKS:
            isolation_level = _SQLITE_LOCKS[isolation_level.upper()]
        try:
            super().begin(isolation_level)
        except peewee.OperationalError:
            if not self._lost():
                raise
            # The server went away since the last action (restarted, cable pulled
            # and put back): nothing of this transaction was sent, so it starts
            # again once on a new connection, and the app carries on by itself.
            super().begin(isolation_level)
        if writes:
            self._hold_writes()

    def _hold_writes(self) -> None:
        """SQLite's BEGIN IMMEDIATE on a server: the writes of one shop go one after
        another (the services read, check and write, as on one PC), different shops'
        side by side; work across shops (or of none) waits for all and holds all. Advisory
        locks, released at COMMIT or ROLLBACK; always the whole first, so no two
        transactions wait on each other."""
        shop = scope.shop()
        if shop.isdigit():
            super().execute_sql(  # type: ignore[no-untyped-call]
                "SELECT pg_advisory_xact_lock_shared(%s, 0), pg_advisory_xact_lock(%s, %s)",
                (WRITE_LOCK, WRITE_LOCK, int(shop)),
            )
        else:
            super().execute_sql(  # type: ignore[no-untyped-call]
                "SELECT pg_advisory_xact_lock(%s, 0)", (WRITE_LOCK,)
            )

    def connection(self) -> Any:
        self._lost()
        return super().connection()  # type: ignore[no-untyped-call]

    def _lost(self) -> bool:
        """Whether the connection broke (the server restarted or went away); if so
        it is closed, so that the next statement opens a new one. Only between
        transactions: one cut off in the middle fails, and the seller is told."""
        if self.is_closed() or self.transaction_depth():
            return False
        conn = self._conn_state().conn
        if conn is not None and not conn.closed and not conn.broken:
            return False
        with contextlib.suppress(peewee.PeeweeException, psycopg.Error):
            self.close()
        return True

    def rollback(self) -> None:
        # A rollback also undoes a scope set inside the transaction: set it again.
        self._conn_state().scope = None
        super().rollback()

    def _close(self, conn: Any) -> None:
        self._conn_state().scope = None
        super()._close(conn)  # type: ignore[misc]


def connect(url: str) -> ServerDatabase:
    """A peewee database for ``url`` (``postgresql://user@host:port/db``); the
    password comes from PostgreSQL's password file (``PGPASSFILE``) or the URL."""
    return ServerDatabase(url, prefer_psycopg3=True, autorollback=False)


def execute_many(db: peewee.Database, sql: str, rows: list[Any]) -> None:
    if rows:
        cursor = db.cursor()  # type: ignore[no-untyped-call]
        cursor.executemany(to_psycopg(sql, rows[0])[0], rows)
