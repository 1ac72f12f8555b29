"""The backup file: one sealed ``.zip`` that any zip tool opens.

Members: ``manifest.json`` (kind, schema, shop, size and SHA-256 of the
database and of each photo), ``shopdesk.sqlite3`` and, in manual backups,
``media/photos/...`` and ``media/logos/...``. The zip comment, the last 80
bytes of the file, is ``SHOPDESK-SHA256:<hex>``: the SHA-256 of every byte
before it, so one flipped bit or a truncation anywhere is caught before
anything inside is read. Reading never trusts the file beyond that: sizes
are capped, every member is checked against the manifest, and the database
inside must pass the engine's integrity check. Every failure is a
``DamagedBackupError`` that names the file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from shopdesk import paths
from shopdesk.errors import DatabaseError, StorageError
from shopdesk.i18n import _
from shopdesk.safe_io import (
    CHUNK,
    ZIP_DAMAGE,
    atomic_writer,
    fsync_dir,
    make_folder,
    storage_error,
)
from shopdesk.store import files, migrations

FORMAT = "shopdesk-backup"
FORMAT_VERSION = 1
DB_MEMBER = "shopdesk.sqlite3"
MANIFEST_MEMBER = "manifest.json"
TRAILER_PREFIX = b"SHOPDESK-SHA256:"
TRAILER_SIZE = len(TRAILER_PREFIX) + 64
FULL, SHOP = "full", "shop"
MAX_DB_BYTES = 8 * 1024**3  # refuse a zip that claims more (a decompression bomb)
MAX_MANIFEST_BYTES = 64 * 1024
MEDIA_PREFIX = "media/"
MAX_MEDIA_FILES = 100_000
MAX_MEDIA_BYTES = 64 * 1024 * 1024  # photos are refused above 40 MB when added
MEDIA_NAME = re.compile(r"^(photos|logos)/[A-Za-z0-9][A-Za-z0-9._-]{0,120}$")


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


def require_ok(path: Path) -> None:
    """Refuse to back up a database that fails the engine's quick check."""
    with files.opened(path, readonly=True) as con:
        problems = files.problems(con, quick=True)
    if problems:
        raise DatabaseError(
            _(
                "The database is damaged, so no backup was made of it. "
                "Run “shopdesk doctor” and restore the newest good backup."
            ),
            detail=f"{path}: {problems[:5]}",
        )


def write_archive(
    snapshot: Path,
    destination: Path,
    manifest: dict[str, Any],
    media: dict[str, Path] | None = None,
    *,
    deflate: bool = True,
) -> None:
    """Write the zip to a temporary name beside ``destination``, seal it, fsync, rename.
    ``deflate=False`` stores the database as it is (one that is mostly photos, which
    do not shrink: deflating them costs seconds per 100 MB and saves nothing)."""
    folder = destination.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{destination.name}.", suffix=".tmp", dir=folder)
    tmp: Path | None = Path(tmp_name)
    try:
        with os.fdopen(fd, "w+b") as handle:
            # Level 1: a fifth of the default level's time for a 15 % larger file (a
            # 300 MB shop: ~3 s instead of ~15 s before every import); any unzip reads it.
            with zipfile.ZipFile(
                handle, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1
            ) as archive:
                archive.writestr(MANIFEST_MEMBER, json.dumps(manifest, indent=1, sort_keys=True))
                kind = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
                archive.write(snapshot, DB_MEMBER, compress_type=kind)
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
        os.replace(tmp_name, destination)
        tmp = None
        fsync_dir(folder)
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()


def _hash_prefix(handle: IO[bytes], length: int) -> str:
    digest = hashlib.sha256()
    remaining = length
    while remaining > 0:
        block = handle.read(min(CHUNK, remaining))
        if not block:
            break
        digest.update(block)
        remaining -= len(block)
    return digest.hexdigest()


def sha256_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


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


def _parse_manifest(path: Path, raw: bytes) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(raw.decode("utf-8"))
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
        # a shop backup names its shop; a full one names none (null)
        and isinstance(data.get("shop"), dict if data.get("kind") == SHOP else (dict, type(None)))
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
            MEDIA_NAME.match(name)
            and isinstance(entry, dict)
            and isinstance(entry.get("size"), int)
            and 0 <= entry["size"] <= MAX_MEDIA_BYTES
            and isinstance(entry.get("sha256"), str)
        ):
            raise DamagedBackupError(path, _("its manifest is incomplete"))
    return data


def _info(path: Path, data: dict[str, Any]) -> BackupInfo:
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
    except (*ZIP_DAMAGE, zipfile.LargeZipFile) as exc:  # a flipped "version needed" too
        raise DamagedBackupError(path, _("it is not a complete zip file")) from exc
    except OSError as exc:
        raise storage_error(exc, path) from exc


