"""The shop scope fails closed and follows the data (issue 14, point 4).

On a server, row-level security shows a connection only the rows of its scope:
with none set (a script, a worker thread, a forgotten login), a shop-owned table
shows nothing and takes nothing; a core service called with a seller's session
works on that seller's shop whatever the process set, so even with one of the
app's own filters taken away it returns no row of another shop. Work across
shops says so (``store.all_shops``). SQLite ignores the scope: one PC's file,
kept apart by the app's filters, as before.

The server tests run on the tests' own cluster (tests/pg_cluster.py), wherever
PostgreSQL is installed, whichever engine the rest of the suite runs on.
"""

from __future__ import annotations

import ast
import importlib
import threading
from pathlib import Path

import peewee
import pytest

from shopdesk import catalog, debts, profiles, reports, settings, stock, store
from shopdesk.catalog import reads, search
from shopdesk.errors import DatabaseError, NotFoundError
from shopdesk.store import server_schema
from shopdesk.store.models import Product
from tests import every_table
from tests.conftest import PIN_A, PIN_B, make_seller, open_on_server

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def server(pg_database, tmp_path, monkeypatch):
    """Two shops with rows in every table on this test's server database, and the
    process's scope left unset, as a script that never logged in through the CLI or
    the window has it: (database name, operator, seller A, seller B)."""
    name, url = pg_database
    store.set_shop_scope(None)
    op = open_on_server(url, tmp_path / "home", monkeypatch)
    a = make_seller(op, "kopi", PIN_A, "Kopi Sindoro")
    b = make_seller(op, "madu", PIN_B, "Madu Bangli", timezone="WITA")
    every_table.fill(op, a, b, tmp_path / "work")
    store.set_shop_scope(None)
    yield name, op, a, b
    store.close_database()
    store.set_shop_scope(None)


def _shop_rows() -> dict[str, str]:
    """A count of the rows that belong to a shop, for every shop-owned table."""
    db = store.database.obj
    nullable = server_schema.shop_tables(db)
    queries = {}
    for table in server_schema.owned_tables(db):
        owned = " WHERE shop_id IS NOT NULL" if nullable.get(table) else ""
        queries[table] = f"SELECT COUNT(*) FROM {table}{owned}"
    return queries


def _counts(queries: dict[str, str]) -> dict[str, int]:
    return {t: int(store.database.execute_sql(sql).fetchone()[0]) for t, sql in queries.items()}


def test_without_a_scope_no_shop_owned_row_is_seen_or_written(server):
    _name, _op, a, _b = server
    queries = _shop_rows()
    assert len(queries) >= 20
    with store.all_shops():  # said so: across shops, every row is there
        everything = _counts(queries)
    empty = sorted(t for t, n in everything.items() if n == 0)
    assert empty == [], f"no rows in {empty}: the test would prove nothing there"

    assert _counts(queries) == dict.fromkeys(queries, 0)  # no scope: nothing
    with pytest.raises(DatabaseError), store.transaction():
        store.database.execute_sql(
            "INSERT INTO category (shop_id, name) VALUES (?, 'Tanpa lingkup')", (a.shop_id,)
        )
    with store.all_shops():
        assert store.database.execute_sql(
            "SELECT COUNT(*) FROM category WHERE name = 'Tanpa lingkup'"
        ).fetchone() == (0,)
    # The PC's own settings belong to no shop: still read without a scope.
    assert settings.get(None, "idle_lock_minutes") == 7
    # A worker thread starts with no scope either.
    seen: list[dict[str, int]] = []
    worker = threading.Thread(target=lambda: seen.append(_counts(queries)))
    worker.start()
    worker.join()
    assert seen == [dict.fromkeys(queries, 0)]


def test_a_service_works_on_its_sessions_shop_whatever_the_process_set(server):
    _name, _op, a, b = server
    for default in (None, b.shop_id):  # a script; a window where seller B is logged in
        store.set_shop_scope(default)
        assert {r.sku for r in search.search(a, "")} == {"K-0", "B-0"}
        assert {r.sku for r in search.search(b, "")} == {"K-1", "B-1"}
        assert stock.check(a).ok and stock.check(b).ok
        assert [c.name for c in debts.list_customers(a)] == ["Bu Sri 0"]
        assert reports.daily_summary(a).sales == reports.daily_summary(b).sales == 3
    # In a thread of its own too, as the window's background work runs.
    store.set_shop_scope(None)
    found: list[set[str]] = []
    worker = threading.Thread(target=lambda: found.append({r.sku for r in search.search(b, "")}))
    worker.start()
    worker.join()
    assert found == [{"K-1", "B-1"}]


def _without_shop_filter(monkeypatch) -> None:
    """Take the app's own shop filter out of the product lookup the catalog starts from."""

    def any_shops_product(session, product_id):
        row = Product.get_or_none(Product.id == int(product_id))
        if row is None:
            raise NotFoundError(f"no product {product_id}")
        return row

    monkeypatch.setattr(reads, "product_row", any_shops_product)


def test_with_the_apps_filter_removed_the_server_still_hides_the_other_shop(server, monkeypatch):
    _name, _op, a, b = server
    b_product = catalog.get_variant(b, "K-1").product_id
    _without_shop_filter(monkeypatch)
    with pytest.raises(NotFoundError):
        catalog.get_product(a, b_product)
    store.set_shop_scope(b.shop_id)  # even where the process works on shop B
    with pytest.raises(NotFoundError):
        catalog.get_product(a, b_product)
    assert catalog.get_product(b, b_product).name == "Keripik Singkong 1"


