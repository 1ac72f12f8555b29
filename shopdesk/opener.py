"""The one way the app and the command line open the data: with a backup first.

The schema layer (``shopdesk.store``) knows nothing of backups; this opener
hands it a hook that makes a verified backup before an existing database is
upgraded, so an upgrade that goes wrong can always be undone. It also removes
the work files of a restore that a kill or a power cut cut off, and takes into
the database the photos and logos this PC kept only as files (data from before
schema 8: ``media_store.adopt_files``).
"""

from __future__ import annotations

from pathlib import Path

import peewee

from shopdesk import backup, media_store, paths, store

# What this process removed at its start: the files of restores cut off by a
# kill or a power cut (``shopdesk doctor`` reports them).
removed_at_start: list[Path] = []


def open_data(path: Path | None = None, *, check_later: bool = False) -> peewee.Database:
    """Open (create or upgrade) the database, backing it up before an upgrade,
    after removing what a restore that was cut off left beside it. Without
    ``path``: where this data folder's data lives (its file, or its server).
    ``check_later``: see ``store.open_database`` (the app checks the file once its
    window is up)."""
    given = Path(path) if path else None
    path = given or paths.database_path()
    removed_at_start.extend(backup.remove_restore_leftovers(path.parent))
    db = store.open_database(given, before_upgrade=_backup_first(path), check_later=check_later)
    media_store.adopt_on_open()
    return db


def _backup_first(path: Path) -> store.migrations.BeforeUpgrade:
    """``backup.before_upgrade``, loading the backup code only when an upgrade comes."""

    def hook(version: int) -> object:
        return backup.before_upgrade(path)(version)

    return hook
