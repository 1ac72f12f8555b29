"""Where the data lives: the only package that knows which database engine runs.

Opening (``open_database``), the one way to write (``transaction``), error
translation, the peewee models (``store.models``) and the schema chain
(``store.migrations``); raw work on database files for backups, restores and
the health check (``store.files``, ``store.structure``), the copy of every
row from one database into another (``store.copying``), the engine's part of
the text search (``store.fulltext``) and the plain read of the login window
(``store.glance``). Engine-specific SQL (pragmas, triggers, the search index, raw
file copies) stays inside this package; a test keeps it so.

Each name loads its module when first used: the app's login window reads its sellers
(``glance``) before peewee and the models are loaded (~35 ms), and the PostgreSQL
driver (~85 ms) comes only with a server's modules (``copying``, ``server``,
``snapshots``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shopdesk import lazy_faces

if TYPE_CHECKING:
    from shopdesk.store import (
        copying,
        files,
        fulltext,
        glance,
        location,
        migrations,
        models,
        server,
        snapshots,
        structure,
    )
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
        set_all_shops_scope,
        set_shop_scope,
        transaction,
    )
    from shopdesk.store.failures import FULL_DISK_BYTES, translate_error
    from shopdesk.store.files import BUSY_TIMEOUT_MS
    from shopdesk.store.health import newest_backup_name, verify_opened
    from shopdesk.store.scope import across_shops, all_shops, follows_session, for_shop
    from shopdesk.store.structure import SQLITE_MAGIC

_ENGINE = (
    "PRAGMAS",
    "change_stamp",
    "chunks",
    "close_database",
    "data_version",
    "database",
    "execute_many",
    "file_database",
    "lock_rows",
    "new_ids",
    "on_server",
    "open_database",
    "retried",
    "set_all_shops_scope",
    "set_shop_scope",
    "transaction",
)
# Whose rows the database shows (``scope``): light, loaded by every service's decorator.
_SCOPE = ("across_shops", "all_shops", "follows_session", "for_shop")
_MODULES = (
    "copying",
    "files",
    "fulltext",
    "glance",
    "location",
    "migrations",
    "models",
    "server",
    "snapshots",
    "structure",
)
# name -> (module, name in it); "" for the module itself
_WHERE = {
    **{n: ("engine", n) for n in _ENGINE},
    **{n: ("failures", n) for n in ("FULL_DISK_BYTES", "translate_error")},
    "BUSY_TIMEOUT_MS": ("files", "BUSY_TIMEOUT_MS"),
    "SQLITE_MAGIC": ("structure", "SQLITE_MAGIC"),
    **{n: ("health", n) for n in ("newest_backup_name", "verify_opened")},
    **{n: ("scope", n) for n in _SCOPE},
    **{n: (n, "") for n in _MODULES},
}

__all__ = [
    "BUSY_TIMEOUT_MS",
    "FULL_DISK_BYTES",
    "PRAGMAS",
    "SQLITE_MAGIC",
    "across_shops",
    "all_shops",
    "change_stamp",
    "chunks",
    "close_database",
    "copying",
    "data_version",
    "database",
    "execute_many",
    "file_database",
    "files",
    "follows_session",
    "for_shop",
    "fulltext",
    "glance",
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
    "set_all_shops_scope",
    "set_shop_scope",
    "snapshots",
    "structure",
    "transaction",
    "translate_error",
    "verify_opened",
]


__getattr__ = lazy_faces.loader(__name__, _WHERE, globals())


def __dir__() -> list[str]:
    return sorted(__all__)
