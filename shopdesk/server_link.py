"""Where this PC's data lives, and the operator's link to a cooperative's server.

A data folder keeps its data in its own SQLite file until the operator connects
it to a PostgreSQL server (``connect``): the connection is tested first (each
failure says what to fix: the server PC unreachable, the password, the
database, its version), then the address is kept in the data folder and the
password in PostgreSQL's own password file beside it, readable by this account
only, never shown. ``disconnect`` goes back to the folder's own file (which
the server's data never touched); ``status`` says where the data lives now.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from shopdesk import opener, paths, store
from shopdesk.errors import DatabaseError, ShopDeskError
from shopdesk.store import location


@dataclass(frozen=True)
class Status:
    on_server: bool
    place: str  # the file's path, or "db @ host:port"
    from_environment: bool  # SHOPDESK_DATABASE_URL names the server
    version: str = ""  # the server's PostgreSQL version, when it answered
    problem: str = ""  # why the server did not answer


def where() -> Status:
    """Where the data lives, without asking the server anything."""
    url = location.configured()
    if not url:
        return Status(False, str(paths.database_path()), False)
    server, _password = location.parse(url)
    return Status(True, server.place, bool(os.environ.get(location.ENV_URL, "").strip()))


def status() -> Status:
    """Where the data lives, and whether the server answers (nothing is written)."""
    found = where()
    url = location.configured()
    if not found.on_server or not url:
        return found
    try:
        version = store.server.probe(url)
    except ShopDeskError as exc:
        return replace(found, problem=exc.message)
    return replace(found, version=version)


def test(url: str, password: str | None = None) -> str:
    """The server's PostgreSQL version, or a DatabaseError saying what to fix."""
    return store.server.probe(url, password)


def needs_password(error: DatabaseError) -> bool:
    return store.server.needs_password(error)


def connect(url: str, password: str | None = None) -> Status:
    """Connect this data folder to the server at ``url`` after a successful test,
    and open it (a new server database gets the ShopDesk schema). A failure
    leaves the folder as it was, its own file open again."""
    server, in_url = location.parse(url)
    password = password if password is not None else in_url
    test(server.url, password)
    store.close_database()
    location.save(server, password)
    try:
        opener.open_data()
    except ShopDeskError:
        location.forget()
        opener.open_data()
        raise
    return status()


def disconnect() -> Path:
    """Back to this PC's own database file (opened); returns its path."""
    store.close_database()
    location.forget()
    opener.open_data()
    return paths.database_path()


def problem() -> str:
    """Why the server does not answer now ('' when it does, or the data is on this PC)."""
    return status().problem
