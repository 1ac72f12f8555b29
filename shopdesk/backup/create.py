"""Making backups: on demand, on opening, and before a risky step.

A backup is one sealed ``.zip`` (format and checks: ``shopdesk.backup.archive``)
holding a SQLite snapshot of the data (``store.snapshots``): SQLite's online copy
of the file, never a copy of the live file; on a PostgreSQL server, every row
copied into a new SQLite file and checked against the server's figures. One
format, one verifier, and either engine restores it. Two kinds:

* **full** (the operator's, and the automatic ones): every seller;
* **shop** (a seller's own): only that shop's rows, exported into a fresh
  database built by the app's migrations, without PIN or recovery hashes
  (``shopdesk.backup.rows``). It can be restored only into that same shop, as
  that seller. Manual backups of either kind carry their photos and logos.

Automatic backups go to ``paths.backups_dir()``: on opening (``backup_on_open``:
at most one a day unless the data changed), before every migration, restore
and import (``backup_before``); then the folder is rotated
(``shopdesk.backup.folder``). Every backup is read back and verified before
it is reported as made.
"""

from __future__ import annotations

import contextlib
import errno
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from shopdesk import __version__, audit, paths, store
from shopdesk.backup.archive import (
    DB_MEMBER,
    FORMAT,
    FORMAT_VERSION,
    FULL,
    SHOP,
    BackupInfo,
    DamagedBackupError,
    read_manifest,
    require_ok,
    sha256_file,
    verify,
    work_dir,
    write_archive,
)
from shopdesk.backup.folder import automatic_files, free_name, rotate
from shopdesk.backup.rows import export_shop
from shopdesk.clock import utcnow
from shopdesk.errors import AuthError, ShopDeskError, ValidationError
from shopdesk.i18n import N_, _
from shopdesk.profiles import OperatorSession, Session
from shopdesk.safe_io import make_folder, storage_error
from shopdesk.store import files, snapshots
from shopdesk.store.files import Connection

# Why a backup was made (the ``reason`` in its name and manifest).
_REASON_LABELS = {
    "open": N_("automatic (app opened)"),
    "manual": N_("made by hand"),
    "before-restore": N_("before a restore"),
    "before-import": N_("before an import"),
}


def reason_label(reason: str) -> str:
    """The reason in the user's language; ``before-v4`` (a schema upgrade) included."""
    if re.fullmatch(r"before-v\d+", reason):
        return _("before an upgrade")
    label = _REASON_LABELS.get(reason)
    return _(label) if label else reason


def _reason(reason: str) -> str:
    cleaned = re.sub(r"[^a-z0-9.-]+", "-", reason.lower()).strip("-")[:40]
    return cleaned or "manual"


def _snapshot(source: Path, target: Path) -> None:
    """Copy the live data (consistent while others write) into one SQLite file,
    then check the copy: the same file inside the zip on either engine."""
    snapshots.snapshot(source, target)
    require_ok(target)


def _shop_export(source: Path, target: Path, shop_id: int) -> None:
    """One shop's rows into ``target``; from a server, through a whole snapshot."""
    if not store.on_server():
        export_shop(source, target, shop_id)
        return
    whole = target.with_name(f"whole-{target.name}")
    _snapshot(source, whole)
    try:
        export_shop(whole, target, shop_id)
    finally:
        whole.unlink(missing_ok=True)


def _make(
    *,
    kind: str,
    reason: str,
    folder: Path,
    source: Path,
    shop_id: int | None = None,
) -> BackupInfo:
    source = Path(source)
    folder = Path(folder)
    try:
        make_folder(folder)  # a new backups folder must outlive a power cut too
    except OSError as exc:
        raise storage_error(exc, folder) from exc
    with work_dir() as work:
        snapshot = work / DB_MEMBER
        try:
            if kind == FULL:
                _snapshot(source, snapshot)
            else:
                _shop_export(source, snapshot, shop_id or 0)
        except files.Error as exc:
            raise store.translate_error(exc) from exc
        except OSError as exc:
            raise storage_error(exc, work) from exc
        with files.opened(snapshot, readonly=True) as con:
            schema = files.schema_version(con)
            print_ = files.fingerprint(con) if kind == FULL else ""
            shop = _shop_row(con, shop_id) if kind == SHOP else None
            photos = _photo_bytes(con) if schema >= _PHOTOS_SCHEMA else 0
        sha, size = sha256_file(snapshot)
        moment = utcnow()
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "kind": kind,
            "reason": _reason(reason),
            "created_at": moment.isoformat(timespec="milliseconds"),
            "app_version": __version__,
            "schema": schema,
            "shop": shop,
            "db": {"name": DB_MEMBER, "size": size, "sha256": sha},
            "fingerprint": print_,
        }
        destination = free_name(folder, kind, _reason(reason), moment)
        try:
            write_archive(snapshot, destination, manifest, deflate=photos * 2 < size)
        except OSError as exc:
            raise storage_error(exc, destination) from exc
    # Read it back from the drive before saying it is safe; a copy the drive
    # garbled is not left behind to be trusted later.
    try:
        return verify(destination)
    except DamagedBackupError:
        with contextlib.suppress(OSError):
            destination.unlink()
        raise


