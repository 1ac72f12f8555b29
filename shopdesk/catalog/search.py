"""Find variants as the seller types: the one function the UI calls on every key.

A scanned or typed SKU or barcode that matches exactly comes first. Then the
names: case- and accent-insensitive, words in any order, each word a prefix
(``kop rob`` finds "Kopi Robusta"). SKUs match by prefix too (``krpk-00``).

The index is kept in step by triggers (migration step 3). The engine-specific
part (how the index is named, matched and walked) is ``store.fulltext``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from shopdesk import stock, store
from shopdesk.catalog.types import display_name
from shopdesk.errors import ValidationError
from shopdesk.i18n import _
from shopdesk.profiles import Session, require_seller

STOCK_STATES = ("in", "low", "out")
MAX_WORDS = 8
MAX_LIMIT = 1000
# With more index matches than this ("k", "ke") the rows come in catalog order,
# which SQLite streams, instead of A-Z, which needs every match sorted first.
SORTED_MAX = 3000
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class SearchRow:
    variant_id: int
    product_id: int
    sku: str
    name: str  # display name: "Keripik Singkong - Balado"
    product_name: str
    option1_value: str
    option2_value: str
    category: str
    unit: str
    price: int
    on_hand: int
    low_stock: int
    barcode: str
    archived: bool
    exact: bool  # the text was this row's SKU or barcode


TEXT = store.fulltext.TEXT  # the engine's part: index, match and its order


def words_of(text: str) -> list[str]:
    """The words the index would see: letters and digits, split on anything else."""
    return _WORD.findall(text or "")[:MAX_WORDS]


_DbRow = tuple[Any, ...]  # a row of _COLUMNS as sqlite3 returns it
_ON_HAND = stock.VARIANT_ON_HAND_SQL
_COLUMNS = (
    "v.id, v.product_id, v.sku, p.name, v.option1_value, v.option2_value, "
    f"COALESCE(c.name, ''), p.unit, v.price, {_ON_HAND}, v.low_stock, v.barcode, "
    "v.archived | p.archived"
)
# No stock join: the figure is a correlated sum over the variant's lots.
_JOINS = "JOIN product p ON p.id = v.product_id LEFT JOIN category c ON c.id = p.category_id"
_ORDER = "ORDER BY p.name COLLATE NOCASE, p.id, v.position, v.id"
# Everything A-Z: walk products by the name index (product_shop_name), then variants.
_BY_NAME = (
    "product p CROSS JOIN variant v ON v.product_id = p.id "
    "LEFT JOIN category c ON c.id = p.category_id"
)


@store.follows_session
def _filters(
    session: Session, *, category: str | int | None, stock_state: str | None, archived: bool
) -> tuple[list[str], list[object]]:
    # Both shop columns: each lets the planner start from its own table's index.
    where = ["v.shop_id = ? AND p.shop_id = ?"]
    params: list[object] = [session.shop_id, session.shop_id]
    if not archived:
        where.append("v.archived = 0 AND p.archived = 0")
    if category not in (None, ""):
        if isinstance(category, int):
            where.append("p.category_id = ?")
            params.append(category)
        else:
            where.append(
                "p.category_id IN (SELECT id FROM category WHERE shop_id = ? AND name = ?)"
            )
            params.extend([session.shop_id, str(category).strip()])
    if stock_state:
        if stock_state not in STOCK_STATES:
            raise ValidationError(
                _("Unknown stock filter {state}: use in, low or out.").format(state=stock_state)
            )
        # The figure is a sum over the variant's lots (one primary-key range):
        # it comes after the cheap terms (shop, archived, category, threshold),
        # so rows they drop never run it, and it runs once per row.
        where.append(
            {
                "in": f"{_ON_HAND} > 0",
                "low": f"v.low_stock > 0 AND {_ON_HAND} BETWEEN 1 AND v.low_stock",
                "out": f"{_ON_HAND} <= 0",
            }[stock_state]
        )
    return where, params


def _row(values: _DbRow, exact: bool) -> SearchRow:
    vid, pid, sku, pname, o1, o2, cat, unit, price, on_hand, low, barcode, archived = values
    return SearchRow(
        vid, pid, sku, display_name(pname, o1, o2), pname, o1, o2, cat, unit, price,
        on_hand, low, barcode, bool(archived), exact,
    )  # fmt: skip


@store.follows_session
def _exact(session: Session, text: str, where: list[str], params: list[object]) -> list[_DbRow]:
    code = (text or "").strip()
    if not code or len(code) > 100:
        return []
    compact = "".join(code.split())
    # Exact codes are found also when archived: a scanned pack must say what it is.
    conds = [w for w in where if "archived" not in w]
    ids = store.database.execute_sql(
        "SELECT id FROM variant WHERE shop_id = ? AND sku = ? UNION "
        "SELECT id FROM variant WHERE shop_id = ? AND barcode IN (?, ?)",
        (session.shop_id, code.upper(), session.shop_id, code, compact),
    ).fetchall()
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    sql = (
        f"SELECT {_COLUMNS} FROM variant v {_JOINS} WHERE {' AND '.join(conds)} "
        f"AND v.id IN ({marks}) ORDER BY v.archived, v.id"
    )
    rows: list[_DbRow] = store.database.execute_sql(sql, (*params, *(i for (i,) in ids))).fetchall()
    return rows


def _text_part(
    text: str, where: list[str], params: list[object], exclude: list[int]
) -> tuple[str, list[object]] | None:
    """(FROM/WHERE, args) of the name search, or None when the text has no words.
    ``args[0]`` is the match query; ``_text_order`` picks the order from it."""
    words = words_of(text)
    if not words:
        return None
    conds = [TEXT.condition, *where]
    args: list[object] = [TEXT.query(words), *params]
    if exclude:
        conds.append(f"v.id NOT IN ({','.join('?' * len(exclude))})")
        args.extend(exclude)
    return f"FROM {TEXT.source} {_JOINS} WHERE {' AND '.join(conds)}", args


def _text_order(query: object) -> str:
    """A-Z, or index order when the text matches too much to sort (only ``search``
    orders: ``count`` must not pay for the extra index query on every key)."""
    broad = TEXT.candidates(str(query), SORTED_MAX + 1) > SORTED_MAX
    return f"ORDER BY {TEXT.index_order}" if broad else _ORDER


@store.follows_session
def search(
    session: Session,
    text: str,
    *,
    limit: int = 200,
    offset: int = 0,
    category: str | int | None = None,
    stock_state: str | None = None,
    include_archived: bool = False,
) -> list[SearchRow]:
    """Variants matching ``text`` (exact code first, then names A-Z).

    Empty text lists everything (with the filters). ``stock_state``: ``in``,
    ``low`` (at or under the variant's low-stock level) or ``out``.
    """
    session = require_seller(session)
    limit = max(0, min(int(limit), MAX_LIMIT))
    offset = max(0, int(offset))
    where, params = _filters(
        session, category=category, stock_state=stock_state, archived=include_archived
    )
    exact = _exact(session, text, where, params)
    rows = [_row(r, True) for r in exact[offset : offset + limit]]
    remaining = limit - len(rows)
    if remaining <= 0:
        return rows
    skip = max(0, offset - len(exact))
    if not (text or "").strip():
        sql = f"SELECT {_COLUMNS} FROM {_BY_NAME} WHERE {' AND '.join(where)} {_ORDER}"
        args: list[object] = list(params)
    else:
        part = _text_part(text, where, params, [r[0] for r in exact])
        if part is None:
            return rows
        from_where, args = part
        sql = f"SELECT {_COLUMNS} {from_where} {_text_order(args[0])}"
    found = store.database.execute_sql(f"{sql} LIMIT ? OFFSET ?", (*args, remaining, skip))
    return rows + [_row(r, False) for r in found.fetchall()]


@store.follows_session
def count(
    session: Session,
    text: str,
    *,
    category: str | int | None = None,
    stock_state: str | None = None,
    include_archived: bool = False,
) -> int:
    """How many rows ``search`` would give without a limit (for lazy UI models)."""
    session = require_seller(session)
    where, params = _filters(
        session, category=category, stock_state=stock_state, archived=include_archived
    )
    exact = _exact(session, text, where, params)
    if not (text or "").strip():
        sql = f"SELECT COUNT(*) FROM variant v {_JOINS} WHERE {' AND '.join(where)}"
        return int(store.database.execute_sql(sql, params).fetchone()[0])
    part = _text_part(text, where, params, [r[0] for r in exact])
    if part is None:
        return len(exact)
    total = store.database.execute_sql(f"SELECT COUNT(*) {part[0]}", part[1]).fetchone()[0]
    return len(exact) + int(total)


def rebuild_index() -> int:
    """Refill the index from the tables (after a restore or a raw bulk load)."""
    with store.transaction():
        return TEXT.rebuild()
