"""The on-hand cache against the ledger: ``check`` compares, ``rebuild`` repairs.

Both run one pass over the ledger's covering index, so a healthy shop costs
a GROUP BY and a wiped one rewrites one narrow table in key order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from shopdesk import audit, store
from shopdesk.profiles import Session, require_seller

T = TypeVar("T")


class Cursor(Protocol):
    """The part of a DB-API cursor used here."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


# A wrong lot as read: (variant_id, lot, cached, ledger, counted).
Row = tuple[int, int, int, int, int]


@dataclass(frozen=True)
class Mismatch:
    sku: str
    batch_code: str | None
    cached: int
    ledger: int


@dataclass(frozen=True)
class CheckReport:
    variants_checked: int
    batches_checked: int
    mismatches: tuple[Mismatch, ...]
    negative_batches: tuple[Mismatch, ...]

    @property
    def ok(self) -> bool:
        return not self.mismatches and not self.negative_batches


# One GROUP BY over the covering index movement_ledger(shop_id, variant_id,
# batch_id, quantity) fills a temp table with the non-zero sum of every lot,
# in key order (lot 0, the loose pool, sorts first in each variant). Its row
# count is the number of lots the cache must hold. Plain SQL both engines run
# (a temp table is found before the database's own tables on both).
_LEDGER_TABLE = (
    "CREATE TEMP TABLE ledger (variant_id INTEGER NOT NULL, lot INTEGER NOT NULL, "
    "q INTEGER NOT NULL)"
)
_LEDGER_SUMS = (
    "INSERT INTO ledger SELECT variant_id, COALESCE(batch_id, 0), SUM(quantity) AS q "
    "FROM movement WHERE shop_id = ?1 GROUP BY variant_id, batch_id HAVING SUM(quantity) != 0"
)
# A lot row is wrong when it differs from its non-zero sum (in figure or in
# shop; a missing row reads 0), or when it holds stock the ledger does not
# back (a stray: every row is born with a movement, so this is damage). Rows
# as (variant_id, lot, cached, ledger, counted): counted when _CACHED_ROWS
# counts the row. Strays are rare and costly to look for: counting tells
# whether there are any (more non-zero rows under this shop than sums).
_WRONG = (
    "SELECT l.variant_id, l.lot, COALESCE(c.on_hand, 0), l.q, "
    "CASE WHEN c.shop_id = ?1 AND c.on_hand != 0 THEN 1 ELSE 0 END FROM ledger l "
    "LEFT JOIN lot_stock c ON c.variant_id = l.variant_id AND c.lot = l.lot "
    "WHERE COALESCE(c.on_hand, 0) != l.q OR c.shop_id != ?1"
)
_NOT_IN_LEDGER = (
    "NOT EXISTS (SELECT 1 FROM ledger l "
    "WHERE l.variant_id = lot_stock.variant_id AND l.lot = lot_stock.lot)"
)
_STRAYS = (
    "SELECT variant_id, lot, on_hand, 0, 1 FROM lot_stock "
    f"WHERE shop_id = ?1 AND on_hand != 0 AND {_NOT_IN_LEDGER}"
)
_LEDGER_KEY = "CREATE INDEX ledger_key ON ledger (variant_id, lot)"  # for the strays
_CACHED_ROWS = "SELECT COUNT(*) FROM lot_stock WHERE shop_id = ?1 AND on_hand != 0"
_NEGATIVE = "SELECT variant_id, lot, q, q, 1 FROM ledger WHERE lot != 0 AND q < 0"
# The fix: an upsert of the wrong rows only (as _WRONG finds them), in key order
# (its row count is the number fixed; a healthy shop writes nothing). Upserting
# every sum and letting the conflict test skip the right ones cost a server an
# index probe and a row lock check per lot (0.9 s of 225,000). Then, only when
# counting finds strays: a row filed under this shop for another shop's
# variant goes back to its owner (its figure is the owner's to check), a row
# of a variant or batch that does not exist goes, and so do the strays.
_FIX = (
    "INSERT INTO lot_stock (variant_id, lot, shop_id, on_hand) "
    "SELECT l.variant_id, l.lot, ?1, l.q FROM ledger l "
    "LEFT JOIN lot_stock c ON c.variant_id = l.variant_id AND c.lot = l.lot "
    "WHERE COALESCE(c.on_hand, 0) != l.q OR c.shop_id != ?1 ORDER BY l.variant_id, l.lot "
    "ON CONFLICT (variant_id, lot) DO UPDATE SET on_hand = excluded.on_hand, "
    "shop_id = excluded.shop_id WHERE lot_stock.on_hand != excluded.on_hand "
    "OR lot_stock.shop_id != excluded.shop_id"
)
_FIX_STRAYS = (
    "UPDATE lot_stock SET shop_id = v.shop_id FROM variant v "
    "WHERE v.id = lot_stock.variant_id AND lot_stock.shop_id = ?1 AND v.shop_id != ?1",
    "DELETE FROM lot_stock WHERE shop_id = ?1 AND ("
    "NOT EXISTS (SELECT 1 FROM variant v WHERE v.id = lot_stock.variant_id) OR (lot != 0 AND "
    "NOT EXISTS (SELECT 1 FROM batch b WHERE b.id = lot AND b.variant_id = lot_stock.variant_id)))",
    f"DELETE FROM lot_stock WHERE shop_id = ?1 AND on_hand != 0 AND {_NOT_IN_LEDGER}",
)
_SKUS = "SELECT id, sku FROM variant WHERE shop_id = ? AND id IN ({ids})"
_CODES = "SELECT id, code FROM batch WHERE shop_id = ? AND id IN ({ids})"


