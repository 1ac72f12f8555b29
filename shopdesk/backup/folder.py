"""The backups folder: how backups are named, listed, checked in bulk and rotated.

A backup's name says its kind, its UTC time to the millisecond and its reason:
``shopdesk-full-20261129T080000000Z-open.zip``. Automatic full backups are
rotated: 7 daily, 4 weekly and 12 monthly are kept, plus the newest few
whatever their age. A seller's own backups go to ``shops/`` inside the folder.
"""

from __future__ import annotations

import contextlib
import re
from datetime import datetime, timedelta
from pathlib import Path

from shopdesk import paths, store
from shopdesk.backup import workfiles
from shopdesk.backup.archive import SHOP, BackupInfo, read_manifest, verify
from shopdesk.clock import utcnow
from shopdesk.errors import AuthError, ShopDeskError
from shopdesk.i18n import _
from shopdesk.profiles import OperatorSession, Session

SUFFIX = ".zip"
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY, KEEP_NEWEST = 7, 4, 12, 5
_NAME = re.compile(r"^shopdesk-(full|shop)-(\d{8}T\d{9})Z-([a-z0-9.-]{1,40})(?:-\d+)?\.zip$")


# --- names -------------------------------------------------------------------


def stamp(moment: datetime) -> str:
    """``moment`` as names carry it: ``20261129T080000123`` (to the millisecond)."""
    return moment.strftime("%Y%m%dT%H%M%S") + f"{moment.microsecond // 1000:03d}"


def free_name(folder: Path, kind: str, reason: str, moment: datetime) -> Path:
    """A name in ``folder`` that no file has yet (``-2``, ``-3`` ... when taken)."""
    base = f"shopdesk-{kind}-{stamp(moment)}Z-{reason}"
    candidate = folder / f"{base}{SUFFIX}"
    number = 1
    while candidate.exists():
        number += 1
        candidate = folder / f"{base}-{number}{SUFFIX}"
    return candidate


def automatic_files(folder: Path) -> list[Path]:
    """The files in ``folder`` named as this app names backups."""
    if not folder.is_dir():
        return []
    return [p for p in folder.iterdir() if p.is_file() and _NAME.match(p.name)]


def _created_from_name(path: Path) -> datetime:
    found = _NAME.match(path.name)
    assert found is not None  # only names automatic_files matched come here
    moment = found.group(2)
    return datetime.strptime(moment[:15], "%Y%m%dT%H%M%S") + timedelta(
        milliseconds=int(moment[15:])
    )


# --- rotation ----------------------------------------------------------------


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
        (p for p in automatic_files(folder) if p.name.startswith("shopdesk-full-")),
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
    workfiles.remove_leftovers(paths.data_dir())
    return removed


def _remove_stale_temporaries(folder: Path, pattern: str) -> None:
    """Temporary files left by a backup or restore that was cut off (power cut, kill)."""
    limit = utcnow().timestamp() - 3600
    for path in folder.glob(pattern):
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < limit:
                path.unlink()


# --- listing and checking ------------------------------------------------------


def backup_files(folder: Path | None = None) -> list[Path]:
    folder = Path(folder) if folder else paths.backups_dir()
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if p.is_file() and p.suffix == SUFFIX]
    shops = folder / "shops"
    if shops.is_dir():
        found += [p for p in shops.iterdir() if p.is_file() and p.suffix == SUFFIX]
    return sorted(found, key=lambda p: p.name)


def verify_folder(folder: Path) -> list[tuple[Path, BackupInfo | ShopDeskError]]:
    """Every backup file in a folder with its result; nothing is raised."""
    results: list[tuple[Path, BackupInfo | ShopDeskError]] = []
    for path in backup_files(folder):
        try:
            results.append((path, verify(path)))
        except ShopDeskError as exc:
            results.append((path, exc))
    return results


@store.follows_session
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
