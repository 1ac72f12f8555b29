"""The audit history a whole-PC restore keeps.

A full restore puts every table back as the backup had it, the audit log too;
left alone, it would also erase the record of what happened since (the very
import the restore undoes, say). So before the copy goes in, the entries the
live database wrote after the backup's newest one are carried into the copy,
with their original times.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from shopdesk.audit import FORMER_SHOP
from shopdesk.store import files
from shopdesk.store.files import Connection

_COLUMNS = "at, shop_id, actor, action, detail"

Row = tuple[str, int | None, str, str, str]  # the columns above
Shops = dict[int, tuple[str, str]]  # id -> (creation time, name)


def carry_forward(live: Path, restored: Path) -> int:
    """Copy into ``restored`` (a checked copy about to become the live database)
    the audit entries of ``live`` from the copy's newest entry on that the copy
    does not hold yet; returns how many.

    An entry of a shop the copy does not hold (created after the backup, or
    another shop under the same number) comes over as an entry of the whole PC
    with the shop's name in its detail: it must never show in the history of a
    shop that later takes that number.
    """
    with files.opened(restored) as con:
        newest = con.execute("SELECT COALESCE(MAX(at), '') FROM audit_log").fetchone()[0]
        with files.opened(live, readonly=True) as source:
            rows = source.execute(
                f"SELECT {_COLUMNS} FROM audit_log WHERE at >= ? ORDER BY id", (newest,)
            ).fetchall()
            live_shops = _shops(source)
        held = Counter(
            _key(row)
            for row in con.execute(f"SELECT {_COLUMNS} FROM audit_log WHERE at >= ?", (newest,))
        )
        kept_shops = _shops(con)
        new: list[Row] = []
        for row in rows:
            if held[_key(row)]:
                held[_key(row)] -= 1
                continue
            new.append(_in_copy(row, live_shops, kept_shops))
        if new:
            con.execute("BEGIN IMMEDIATE")
            con.executemany(f"INSERT INTO audit_log ({_COLUMNS}) VALUES (?, ?, ?, ?, ?)", new)
            con.execute("COMMIT")
    return len(new)


def _shops(con: Connection) -> Shops:
    """Shop id -> (creation time, name): the creation time tells one shop from
    another that took the same number later."""
    return {
        r[0]: (str(r[1]), str(r[2])) for r in con.execute("SELECT id, created_at, name FROM shop")
    }


def _in_copy(row: Row, live_shops: Shops, kept_shops: Shops) -> Row:
    at, shop_id, actor, action, detail = row
    live, kept = live_shops.get(shop_id or 0), kept_shops.get(shop_id or 0)
    if shop_id is None or (live is not None and kept is not None and live[0] == kept[0]):
        return row
    data = _decoded(detail)
    data[FORMER_SHOP] = live[1] if live is not None else str(shop_id)
    return at, None, actor, action, json.dumps(data, ensure_ascii=False, sort_keys=True)


def _key(row: Row) -> tuple[str, str, str, str]:
    """What makes two entries the same one, whether or not a restore moved it
    off its shop (the shop and the note on it left out)."""
    at, _shop, actor, action, detail = row
    data = _decoded(detail)
    data.pop(FORMER_SHOP, None)
    return str(at), actor, action, json.dumps(data, sort_keys=True)


def _decoded(detail: str) -> dict[str, object]:
    try:
        data = json.loads(detail or "{}")
    except ValueError:
        return {"text": detail}
    return data if isinstance(data, dict) else {"value": data}
