"""Backups, restore and verify.

A backup is one sealed ``.zip`` (format and checks: ``shopdesk.backup.archive``)
holding a snapshot of the database taken with SQLite's online backup API,
never a copy of the live file.

Two kinds:

* **full** (the operator's, and the automatic ones): every seller;
* **shop** (a seller's own): only that shop's rows, exported into a fresh
  database built by the app's migrations, without PIN or recovery hashes
  (``shopdesk.backup.rows``). It can be restored only into that same shop, as
  that seller. Manual backups of either kind carry their photos and logos.

Automatic backups go to ``paths.backups_dir()``: on opening (``backup_on_open``:
at most one a day unless the data changed), before every migration, restore
and import (``backup_before``). They are rotated: 7 daily, 4 weekly and
12 monthly are kept, plus the newest few whatever their age.

A restore checks the file first (checksum, zip, manifest, database SHA-256,
``PRAGMA integrity_check``, schema not newer than this app), makes a backup of
the current database, and then swaps in one transaction: a full restore
writes the checked copy into the live database with SQLite's backup API (see
``load_into_live`` for why not ``os.replace``); a shop restore replaces that
shop's rows. Both write ``backup.restore`` to the audit log in the same
transaction, and a failure leaves the current database as it was.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from shopdesk import __version__, paths
from shopdesk.backup.archive import (
    _MEDIA_NAME,
    DB_MEMBER,
    FORMAT,
    FORMAT_VERSION,
    FULL,
    MANIFEST_MEMBER,
    SHOP,
    TRAILER_PREFIX,
    TRAILER_SIZE,
    BackupInfo,
    DamagedBackupError,
    _sha256_file,
    connect_file,
    read_manifest,
    require_ok,
    restore_media,
    verified_copy,
    verify,
    work_dir,
    write_archive,
)
from shopdesk.backup.rows import (
    columns_of,
    export_shop,
    replace_shop_rows,
    shop_filters,
    table_names,
    upgrade_copy,
)
from shopdesk.clock import utcnow
from shopdesk.errors import AuthError, DatabaseError, ShopDeskError, ValidationError
from shopdesk.i18n import N_, _
from shopdesk.profiles import OperatorSession, Session
from shopdesk.safe_io import fsync_dir, storage_error

SUFFIX = ".zip"
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY, KEEP_NEWEST = 7, 4, 12, 5
_NAME = re.compile(r"^shopdesk-(full|shop)-(\d{8}T\d{9})Z-([a-z0-9.-]{1,40})(?:-\d+)?\.zip$")


@dataclass(frozen=True)
class RestoreResult:
    restored: BackupInfo
    safety_backup: BackupInfo  # the database as it was just before


# --- writing ---------------------------------------------------------------


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S") + f"{moment.microsecond // 1000:03d}"


def _free_name(folder: Path, kind: str, reason: str, moment: datetime) -> Path:
    base = f"shopdesk-{kind}-{_stamp(moment)}Z-{reason}"
    candidate = folder / f"{base}{SUFFIX}"
    number = 1
    while candidate.exists():
        number += 1
        candidate = folder / f"{base}-{number}{SUFFIX}"
    return candidate


def _reason(reason: str) -> str:
    cleaned = re.sub(r"[^a-z0-9.-]+", "-", reason.lower()).strip("-")[:40]
    return cleaned or "manual"


def fingerprint(con: sqlite3.Connection) -> str:
    """A cheap summary that changes when rows are added, removed or edited.

    Counts and highest ids of every table, plus the newest time stamps of
    tables that carry one; used to skip the backup on opening when nothing changed.
    """
    parts = [str(con.execute("PRAGMA user_version").fetchone()[0])]
    for table in table_names(con):
        columns = columns_of(con, table)
        stamps = [c for c in ("updated_at", "at", "changed_at", "posted_at") if c in columns]
        extra = "".join(f", max({c})" for c in stamps)
        try:
            row = con.execute(f'SELECT count(*), max(rowid){extra} FROM "{table}"').fetchone()
        except sqlite3.OperationalError:  # WITHOUT ROWID and virtual tables
            row = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()
        parts.append(f"{table}:{row}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _snapshot(source: Path, target: Path) -> None:
    """Copy the live database with the online backup API (consistent while others write)."""
    src = connect_file(source)
    try:
        dest = sqlite3.connect(str(target))
        try:
            src.backup(dest)
            dest.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            require_ok(dest, target)
        finally:
            dest.close()
    finally:
        src.close()


def _make(
    *,
    kind: str,
    reason: str,
    folder: Path,
    source: Path,
    shop_id: int | None = None,
    media: bool = False,
) -> BackupInfo:
    source = Path(source)
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise storage_error(exc, folder) from exc
    with work_dir() as work:
        snapshot = work / DB_MEMBER
        try:
            if kind == FULL:
                _snapshot(source, snapshot)
            else:
                export_shop(source, snapshot, shop_id or 0)
        except sqlite3.Error as exc:
            from shopdesk.store import translate_error

            raise translate_error(exc) from exc
        except OSError as exc:
            raise storage_error(exc, work) from exc
        con = connect_file(snapshot, readonly=True)
        try:
            schema = int(con.execute("PRAGMA user_version").fetchone()[0])
            print_ = fingerprint(con) if kind == FULL else ""
            shop = _shop_row(con, shop_id) if kind == SHOP else None
            files = _media_files(con, kind) if media else {}
        finally:
            con.close()
        sha, size = _sha256_file(snapshot)
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
            "media": {name: {"size": sz, "sha256": h} for name, (_p, sz, h) in files.items()},
        }
        destination = _free_name(folder, kind, _reason(reason), moment)
        try:
            write_archive(snapshot, destination, manifest, {n: v[0] for n, v in files.items()})
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


def _shop_row(con: sqlite3.Connection, shop_id: int | None) -> dict:
    row = con.execute("SELECT id, name, created_at FROM shop WHERE id = ?", (shop_id,)).fetchone()
    if row is None:
        raise ValidationError(_("This shop has no data to back up."))
    return {"id": row[0], "name": row[1], "created_at": str(row[2])}


def _media_files(con: sqlite3.Connection, kind: str) -> dict[str, tuple[Path, int, str]]:
    """Photos and logos that go with the data: all of them for a full backup,
    those the shop's rows name for a shop backup. Content-addressed files."""
    root = paths.media_dir()
    names: set[str] = set()
    if kind == FULL:
        if root.is_dir():
            names = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    else:
        names = {f"photos/{r[0]}" for r in con.execute("SELECT filename FROM photo")}
        names |= {f"logos/{r[0]}" for r in con.execute("SELECT logo FROM shop WHERE logo != ''")}
    found: dict[str, tuple[Path, int, str]] = {}
    for name in sorted(names):
        source = root / name
        if _MEDIA_NAME.match(name) and source.is_file():
            digest, size = _sha256_file(source)
            found[name] = (source, size, digest)
    return found


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
            media=True,
        )
        _audit(owner.actor, None, "backup.create", file=info.name, kind=FULL)
        return info
    if isinstance(owner, Session):
        info = _make(
            kind=SHOP,
            reason="manual",
            folder=Path(folder) if folder else paths.backups_dir() / "shops",
            source=paths.database_path(),
            shop_id=owner.shop_id,
            media=True,
        )
        _audit(owner.actor, owner.shop_id, "backup.create", file=info.name, kind=SHOP)
        return info
    raise AuthError(_("Log in as the operator or as a seller to make a backup."))


