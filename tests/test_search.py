"""Search as the UI calls it on every keystroke."""

from __future__ import annotations

import pytest

from shopdesk import catalog, stock, store
from shopdesk.catalog import search
from shopdesk.errors import ValidationError
from shopdesk.profiles import session_for
from shopdesk.store.models import Seller


@pytest.fixture
def shop(seller):
    catalog.create_product(seller, name="Kopi Robusta Temanggung", price=35_000, category="Kopi")
    catalog.create_product(
        seller, name="Kópi Arábika Gayo", price=85_000, category="Kopi", barcode="2000000000022"
    )
    catalog.create_product(
        seller,
        name="Keripik Singkong",
        price=15_000,
        category="Keripik",
        option1_name="Rasa",
        variants=[{"option1_value": "Original"}, {"option1_value": "Balado Pedas"}],
    )
    catalog.create_product(seller, name="Gula Aren Cetak", price=25_000, category="Gula")
    return seller


def _skus(rows):
    return [r.sku for r in rows]


def test_words_in_any_order_prefix_case_and_accents(shop):
    assert _skus(search.search(shop, "ara kop")) == ["KOPI-0002"]
    assert sorted(_skus(search.search(shop, "KOPI"))) == ["KOPI-0001", "KOPI-0002"]
    assert _skus(search.search(shop, "arábika")) == ["KOPI-0002"]
    assert _skus(search.search(shop, "  gayo   KÓP ")) == ["KOPI-0002"]
    assert _skus(search.search(shop, "pedas sing")) == ["KRPK-0001-BAL"]
    assert _skus(search.search(shop, "kerip")) == ["KRPK-0001-ORI", "KRPK-0001-BAL"]
    assert search.search(shop, "teh") == []


def test_exact_sku_or_barcode_comes_first(shop):
    rows = search.search(shop, "2000000000022")
    assert rows[0].sku == "KOPI-0002" and rows[0].exact
    rows = search.search(shop, "kopi-0001")
    assert rows[0].sku == "KOPI-0001" and rows[0].exact
    assert [r.sku for r in rows].count("KOPI-0001") == 1
    assert _skus(search.search(shop, "krpk-00")) == ["KRPK-0001-ORI", "KRPK-0001-BAL"]


def test_empty_text_lists_all_with_filters_and_paging(shop):
    assert search.count(shop, "") == 5
    all_rows = search.search(shop, "")
    assert all_rows[0].product_name == "Gula Aren Cetak"
    assert _skus(search.search(shop, "", limit=2, offset=2)) == _skus(all_rows[2:4])
    assert _skus(search.search(shop, "", category="Gula")) == ["GULA-0001"]
    assert search.search(shop, "", category="Tidak ada") == []
    stock.receive(shop, sku="GULA-0001", quantity=3)
    catalog.update_variant(shop, "KOPI-0001", low_stock=5)
    stock.receive(shop, sku="KOPI-0001", quantity=4)
    assert _skus(search.search(shop, "", stock_state="in")) == ["GULA-0001", "KOPI-0001"]
    assert _skus(search.search(shop, "", stock_state="low")) == ["KOPI-0001"]
    assert search.count(shop, "", stock_state="out") == 3
    with pytest.raises(ValidationError):
        search.search(shop, "", stock_state="banyak")


def test_paging_counts_exact_rows_once(shop):
    text = "kopi-0001"
    total = search.count(shop, text)
    pages = [search.search(shop, text, limit=1, offset=i) for i in range(total)]
    assert sum(len(p) for p in pages) == total
    assert len({p[0].variant_id for p in pages}) == total


def test_index_follows_every_change(shop):
    product = catalog.get_variant(shop, "GULA-0001").product_id
    catalog.update_product(shop, product, name="Gula Semut Aren")
    assert _skus(search.search(shop, "semut")) == ["GULA-0001"]
    assert search.search(shop, "cetak") == []
    catalog.update_variant(shop, "GULA-0001", sku="AREN-7", barcode="2000000000046")
    assert _skus(search.search(shop, "aren-7")) == ["AREN-7"]
    assert search.search(shop, "2000000000046")[0].exact
    catalog.archive_product(shop, product)
    assert search.search(shop, "semut") == []
    assert _skus(search.search(shop, "semut", include_archived=True)) == ["AREN-7"]
    assert search.search(shop, "AREN-7")[0].archived  # a scanned archived pack is still named
    fresh = catalog.create_product(shop, name="Salah Ketik", price=1)
    catalog.delete_product(shop, fresh.id)
    assert search.search(shop, "salah") == []
    assert search.rebuild_index() == 5


KOPI = ["KOPI-0001", "KOPI-0002"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ('"', []),
        ('"kopi', KOPI),
        ("kopi*", KOPI),
        ("-kopi", KOPI),
        ("^kop", KOPI),
        ("NEAR(kopi gayo)", []),  # the word "near" is not in Kópi Arábika Gayo
        ("gayo OR kerip", []),  # every word must match: no OR
        ("kopi NOT gayo", []),
        ("😀", []),
        ("\x00", []),
        ("x" * 5000, []),
    ],
)
def test_fts_syntax_is_plain_text(shop, text, found):
    """Quotes, stars, NEAR, OR, NOT and the like are words or separators, never FTS syntax."""
    rows = search.search(shop, text)
    assert sorted(_skus(rows)) == found
    assert search.count(shop, text) == len(found)


@pytest.mark.sqlite_only  # reads SQLite's query plan
def test_rows_come_from_the_index_not_a_scan(shop):
    plan = store.database.execute_sql(
        "EXPLAIN QUERY PLAN SELECT rowid FROM search_index WHERE search_index MATCH ?",
        ('"kop"*',),
    ).fetchall()
    assert any("VIRTUAL TABLE INDEX" in str(row) for row in plan)


def test_broad_queries_stream_in_catalog_order_and_page_consistently(shop, monkeypatch):
    monkeypatch.setattr(search, "SORTED_MAX", 1)  # every query counts as broad
    rows = search.search(shop, "k")
    assert sorted(_skus(rows)) == ["KOPI-0001", "KOPI-0002", "KRPK-0001-BAL", "KRPK-0001-ORI"]
    assert [r.variant_id for r in rows] == sorted(r.variant_id for r in rows)
    pages = [search.search(shop, "k", limit=1, offset=i) for i in range(4)]
    assert [p[0].sku for p in pages] == _skus(rows)
    assert search.count(shop, "k") == 4


def test_step_3_indexes_the_rows_of_an_older_file(open_old):
    """The schema-2 file (tests/fixtures) had no index: its rows are found after the upgrade."""
    open_old(2)
    kopi = session_for(Seller.get(Seller.login == "kopi"))
    assert _skus(search.search(kopi, "arab kop")) == ["KOPI-0002"]
    assert _skus(search.search(kopi, "temanggung 500")) == ["KOPI-0001-500"]
    assert _skus(search.search(kopi, "2000000000015")) == ["KOPI-0001-250"]
    assert search.count(kopi, "kopi") == 3  # the archived Kopi Lanang is left out