def _run(sql: str, params: Sequence[object] = ()) -> Cursor:
    cursor: Cursor = store.database.execute_sql(sql, params)
    return cursor


def _with_ledger(shop_id: int, work: Callable[[int], T]) -> T:
    """Run ``work(sums)`` with the temp table in place; ``sums`` is the number
    of lots with a non-zero sum."""
    _run("DROP TABLE IF EXISTS ledger")
    try:
        _run(_LEDGER_TABLE)
        return work(_run(_LEDGER_SUMS, (shop_id,)).rowcount)
    finally:
        _run("DROP TABLE IF EXISTS ledger")


def _names(sql: str, shop: int, ids: set[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for part in store.chunks(sorted(ids), 500):
        query = sql.format(ids=", ".join("?" * len(part)))
        found.update(_run(query, (shop, *part)).fetchall())
    return found


def _named(shop: int, rows: list[Row]) -> list[Mismatch]:
    """Mismatches with SKU and batch code, for the few rows that are wrong.
    Only this shop's names: a row filed here for another shop's variant is "?"."""
    skus = _names(_SKUS, shop, {row[0] for row in rows})
    codes = _names(_CODES, shop, {row[1] for row in rows if row[1]})
    return [
        Mismatch(skus.get(v, "?"), codes.get(lot, "?") if lot else None, cached, ledger)
        for v, lot, cached, ledger, _counted in rows
    ]


def _count(sql: str, shop: int) -> int:
    count: int = _run(sql, (shop,)).fetchone()[0]
    return count


@store.follows_session
def check(session: Session) -> CheckReport:
    """Compare the cache with the ledger in one read snapshot; change nothing."""
    session = require_seller(session)
    shop = session.shop_id

    def compare(sums: int) -> CheckReport:
        rows: list[Row] = _run(_WRONG, (shop,)).fetchall()
        # The non-zero rows _CACHED_ROWS finds behind a sum: all but the wrong
        # ones it does not count; any other row it counts is a stray.
        matched = sums - sum(1 for row in rows if not row[4])
        if _count(_CACHED_ROWS, shop) > matched:
            _run(_LEDGER_KEY)
            rows += _run(_STRAYS, (shop,)).fetchall()
        return CheckReport(
            _count("SELECT COUNT(*) FROM variant WHERE shop_id = ?", shop),
            _count("SELECT COUNT(*) FROM batch WHERE shop_id = ?", shop),
            tuple(_named(shop, rows)),
            tuple(_named(shop, _run(_NEGATIVE).fetchall())),
        )

    with store.database.atomic("DEFERRED"):  # a read snapshot, no write lock
        return _with_ledger(shop, compare)


@store.follows_session
def rebuild(session: Session) -> int:
    """Rewrite every on-hand figure of the shop from the ledger.

    Returns how many cached figures were wrong (and are now right). Only the
    wrong rows are written, so a healthy shop costs what a check costs, and a
    wiped one rewrites one narrow table in key order.
    """
    session = require_seller(session)
    shop = session.shop_id

    def repair(sums: int) -> int:
        fixed = _run(_FIX, (shop,)).rowcount
        # Every non-zero sum now has its row, filed under this shop; more are strays.
        if _count(_CACHED_ROWS, shop) > sums:
            _run(_LEDGER_KEY)
            fixed += sum(_run(sql, (shop,)).rowcount for sql in _FIX_STRAYS)
        return fixed

    with store.transaction():
        fixed = _with_ledger(shop, repair)
        audit.record("stock.rebuild", actor=session.actor, shop_id=shop, fixed=fixed)
    return fixed