def _audit(actor: str, shop_id: int | None, action: str, **detail: object) -> None:
    from shopdesk import audit, store

    with store.transaction():
        audit.record(action, actor=actor, shop_id=shop_id, **detail)


def backup_on_open() -> BackupInfo | None:
    """The backup made when the app opens: skipped when today's newest already
    holds exactly the current data. Returns the new backup, or None."""
    source = paths.database_path()
    if not source.exists():
        return None
    newest = _newest_automatic()
    if newest is not None and newest.created_at.date() == utcnow().date():
        con = connect_file(source, readonly=True)
        try:
            current = fingerprint(con)
        finally:
            con.close()
        if current == newest.fingerprint:
            return None
    info = create_backup(reason="open")
    rotate()
    return info


def _newest_automatic() -> BackupInfo | None:
    for path in sorted(_automatic_files(paths.backups_dir()), reverse=True):
        try:
            return read_manifest(path)
        except ShopDeskError:
            continue
    return None


def _automatic_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return [p for p in folder.iterdir() if p.is_file() and _NAME.match(p.name)]


def _created_from_name(path: Path) -> datetime:
    stamp = _NAME.match(path.name).group(2)  # type: ignore[union-attr]
    return datetime.strptime(stamp[:15], "%Y%m%dT%H%M%S") + timedelta(milliseconds=int(stamp[15:]))


