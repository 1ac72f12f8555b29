"""Verified backups: create, rotate, list and restore (seller or whole PC).

``archive`` is the sealed zip format and its checks; ``rows`` copies one
shop's rows in and out; ``folder`` names, lists and rotates the backups;
``create`` makes them and ``restore`` puts them back, through work files that
``workfiles`` makes and, when a restore was cut off, removes. Raw work on the
database files (snapshots, checks, page copies) is ``store.files``'.

Each name loads its module when first used: opening the data at every start needs
only ``remove_restore_leftovers``, not the zip, rows and restore code (~40 ms).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shopdesk import lazy_faces

if TYPE_CHECKING:
    from shopdesk.backup import archive, rows
    from shopdesk.backup.archive import (
        DB_MEMBER,
        FORMAT,
        FULL,
        MANIFEST_MEMBER,
        TRAILER_PREFIX,
        TRAILER_SIZE,
        BackupInfo,
        DamagedBackupError,
        verify,
    )
    from shopdesk.backup.create import (
        backup_before,
        backup_now,
        backup_on_open,
        before_upgrade,
        reason_label,
    )
    from shopdesk.backup.folder import (
        KEEP_NEWEST,
        backup_files,
        list_backups,
        rotate,
        verify_folder,
    )
    from shopdesk.backup.restore import (
        RestoreResult,
        live_database_is_damaged,
        restore,
        restore_over_damaged,
    )
    from shopdesk.backup.workfiles import remove_leftovers as remove_restore_leftovers

# name -> (module, name in it); "" for the module itself
_WHERE = {
    **{n: ("archive", n) for n in ("DB_MEMBER", "FORMAT", "FULL", "MANIFEST_MEMBER")},
    **{n: ("archive", n) for n in ("TRAILER_PREFIX", "TRAILER_SIZE", "BackupInfo")},
    **{n: ("archive", n) for n in ("DamagedBackupError", "verify")},
    **{n: ("create", n) for n in ("backup_before", "backup_now", "backup_on_open")},
    **{n: ("create", n) for n in ("before_upgrade", "reason_label")},
    **{n: ("folder", n) for n in ("KEEP_NEWEST", "backup_files", "list_backups", "rotate")},
    "verify_folder": ("folder", "verify_folder"),
    **{n: ("restore", n) for n in ("RestoreResult", "live_database_is_damaged", "restore")},
    "restore_over_damaged": ("restore", "restore_over_damaged"),
    "remove_restore_leftovers": ("workfiles", "remove_leftovers"),
    "archive": ("archive", ""),
    "rows": ("rows", ""),
}

__all__ = [
    "DB_MEMBER",
    "FORMAT",
    "FULL",
    "KEEP_NEWEST",
    "MANIFEST_MEMBER",
    "TRAILER_PREFIX",
    "TRAILER_SIZE",
    "BackupInfo",
    "DamagedBackupError",
    "RestoreResult",
    "archive",
    "backup_before",
    "backup_files",
    "backup_now",
    "backup_on_open",
    "before_upgrade",
    "list_backups",
    "live_database_is_damaged",
    "reason_label",
    "remove_restore_leftovers",
    "restore",
    "restore_over_damaged",
    "rotate",
    "rows",
    "verify",
    "verify_folder",
]


__getattr__ = lazy_faces.loader(__name__, _WHERE, globals())


def __dir__() -> list[str]:
    return sorted(__all__)