def read_manifest(path: Path, *, check_seal: bool = True) -> BackupInfo:
    """What a backup says about itself, after checking its seal (no database check).

    ``check_seal=False`` reads only the manifest (its zip CRC still applies): fast
    enough to list many large backups; ``verify`` and every restore check all.
    """
    path = Path(path)
    if check_seal:
        _check_seal(path)
    with _open_zip(path) as archive:
        return _info(path, _read_manifest_member(path, archive))


def _read_manifest_member(path: Path, archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        member = archive.getinfo(MANIFEST_MEMBER)
        if member.file_size > MAX_MANIFEST_BYTES:
            raise DamagedBackupError(path, _("its manifest is too large"))
        raw = archive.read(member)
    except KeyError as exc:
        raise DamagedBackupError(path, _("it has no manifest")) from exc
    except ZIP_DAMAGE as exc:
        raise DamagedBackupError(path, _("its manifest cannot be read")) from exc
    return _parse_manifest(path, raw)


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
    except ZIP_DAMAGE as exc:
        raise DamagedBackupError(path, _("the database inside cannot be unpacked")) from exc
    except OSError as exc:
        raise storage_error(exc, target) from exc
    if written != info.db_size or digest.hexdigest() != info.db_sha256:
        raise DamagedBackupError(path, _("the database inside does not match its checksum"))


_NO_OPERATOR_BUT_SHOPS = (
    "SELECT NOT EXISTS (SELECT 1 FROM operator) AND EXISTS (SELECT 1 FROM shop)"
)


def _check_database(path: Path, info: BackupInfo, target: Path) -> None:
    if not files.has_database_header(target):
        raise DamagedBackupError(path, _("it holds no database"))
    try:
        with files.opened(target, readonly=True) as con:
            problems = files.problems(con)
            schema = files.schema_version(con)
            shops = (
                con.execute("SELECT id FROM shop").fetchall() if info.kind == SHOP else [(None,)]
            )
            # A seller's backup carries no operator; relabelled "full", restoring it
            # would leave the PC with one shop and nobody who can log in.
            one_shop = info.kind == FULL and con.execute(_NO_OPERATOR_BUT_SHOPS).fetchone()[0]
    except files.Error as exc:
        raise DamagedBackupError(
            path, _("the database inside is damaged"), detail=str(exc)
        ) from exc
    if problems:
        raise DamagedBackupError(
            path, _("the database inside is damaged"), detail=str(problems[:5])
        )
    if one_shop:
        raise DamagedBackupError(path, _("it holds one seller's shop, not the whole PC"))
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


def verified_copy(path: Path, target: Path) -> BackupInfo:
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
    out: IO[bytes] | None,
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
    except ZIP_DAMAGE as exc:
        raise DamagedBackupError(path, why) from exc
    if check.hexdigest() != digest:
        raise DamagedBackupError(path, why)


def restore_media(path: Path, info: BackupInfo) -> int:
    """Put back the photos a backup carries that this PC lacks; returns how many.

    Media files are named by their content, so an existing file is never
    overwritten and nothing is deleted.
    """
    written = 0
    root = paths.media_dir()
    with _open_zip(path) as archive:
        for name, size, digest in info.media:
            target = root / name
            if target.is_file() and sha256_file(target) == (digest, size):
                continue
            make_folder(target.parent)
            with atomic_writer(target) as out:
                _copy_member(path, archive, name, size, digest, out)
            written += 1
    return written


def verify(path: Path) -> BackupInfo:
    """Check a backup completely; raise ``DamagedBackupError`` naming the file."""
    with work_dir() as work:
        return verified_copy(Path(path), work / DB_MEMBER)


def _room_for_a_copy(folder: Path) -> bool:
    """Whether the disk of ``folder`` (made or not) holds a copy of the database."""
    try:
        size = paths.database_path().stat().st_size
        existing = next(p for p in (folder, *folder.parents) if p.exists())
        return shutil.disk_usage(existing).free > 2 * size + 1024 * 1024
    except (OSError, StopIteration):
        return True  # nothing known: try the data folder, as ever


@contextlib.contextmanager
def work_dir() -> Iterator[Path]:
    """A private temporary folder for snapshots, in the data folder when possible:
    when its disk has no room for a copy of the database (a full disk), in the
    system's temporary folder, so that checks and backups to another drive go on."""
    base = paths.cache_dir()
    folder = None
    if _room_for_a_copy(base):
        with contextlib.suppress(OSError):
            base.mkdir(parents=True, exist_ok=True)
            folder = Path(tempfile.mkdtemp(prefix="backup-", dir=base))
    if folder is None:
        folder = Path(tempfile.mkdtemp(prefix="shopdesk-backup-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