def rotate(
    folder: Path | None = None,
    *,
    daily: int = KEEP_DAILY,
    weekly: int = KEEP_WEEKLY,
    monthly: int = KEEP_MONTHLY,
    newest: int = KEEP_NEWEST,
) -> list[Path]:
    """Delete automatic full backups beyond the rotation; returns what was removed.

    Keeps the newest backup of each of the last ``daily`` days, ``weekly`` ISO
    weeks and ``monthly`` months that have one, and the ``newest`` latest.
    """
    folder = Path(folder) if folder else paths.backups_dir()
    files = sorted(
        (p for p in _automatic_files(folder) if p.name.startswith("shopdesk-full-")),
        key=_created_from_name,
        reverse=True,
    )
    keep = set(files[:newest])
    for count, key in (
        (daily, lambda d: d.date()),
        (weekly, lambda d: d.isocalendar()[:2]),
        (monthly, lambda d: (d.year, d.month)),
    ):
        seen: dict[object, Path] = {}
        for path in files:
            bucket = key(_created_from_name(path))
            if bucket not in seen and len(seen) < count:
                seen[bucket] = path
        keep.update(seen.values())
    removed = []
    for path in files:
        if path not in keep:
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    _remove_stale_temporaries(folder, ".shopdesk-*.tmp")
    _remove_stale_temporaries(paths.data_dir(), ".restore-*")
    return removed


def _remove_stale_temporaries(folder: Path, pattern: str) -> None:
    """Temporary files left by a backup or restore that was cut off (power cut, kill)."""
    limit = utcnow().timestamp() - 3600
    for path in folder.glob(pattern):
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < limit:
                path.unlink()


# --- reading and checking -----------------------------------------------------


def verify_folder(folder: Path) -> list[tuple[Path, BackupInfo | ShopDeskError]]:
    """Every backup file in a folder with its result; nothing is raised."""
    results: list[tuple[Path, BackupInfo | ShopDeskError]] = []
    for path in backup_files(folder):
        try:
            results.append((path, verify(path)))
        except ShopDeskError as exc:
            results.append((path, exc))
    return results


def backup_files(folder: Path | None = None) -> list[Path]:
    folder = Path(folder) if folder else paths.backups_dir()
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if p.is_file() and p.suffix == SUFFIX]
    shops = folder / "shops"
    if shops.is_dir():
        found += [p for p in shops.iterdir() if p.is_file() and p.suffix == SUFFIX]
    return sorted(found, key=lambda p: p.name)


def list_backups(
    owner: OperatorSession | Session, *, folder: Path | None = None
) -> list[tuple[Path, BackupInfo | ShopDeskError]]:
    """Backups in a folder, newest first. A seller sees only their own shop's;
    the operator sees all (names and dates only, never their contents). Only the
    manifests are read, so listing stays quick; ``verify`` checks every byte."""
    if not isinstance(owner, (OperatorSession, Session)):
        raise AuthError(_("Log in as the operator or as a seller to see backups."))
    results: list[tuple[Path, BackupInfo | ShopDeskError]] = []
    for path in backup_files(folder):
        try:
            info: BackupInfo | ShopDeskError = read_manifest(path, check_seal=False)
        except ShopDeskError as exc:
            info = exc
        if isinstance(owner, Session) and not (
            isinstance(info, BackupInfo) and info.kind == SHOP and info.shop_id == owner.shop_id
        ):
            continue
        results.append((path, info))
    results.sort(
        key=lambda item: item[1].created_at if isinstance(item[1], BackupInfo) else datetime.min,
        reverse=True,
    )
    return results


