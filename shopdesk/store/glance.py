"""What the login window shows, read before the database is opened.

The app's window comes up first and opens the data behind it (peewee, the models, the
schema check: ~50 ms that the seller no longer waits for). This plain, read-only
``sqlite3`` read gives the window what it needs before that: whether an operator exists,
the PC's language and the sellers to pick from. Whenever the normal opening has to come
first (a server, a new or foreign file, another schema version, any error) it answers
None and the app opens the data before its window, as it always did.

What it reads is only shown: the PIN is checked, and everything else read, through
``profiles`` once the database is open.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from shopdesk import paths
from shopdesk.errors import ShopDeskError
from shopdesk.store import location, migrations
from shopdesk.store.structure import SQLITE_MAGIC

SELLERS = """
SELECT seller.login, seller.display_name, shop.name, shop.logo
FROM seller JOIN shop ON shop.id = seller.shop_id
WHERE seller.disabled = 0
ORDER BY shop.name
"""
LANGUAGE = "SELECT value FROM setting WHERE shop_id IS NULL AND key = 'language'"


@dataclass(frozen=True)
class Seat:
    """One seller on the picker."""

    login: str
    display_name: str
    shop_name: str
    logo: str


@dataclass(frozen=True)
class Glance:
    operator: bool
    language: str | None  # the PC's setting; None: the default
    sellers: tuple[Seat, ...]


def glance(path: Path | None = None) -> Glance | None:
    """The login window's content from this data folder's file, or None when the data
    must be opened first."""
    try:
        if location.configured():
            return None  # a server: the normal opening
    except ShopDeskError:
        return None  # the opening explains what is wrong
    path = path or paths.database_path()
    try:
        with open(path, "rb") as handle:
            if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
                return None  # new, empty or foreign: the opening creates or refuses it
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except (OSError, sqlite3.Error):
        return None
    try:
        return _read(con)
    except (sqlite3.Error, ValueError, TypeError):
        return None
    finally:
        con.close()


def _read(con: sqlite3.Connection) -> Glance | None:
    if con.execute("PRAGMA user_version").fetchone()[0] != migrations.LATEST_VERSION:
        return None  # an upgrade (with its backup first) or a newer app's file
    operator = con.execute("SELECT EXISTS (SELECT 1 FROM operator)").fetchone()[0] == 1
    row = con.execute(LANGUAGE).fetchone()
    language = json.loads(row[0]) if row else None
    sellers = tuple(Seat(*map(str, r)) for r in con.execute(SELLERS))
    return Glance(operator, language if isinstance(language, str) else None, sellers)
