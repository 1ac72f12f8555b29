"""Where the data lives: the only package that knows which database engine runs.

Opening (``open_database``), the one way to write (``transaction``), error
translation, the peewee models (``store.models``) and the schema chain
(``store.migrations``); raw work on database files for backups, restores and
the health check (``store.files``, ``store.structure``), the copy of every
row from one database into another (``store.copying``) and the engine's part of
the text search (``store.fulltext``). Engine-specific SQL (pragmas, triggers,
the search index, raw file copies) stays inside this package; a test keeps it so.
"""

from typing import TYPE_CHECKING

from shopdesk.store import files, fulltext, location, migrations, structure
from shopdesk.store.engine import (
    PRAGMAS,
    change_stamp,
    chunks,
    close_database,
    data_version,
    database,
    execute_many,
    file_database,
    lock_rows,
    new_ids,
    on_server,
    open_database,
    retried,
    set_shop_scope,
    transaction,
)
from shopdesk.store.failures import FULL_DISK_BYTES, translate_error
from shopdesk.store.files import BUSY_TIMEOUT_MS, SQLITE_MAGIC
from shopdesk.store.health import newest_backup_name, verify_opened

if TYPE_CHECKING:
    from shopdesk.store import copying, server, snapshots

# Loaded at their first use: with them comes the PostgreSQL driver (~85 ms), which a
# PC on its own SQLite file needs only when it copies or backs up its data.
_LAZY = ("copying", "server", "snapshots")

__all__ = [
    "BUSY_TIMEOUT_MS",
    "FULL_DISK_BYTES",
    "PRAGMAS",
    "SQLITE_MAGIC",
    "change_stamp",
    "chunks",
    "close_database",
    "copying",
    "data_version",
    "database",
    "execute_many",
    "file_database",
    "files",
    "fulltext",
    "location",
    "lock_rows",
    "migrations",
    "models",
    "new_ids",
    "newest_backup_name",
    "on_server",
    "open_database",
    "retried",
    "server",
    "set_shop_scope",
    "snapshots",
    "structure",
    "transaction",
    "translate_error",
    "verify_opened",
]


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
