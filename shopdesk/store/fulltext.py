"""The engine's part of the variant search: how a query names the full-text
index, matches words against it and walks it in its own order.

On SQLite the index is the FTS5 table ``search_index`` (one row per variant,
``rowid`` = ``variant.id``), kept in step by triggers (migration step 3). On a
PostgreSQL server it is a table of the same name (``variant_id``, ``words``: a
``tsvector`` of the same words, lower case and without accents, under a GIN
index) kept by the same triggers in PL/pgSQL (``store.server_schema``), and
matched with each word as a prefix (``search_query``).
``shopdesk.catalog.search`` builds the rest of the query; ``TEXT`` names the
part of the engine that runs.
"""

from __future__ import annotations

from shopdesk.store.engine import database, on_server


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


class ServerText:
    """A ``tsvector`` index with prefix queries on a PostgreSQL server."""

    source = "search_index s JOIN variant v ON v.id = s.variant_id"
    condition = "s.words @@ search_query(?)"
    index_order = "s.variant_id"

    @staticmethod
    def query(words: list[str]) -> str:
        # The server splits, folds and quotes the words itself (search_query).
        return " ".join(words)

    @staticmethod
    def candidates(query: str, cap: int) -> int:
        sql = (
            "SELECT COUNT(*) FROM (SELECT 1 FROM search_index "
            "WHERE words @@ search_query(?) LIMIT ?) AS m"
        )
        return int(database.execute_sql(sql, (query, cap)).fetchone()[0])

    @staticmethod
    def rebuild() -> int:
        database.execute_sql("DELETE FROM search_index")
        database.execute_sql(
            "SELECT search_row(v, p.name) FROM variant v JOIN product p ON p.id = v.product_id"
        )
        return int(database.execute_sql("SELECT COUNT(*) FROM search_index").fetchone()[0])


class _EngineText:
    """The text search of the engine that runs, chosen at each use."""

    @staticmethod
    def _engine() -> type[SqliteText] | type[ServerText]:
        return ServerText if on_server() else SqliteText

    @property
    def source(self) -> str:
        return self._engine().source

    @property
    def condition(self) -> str:
        return self._engine().condition

    @property
    def index_order(self) -> str:
        return self._engine().index_order

    def query(self, words: list[str]) -> str:
        return self._engine().query(words)

    def candidates(self, query: str, cap: int) -> int:
        return self._engine().candidates(query, cap)

    def rebuild(self) -> int:
        return self._engine().rebuild()


TEXT = _EngineText()