# The schema from which photos are rows of the database (table media).
_PHOTOS_SCHEMA = 8


def _photo_bytes(con: Connection) -> int:
    """How much of the database is photos and logos, which deflate cannot shrink."""
    return int(con.execute("SELECT COALESCE(SUM(size), 0) FROM media").fetchone()[0])


def _shop_row(con: Connection, shop_id: int | None) -> dict[str, Any]:
    row = con.execute("SELECT id, name, created_at FROM shop WHERE id = ?", (shop_id,)).fetchone()
    if row is None:
        raise ValidationError(_("This shop has no data to back up."))
    return {"id": row[0], "name": row[1], "created_at": str(row[2])}


def create_backup(
    *, reason: str, folder: Path | None = None, source: Path | None = None
) -> BackupInfo:
    """A full backup of the PC's database (no session: for the app's own safety copies)."""
    return _make(
        kind=FULL,
        reason=reason,
        folder=Path(folder) if folder else paths.backups_dir(),
        source=Path(source) if source else paths.database_path(),
    )


def backup_before(reason: str) -> BackupInfo:
    """A safety copy before a risky step: ``backup_before("import")``."""
    info = create_backup(reason=f"before-{reason}")
    rotate()
    return info


def before_upgrade(source: Path) -> Callable[[int], BackupInfo]:
    """The hook the opener hands to the schema layer: a verified copy of
    ``source`` before its schema goes past ``version`` (reason ``before-vN``)."""

    def hook(version: int) -> BackupInfo:
        return create_backup(reason=f"before-v{version + 1}", source=source)

    return hook


@store.follows_session
def backup_now(owner: OperatorSession | Session, *, folder: Path | None = None) -> BackupInfo:
    """On demand: the operator's holds every seller, a seller's holds only their shop.

    The file is written to ``folder`` (a USB stick, say) or the backups folder,
    read back and verified before this returns. A folder that is not there is
    refused rather than created: on Linux an unplugged stick's mount point would
    silently become a folder on the PC's own disk.
    """
    if folder is not None and not Path(folder).is_dir():
        raise storage_error(FileNotFoundError(errno.ENOENT, "no such folder"), Path(folder))
    if isinstance(owner, OperatorSession):
        info = _make(
            kind=FULL,
            reason="manual",
            folder=Path(folder) if folder else paths.backups_dir(),
            source=paths.database_path(),
        )
        audit.record_alone("backup.create", actor=owner.actor, file=info.name, kind=FULL)
        return info
    if isinstance(owner, Session):
        info = _make(
            kind=SHOP,
            reason="manual",
            folder=Path(folder) if folder else paths.backups_dir() / "shops",
            source=paths.database_path(),
            shop_id=owner.shop_id,
        )
        audit.record_alone(
            "backup.create", actor=owner.actor, shop_id=owner.shop_id, file=info.name, kind=SHOP
        )
        return info
    raise AuthError(_("Log in as the operator or as a seller to make a backup."))


def backup_on_open() -> BackupInfo | None:
    """The backup made when the app opens: skipped when today's newest already
    holds exactly the current data. Returns the new backup, or None."""
    source = paths.database_path()
    if not store.on_server() and not source.exists():
        return None
    newest = _newest_automatic()
    if newest is not None and newest.created_at.date() == utcnow().date():
        if store.on_server():
            return None  # one a day: a server's summary costs a read of every row
        with files.opened(source, readonly=True) as con:
            current = files.fingerprint(con)
        if current == newest.fingerprint:
            return None
    info = create_backup(reason="open")
    rotate()
    return info


def _newest_automatic() -> BackupInfo | None:
    for path in sorted(automatic_files(paths.backups_dir()), reverse=True):
        try:
            return read_manifest(path)
        except ShopDeskError:
            continue
    return None
