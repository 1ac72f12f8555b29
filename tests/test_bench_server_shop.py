"""benchmarks.server_shop: a SQLite shop loaded onto a server by COPY is the same shop there,
and the app carries on with it (search index rebuilt, id sequences past the copied ids)."""

from __future__ import annotations

import sqlite3

import pytest

from benchmarks import server_shop
from shopdesk import demo, paths, profiles, sales, stock, store
from shopdesk.catalog import search

pytestmark = pytest.mark.sqlite_only(reason="the shop it loads is a SQLite file")


def _counts(rows: list[tuple[str]], count: object) -> dict[str, int]:
    return {table: count(table) for (table,) in rows}  # type: ignore[operator]


def test_a_demo_shop_loaded_by_copy_sells_and_finds_on_the_server(home, pg_cluster):
    list(demo.seed())
    store.close_database()
    local = sqlite3.connect(paths.database_path())
    tables = local.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' "
        "AND name NOT LIKE 'search_index%' AND name != 'schema_version'"
    ).fetchall()
    before = _counts(tables, lambda t: local.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0])
    variants = before["variant"]
    local.close()

    url, _seconds = server_shop.load(pg_cluster, paths.database_path(), name="bench_load")
    on_server = _counts(
        tables, lambda t: pg_cluster.query("bench_load", f"SELECT COUNT(*) FROM {t}")[0][0]
    )
    assert on_server == before
    assert pg_cluster.query("bench_load", "SELECT COUNT(*) FROM search_index")[0][0] == variants

    with server_shop.on_server(url):
        store.open_database()
    try:
        spec = next(s for s in demo.SELLERS if s["login"] == "kopi")
        session = profiles.seller_login(login="kopi", pin=str(spec["pin"]))
        store.set_shop_scope(session.shop_id)
        assert [row.sku for row in search.search(session, "KOPI-0001")] == ["KOPI-0001"]
        sold = sales.record_sale(session, lines=[("KOPI-0001", 1)], payment="cash")
        assert sold.number > 1
        assert stock.check(session).ok
    finally:
        store.close_database()
