# peewee's stubs leave Database.execute_sql untyped.
# mypy: disable-error-code="no-untyped-call"
"""The live data as one SQLite file, and back, whichever engine holds it: what
backups and restores stand on, so that a backup is the same sealed zip with the
same SQLite file inside on both engines, read by one verifier.

On SQLite, a snapshot is SQLite's online copy of the file and a restore writes
the checked copy's pages into it (``store.files``). On a server, a snapshot is
every row copied into a new SQLite file (``store.copying``, read in one
REPEATABLE READ snapshot of the whole database); a restore empties every table
and copies the checked file's rows in, in one server transaction that holds
every table (other PCs wait, then see the restored data) and commits only when
the copy's figures match. The append-only guards are lifted inside that
transaction only, as on SQLite.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import peewee
import psycopg

from shopdesk.store import copying, files, migrations, scope
from shopdesk.store.engine import database, file_database, on_server
from shopdesk.store.failures import translate_error

# The server's failures (peewee's wrappers and the driver's), not SQLite's.
_SERVER_ERRORS = (peewee.PeeweeException, psycopg.Error)


def _write_file(source: peewee.Database, target: Path) -> copying.Figures:
    """Every row of ``source`` into the new SQLite file ``target``, at the schema
    ``source`` has (a server's backup before its upgrade is of the older one)."""
    db = file_database(target, schema=migrations.user_version(source))
    try:
        found = copying.copy_database(source, db)
    finally:
        db.close()
    with files.opened(target) as con:
        files.single_file(con)
    return found


def snapshot(source: Path, target: Path) -> None:
    """A consistent, self-contained SQLite copy of the live data at ``target``
    (a new file): of the file ``source`` on SQLite, of the whole server on a server."""
    if not on_server():
        files.snapshot(source, target)
        return
    _write_file(database.obj, target)


def _append_only(db: peewee.Database) -> list[str]:
    """Tables whose triggers refuse changes (the ledger, the audit log)."""
    rows = db.execute_sql(
        "SELECT DISTINCT event_object_table FROM information_schema.triggers "
        "WHERE trigger_schema = current_schema() AND action_statement LIKE '%refuse_change%'"
    ).fetchall()
    return sorted(r[0] for r in rows)


def _table_list() -> str:
    return ", ".join(
        f'"{m._meta.table_name}"'  # noqa: SLF001 - peewee's public meta
        for m in copying.copied_models()
    )


def _empty(db: peewee.Database) -> None:
    """Every table of the app emptied, its guards off until the transaction ends."""
    names = _table_list()
    db.execute_sql(f"LOCK TABLE {names} IN ACCESS EXCLUSIVE MODE")
    guarded = _append_only(db)
    for table in guarded:
        db.execute_sql(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
    db.execute_sql(f"TRUNCATE {names}")
    for table in guarded:
        db.execute_sql(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')


def _put_back(server: peewee.Database, new_file: Path) -> None:
    """Inside the caller's server transaction: every row replaced by ``new_file``'s."""
    _empty(server)
    source = file_database(new_file)  # an older copy takes the app's steps first
    try:
        copying.copy_database(source, server)
    finally:
        source.close()


def replace_content(live: Path, new_file: Path) -> None:
    """Swap the live data for a checked copy's, all at once (see the module's notes)."""
    if not on_server():
        files.replace_content(live, new_file)
        return
    server = database.obj
    try:
        with scope.all_shops(), server.atomic():
            _put_back(server, new_file)
    except copying.ENGINE_ERRORS as exc:
        raise translate_error(exc) from exc


def rewrite(change: Callable[[Path], Path], work: Path) -> None:
    """On a server: take the whole data into the SQLite file ``work``, hand it to
    ``change``, which returns the file to put in (``work`` edited, for a shop's
    restore, or another), and put that back, in one server transaction that holds
    every table from the first read to the last write, so that no other PC's write
    falls between them."""
    server = database.obj
    try:
        with scope.all_shops(), server.atomic():
            server.execute_sql(f"LOCK TABLE {_table_list()} IN EXCLUSIVE MODE")
            _write_file(server, work)
            _put_back(server, change(work))
    except _SERVER_ERRORS as exc:  # ``change``'s own failures reach its caller as they are
        raise translate_error(exc) from exc
