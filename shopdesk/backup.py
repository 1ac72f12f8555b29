"""Backups, restore and verify.

A backup is one ``.zip`` file that any zip tool opens: ``shopdesk.sqlite3``
(a snapshot taken with SQLite's online backup API, never a copy of the live
file) and ``manifest.json`` (kind, schema, shop, size and SHA-256 of the
database). The zip comment, the last 80 bytes of the file, holds
``SHOPDESK-SHA256:<hex>``: the SHA-256 of every byte before it, so one flipped
bit or a truncation anywhere is caught before anything is read.

Two kinds:

* **full** (the operator's, and the automatic ones): every seller;
* **shop** (a seller's own): only that shop's rows, exported into a fresh
  database built by the app's migrations, without PIN or recovery hashes.
  It can be restored only into that same shop, as that seller.

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
import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from shopdesk import __version__, paths
from shopdesk.clock import utcnow
from shopdesk.errors import AuthError, DatabaseError, ShopDeskError, StorageError, ValidationError
from shopdesk.i18n import _
from shopdesk.profiles import OperatorSession, Session
from shopdesk.safe_io import CHUNK, fsync_dir, storage_error

FORMAT = "shopdesk-backup"
FORMAT_VERSION = 1
DB_MEMBER = "shopdesk.sqlite3"
MANIFEST_MEMBER = "manifest.json"
TRAILER_PREFIX = b"SHOPDESK-SHA256:"
TRAILER_SIZE = len(TRAILER_PREFIX) + 64
SUFFIX = ".zip"
FULL, SHOP = "full", "shop"
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY, KEEP_NEWEST = 7, 4, 12, 5
MAX_DB_BYTES = 8 * 1024**3  # refuse a zip that claims more (a decompression bomb)
MAX_MANIFEST_BYTES = 64 * 1024
MEDIA_PREFIX = "media/"
MAX_MEDIA_FILES = 100_000
MAX_MEDIA_BYTES = 64 * 1024 * 1024  # photos are refused above 40 MB when added
_MEDIA_NAME = re.compile(r"^(photos|logos)/[A-Za-z0-9][A-Za-z0-9._-]{0,120}$")
_NAME = re.compile(r"^shopdesk-(full|shop)-(\d{8}T\d{9})Z-([a-z0-9.-]{1,40})(?:-\d+)?\.zip$")
# Tables a shop backup never carries; "seller" is carried without secrets.
_PC_TABLES = {"operator"}


class DamagedBackupError(StorageError):
    """A backup file that fails a check; ``path`` names it."""

    def __init__(self, path: Path, why: str, *, detail: str | None = None) -> None:
        message = _("The backup {path} is damaged ({why}). Use another backup.").format(
            path=path, why=why
        )
        super().__init__(message, detail=detail)
        self.path = Path(path)


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    kind: str  # "full" or "shop"
    reason: str  # "open", "manual", "before-import", ...
    created_at: datetime  # UTC
    schema: int
    shop_id: int | None
    shop_name: str
    db_size: int
    db_sha256: str
    fingerprint: str
    shop_created_at: str = ""
    media: tuple[tuple[str, int, str], ...] = ()  # (kind/name, size, sha256)

    @property
    def name(self) -> str:
        return self.path.name


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


def _connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    if readonly:
        return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=5)
    return sqlite3.connect(str(path), timeout=5, isolation_level=None)


def _table_names(con: sqlite3.Connection, schema: str = "main") -> list[str]:
    rows = con.execute(
        f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' "
        "AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
    )
    return [r[0] for r in rows]


def _columns(con: sqlite3.Connection, table: str, schema: str = "main") -> list[str]:
    return [r[1] for r in con.execute(f'PRAGMA {schema}.table_info("{table}")')]


def fingerprint(con: sqlite3.Connection) -> str:
    """A cheap summary that changes when rows are added, removed or edited.

    Counts and highest ids of every table, plus the newest time stamps of
    tables that carry one; used to skip the backup on opening when nothing changed.
    """
    parts = [str(con.execute("PRAGMA user_version").fetchone()[0])]
    for table in _table_names(con):
        columns = _columns(con, table)
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
    src = _connect(source)
    try:
        dest = sqlite3.connect(str(target))
        try:
            src.backup(dest)
            dest.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            _require_ok(dest, target)
        finally:
            dest.close()
    finally:
        src.close()


def _require_ok(con: sqlite3.Connection, path: Path) -> None:
    rows = con.execute("PRAGMA quick_check").fetchall()
    if rows != [("ok",)]:
        raise DatabaseError(
            _(
                "The database is damaged, so no backup was made of it. "
                "Run “shopdesk doctor” and restore the newest good backup."
            ),
            detail=f"{path}: {rows[:5]}",
        )


def shop_filters(con: sqlite3.Connection, schema: str = "main") -> dict[str, str]:
    """For each table holding a shop's rows, the WHERE that selects them.

    Tables with ``shop_id`` filter on it; tables without one (sale lines, count
    lines) follow their foreign key to a table that has it. ``{src}`` stands for
    the schema the filter runs against; ``:shop`` is the shop's id. Tables of
    the whole PC (the operator, PC-wide settings) are never selected.
    """
    tables = [t for t in _table_names(con, schema) if t not in _PC_TABLES]
    filters: dict[str, str] = {}
    for table in tables:
        if table == "shop":
            filters[table] = "id = :shop"
        elif "shop_id" in _columns(con, table, schema):
            filters[table] = "shop_id = :shop"
    changed = True
    while changed:
        changed = False
        for table in tables:
            if table in filters:
                continue
            for fk in con.execute(f'PRAGMA {schema}.foreign_key_list("{table}")'):
                parent, column, target = fk[2], fk[3], fk[4] or "id"
                if parent in filters and parent != table:
                    filters[table] = (
                        f'"{column}" IN (SELECT "{target}" FROM {{src}}."{parent}" '
                        f"WHERE {filters[parent]})"
                    )
                    changed = True
                    break
    return filters


def _export_shop(source: Path, target: Path, shop_id: int) -> None:
    """Copy one shop's rows into a fresh database built by the app's migrations."""
    import peewee

    from shopdesk import migrations

    fresh = peewee.SqliteDatabase(str(target))
    fresh.connect()
    try:
        migrations.migrate(fresh)
    finally:
        fresh.close()
    con = _connect(target)
    try:
        con.execute("ATTACH DATABASE ? AS live", (str(source),))
        con.execute("BEGIN")
        live_filters = shop_filters(con, "live")
        for table in _table_names(con):
            where = live_filters.get(table)
            if where is None:
                continue
            cols = ", ".join(
                f'"{c}"' for c in _columns(con, table) if c in set(_columns(con, table, "live"))
            )
            con.execute(
                f'INSERT INTO main."{table}" ({cols}) SELECT {cols} FROM live."{table}" '
                f"WHERE {where.format(src='live')}",
                {"shop": shop_id},
            )
        # The backup travels on sticks: no PIN or recovery hash leaves the PC.
        con.execute(
            "UPDATE main.seller SET pin_hash = '', recovery_hash = '', failed_attempts = 0, "
            "next_attempt_at = NULL"
        )
        con.execute("COMMIT")
        con.execute("DETACH DATABASE live")
        con.execute("VACUUM")
        _require_ok(con, target)
    finally:
        con.close()


def _write_archive(
    snapshot: Path, destination: Path, manifest: dict, media: dict[str, Path] | None = None
) -> None:
    """Write the zip to a temporary name beside ``destination``, seal it, fsync, rename."""
    folder = destination.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{destination.name}.", suffix=".tmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w+b") as handle:
            with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                archive.writestr(MANIFEST_MEMBER, json.dumps(manifest, indent=1, sort_keys=True))
                archive.write(snapshot, DB_MEMBER)
                for name, source in sorted((media or {}).items()):
                    # Photos are compressed already; storing them costs no space.
                    archive.write(source, MEDIA_PREFIX + name, compress_type=zipfile.ZIP_STORED)
                archive.comment = TRAILER_PREFIX + b"0" * 64
            handle.flush()
            size = handle.seek(0, os.SEEK_END)
            handle.seek(0)
            digest = _hash_prefix(handle, size - TRAILER_SIZE)
            handle.seek(size - TRAILER_SIZE)
            handle.write(TRAILER_PREFIX + digest.encode("ascii"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, destination)
        tmp = None
        fsync_dir(folder)
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()


def _hash_prefix(handle, length: int) -> str:
    digest = hashlib.sha256()
    remaining = length
    while remaining > 0:
        block = handle.read(min(CHUNK, remaining))
        if not block:
            break
        digest.update(block)
        remaining -= len(block)
    return digest.hexdigest()


def _sha256_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


@contextlib.contextmanager
def _work_dir() -> Iterator[Path]:
    """A private temporary folder for snapshots, in the data folder when possible."""
    base = paths.cache_dir()
    try:
        base.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix="backup-", dir=base))
    except OSError:
        folder = Path(tempfile.mkdtemp(prefix="shopdesk-backup-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


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
    with _work_dir() as work:
        snapshot = work / DB_MEMBER
        try:
            if kind == FULL:
                _snapshot(source, snapshot)
            else:
                _export_shop(source, snapshot, shop_id or 0)
        except sqlite3.Error as exc:
            from shopdesk.db import translate_error

            raise translate_error(exc) from exc
        except OSError as exc:
            raise storage_error(exc, work) from exc
        con = _connect(snapshot, readonly=True)
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
            _write_archive(snapshot, destination, manifest, {n: v[0] for n, v in files.items()})
        except OSError as exc:
            raise storage_error(exc, destination) from exc
    # Read it back from the drive before saying it is safe.
    return verify(destination)


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


def backup_now(owner: OperatorSession | Session, *, folder: Path | None = None) -> BackupInfo:
    """On demand: the operator's holds every seller, a seller's holds only their shop.

    The file is written to ``folder`` (a USB stick, say) or the backups folder,
    read back and verified before this returns.
    """
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
    from shopdesk import audit, db

    with db.transaction():
        audit.record(action, actor=actor, shop_id=shop_id, **detail)


def backup_on_open() -> BackupInfo | None:
    """The backup made when the app opens: skipped when today's newest already
    holds exactly the current data. Returns the new backup, or None."""
    source = paths.database_path()
    if not source.exists():
        return None
    newest = _newest_automatic()
    if newest is not None and newest.created_at.date() == utcnow().date():
        con = _connect(source, readonly=True)
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


def _check_seal(path: Path) -> None:
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            if size < TRAILER_SIZE + 22:
                raise DamagedBackupError(path, _("the file is cut short"))
            handle.seek(size - TRAILER_SIZE)
            trailer = handle.read(TRAILER_SIZE)
            if not trailer.startswith(TRAILER_PREFIX):
                raise DamagedBackupError(path, _("the end of the file is missing"))
            handle.seek(0)
            actual = _hash_prefix(handle, size - TRAILER_SIZE)
    except FileNotFoundError as exc:
        raise StorageError(
            _("The backup {path} does not exist. Check the name or plug the stick in.").format(
                path=path
            )
        ) from exc
    except OSError as exc:
        raise storage_error(exc, path) from exc
    if trailer[len(TRAILER_PREFIX) :] != actual.encode("ascii"):
        raise DamagedBackupError(path, _("the checksum does not match"))


def _parse_manifest(path: Path, raw: bytes) -> dict:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise DamagedBackupError(path, _("its manifest cannot be read")) from exc
    checks = (
        isinstance(data, dict)
        and data.get("format") == FORMAT
        and isinstance(data.get("format_version"), int)
        and data.get("kind") in (FULL, SHOP)
        and isinstance(data.get("schema"), int)
        and isinstance(data.get("db"), dict)
        and isinstance(data["db"].get("size"), int)
        and isinstance(data["db"].get("sha256"), str)
        and isinstance(data.get("created_at"), str)
        and (data.get("kind") == FULL or isinstance(data.get("shop"), dict))
    )
    if not checks:
        raise DamagedBackupError(path, _("its manifest is incomplete"))
    if data["format_version"] > FORMAT_VERSION:
        raise DamagedBackupError(path, _("it was made by a newer ShopDesk"))
    if data["kind"] == SHOP and not isinstance(data["shop"].get("id"), int):
        raise DamagedBackupError(path, _("its manifest is incomplete"))
    media = data.get("media", {})
    if not isinstance(media, dict) or len(media) > MAX_MEDIA_FILES:
        raise DamagedBackupError(path, _("its manifest is incomplete"))
    for name, entry in media.items():
        if not (
            _MEDIA_NAME.match(name)
            and isinstance(entry, dict)
            and isinstance(entry.get("size"), int)
            and 0 <= entry["size"] <= MAX_MEDIA_BYTES
            and isinstance(entry.get("sha256"), str)
        ):
            raise DamagedBackupError(path, _("its manifest is incomplete"))
    return data


def _info(path: Path, data: dict) -> BackupInfo:
    shop = data.get("shop") or {}
    try:
        created = datetime.fromisoformat(data["created_at"])
    except ValueError as exc:
        raise DamagedBackupError(path, _("its manifest is incomplete")) from exc
    return BackupInfo(
        path=path,
        kind=data["kind"],
        reason=str(data.get("reason", "")),
        created_at=created,
        schema=data["schema"],
        shop_id=shop.get("id"),
        shop_name=str(shop.get("name", "")),
        db_size=data["db"]["size"],
        db_sha256=data["db"]["sha256"],
        fingerprint=str(data.get("fingerprint", "")),
        shop_created_at=str(shop.get("created_at", "")),
        media=tuple(
            (name, entry["size"], entry["sha256"])
            for name, entry in sorted(data.get("media", {}).items())
        ),
    )


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise DamagedBackupError(path, _("it is not a complete zip file")) from exc
    except OSError as exc:
        raise storage_error(exc, path) from exc


def read_manifest(path: Path) -> BackupInfo:
    """What a backup says about itself, after checking its seal (no database check)."""
    path = Path(path)
    _check_seal(path)
    with _open_zip(path) as archive:
        return _info(path, _read_manifest_member(path, archive))


def _read_manifest_member(path: Path, archive: zipfile.ZipFile) -> dict:
    try:
        member = archive.getinfo(MANIFEST_MEMBER)
        if member.file_size > MAX_MANIFEST_BYTES:
            raise DamagedBackupError(path, _("its manifest is too large"))
        raw = archive.read(member)
    except KeyError as exc:
        raise DamagedBackupError(path, _("it has no manifest")) from exc
    except (zipfile.BadZipFile, ValueError, EOFError, zlib_error(), NotImplementedError) as exc:
        raise DamagedBackupError(path, _("its manifest cannot be read")) from exc
    return _parse_manifest(path, raw)


def zlib_error() -> type[Exception]:
    import zlib

    return zlib.error


def _extract_database(path: Path, archive: zipfile.ZipFile, info: BackupInfo, target: Path) -> None:
    try:
        member = archive.getinfo(DB_MEMBER)
    except KeyError as exc:
        raise DamagedBackupError(path, _("it holds no database")) from exc
    if member.file_size != info.db_size or info.db_size > MAX_DB_BYTES:
        raise DamagedBackupError(path, _("the database has the wrong size"))
    digest = hashlib.sha256()
    written = 0
    try:
        with archive.open(member) as src, open(target, "wb") as out:
            while block := src.read(CHUNK):
                written += len(block)
                if written > info.db_size:
                    raise DamagedBackupError(path, _("the database has the wrong size"))
                digest.update(block)
                out.write(block)
    except (zipfile.BadZipFile, EOFError, zlib_error(), NotImplementedError, ValueError) as exc:
        raise DamagedBackupError(path, _("the database inside cannot be unpacked")) from exc
    except OSError as exc:
        raise storage_error(exc, target) from exc
    if written != info.db_size or digest.hexdigest() != info.db_sha256:
        raise DamagedBackupError(path, _("the database inside does not match its checksum"))


def _check_database(path: Path, info: BackupInfo, target: Path) -> None:
    from shopdesk import migrations
    from shopdesk.db import SQLITE_MAGIC

    with open(target, "rb") as handle:
        if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise DamagedBackupError(path, _("it holds no database"))
    try:
        con = _connect(target, readonly=True)
        try:
            rows = con.execute("PRAGMA integrity_check").fetchall()
            schema = int(con.execute("PRAGMA user_version").fetchone()[0])
            shops = (
                con.execute("SELECT id FROM shop").fetchall() if info.kind == SHOP else [(None,)]
            )
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise DamagedBackupError(
            path, _("the database inside is damaged"), detail=str(exc)
        ) from exc
    if rows != [("ok",)]:
        raise DamagedBackupError(path, _("the database inside is damaged"), detail=str(rows[:5]))
    if schema != info.schema:
        raise DamagedBackupError(path, _("its manifest is incomplete"))
    if schema > migrations.LATEST_VERSION:
        raise DatabaseError(
            _(
                "The backup {path} was made by a newer ShopDesk (schema {found}, this app "
                "knows {known}). Install the newer ShopDesk to restore it."
            ).format(path=path, found=schema, known=migrations.LATEST_VERSION)
        )
    if info.kind == SHOP and shops != [(info.shop_id,)]:
        raise DamagedBackupError(path, _("it holds other shops than its manifest says"))


def _verified_copy(path: Path, target: Path) -> BackupInfo:
    """Check everything and leave the database inside at ``target``."""
    path = Path(path)
    _check_seal(path)
    with _open_zip(path) as archive:
        info = _info(path, _read_manifest_member(path, archive))
        _extract_database(path, archive, info, target)
        for name, size, digest in info.media:
            _copy_member(path, archive, name, size, digest, None)
    _check_database(path, info, target)
    return info


def _copy_member(
    path: Path,
    archive: zipfile.ZipFile,
    name: str,
    size: int,
    digest: str,
    out,
) -> None:
    """Stream one photo out of the backup, checking its size and SHA-256."""
    why = _("the photo {name} inside is damaged").format(name=name)
    try:
        member = archive.getinfo(MEDIA_PREFIX + name)
        if member.file_size != size:
            raise DamagedBackupError(path, why)
        check = hashlib.sha256()
        with archive.open(member) as src:
            while block := src.read(CHUNK):
                check.update(block)
                if out is not None:
                    out.write(block)
    except KeyError as exc:
        raise DamagedBackupError(path, why) from exc
    except (zipfile.BadZipFile, EOFError, zlib_error(), NotImplementedError, ValueError) as exc:
        raise DamagedBackupError(path, why) from exc
    if check.hexdigest() != digest:
        raise DamagedBackupError(path, why)


def restore_media(path: Path, info: BackupInfo) -> int:
    """Put back the photos a backup carries that this PC lacks; returns how many.

    Media files are named by their content, so an existing file is never
    overwritten and nothing is deleted.
    """
    from shopdesk.safe_io import atomic_writer

    written = 0
    root = paths.media_dir()
    with _open_zip(path) as archive:
        for name, size, digest in info.media:
            target = root / name
            if target.is_file() and _sha256_file(target) == (digest, size):
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with atomic_writer(target) as out:
                _copy_member(path, archive, name, size, digest, out)
            written += 1
    return written


def verify(path: Path) -> BackupInfo:
    """Check a backup completely; raise ``DamagedBackupError`` naming the file."""
    with _work_dir() as work:
        return _verified_copy(Path(path), work / DB_MEMBER)


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
    the operator sees all (names and dates only, never their contents)."""
    if not isinstance(owner, (OperatorSession, Session)):
        raise AuthError(_("Log in as the operator or as a seller to see backups."))
    results: list[tuple[Path, BackupInfo | ShopDeskError]] = []
    for path in backup_files(folder):
        try:
            info: BackupInfo | ShopDeskError = read_manifest(path)
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
    fd, name = tempfile.mkstemp(prefix=".restore-", suffix=".sqlite3", dir=live.parent)
    os.close(fd)
    return Path(name)


