"""A shop's own rows: exported into a fresh database for a seller's backup,
and put back in one transaction when that seller restores it.

Which rows belong to a shop is read from the schema (``shop_filters``), so
tables added by later migrations follow without a change here.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from shopdesk.backup.archive import connect_file, require_ok
from shopdesk.clock import utcnow
from shopdesk.errors import DatabaseError
from shopdesk.i18n import _

# Tables a shop backup never carries; "seller" is carried without secrets.
_PC_TABLES = {"operator"}
# Kept as they are: credentials and login counters, and the audit log.
_KEEP_ON_RESTORE = {"seller", "audit_log"}


def table_names(con: sqlite3.Connection, schema: str = "main") -> list[str]:
    rows = con.execute(
        f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' "
        "AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
    )
    return [r[0] for r in rows]


def columns_of(con: sqlite3.Connection, table: str, schema: str = "main") -> list[str]:
    return [r[1] for r in con.execute(f'PRAGMA {schema}.table_info("{table}")')]


def _links(con: sqlite3.Connection, table: str, schema: str = "main") -> list[tuple[str, str, str]]:
    """(parent, column, parent column) of each foreign key of ``table``."""
    return [
        (fk[2], fk[3], fk[4] or "id")
        for fk in con.execute(f'PRAGMA {schema}.foreign_key_list("{table}")')
    ]


def shop_filters(con: sqlite3.Connection, schema: str = "main") -> dict[str, str]:
    """For each table holding a shop's rows, the WHERE that selects them.

    Tables with ``shop_id`` filter on it; tables without one (sale lines, count
    lines) follow their foreign key to a table that has it. ``{src}`` stands for
    the schema the filter runs against; ``:shop`` is the shop's id. Tables of
    the whole PC (the operator, PC-wide settings) are never selected.
    """
    tables = [t for t in table_names(con, schema) if t not in _PC_TABLES]
    filters: dict[str, str] = {}
    for table in tables:
        if table == "shop":
            filters[table] = "id = :shop"
        elif "shop_id" in columns_of(con, table, schema):
            filters[table] = "shop_id = :shop"
    changed = True
    while changed:
        changed = False
        for table in tables:
            if table in filters:
                continue
            for parent, column, target in _links(con, table, schema):
                if parent in filters and parent != table:
                    filters[table] = (
                        f'"{column}" IN (SELECT "{target}" FROM {{src}}."{parent}" '
                        f"WHERE {filters[parent]})"
                    )
                    changed = True
                    break
    return filters


def upgrade_copy(path: Path) -> None:
    """Bring a database file (new or older) to the schema of the app's migrations."""
    import peewee

    from shopdesk.store import migrations

    database = peewee.SqliteDatabase(str(path))
    database.connect()
    try:
        migrations.migrate(database)
    finally:
        database.close()


def export_shop(source: Path, target: Path, shop_id: int) -> None:
    """Copy one shop's rows into a fresh database built by the app's migrations."""
    upgrade_copy(target)
    con = connect_file(target)
    try:
        con.execute("ATTACH DATABASE ? AS live", (str(source),))
        con.execute("BEGIN")
        live_filters = shop_filters(con, "live")
        for table in table_names(con):
            where = live_filters.get(table)
            if where is None:
                continue
            cols = ", ".join(
                f'"{c}"' for c in columns_of(con, table) if c in set(columns_of(con, table, "live"))
            )
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
        con.execute("DETACH DATABASE live")
        con.execute("VACUUM")
        require_ok(con, target)
    finally:
        con.close()


def replace_shop_rows(
    live: Path, backup_db: Path, *, shop_id: int, audit: tuple[str, str] | None = None
) -> None:
    """Replace one shop's rows by those of a checked shop backup, in one transaction.

    The documented exception to the append-only rule: the shop's ledger rows are
    replaced, so the triggers that refuse DELETE on them are dropped and created
    again *inside* the same transaction (a failure rolls both back). Foreign keys
    are switched off for the swap (SQLite cannot defer RESTRICT) and
    ``PRAGMA foreign_key_check`` must be clean before COMMIT. The seller's PIN,
    the audit log (kept whole, never rewritten) and every other shop are untouched,
    and a row of the backup that points into another shop aborts the restore.
    """
    con = connect_file(live)
    try:
        con.execute("PRAGMA busy_timeout = 5000")
        con.execute("PRAGMA foreign_keys = OFF")
        con.execute("ATTACH DATABASE ? AS bk", (f"{backup_db.as_uri()}?mode=ro",))
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
        con.execute("DETACH DATABASE bk")
    finally:
        con.close()


def _replace_rows(con: sqlite3.Connection, shop_id: int) -> None:
    params = {"shop": shop_id}
    filters = shop_filters(con, "main")
    tables = [t for t in filters if t not in _KEEP_ON_RESTORE and t != "shop"]
    # Only the triggers that refuse changes (append-only ledger); those that keep
    # the search index up to date must keep firing.
    triggers = con.execute(
        "SELECT name, sql FROM main.sqlite_master WHERE type = 'trigger' AND sql LIKE '%RAISE(%' "
        f"AND tbl_name IN ({', '.join('?' for _t in tables)})",
        tables,
    ).fetchall()
    for name, _sql in triggers:
        con.execute(f'DROP TRIGGER main."{name}"')
    backup_tables = set(table_names(con, "bk"))
    # Children first, so each subquery filter still finds its parent rows.
    for table in reversed(tables):
        con.execute(f'DELETE FROM main."{table}" WHERE {filters[table].format(src="main")}', params)
    for table in tables:
        if table not in backup_tables:
            continue
        backup_columns = set(columns_of(con, table, "bk"))
        cols = ", ".join(f'"{c}"' for c in columns_of(con, table) if c in backup_columns)
        con.execute(
            f'INSERT INTO main."{table}" ({cols}) SELECT {cols} FROM bk."{table}" '
            f"WHERE {filters[table].format(src='bk')}",
            params,
        )
    shop_cols = [c for c in columns_of(con, "shop") if c not in ("id", "created_at")]
    shop_cols = [c for c in shop_cols if c in set(columns_of(con, "shop", "bk"))]
    names = ", ".join(f'"{c}"' for c in shop_cols)
    con.execute(
        f"UPDATE main.shop SET ({names}) = (SELECT {names} FROM bk.shop WHERE id = :shop) "
        "WHERE id = :shop",
        params,
    )
    for _name, sql in triggers:
        con.execute(sql)
    _refuse_foreign_links(con, filters, shop_id)
    problems = con.execute("PRAGMA main.foreign_key_check").fetchall()
    if problems:
        raise DatabaseError(
            _("The backup does not fit this database; nothing was changed."),
            detail=str(problems[:5]),
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


def _refuse_foreign_links(con: sqlite3.Connection, filters: dict[str, str], shop_id: int) -> None:
    """A restored row may only point at rows of the same shop."""
    owned = {t for t in filters if "shop_id" in columns_of(con, t)}
    for table in filters:
        for parent, column, target in _links(con, table):
            if parent not in owned and parent != "shop":
                continue
            parent_shop = "id" if parent == "shop" else "shop_id"
            where = filters[table].format(src="main")
            found = con.execute(
                f'SELECT 1 FROM main."{table}" AS c JOIN main."{parent}" AS p '
                f'ON c."{column}" = p."{target}" WHERE p."{parent_shop}" != :shop AND c.rowid IN '
                f'(SELECT rowid FROM main."{table}" WHERE {where}) LIMIT 1',
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
