"""Row-level security on the server (issue 14, point 4): with shop A set for the
connection, a query that leaves out the app's own shop filter sees no row of
shop B, in every shop-owned table; writing a row for shop B is refused; and the
app connects as a role the policies apply to.

Runs on the test server (``SHOPDESK_TEST_SERVER``, tests/conftest.py).
"""

from __future__ import annotations

import peewee
import pytest
from PIL import Image

from shopdesk import catalog, debts, sales, settings, stock, store
from shopdesk.catalog import photos, search
from shopdesk.stock import stocktake
from shopdesk.store import server_schema
from tests.conftest import server_admin_url

pytestmark = pytest.mark.skipif(not server_admin_url(), reason="needs a PostgreSQL test server")


def _shop_data(seller, tmp_path, sku: str) -> None:
    """A row of the shop in every table a seller's work fills."""
    catalog.create_product(seller, name=f"Produk {sku}", price=10000, sku=sku, category="Umum")
    stock.receive(seller, sku=sku, quantity=20, batch_code="B-01")
    sales.record_sale(seller, lines=[(sku, 1)])
    buyer = debts.add_customer(seller, name=f"Pelanggan {sku}")  # a kasbon and a payment
    sales.record_sale(seller, lines=[(sku, 1)], paid=0, customer=buyer.id)
    debts.record_payment(seller, customer=buyer.id, amount=4000)
    stocktake.start_count(seller, skus=[sku])
    stocktake.enter_count(seller, sku=sku, counted=19)
    stocktake.post_count(seller)
    picture = tmp_path / f"{sku}.png"
    Image.new("RGB", (40, 40), "red").save(picture)
    photos.add_photo(
        seller, product_id=catalog.get_variant(seller, sku).product_id, image_path=picture
    )
    settings.put(seller, "receipt_footer", f"Terima kasih {sku}")
    catalog.outbox.mark_listing_changed(seller, [catalog.get_variant(seller, sku).product_id])
    with store.transaction():
        store.database.execute_sql(
            "INSERT INTO bundle (shop_id, bundle_id, path, targets, created_at) "
            "VALUES (?, ?, '', 'shopee', '2026-01-01 00:00:00')",
            (seller.shop_id, f"bundle-{sku}"),
        )


_DUMMY = {"bigint": 1, "integer": 1, "text": "x", "bytea": b"x", "date": "2026-01-01"}


def _fill_missing(table: str, shop_b: int) -> None:
    """One row of shop B in a table the services above left empty (a table added
    later, like the marketplace's): NOT NULL columns get a plain value, keys a
    row of shop B from their parent."""
    db = store.database.obj
    parents = {fk.column: fk.dest_table for fk in db.get_foreign_keys(table)}
    values: dict[str, object] = {}
    for column in db.get_columns(table):
        if column.primary_key or column.null or column.default is not None:
            continue
        if column.name == "shop_id":
            values[column.name] = shop_b
        elif column.name in parents:
            parent = parents[column.name]
            where = f"id = {shop_b}" if parent == "shop" else f"shop_id = {shop_b}"
            values[column.name] = _count(f"SELECT MIN(id) FROM {parent} WHERE {where}")
        elif column.data_type.startswith("timestamp"):
            values[column.name] = "2026-01-01 00:00:00"
        else:
            values[column.name] = _DUMMY[column.data_type]
    marks = ", ".join("?" * len(values))
    with store.transaction():
        store.database.execute_sql(
            f"INSERT INTO {table} ({', '.join(values)}) VALUES ({marks})", tuple(values.values())
        )


def _count(sql: str, params: tuple = ()) -> int:
    return int(store.database.execute_sql(sql, params).fetchone()[0])


def _b_rows(table: str, shop_b: int, parents: dict[str, list[int]]) -> str:
    """A query for shop B's rows of ``table`` that needs no other table's policy."""
    if table == "shop":
        return f"SELECT COUNT(*) FROM shop WHERE id = {shop_b}"
    if table in server_schema.CHILDREN:
        parent, key = server_schema.CHILDREN[table]
        ids = ", ".join(map(str, parents[parent])) or "0"
        return f"SELECT COUNT(*) FROM {table} WHERE {key} IN ({ids})"
    return f"SELECT COUNT(*) FROM {table} WHERE shop_id = {shop_b}"


