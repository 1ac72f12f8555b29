"""Where the data lives: the only package that knows which database engine runs.

Opening (``open_database``), the one way to write (``transaction``), error
translation, the peewee models (``store.models``) and the schema chain
(``store.migrations``). Engine-specific SQL (pragmas, triggers, the search
index, raw file copies for backups) stays inside this package; a test keeps it so.
"""

from shopdesk.store.engine import (
    BUSY_TIMEOUT_MS,
    PRAGMAS,
    SQLITE_MAGIC,
    chunks,
    close_database,
    database,
    migrations,
    newest_backup_name,
    open_database,
    transaction,
    translate_error,
)

__all__ = [
    "BUSY_TIMEOUT_MS",
    "PRAGMAS",
    "SQLITE_MAGIC",
    "chunks",
    "close_database",
    "database",
    "migrations",
    "models",
    "newest_backup_name",
    "open_database",
    "transaction",
    "translate_error",
]