def test_on_sqlite_that_filter_is_all_there_is(seller, seller_b, monkeypatch):
    """The same hole on a PC of its own: the test above would catch a lost guard."""
    if store.on_server():
        pytest.skip("SQLite: the app's filters alone keep the shops apart")
    b_product = catalog.create_product(seller_b, name="Madu Hutan", price=90_000).id
    _without_shop_filter(monkeypatch)
    assert catalog.get_product(seller, b_product).name == "Madu Hutan"


def test_sqlite_shows_every_row_whatever_the_scope(seller, seller_b):
    """SQLite ignores the scope (no row-level security there): unchanged behaviour."""
    if store.on_server():
        pytest.skip("SQLite only")
    catalog.create_product(seller, name="Kopi", price=30_000)
    catalog.create_product(seller_b, name="Madu", price=90_000)
    for scope in (None, seller.shop_id):
        store.set_shop_scope(scope)
        assert store.database.execute_sql("SELECT COUNT(*) FROM product").fetchone() == (2,)
    store.set_shop_scope(None)


def test_an_older_servers_open_rule_is_replaced_when_it_is_opened(server, pg_cluster):
    name, _op, _a, _b = server
    store.close_database()
    # The rule ShopDesk first wrote: no scope showed every row.
    old = (
        "(coalesce(current_setting('shopdesk.shop', true), '') = '' "
        "OR shop_id = nullif(current_setting('shopdesk.shop', true), '')::bigint)"
    )
    pg_cluster.query(name, "DROP POLICY movement_scope ON movement")
    pg_cluster.query(name, f"CREATE POLICY movement_shop ON movement USING {old} WITH CHECK {old}")
    store.open_database(migrate=False)
    with store.all_shops():
        assert store.database.execute_sql("SELECT COUNT(*) FROM movement").fetchone()[0] > 0
    assert store.database.execute_sql("SELECT COUNT(*) FROM movement").fetchone() == (0,)
    policies = pg_cluster.query(
        name, "SELECT policyname FROM pg_policies WHERE tablename = 'movement'"
    )
    assert policies == [("movement_scope",)]


# --- every service follows its session ----------------------------------------------------


def _session_services() -> list[tuple[str, str]]:
    """Every module-level function of the core that takes a session (by its type)."""
    found = []
    for path in sorted((ROOT / "shopdesk").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[1] in ("cli", "store"):  # the command line calls the core; the store is below
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef):
                args = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
                notes = [ast.unparse(a.annotation) for a in args if a.annotation is not None]
                if any("Session" in note for note in notes):
                    module = ".".join(p for p in parts if p != "__init__")
                    found.append((module, node.name))
    return found


def test_every_core_function_that_takes_a_session_works_on_its_shop():
    services = _session_services()
    assert len(services) > 200
    unscoped = [
        f"{module}.{name}"
        for module, name in services
        if not getattr(getattr(importlib.import_module(module), name), "__shop_scoped__", False)
    ]
    assert unscoped == [], "add @store.follows_session to these"


def test_a_generator_service_reads_under_its_shop_at_every_step(server):
    """``follows_session`` scopes a generator at each step, not only when it is made."""
    _name, _op, a, _b = server

    @store.follows_session
    def skus(session: profiles.Session):
        for sku in ("K-0", "B-0"):
            yield store.database.execute_sql(
                "SELECT COUNT(*) FROM variant WHERE sku = ?", (sku,)
            ).fetchone()[0]

    steps = skus(a)
    assert list(steps) == [1, 1]
    assert store.database.execute_sql("SELECT COUNT(*) FROM variant").fetchone() == (0,)


def test_a_failed_savepoint_under_another_scope_is_rolled_back_cleanly(server):
    """A statement that failed inside a savepoint under another shop's scope: the
    savepoint's ROLLBACK TO goes first (a failed transaction takes nothing else, not
    even the scope's own statement), and the next statement sets the scope again."""
    _name, _op, a, b = server

    def own_variants(shop_id: int) -> int:
        sql = "SELECT COUNT(*) FROM variant WHERE shop_id = ?"
        return int(store.database.execute_sql(sql, (shop_id,)).fetchone()[0])

    with store.for_shop(a.shop_id), store.transaction():
        assert own_variants(a.shop_id) == 2
        with (
            pytest.raises(peewee.IntegrityError),
            store.database.atomic(),  # a savepoint
            store.for_shop(b.shop_id),
        ):
            assert own_variants(b.shop_id) == 2
            store.database.execute_sql(
                "INSERT INTO category (shop_id, name) VALUES (?, NULL)", (b.shop_id,)
            )
        assert own_variants(a.shop_id) == 2 and own_variants(b.shop_id) == 0
        with store.for_shop(b.shop_id):
            assert own_variants(b.shop_id) == 2


def test_pg_dump_as_the_apps_user_copies_the_shops_only_when_it_says_every_shop(server, pg_cluster):
    """The README's pg_dump line: the guard is shut to a connection that names no
    shop, so the copy must say ``shopdesk.shop=*`` (without it, no shop's rows)."""
    import os
    import subprocess

    name, _op, _a, _b = server
    url = pg_cluster.url(name)

    def dumped_products(extra: dict[str, str]) -> list[str]:
        command = [str(pg_cluster.bin / "pg_dump"), "--enable-row-security", "--data-only"]
        done = subprocess.run(
            [*command, "--table=product", url],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, **extra},
        )
        return [line for line in done.stdout.splitlines() if "Keripik Singkong" in line]

    assert dumped_products({}) == []
    assert len(dumped_products({"PGOPTIONS": "-c shopdesk.shop=*"})) == 2
