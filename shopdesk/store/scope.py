"""The one shop this process works on ('' for the whole database, the operator's).

Set at login (``engine.set_shop_scope``); a server connection (``postgres``) sets it
on itself before its next statement, and row-level security shows only its rows. A
module of its own, so that a SQLite PC sets it without loading the PostgreSQL driver.
"""

from __future__ import annotations

_scope = {"shop": ""}


def set_shop(shop_id: int | None) -> None:
    _scope["shop"] = "" if shop_id is None else str(int(shop_id))


def shop() -> str:
    return _scope["shop"]
