"""Restoring a backup: a seller's own shop, the whole PC, or the whole PC over
a database too damaged to log in.

A restore checks the file first (checksum, zip, manifest, database SHA-256,
the engine's integrity check, schema not newer than this app), makes a backup
of the current database, and then swaps in one transaction: a full restore
writes the checked copy into the live database (``store.files.replace_content``
says why not ``os.replace``), carrying forward the audit entries written since
the backup (``shopdesk.backup.history``); a shop restore replaces that shop's rows
(``shopdesk.backup.rows``) and keeps the audit log whole. Photos travel as rows;
an older backup's photo files are put back and taken into the data after. Both write
``backup.restore`` to the audit log in the same transaction, and a failure leaves
the current database as it was.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from shopdesk import instance_lock, media_store, paths, profiles, store
from shopdesk.backup import workfiles
from shopdesk.backup.archive import FULL, SHOP, BackupInfo, restore_media, verified_copy
from shopdesk.backup.create import before_upgrade, create_backup
from shopdesk.backup.folder import rotate, stamp
from shopdesk.backup.history import carry_forward
from shopdesk.backup.rows import replace_shop_rows
from shopdesk.clock import utcnow
from shopdesk.errors import AuthError, DatabaseError, ValidationError
from shopdesk.i18n import _
from shopdesk.profiles import OperatorSession, Session
from shopdesk.safe_io import fsync_dir, storage_error
from shopdesk.store import files, migrations, snapshots


@dataclass(frozen=True)
class RestoreResult:
    restored: BackupInfo
    safety_backup: BackupInfo  # the database as it was just before


@store.follows_session
def restore(owner: OperatorSession | Session, *, path: Path) -> RestoreResult:
    """Restore a backup: the whole PC (operator, full backup) or one shop (seller,
    that shop's own backup). Checks first; on any failure nothing changes."""
    path = Path(path)
    if isinstance(owner, OperatorSession):
        return _restore_full(owner, path)
    if isinstance(owner, Session):
        return _restore_shop(owner, path)
    raise AuthError(_("Log in as the operator or as a seller to restore a backup."))


def _restore_work(live: Path) -> Path:
    """A work file beside the live database, so ``os.replace`` stays on one drive;
    ``workfiles.remove`` ends it, and the next start removes one a kill left."""
    return workfiles.create(live.parent)


def _verified_full_copy(path: Path, work: Path) -> BackupInfo:
    """Copy a backup of the whole PC to ``work``; a seller's backup is refused."""
    info = verified_copy(path, work)
    if info.kind != FULL:
        raise ValidationError(
            _(
                "{name} is one seller's backup. Log in as that seller to restore "
                "their shop; the operator restores backups of the whole PC."
            ).format(name=path.name)
        )
    return info


# --- the whole PC ---------------------------------------------------------------


@store.follows_session
def _restore_full(op: OperatorSession, path: Path) -> RestoreResult:
    live = paths.database_path()
    with instance_lock.hold(paths.data_dir()):
        work = _restore_work(live)
        try:
            info = _verified_full_copy(path, work)
            safety = create_backup(reason="before-restore")
            restore_media(path, info)

            def come_in(current: Path) -> Path:
                # Last, right before the swap: what was done since the backup stays on record.
                carry_forward(current, work)
                _stamp_restore(work, op.actor, info, before=safety.name)
                return work

            if store.on_server():
                _on_server(live, come_in)
            else:
                snapshots.replace_content(live, come_in(live))
        finally:
            workfiles.remove(work)
    if info.schema < migrations.LATEST_VERSION and not store.on_server():
        # Upgraded in place (with its own backup first): every thread's
        # connection stays valid and sees the new schema.
        migrations.migrate(store.database.obj, before_upgrade=before_upgrade(live))
    _take_in_media(info)
    rotate()
    return RestoreResult(info, safety)


def _take_in_media(info: BackupInfo) -> None:
    """A backup from before photos were kept in the database carries them as files
    (``restore_media`` put them in this PC's folder): into the restored data."""
    if info.media:
        media_store.adopt_files()


def _on_server(live: Path, change: Callable[[Path], Path]) -> None:
    """A restore on a server: the data taken into a work file, changed there, put
    back whole, with every table held throughout (``store.snapshots.rewrite``)."""
    scratch = _restore_work(live)
    try:
        snapshots.rewrite(change, scratch)
    finally:
        workfiles.remove(scratch)


def _stamp_restore(target: Path, actor: str, info: BackupInfo, **detail: str) -> None:
    """Write the whole-PC restore into the audit log of the file that is about to come in."""
    with files.opened(target) as con:
        con.execute(
            "INSERT INTO audit_log (at, shop_id, actor, action, detail) VALUES (?, NULL, ?, ?, ?)",
            (
                utcnow().isoformat(sep=" "),
                actor,
                "backup.restore",
                json.dumps({"file": info.name, "sha256": info.db_sha256, **detail}, sort_keys=True),
            ),
        )
        files.single_file(con)


# --- one seller's shop ------------------------------------------------------------


@store.follows_session
def _restore_shop(session: Session, path: Path) -> RestoreResult:
    live = paths.database_path()
    work = _restore_work(live)
    try:
        info = verified_copy(path, work)
        if info.kind != SHOP:
            raise AuthError(
                _("{name} is a backup of the whole PC. Only the operator can restore it.").format(
                    name=path.name
                )
            )
        _check_same_shop(session, path, info, live)
        if info.schema < migrations.LATEST_VERSION:
            files.upgrade(work)  # an older shop backup takes the same steps as any file
        safety = create_backup(reason="before-restore")
        restore_media(path, info)
        record = {"file": info.name, "sha256": info.db_sha256, "before": safety.name}

        def put_in(current: Path) -> Path:
            replace_shop_rows(
                current, work, shop_id=session.shop_id, audit=(session.actor, json.dumps(record))
            )
            return current

        try:
            if store.on_server():
                _on_server(live, put_in)
            else:
                put_in(live)
        except files.IntegrityError as exc:
            raise _does_not_fit(exc) from exc
        except files.Error as exc:
            raise store.translate_error(exc) from exc
    finally:
        workfiles.remove(work)
    _take_in_media(info)
    rotate()
    return RestoreResult(info, safety)


def _does_not_fit(exc: BaseException) -> DatabaseError:
    if not files.unique_violation(exc):
        return DatabaseError(
            _("The backup does not fit this database; nothing was changed."), detail=str(exc)
        )
    # A row number of the backup was taken by another shop since (SQLite
    # reuses the number of a deleted newest row): shop rows cannot move.
    return DatabaseError(
        _(
            "This backup no longer fits: another shop has since used some of its "
            "row numbers. Nothing was changed. The operator can restore the whole PC "
            "from a backup instead."
        ),
        detail=str(exc),
    )


def _same_moment(stored: object, written: str) -> bool:
    """One time, however spelled: SQLite keeps the text as written, a server prints
    its own (``.91`` for ``.910000``)."""
    try:
        return datetime.fromisoformat(str(stored)) == datetime.fromisoformat(written)
    except ValueError:
        return str(stored) == written


@store.follows_session
def _check_same_shop(session: Session, path: Path, info: BackupInfo, live: Path) -> None:
    """The backup must be of this very shop: same id and same creation time."""
    if store.on_server():
        row = store.database.execute_sql(
            "SELECT created_at FROM shop WHERE id = ?", (session.shop_id,)
        ).fetchone()
    else:
        with files.opened(live, readonly=True) as con:
            row = con.execute(
                "SELECT created_at FROM shop WHERE id = ?", (session.shop_id,)
            ).fetchone()
    shop = info.shop_created_at
    if info.shop_id != session.shop_id or row is None or not _same_moment(row[0], shop):
        raise AuthError(
            _(
                "{name} is the backup of another shop. It can only be restored into that shop."
            ).format(name=path.name)
        )


# --- the database itself is damaged --------------------------------------------


def on_server_help() -> str | None:
    """On a PC whose data lives on a server: where, and how its data is put back
    (no file of this PC is the data there, damaged or not); None on a PC of its own."""
    url = store.location.configured()
    if not url:
        return None
    server, _password = store.location.parse(url)
    return store.server.recovery_help(server.place)


def live_database_is_damaged(live: Path | None = None) -> bool:
    """True when the live file fails the engine's integrity check (or is not a database).
    Never on a PC whose data lives on a server: a file left in its folder is not its data."""
    if live is None and store.location.configured():
        return False
    live = Path(live or paths.database_path())
    if not live.exists():
        return False
    try:
        with files.opened(live, readonly=True) as con:
            return bool(files.problems(con))
    except files.Error:
        return True


def restore_over_damaged(*, path: Path, password: str, username: str = "admin") -> BackupInfo:
    """Restore a full backup when the live database is too damaged to log in.

    The operator proves the password stored *in the backup* (the damaged file's
    own copy cannot be read). The damaged file is kept beside under a second name,
    and the checked copy takes its place with ``os.replace`` (nothing can be open on
    a file the engine refuses to read, and the instance lock keeps the app out).
    """
    server_help = on_server_help()
    if server_help:
        raise ValidationError(server_help)
    path = Path(path)
    live = paths.database_path()
    if not live_database_is_damaged(live):
        raise ValidationError(
            _("The database is not damaged. Log in as the operator to restore a backup.")
        )
    with instance_lock.hold(paths.data_dir()):
        work = _restore_work(live)
        try:
            info = _verified_full_copy(path, work)
            _check_backup_password(work, username, password)
            restore_media(path, info)
            kept = live.with_name(f"{live.name}.damaged-{stamp(utcnow())}")
            store.close_database()
            _stamp_restore(work, f"operator:{username}", info, damaged_kept=kept.name)
            try:
                files.set_aside(live, kept)
                os.replace(work, live)  # one rename: the damaged file or the restored one
                fsync_dir(live.parent)
            except OSError as exc:
                raise storage_error(exc, live) from exc
        finally:
            workfiles.remove(work)
    store.open_database(live, before_upgrade=before_upgrade(live))
    _take_in_media(info)
    return info


def _check_backup_password(db_file: Path, username: str, password: str) -> None:
    with files.opened(db_file, readonly=True) as con:
        row = con.execute(
            "SELECT password_hash FROM operator WHERE username = ?", (username,)
        ).fetchone()
    if row is None or not profiles.verify_secret(row[0], password or ""):
        raise AuthError(_("Wrong operator password for this backup."))