def _restore_full(op: OperatorSession, path: Path) -> RestoreResult:
    from shopdesk import db, instance_lock

    live = paths.database_path()
    with instance_lock.hold(paths.data_dir()):
        try:
            work = _restore_work(live)
        except OSError as exc:
            raise storage_error(exc, live.parent) from exc
        try:
            info = _verified_copy(path, work)
            if info.kind != FULL:
                raise ValidationError(
                    _(
                        "{name} is one seller's backup. Log in as that seller to restore "
                        "their shop; the operator restores backups of the whole PC."
                    ).format(name=path.name)
                )
            safety = create_backup(reason="before-restore")
            restore_media(path, info)
            _stamp_restore(work, op.actor, None, info, safety)
            load_into_live(work, live)
        finally:
            with contextlib.suppress(OSError):
                work.unlink()
    if info.schema < migrations_latest():
        db.close_database()  # reopening upgrades it, with its own backup first
        db.open_database()
    rotate()
    return RestoreResult(info, safety)


def migrations_latest() -> int:
    from shopdesk import migrations

    return migrations.LATEST_VERSION


def _stamp_restore(
    target: Path, actor: str, shop_id: int | None, info: BackupInfo, safety: BackupInfo
) -> None:
    """Write the restore into the audit log of the file that is about to come in."""
    con = _connect(target)
    try:
        con.execute(
            "INSERT INTO audit_log (at, shop_id, actor, action, detail) VALUES (?, ?, ?, ?, ?)",
            (
                utcnow().isoformat(sep=" "),
                shop_id,
                actor,
                "backup.restore",
                json.dumps(
                    {"file": info.name, "sha256": info.db_sha256, "before": safety.name},
                    sort_keys=True,
                ),
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
    from shopdesk import db

    try:
        dest = sqlite3.connect(str(live), timeout=30)
        try:
            dest.execute(f"PRAGMA busy_timeout = {db.BUSY_TIMEOUT_MS * 6}")
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
        raise db.translate_error(exc) from exc


def _restore_shop(session: Session, path: Path) -> RestoreResult:
    from shopdesk import db

    live = paths.database_path()
    try:
        work = _restore_work(live)
    except OSError as exc:
        raise storage_error(exc, live.parent) from exc
    try:
        info = _verified_copy(path, work)
        if info.kind != SHOP:
            raise AuthError(
                _("{name} is a backup of the whole PC. Only the operator can restore it.").format(
                    name=path.name
                )
            )
        _check_same_shop(session, path, info, live)
        safety = create_backup(reason="before-restore")
        restore_media(path, info)
        try:
            replace_shop_rows(live, work, shop_id=session.shop_id)
        except sqlite3.IntegrityError as exc:
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
            raise db.translate_error(exc) from exc
        _audit(
            session.actor,
            session.shop_id,
            "backup.restore",
            file=info.name,
            sha256=info.db_sha256,
            before=safety.name,
        )
    finally:
        with contextlib.suppress(OSError):
            work.unlink()
    rotate()
    return RestoreResult(info, safety)


def _check_same_shop(session: Session, path: Path, info: BackupInfo, live: Path) -> None:
    """The backup must be of this very shop: same id and same creation time."""
    con = _connect(live, readonly=True)
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


def replace_shop_rows(live: Path, backup_db: Path, *, shop_id: int) -> None:
    """Replace one shop's rows by those of a checked shop backup, in one transaction.

    The documented exception to the append-only rule: the shop's ledger rows are
    replaced, so the triggers that refuse DELETE on them are dropped and created
    again *inside* the same transaction (a failure rolls both back). Foreign keys
    are switched off for the swap (SQLite cannot defer RESTRICT) and
    ``PRAGMA foreign_key_check`` must be clean before COMMIT. The seller's PIN,
    the audit log (kept whole, never rewritten) and every other shop are untouched,
    and a row of the backup that points into another shop aborts the restore.
    """
    con = _connect(live)
    try:
        con.execute("PRAGMA busy_timeout = 5000")
        con.execute("PRAGMA foreign_keys = OFF")
        con.execute("ATTACH DATABASE ? AS bk", (f"{backup_db.as_uri()}?mode=ro",))
        con.execute("BEGIN IMMEDIATE")
        try:
            _replace_rows(con, shop_id)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("DETACH DATABASE bk")
    finally:
        con.close()


# Kept as they are: credentials and login counters, and the audit log.
_KEEP_ON_RESTORE = {"seller", "audit_log"}


def _replace_rows(con: sqlite3.Connection, shop_id: int) -> None:
    params = {"shop": shop_id}
    filters = shop_filters(con, "main")
    tables = [t for t in filters if t not in _KEEP_ON_RESTORE and t != "shop"]
    # Only the triggers that refuse changes (append-only ledger); those that keep
    # the search index up to date must keep firing.
    triggers = con.execute(
        "SELECT name, sql FROM main.sqlite_master WHERE type = 'trigger' AND sql LIKE '%RAISE(%' "
        f"AND tbl_name IN ({', '.join('?' for _t in tables)})",
        tables,
    ).fetchall()
    for name, _sql in triggers:
        con.execute(f'DROP TRIGGER main."{name}"')
    backup_tables = set(_table_names(con, "bk"))
    # Children first, so each subquery filter still finds its parent rows.
    for table in reversed(tables):
        con.execute(f'DELETE FROM main."{table}" WHERE {filters[table].format(src="main")}', params)
    for table in tables:
        if table not in backup_tables:
            continue
        backup_columns = set(_columns(con, table, "bk"))
        cols = ", ".join(f'"{c}"' for c in _columns(con, table) if c in backup_columns)
        con.execute(
            f'INSERT INTO main."{table}" ({cols}) SELECT {cols} FROM bk."{table}" '
            f"WHERE {filters[table].format(src='bk')}",
            params,
        )
    shop_cols = [c for c in _columns(con, "shop") if c not in ("id", "created_at")]
    shop_cols = [c for c in shop_cols if c in set(_columns(con, "shop", "bk"))]
    names = ", ".join(f'"{c}"' for c in shop_cols)
    con.execute(
        f"UPDATE main.shop SET ({names}) = (SELECT {names} FROM bk.shop WHERE id = :shop) "
        "WHERE id = :shop",
        params,
    )
    for _name, sql in triggers:
        con.execute(sql)
    _refuse_foreign_links(con, filters, shop_id)
    problems = con.execute("PRAGMA main.foreign_key_check").fetchall()
    if problems:
        raise DatabaseError(
            _("The backup does not fit this database; nothing was changed."),
            detail=str(problems[:5]),
        )


def _refuse_foreign_links(con: sqlite3.Connection, filters: dict[str, str], shop_id: int) -> None:
    """A restored row may only point at rows of the same shop."""
    owned = {t for t in filters if "shop_id" in _columns(con, t)}
    for table in filters:
        for fk in con.execute(f'PRAGMA main.foreign_key_list("{table}")'):
            parent, column, target = fk[2], fk[3], fk[4] or "id"
            if parent not in owned and parent != "shop":
                continue
            parent_shop = "id" if parent == "shop" else "shop_id"
            where = filters[table].format(src="main")
            found = con.execute(
                f'SELECT 1 FROM main."{table}" AS c JOIN main."{parent}" AS p '
                f'ON c."{column}" = p."{target}" WHERE p."{parent_shop}" != :shop AND c.rowid IN '
                f'(SELECT rowid FROM main."{table}" WHERE {where}) LIMIT 1',
                {"shop": shop_id},
            ).fetchone()
            if found:
                raise DatabaseError(
                    _("The backup points at another shop's data; nothing was changed."),
                    detail=f"{table}.{column}",
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
    from shopdesk import db, instance_lock

    path = Path(path)
    live = paths.database_path()
    if not live_database_is_damaged(live):
        raise ValidationError(
            _("The database is not damaged. Log in as the operator to restore a backup.")
        )
    with instance_lock.hold(paths.data_dir()):
        try:
            work = _restore_work(live)
        except OSError as exc:
            raise storage_error(exc, live.parent) from exc
        try:
            info = _verified_copy(path, work)
            if info.kind != FULL:
                raise ValidationError(
                    _(
                        "{name} is one seller's backup. Log in as that seller to restore "
                        "their shop; the operator restores backups of the whole PC."
                    ).format(name=path.name)
                )
            _check_backup_password(work, username, password)
            restore_media(path, info)
            stamp = _stamp(utcnow())
            kept = live.with_name(f"{live.name}.damaged-{stamp}")
            db.close_database()
            _stamp_restore_damaged(work, username, info, kept)
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
    db.open_database()
    return info


def _check_backup_password(db_file: Path, username: str, password: str) -> None:
    from shopdesk import profiles

    con = _connect(db_file, readonly=True)
    try:
        row = con.execute(
            "SELECT password_hash FROM operator WHERE username = ?", (username,)
        ).fetchone()
    finally:
        con.close()
    if row is None or not profiles._verify(row[0], password or ""):
        raise AuthError(_("Wrong operator password for this backup."))


def _stamp_restore_damaged(target: Path, username: str, info: BackupInfo, kept: Path) -> None:
    con = _connect(target)
    try:
        con.execute(
            "INSERT INTO audit_log (at, shop_id, actor, action, detail) VALUES (?, NULL, ?, ?, ?)",
            (
                utcnow().isoformat(sep=" "),
                f"operator:{username}",
                "backup.restore",
                json.dumps(
                    {"file": info.name, "sha256": info.db_sha256, "damaged_kept": kept.name},
                    sort_keys=True,
                ),
            ),
        )
        con.execute("PRAGMA journal_mode=DELETE")
    finally:
        con.close()
