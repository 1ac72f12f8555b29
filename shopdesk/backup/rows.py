"""A shop's own rows: exported into a fresh database for a seller's backup,
and put back in one transaction when that seller restores it.

Which rows belong to a shop is read from the schema (``shop_filters``), so
tables added by later migrations follow without a change here.
"""

from __future__ import annotations

from pathlib import Path

from shopdesk.backup.archive import require_ok
from shopdesk.clock import utcnow
from shopdesk.errors import DatabaseError
from shopdesk.i18n import _
from shopdesk.store import files, structure
from shopdesk.store.files import Connection

# Tables a shop backup never carries; "seller" is carried without secrets.
_PC_TABLES = {"operator"}
# Kept as they are: credentials and login counters, and the audit log.
_KEEP_ON_RESTORE = {"seller", "audit_log"}


def shop_filters(con: Connection, schema: str = "main") -> dict[str, str]:
    """For each table holding a shop's rows, the WHERE that selects them.

    Tables with ``shop_id`` filter on it; tables without one (sale lines, count
    lines) follow their foreign key to a table that has it. ``{src}`` stands for
    the schema the filter runs against; ``:shop`` is the shop's id. Tables of
    the whole PC (the operator, PC-wide settings) are never selected.
    """
    tables = [t for t in structure.table_names(con, schema) if t not in _PC_TABLES]
    filters: dict[str, str] = {}
    for table in tables:
        if table == "shop":
            filters[table] = "id = :shop"
        elif "shop_id" in structure.columns(con, table, schema):
            filters[table] = "shop_id = :shop"
    changed = True
    while changed:
        changed = False
        for table in tables:
            if table in filters:
                continue
            for parent, column, target in structure.links(con, table, schema):
                if parent in filters and parent != table:
                    filters[table] = (
                        f'"{column}" IN (SELECT "{target}" FROM {{src}}."{parent}" '
                        f"WHERE {filters[parent]})"
                    )
                    changed = True
                    break
    return filters


def export_shop(source: Path, target: Path, shop_id: int) -> None:
    """Copy one shop's rows into a fresh database built by the app's migrations."""
    files.upgrade(target)
    with files.opened(target) as con:
        files.attach(con, source, "live")
        con.execute("BEGIN")
        live_filters = shop_filters(con, "live")
        for table in structure.table_names(con):
            where = live_filters.get(table)
            if where is None:
                continue
            live_columns = set(structure.columns(con, table, "live"))
            cols = ", ".join(f'"{c}"' for c in structure.columns(con, table) if c in live_columns)
            con.execute(
                f'INSERT INTO main."{table}" ({cols}) SELECT {cols} FROM live."{table}" '
                f"WHERE {where.format(src='live')}",
                {"shop": shop_id},
            )
        # The backup travels on sticks: no PIN or recovery hash leaves the PC.
        con.execute(
            "UPDATE main.seller SET pin_hash = '', recovery_hash = '', failed_attempts = 0, "
            "next_attempt_at = NULL"
        )
        con.execute("COMMIT")
        files.detach(con, "live")
        files.compact(con)
    require_ok(target)


def replace_shop_rows(
    live: Path, backup_db: Path, *, shop_id: int, audit: tuple[str, str] | None = None
) -> None:
    """Replace one shop's rows by those of a checked shop backup, in one transaction.

    The documented exception to the append-only rule: the shop's ledger rows are
    replaced, so the triggers that refuse DELETE on them are dropped and created
    again *inside* the same transaction (a failure rolls both back). Foreign keys
    are switched off for the swap (SQLite cannot defer RESTRICT) and every link
    must hold again before COMMIT. The seller's PIN,
    the audit log (kept whole, never rewritten) and every other shop are untouched,
    and a row of the backup that points into another shop aborts the restore.
    """
    with files.opened(live) as con:
        structure.links_off(con)
        files.attach(con, backup_db, "bk", readonly=True)
        con.execute("BEGIN IMMEDIATE")
        try:
            _replace_rows(con, shop_id)
            if audit is not None:  # the restore and its audit row commit together
                con.execute(
                    "INSERT INTO main.audit_log (at, shop_id, actor, action, detail) "
                    "VALUES (?, ?, ?, 'backup.restore', ?)",
                    (utcnow().isoformat(sep=" "), shop_id, audit[0], audit[1]),
                )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        files.detach(con, "bk")


