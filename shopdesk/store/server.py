"""Opening a PostgreSQL server database, testing the connection, and what its
failures mean for the seller (unreachable, wrong password, no such database,
too old, gone mid-work, a conflict with another PC to try again)."""

from __future__ import annotations

from typing import Any

import peewee
import psycopg

from shopdesk.errors import DatabaseError
from shopdesk.i18n import _
from shopdesk.store import location, postgres, server_schema
from shopdesk.store.server_errors import (
    RETRY_STATES,
    gone_error,
    is_gone,
    is_retryable,
    is_too_large,
    root_error,
    sqlstate,
    too_large_error,
)

_WRONG_PASSWORD = {"28P01", "28000"}
_NO_DATABASE = "3D000"


def connect_error(exc: BaseException, place: str) -> DatabaseError:
    """Why a connection to ``place`` failed, in words the operator can act on."""
    root = root_error(exc)
    state = sqlstate(exc)
    text = str(root).lower()
    detail = f"{type(root).__name__}: {root}"
    if state in _WRONG_PASSWORD or "password" in text:
        message = _(
            "The server {place} refused the user name or password. Check them and connect again."
        )
    elif state == _NO_DATABASE or ("database" in text and "does not exist" in text):
        message = _(
            "The server {place} has no such database. Create it first "
            "(README, “Beberapa PC”), or check its name."
        )
    else:
        message = _(
            "The server {place} cannot be reached. Check that the server PC is on, "
            "the network cable or Wi-Fi, and the address and port."
        )
    return DatabaseError(message.format(place=place), detail=detail)


def check_version(found: int, place: str) -> None:
    """Refuse a server older than the schema needs (``found``: e.g. 150004)."""
    if found < postgres.MIN_SERVER:
        raise DatabaseError(
            _(
                "The server {place} runs PostgreSQL {found}; ShopDesk needs {need} or newer. "
                "Upgrade PostgreSQL on the server PC."
            ).format(place=place, found=found // 10000, need=postgres.MIN_SERVER_TEXT)
        )


def open_server(url: str) -> postgres.ServerDatabase:
    """A connected database for ``url``; a clear message when it cannot be."""
    server, _password = location.parse(url)
    db = postgres.connect(location.conninfo(url))
    try:
        db.connect(reuse_if_open=True)
    except (peewee.PeeweeException, psycopg.Error) as exc:
        raise connect_error(exc, server.place) from exc
    try:
        check_version(int(db.server_version), server.place)
    except DatabaseError:
        db.close()
        raise
    return db


def recovery_help(place: str) -> str:
    """What the operator of a PC whose data lives on the server ``place`` does when
    that data is damaged or lost: nothing on this PC is the data to replace."""
    return _(
        "This PC's data lives on the PostgreSQL server {place}, not in a file on this PC: "
        "there is no database file here to replace, and nothing was changed. To put a "
        "backup back, restore the app's backup zip into the server as the operator "
        "(shopdesk backup restore FILE, or in the app: Manage this PC, Restore from a "
        "file), or restore the server's own dump on the server PC with pg_restore "
        "(README, “Beberapa PC”)."
    ).format(place=place)


def unusable_error(exc: BaseException, place: str) -> DatabaseError:
    """The server answered, but its data cannot be opened (a table or the schema's
    version gone): what happened, and the way back, which is on the server."""
    root = root_error(exc)
    return DatabaseError(
        _(
            "The data on the server {place} cannot be opened: its tables are damaged or "
            "incomplete (the details say which). {help}"
        ).format(place=place, help=recovery_help(place)),
        detail=f"{type(root).__name__}: {root}",
    )


def guard_current(db: Any) -> None:
    """Every shop-owned table under the current row-level rule: a server made by an
    older ShopDesk (whose rule showed every row without a scope) gets it on opening."""
    if server_schema.unguarded(db):
        with db.atomic():
            server_schema.lock(db)
            server_schema.guard_shop_rows(db)


def unguarded_tables(db: Any) -> list[str]:
    """Shop-owned tables whose row-level security is off, not forced on the table's
    owner, or not the current rule (``server_schema``)."""
    rows = db.execute_sql(
        "SELECT relname FROM pg_class WHERE relkind = 'r' AND relrowsecurity "
        "AND relforcerowsecurity AND relnamespace = current_schema()::regnamespace"
    ).fetchall()
    forced = {str(row[0]) for row in rows}
    missing = set(server_schema.unguarded(db))
    return sorted(t for t in server_schema.owned_tables(db) if t not in forced or t in missing)


def app_role(db: Any) -> tuple[str, bool, bool]:
    """The role the app connects as: its name, whether it is a superuser, and
    whether it bypasses row-level security (either makes the guard void)."""
    sql = "SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
    name, superuser, bypass = db.execute_sql(sql).fetchone()
    return str(name), bool(superuser), bool(bypass)


def describe(db: Any) -> str:
    """The server's version as it names itself."""
    return str(db.execute_sql("SHOW server_version").fetchone()[0])


def trigger_names(db: Any) -> set[str]:
    """The database's own triggers (the append-only guards among them)."""
    sql = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
    return {str(row[0]) for row in db.execute_sql(sql).fetchall()}


def probe(url: str, password: str | None = None) -> str:
    """Test a connection to ``url`` (``password``, or the password file's, or none):
    the server's version, or the message saying why not. Nothing is written."""
    server, in_url = location.parse(url)
    given = password if password is not None else in_url
    conninfo = location.conninfo(server.url)
    if given is not None:
        conninfo = psycopg.conninfo.make_conninfo(conninfo, password=given)
    try:
        with psycopg.connect(conninfo) as con:
            found = con.info.server_version
            version = str(con.execute("SHOW server_version").fetchone()[0])  # type: ignore[index]
    except psycopg.Error as exc:
        raise connect_error(exc, server.place) from None
    check_version(found, server.place)
    return version


def needs_password(error: DatabaseError) -> bool:
    """Whether a failed ``probe`` asked for a password (none was given or it was wrong)."""
    text = (error.detail or "").lower()
    return "password" in text


# What a server's failure means lives in ``server_errors`` (the connection uses it
# too); named here as before.
__all__ = [
    "RETRY_STATES",
    "app_role",
    "check_version",
    "connect_error",
    "describe",
    "gone_error",
    "guard_current",
    "is_gone",
    "is_retryable",
    "is_too_large",
    "needs_password",
    "open_server",
    "probe",
    "recovery_help",
    "sqlstate",
    "too_large_error",
    "unguarded_tables",
    "unusable_error",
]