def test_with_shop_a_set_no_table_shows_a_row_of_shop_b(seller, seller_b, tmp_path):
    _shop_data(seller, tmp_path, "A-1")
    _shop_data(seller_b, tmp_path, "B-1")
    db = store.database.obj
    owned = sorted({*server_schema.shop_tables(db), *server_schema.CHILDREN, "shop"})
    shop_b = seller_b.shop_id
    store.set_all_shops_scope()  # the whole database: what there is to hide
    parents = {
        parent: [
            r[0]
            for r in store.database.execute_sql(
                f"SELECT id FROM {parent} WHERE shop_id = ?", (shop_b,)
            )
        ]
        for parent, _key in server_schema.CHILDREN.values()
    }
    queries = {table: _b_rows(table, shop_b, parents) for table in owned}
    for table, sql in queries.items():
        if _count(sql) == 0 and table not in server_schema.CHILDREN:
            _fill_missing(table, shop_b)
    visible = {table: _count(sql) for table, sql in queries.items()}
    empty = [table for table, n in visible.items() if n == 0]
    assert empty == [], f"shop B has no rows in {empty}: the test would prove nothing there"

    store.set_shop_scope(seller.shop_id)
    hidden = {table: _count(sql) for table, sql in queries.items()}
    assert hidden == dict.fromkeys(owned, 0)
    # Shop A's own work goes on as before, through the app's filters.
    assert [r.sku for r in search.search(seller, "")] == ["A-1"]
    assert _count("SELECT COUNT(*) FROM movement") == _count(
        "SELECT COUNT(*) FROM movement WHERE shop_id = ?", (seller.shop_id,)
    )
    # A row written for shop B is refused by the policy's check.
    with (
        pytest.raises(peewee.DatabaseError, match="row-level security"),
        store.database.atomic(),
    ):
        store.database.execute_sql(
            "INSERT INTO category (shop_id, name) VALUES (?, 'Sisipan')", (shop_b,)
        )
    assert len(owned) >= 14
    store.set_all_shops_scope()


def test_the_app_connects_as_a_role_the_policies_bind(home):
    role = store.database.execute_sql(
        "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
    ).fetchone()
    assert role == (False, False)
    forced = store.database.execute_sql(
        "SELECT relname FROM pg_class WHERE relkind = 'r' AND relrowsecurity "
        "AND relforcerowsecurity AND relnamespace = 'public'::regnamespace"
    ).fetchall()
    assert {"movement", "sale", "sale_line", "variant", "lot_stock"} <= {r[0] for r in forced}


class _Undone(Exception):
    """Raised to roll the test's schema change back (the database serves later tests)."""


_PER_ROW = (
    "(coalesce(current_setting('shopdesk.shop', true), '') = '' "
    "OR shop_id = nullif(current_setting('shopdesk.shop', true), '')::bigint)"
)


def _per_row_policies() -> list[str]:
    rows = store.database.execute_sql(
        "SELECT tablename FROM pg_policies WHERE qual LIKE '%current_setting(%' "
        "AND qual NOT LIKE '%SELECT current_setting(%' ORDER BY tablename"
    ).fetchall()
    return [r[0] for r in rows]


def test_policies_reading_the_scope_per_row_are_made_again_to_read_it_once(seller, seller_b):
    """A server made before read the shop scope twice per row each policy let through
    (40 % of a sum over 1M movements); the guard that runs with every schema step makes
    such policies again, reading it once per statement, and they still hide shop B."""
    catalog.create_product(seller_b, name="Produk B", price=1000, sku="B-1")
    catalog.create_product(seller, name="Produk A", price=1000, sku="A-1")
    store.set_shop_scope(seller.shop_id)
    with pytest.raises(_Undone), store.database.atomic():
        store.database.execute_sql("DROP POLICY variant_scope ON variant")
        store.database.execute_sql(
            f"CREATE POLICY variant_shop ON variant USING {_PER_ROW} WITH CHECK {_PER_ROW}"
        )
        assert _per_row_policies() == ["variant"]
        server_schema.guard_shop_rows(store.database.obj)
        assert _per_row_policies() == []
        assert _count("SELECT COUNT(*) FROM variant") == 1  # shop A's own, not B's
        raise _Undone
    assert _per_row_policies() == []