def _replace_rows(con: Connection, shop_id: int) -> None:
    filters = shop_filters(con, "main")
    tables = [t for t in filters if t not in _KEEP_ON_RESTORE and t != "shop"]
    with structure.guards_lifted(con, tables):
        _copy_rows(con, filters, tables, shop_id)
    _refuse_foreign_links(con, filters, shop_id)
    problems = structure.broken_links(con)
    if problems:
        raise DatabaseError(
            _("The backup does not fit this database; nothing was changed."),
            detail=str(problems[:5]),
        )


def _copy_rows(con: Connection, filters: dict[str, str], tables: list[str], shop_id: int) -> None:
    """The shop's rows of the live file replaced by those of the attached backup."""
    params = {"shop": shop_id}
    backup_tables = set(structure.table_names(con, "bk"))
    # Children first, so each subquery filter still finds its parent rows.
    for table in reversed(tables):
        con.execute(f'DELETE FROM main."{table}" WHERE {filters[table].format(src="main")}', params)
    for table in tables:
        if table not in backup_tables:
            continue
        backup_columns = set(structure.columns(con, table, "bk"))
        cols = ", ".join(f'"{c}"' for c in structure.columns(con, table) if c in backup_columns)
        con.execute(
            f'INSERT INTO main."{table}" ({cols}) SELECT {cols} FROM bk."{table}" '
            f"WHERE {filters[table].format(src='bk')}",
            params,
        )
    backup_shop = set(structure.columns(con, "shop", "bk"))
    shop_cols = [
        c
        for c in structure.columns(con, "shop")
        if c not in ("id", "created_at") and c in backup_shop
    ]
    names = ", ".join(f'"{c}"' for c in shop_cols)
    con.execute(
        f"UPDATE main.shop SET ({names}) = (SELECT {names} FROM bk.shop WHERE id = :shop) "
        "WHERE id = :shop",
        params,
    )


# The on-hand cache (migration step 4) names its variant and lot (0, or a batch
# of that variant) by id, without a foreign key: a restored row must name a
# variant of the shop, and lot 0 or a batch of that same variant.
_FOREIGN_LOT = """
SELECT 1 FROM main.lot_stock AS l WHERE l.shop_id = :shop AND (
  NOT EXISTS (SELECT 1 FROM main.variant AS v WHERE v.id = l.variant_id AND v.shop_id = :shop)
  OR (l.lot != 0 AND NOT EXISTS (SELECT 1 FROM main.batch AS b
      WHERE b.id = l.lot AND b.variant_id = l.variant_id AND b.shop_id = :shop))
) LIMIT 1
"""


def _refuse_foreign_links(con: Connection, filters: dict[str, str], shop_id: int) -> None:
    """A restored row may only point at rows of the same shop. The shop's rows are
    picked by the link's own column, not by id or rowid: customer_balance has no id,
    and a server has no rowid."""
    owned = {t for t in filters if "shop_id" in structure.columns(con, t)}
    for table in filters:
        for parent, column, target in structure.links(con, table):
            if parent not in owned and parent != "shop":
                continue
            parent_shop = "id" if parent == "shop" else "shop_id"
            where = filters[table].format(src="main")
            found = con.execute(
                f'SELECT 1 FROM main."{table}" AS c JOIN main."{parent}" AS p '
                f'ON c."{column}" = p."{target}" WHERE p."{parent_shop}" != :shop '
                f'AND c."{column}" IN (SELECT "{column}" FROM main."{table}" WHERE {where}) '
                "LIMIT 1",
                {"shop": shop_id},
            ).fetchone()
            if found:
                raise DatabaseError(
                    _("The backup points at another shop's data; nothing was changed."),
                    detail=f"{table}.{column}",
                )
    if "lot_stock" in filters and con.execute(_FOREIGN_LOT, {"shop": shop_id}).fetchone():
        raise DatabaseError(
            _("The backup points at another shop's data; nothing was changed."),
            detail="lot_stock",
        )
