"""The engine's part of the variant search: how a query names the full-text
index, matches words against it and walks it in its own order.

On SQLite the index is the FTS5 table ``search_index`` (one row per variant,
``rowid`` = ``variant.id``), kept in step by triggers (migration step 3). On a
PostgreSQL server it is a table of the same name (``variant_id``, ``words``: a
``tsvector`` of the same words, lower case and without accents, under a GIN
index) kept by the same triggers in PL/pgSQL (``store.server_schema``), and
matched with each word as a prefix: the server folds the words into a
``tsquery`` once (``search_query``), and the queries carry that as a constant.
``shopdesk.catalog.search`` builds the rest of the query; ``TEXT`` names the
part of the engine that runs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from shopdesk.store.engine import database, engine_errors, on_server

# The trigger that writes one index row per new variant (migration step 3).
_INSERT_TRIGGER = "variant_search_ai"
_INDEX_ROWS = (
    "INSERT INTO search_index (rowid, name, codes) SELECT v.id, "
    "p.name || ' ' || v.option1_value || ' ' || v.option2_value, "
    "v.sku || ' ' || v.barcode FROM variant v JOIN product p ON p.id = v.product_id"
)


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
        database.execute_sql(_INDEX_ROWS)
        return int(database.execute_sql("SELECT COUNT(*) FROM search_index").fetchone()[0])

    @staticmethod
    @contextlib.contextmanager
    def new_variants_indexed_at_end() -> Iterator[None]:
        """The insert trigger dropped for the block and put back as it was, and the
        block's new variants indexed in one statement at its end. Inside the
        caller's write transaction: DDL is part of it, so a rollback or a kill
        leaves the trigger where it was, and no other connection can write while
        it is away. Ids are max + 1 under the write lock: the block's new
        variants are those above the largest id before it."""
        row = database.execute_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (_INSERT_TRIGGER,)
        ).fetchone()
        if row is None:  # no trigger to spare (a file before step 3): nothing to gain
            yield
            return
        first = database.execute_sql("SELECT COALESCE(MAX(id), 0) FROM variant").fetchone()[0]
        database.execute_sql(f"DROP TRIGGER {_INSERT_TRIGGER}")
        try:
            yield
        except BaseException:
            # The caller's rollback puts the trigger back; this covers a caller that
            # goes on after the error. An aborted transaction has it back already.
            with contextlib.suppress(*engine_errors()):
                database.execute_sql(row[0])
            raise
        # Rows the update triggers wrote for variants of the block go: one row each.
        database.execute_sql("DELETE FROM search_index WHERE rowid > ?", (first,))
        database.execute_sql(_INDEX_ROWS + " WHERE v.id > ?", (first,))
        database.execute_sql(row[0])


class ServerText:
    """A ``tsvector`` index with prefix queries on a PostgreSQL server."""

    source = "search_index s JOIN variant v ON v.id = s.variant_id"
    # A constant, not ``search_query(?)`` in the statement: that function (SQL with an
    # aggregate, so not inlined) then ran once per row walked in ``variant_id`` order
    # (50 ms for "kopi"), and a constant lets the planner weigh the words (a capped
    # count of "k" walks the table; of "kopi", the index).
    condition = "s.words @@ ?::tsquery"
    index_order = "s.variant_id"

    @staticmethod
    def query(words: list[str]) -> str:
        # The server splits, folds and quotes the words itself (search_query).
        sql = "SELECT search_query(?)::text"
        return str(database.execute_sql(sql, (" ".join(words),)).fetchone()[0])

    @staticmethod
    def candidates(query: str, cap: int) -> int:
        sql = (
            "SELECT COUNT(*) FROM (SELECT 1 FROM search_index "
            "WHERE words @@ ?::tsquery LIMIT ?) AS m"
        )
        return int(database.execute_sql(sql, (query, cap)).fetchone()[0])

    @staticmethod
    def rebuild() -> int:
        database.execute_sql("DELETE FROM search_index")
        database.execute_sql(
            "SELECT search_row(v, p.name) FROM variant v JOIN product p ON p.id = v.product_id"
        )
        return int(database.execute_sql("SELECT COUNT(*) FROM search_index").fetchone()[0])

    @staticmethod
    @contextlib.contextmanager
    def new_variants_indexed_at_end() -> Iterator[None]:
        """On a server the triggers stay: turning one off takes a lock on the table
        that would hold up every other PC's writes."""
        yield


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

    def new_variants_indexed_at_end(self) -> contextlib.AbstractContextManager[None]:
        """Around a batch that inserts many variants, in its write transaction: their
        index rows written in one statement after it instead of one trigger run each
        (what a 10,000-row import spends most on). Search results stay the same."""
        return self._engine().new_variants_indexed_at_end()


TEXT = _EngineText()