# --- restore ------------------------------------------------------------------


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
    """A temporary file beside the live database, so ``os.replace`` stays on one drive."""
    try:
        fd, name = tempfile.mkstemp(prefix=".restore-", suffix=".sqlite3", dir=live.parent)
    except OSError as exc:
        raise storage_error(exc, live.parent) from exc
    os.close(fd)
    return Path(name)


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


def _restore_full(op: OperatorSession, path: Path) -> RestoreResult:
    from shopdesk import instance_lock, store
    from shopdesk.store import migrations

    live = paths.database_path()
    with instance_lock.hold(paths.data_dir()):
        work = _restore_work(live)
        try:
            info = _verified_full_copy(path, work)
            safety = create_backup(reason="before-restore")
            restore_media(path, info)
            _stamp_restore(work, op.actor, info, before=safety.name)
            load_into_live(work, live)
        finally:
            with contextlib.suppress(OSError):
                work.unlink()
    if info.schema < migrations.LATEST_VERSION:
        # Upgraded in place (with its own backup first): every thread's
        # connection stays valid and sees the new schema.
        migrations.migrate(store.database, before_upgrade=before_upgrade(live))
    rotate()
    return RestoreResult(info, safety)


def _stamp_restore(target: Path, actor: str, info: BackupInfo, **detail: str) -> None:
    """Write the whole-PC restore into the audit log of the file that is about to come in."""
    con = connect_file(target)
    try:
        con.execute(
            "INSERT INTO audit_log (at, shop_id, actor, action, detail) VALUES (?, NULL, ?, ?, ?)",
            (
                utcnow().isoformat(sep=" "),
                actor,
                "backup.restore",
                json.dumps({"file": info.name, "sha256": info.db_sha256, **detail}, sort_keys=True),
            ),
        )
        con.execute("PRAGMA journal_mode=DELETE")
    finally:
        con.close()


def load_into_live(new_file: Path, live: Path) -> None:
    """Swap the live database's content for a checked copy, atomically.

    SQLite's backup API writes every page of the copy into the live database as
    one write transaction (WAL + ``synchronous=FULL``): a crash or power cut
    before it commits leaves the old content, after it the new one. Unlike an
    ``os.replace`` of the file, it needs no connection closed: other windows
    and commands wait for the lock, then see the restored data; none can go on
    writing into a replaced file and lose its change; stale ``-wal``/``-shm``
    files cannot exist, and it works on Windows, where an open file cannot be
    replaced.
    """
    from shopdesk import store

    try:
        dest = sqlite3.connect(str(live), timeout=30)
        try:
            dest.execute(f"PRAGMA busy_timeout = {store.BUSY_TIMEOUT_MS * 6}")
            page_size = dest.execute("PRAGMA page_size").fetchone()[0]
            src = sqlite3.connect(str(new_file), isolation_level=None)
            try:
                if src.execute("PRAGMA page_size").fetchone()[0] != page_size:
                    # WAL cannot change its page size: rewrite the copy to the live one's.
                    src.execute(f"PRAGMA page_size = {int(page_size)}")
                    src.execute("VACUUM")
                src.backup(dest)
            finally:
                src.close()
        finally:
            dest.close()
    except sqlite3.Error as exc:
        raise store.translate_error(exc) from exc


