"""The one way the app and the command line open the data: with a backup first.

The schema layer (``shopdesk.store``) knows nothing of backups; this opener
hands it a hook that makes a verified backup before an existing database is
upgraded, so an upgrade that goes wrong can always be undone.
"""

from __future__ import annotations

from pathlib import Path

import peewee

from shopdesk import backup, paths, store


def open_data(path: Path | None = None) -> peewee.Database:
    """Open (create or upgrade) the database, backing it up before an upgrade."""
    path = Path(path) if path else paths.database_path()
    return store.open_database(path, before_upgrade=backup.before_upgrade(path))
