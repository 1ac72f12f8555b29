"""Verified backups: create, rotate, list and restore (seller or whole PC).

``archive`` is the sealed zip format and its checks; ``rows`` copies one
shop's rows in and out.
"""

from shopdesk.backup.service import (
    DB_MEMBER,
    FORMAT,
    FULL,
    KEEP_NEWEST,
    MANIFEST_MEMBER,
    TRAILER_PREFIX,
    TRAILER_SIZE,
    BackupInfo,
    DamagedBackupError,
    RestoreResult,
    backup_before,
    backup_files,
    backup_now,
    backup_on_open,
    before_upgrade,
    list_backups,
    live_database_is_damaged,
    reason_label,
    restore,
    restore_over_damaged,
    rotate,
    verify,
    verify_folder,
)

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
    "restore",
    "restore_over_damaged",
    "rotate",
    "rows",
    "verify",
    "verify_folder",
]