def _restore_shop(session: Session, path: Path) -> RestoreResult:
    from shopdesk import store
    from shopdesk.store import migrations

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
            upgrade_copy(work)  # an older shop backup takes the same steps as any file
        safety = create_backup(reason="before-restore")
        restore_media(path, info)
        record = {"file": info.name, "sha256": info.db_sha256, "before": safety.name}
        try:
            replace_shop_rows(
                live, work, shop_id=session.shop_id, audit=(session.actor, json.dumps(record))
            )
        except sqlite3.IntegrityError as exc:
            if "UNIQUE" not in str(exc).upper():
                raise DatabaseError(
                    _("The backup does not fit this database; nothing was changed."),
                    detail=str(exc),
                ) from exc
            # A row number of the backup was taken by another shop since (SQLite
            # reuses the number of a deleted newest row): shop rows cannot move.
            raise DatabaseError(
                _(
                    "This backup no longer fits: another shop has since used some of its "
                    "row numbers. Nothing was changed. The operator can restore the whole PC "
                    "from a backup instead."
                ),
                detail=str(exc),
            ) from exc
        except sqlite3.Error as exc:
            raise store.translate_error(exc) from exc
    finally:
        with contextlib.suppress(OSError):
            work.unlink()
    rotate()
    return RestoreResult(info, safety)


def _check_same_shop(session: Session, path: Path, info: BackupInfo, live: Path) -> None:
    """The backup must be of this very shop: same id and same creation time."""
    con = connect_file(live, readonly=True)
    try:
        row = con.execute("SELECT created_at FROM shop WHERE id = ?", (session.shop_id,)).fetchone()
    finally:
        con.close()
    shop = info.shop_created_at
    if info.shop_id != session.shop_id or row is None or str(row[0]) != shop:
        raise AuthError(
            _(
                "{name} is the backup of another shop. It can only be restored into that shop."
            ).format(name=path.name)
        )


# --- the database itself is damaged --------------------------------------------


def live_database_is_damaged(live: Path | None = None) -> bool:
    """True when the live file fails ``integrity_check`` (or is not a database)."""
    live = Path(live or paths.database_path())
    if not live.exists():
        return False
    try:
        con = sqlite3.connect(f"{live.as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            return con.execute("PRAGMA integrity_check").fetchall() != [("ok",)]
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return True


def restore_over_damaged(*, path: Path, password: str, username: str = "admin") -> BackupInfo:
    """Restore a full backup when the live database is too damaged to log in.

    The operator proves the password stored *in the backup* (the damaged file's
    own copy cannot be read). The damaged file is kept beside, renamed, and the
    checked copy takes its place with ``os.replace`` (nothing can be open on a
    file SQLite refuses to read, and the instance lock keeps the app out).
    """
    from shopdesk import instance_lock, store

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
            stamp = _stamp(utcnow())
            kept = live.with_name(f"{live.name}.damaged-{stamp}")
            store.close_database()
            _stamp_restore(work, f"operator:{username}", info, damaged_kept=kept.name)
            try:
                os.replace(live, kept)
                for suffix in ("-wal", "-shm"):
                    side = Path(f"{live}{suffix}")
                    if side.exists():
                        os.replace(side, Path(f"{kept}{suffix}"))
                os.replace(work, live)
                fsync_dir(live.parent)
            except OSError as exc:
                raise storage_error(exc, live) from exc
        finally:
            with contextlib.suppress(OSError):
                work.unlink()
    store.open_database(live, before_upgrade=before_upgrade(live))
    return info


def _check_backup_password(db_file: Path, username: str, password: str) -> None:
    from shopdesk import profiles

    con = connect_file(db_file, readonly=True)
    try:
        row = con.execute(
            "SELECT password_hash FROM operator WHERE username = ?", (username,)
        ).fetchone()
    finally:
        con.close()
    if row is None or not profiles.verify_secret(row[0], password or ""):
        raise AuthError(_("Wrong operator password for this backup."))


__all__ = [
    "DB_MEMBER",
    "FORMAT",
    "FULL",
    "MANIFEST_MEMBER",
    "SHOP",
    "TRAILER_PREFIX",
    "TRAILER_SIZE",
    "BackupInfo",
    "DamagedBackupError",
    "RestoreResult",
    "backup_before",
    "backup_files",
    "backup_now",
    "backup_on_open",
    "create_backup",
    "list_backups",
    "live_database_is_damaged",
    "load_into_live",
    "read_manifest",
    "replace_shop_rows",
    "restore",
    "restore_media",
    "restore_over_damaged",
    "rotate",
    "shop_filters",
    "verify",
    "verify_folder",
]
