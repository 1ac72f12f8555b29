"""Moving a data folder onto a server, and a server's data back into a folder.

``move_in`` copies the database of a SQLite data folder (every shop, its history,
the audit log, the settings) into an empty server database; ``move_out`` writes
the data of a server into a new data folder, a portable copy that ShopDesk opens
like any other. Both read their source in one snapshot and write their target in
one transaction that commits only when the copy's figures match the source's
(``store.copying``): row counts and rows of every table, the sums of money and
quantities per shop, the stock cache against the ledger. A failure leaves the
target as it was: the server database empty, no data folder made. The SQLite
file moved in is never written: it is read through an online snapshot.

Photos and logos are rows of the database (``shopdesk.media_store``), so they
move with the rest and every PC of the server sees them. A folder from before
that keeps them as files under ``media/`` only: ``move_in`` takes those into its
snapshot first, each checked against its name. Before the copy commits, every
image on the target must match its SHA-256 and size.

``move_data_in`` and ``move_data_out`` are the operator's: the password is
checked on the data that moves, and the move is written to the audit log of
the data that receives it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import peewee

from shopdesk import audit, media_store, opener, paths, profiles, store
from shopdesk.errors import AuthError, DatabaseError, ValidationError
from shopdesk.i18n import _
from shopdesk.profiles import OperatorSession
from shopdesk.safe_io import fsync_dir, remove_tree_quietly, storage_error
from shopdesk.store import copying, files, models


@dataclass(frozen=True)
class MoveReport:
    """What a move carried, as checked on its target."""

    rows: dict[str, int]  # table: rows
    shops: int
    sales_total: dict[int, int]  # shop id: rupiah of its sales (voided ones included)
    ledger_drift: int  # lots whose cache differs from the ledger: 0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def media(self) -> int:
        """Photos and logos carried (each checked against its SHA-256)."""
        return self.rows.get("media", 0)


def _report(figures: copying.Figures) -> MoveReport:
    sale_sums = figures.sums.get("sale", {})
    return MoveReport(
        rows=dict(figures.rows),
        shops=figures.rows.get("shop", 0),
        sales_total={shop: sums[0] for shop, sums in sale_sums.items()},
        ledger_drift=figures.ledger_drift,
    )


def _copy(source: peewee.Database, target: peewee.Database) -> copying.Figures:
    """The copy, committed only when its images hold their content too."""
    return copying.copy_database(source, target, check=media_store.damaged)


@contextlib.contextmanager
def _snapshot_of(folder: Path) -> Iterator[peewee.Database]:
    """The folder's database as a checked snapshot at this app's schema, opened;
    the file itself is only read (SQLite's online copy)."""
    source = Path(folder) / paths.DB_FILENAME
    if not source.is_file():
        raise ValidationError(_("There is no ShopDesk database in {folder}.").format(folder=folder))
    with tempfile.TemporaryDirectory(prefix="shopdesk-move-") as work:
        snapshot = Path(work) / paths.DB_FILENAME
        try:
            files.snapshot(source, snapshot)
            with files.opened(snapshot, readonly=True) as con:
                damage = files.problems(con)
        except files.Error as exc:
            raise store.translate_error(exc) from exc
        if damage:
            raise DatabaseError(
                _(
                    "The database in {folder} is damaged, so it was not moved. "
                    "Run “shopdesk doctor” there and restore a good backup first."
                ).format(folder=folder),
                detail=str(damage[:5]),
            )
        db = store.file_database(snapshot)
        try:
            media_store.adopt_files(db, root=Path(folder) / "media")
            yield db
        finally:
            db.close()


def move_in(folder: Path, target: peewee.Database, *, password: str | None = None) -> MoveReport:
    """Copy the data folder's database into the empty ``target`` (open, at this
    app's schema) and check it; the folder is left as it was. With ``password``:
    only when it is the operator's password of that data."""
    with _snapshot_of(folder) as source:
        if password is not None:
            _check_operator(source, password, folder)
        return _report(_copy(source, target))


def _check_operator(source: peewee.Database, password: str, folder: Path) -> None:
    """The operator of the data that moves proves who moves it (read from the
    snapshot: the folder's file is not written, not even a failed attempt)."""
    row = models.Operator.select().bind(source).first()
    if row is None or not profiles.verify_secret(row.password_hash, password):
        raise AuthError(
            _("Wrong operator password for the data in {folder}.").format(folder=folder)
        )


def _refuse_existing(folder: Path) -> None:
    database = folder / paths.DB_FILENAME
    if database.exists():
        raise ValidationError(
            _(
                "{folder} already holds a ShopDesk database. Choose an empty folder "
                "for the copy; nothing was written."
            ).format(folder=folder)
        )


def move_out(source: peewee.Database, folder: Path) -> MoveReport:
    """Write the data of ``source`` (the server) into a new data folder ``folder``,
    photos and logos included, and check it. The database file appears whole under
    its name, or not at all."""
    folder = Path(folder)
    _refuse_existing(folder)
    made = not folder.exists()
    try:
        report = _write_copy(source, folder)
    except BaseException:
        if made:  # a failed copy leaves no folder behind
            remove_tree_quietly(folder)
        raise
    return report


def _write_copy(source: peewee.Database, folder: Path) -> MoveReport:
    try:
        paths.make_private_dir(folder)
        fd, name = tempfile.mkstemp(prefix=".moving-", suffix=".sqlite3", dir=folder)
        os.close(fd)
    except OSError as exc:
        raise storage_error(exc, folder) from exc
    partial = Path(name)
    try:
        os.unlink(partial)  # SQLite makes it, with the app's schema
        target = store.file_database(partial)
        try:
            figures = _copy(source, target)
        finally:
            target.close()
        with files.opened(partial) as con:
            files.single_file(con)  # one file: no -wal beside it to lose in the rename
        os.replace(partial, folder / paths.DB_FILENAME)
        fsync_dir(folder)
    except OSError as exc:
        raise storage_error(exc, folder) from exc
    finally:
        for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            with contextlib.suppress(OSError):
                leftover.unlink()
    return _report(figures)


def _server_required() -> None:
    if not store.location.configured():
        raise ValidationError(
            _(
                "This PC is not connected to a server. Connect it first: "
                "shopdesk server connect postgresql://USER@HOST:PORT/DATABASE"
            )
        )


def move_data_in(*, password: str, folder: Path | None = None) -> MoveReport:
    """The operator moves a data folder (this PC's by default) onto the server this
    PC is connected to, which must hold no data yet; the folder stays as it was."""
    folder = Path(folder) if folder else paths.data_dir()
    _server_required()
    if not (folder / paths.DB_FILENAME).is_file():
        raise ValidationError(_("There is no ShopDesk database in {folder}.").format(folder=folder))
    opener.open_data()
    report = move_in(folder, store.database.obj, password=password)
    audit.record_alone(
        "backup.move_in", actor="operator:admin", folder=str(folder), rows=report.total_rows
    )
    return report


@store.follows_session
def move_data_out(op: OperatorSession, *, folder: Path) -> MoveReport:
    """The operator writes the server's data into a new data folder (a portable
    copy that ShopDesk opens on any PC), photos and logos included."""
    if not store.on_server():
        raise ValidationError(
            _("This PC keeps its data in its own file, not on a server: make a backup instead.")
        )
    report = move_out(store.database.obj, Path(folder))
    audit.record_alone(
        "backup.move_out", actor=op.actor, folder=str(folder), rows=report.total_rows
    )
    return report
