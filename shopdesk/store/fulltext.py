"""The engine's part of the variant search: how a query names the full-text
index, matches words against it and walks it in its own order.

On SQLite the index is the FTS5 table ``search_index`` (one row per variant,
``rowid`` = ``variant.id``), kept in step by triggers (migration step 3).
A PostgreSQL twin would match ``variant.search_vector @@ to_tsquery('simple',
unaccent(:q))`` with ``:*`` prefixes, over a tsvector column kept by the same
triggers in PL/pgSQL. ``shopdesk.catalog.search`` builds the rest of the query.
"""

from __future__ import annotations

from shopdesk.store.engine import database


class SqliteText:
    """FTS5 on SQLite."""

    # CROSS JOIN keeps the index as the outer loop: SQLite would otherwise scan
    # the shop's variants and run the full-text match once per row.
    source = "search_index s CROSS JOIN variant v ON v.id = s.rowid"
    condition = "search_index MATCH ?"
    index_order = "s.rowid"

    @staticmethod
    def query(words: list[str]) -> str:
        # Each word quoted (no FTS syntax can leak in) and used as a prefix.
        return " AND ".join('"' + w.replace('"', '""') + '"*' for w in words)

    @staticmethod
    def candidates(query: str, cap: int) -> int:
        """Index matches of any shop, counted up to ``cap`` (stops early)."""
        sql = "SELECT COUNT(*) FROM (SELECT 1 FROM search_index WHERE search_index MATCH ? LIMIT ?)"
        return int(database.execute_sql(sql, (query, cap)).fetchone()[0])

    @staticmethod
    def rebuild() -> int:
        """Refill the index from the tables, inside the caller's transaction; its size."""
        database.execute_sql("DELETE FROM search_index")
        database.execute_sql(
            "INSERT INTO search_index (rowid, name, codes) SELECT v.id, "
            "p.name || ' ' || v.option1_value || ' ' || v.option2_value, "
            "v.sku || ' ' || v.barcode FROM variant v JOIN product p ON p.id = v.product_id"
        )
        return int(database.execute_sql("SELECT COUNT(*) FROM search_index").fetchone()[0])


# The text search of the engine that runs.
TEXT = SqliteText
