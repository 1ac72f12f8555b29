"""An import writes the search rows of its new variants in one statement at its end
(``store.fulltext.TEXT.new_variants_indexed_at_end``) instead of one trigger run per
row: the search finds what it found when every row went through the triggers."""

from __future__ import annotations

import pytest

from shopdesk import catalog, store
from shopdesk.catalog import search, table_io
from shopdesk.catalog.table_io import applying
from shopdesk.errors import ValidationError
from tests.conftest import sqlite_triggers

HEADER = "sku,name,category,variant_name,variant_option,unit,price,cost,stock,barcode\n"
QUERIES = (
    "kopi", "robusta", "temanggung", "500", "keripik", "keripik balado", "gula aren", "tempe",
    "2000000000992", "KOPI", "KRPK", "madu", "",
)  # fmt: skip


def _found(seller) -> dict[str, list[tuple[int, str, bool]]]:
    return {
        text: [(r.variant_id, r.name, r.exact) for r in search.search(seller, text, limit=500)]
        for text in QUERIES
    }


def _shop(seller) -> tuple[str, str]:
    """Two products made one by one (the triggers index them); their first SKUs."""
    kopi = catalog.create_product(
        seller,
        name="Kopi Robusta",
        category="Kopi",
        price=25_000,
        option1_name="Ukuran",
        variants=[{"option1_value": "250 g"}],
    )
    madu = catalog.create_product(seller, name="Madu Hutan", category="Madu", price=60_000)
    return kopi.variants[0].sku, madu.variants[0].sku


def test_an_import_is_found_as_if_each_row_went_through_the_triggers(seller, tmp_path):
    kopi_sku, madu_sku = _shop(seller)
    path = tmp_path / "katalog.csv"
    path.write_text(
        HEADER
        # renames the product that the next row gives a new variant (both in this import)
        + f"{kopi_sku},Kopi Robusta Temanggung,Kopi,Ukuran,250 g,bungkus,25000,,,\n"
        + ",Kopi Robusta,Kopi,Ukuran,500 g,bungkus,45000,30000,5,\n"
        + f"{madu_sku},Madu Hutan,Madu,,,botol,60000,,,2000000000992\n"  # a new barcode
        + ",Keripik Tempe,Keripik,Rasa,Original,bungkus,12000,8000,10,\n"
        + ",Keripik Tempe,Keripik,Rasa,Balado,bungkus,12000,8000,10,\n"
        + ",Gula Aren,Gula,,,kg,30000,20000,3,\n",
        encoding="utf-8",
    )
    result = table_io.apply_import(seller, path)
    assert (result.products_created, result.variants_created, result.variants_updated) == (2, 4, 2)
    imported = _found(seller)
    search.rebuild_index()  # what the triggers would have written, row by row
    assert _found(seller) == imported
    assert [r.name for r in search.search(seller, "500")] == ["Kopi Robusta Temanggung - 500 g"]
    assert [r.name for r in search.search(seller, "balado")] == ["Keripik Tempe - Balado"]
    assert {r.sku for r in search.search(seller, "2000000000992")} == {madu_sku}
    for row in search.search(seller, "", limit=500):  # every variant by its own SKU
        assert row.variant_id in {r.variant_id for r in search.search(seller, row.sku)}


def test_after_an_import_single_edits_are_indexed_again(seller, tmp_path):
    path = tmp_path / "katalog.csv"
    path.write_text(HEADER + ",Gula Aren,Gula,,,kg,30000,20000,3,\n", encoding="utf-8")
    table_io.apply_import(seller, path)
    catalog.create_product(seller, name="Sambal Bawang", price=15_000)
    assert [r.name for r in search.search(seller, "sambal")] == ["Sambal Bawang"]


def test_a_failed_import_leaves_the_index_and_its_trigger(seller, tmp_path, monkeypatch):
    _shop(seller)
    before = _found(seller)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise ValidationError("disk says no")

    monkeypatch.setattr(applying.stock, "write_movements", broken)
    path = tmp_path / "katalog.csv"
    path.write_text(HEADER + ",Gula Aren,Gula,,,kg,30000,20000,3,\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="disk says no"):
        table_io.apply_import(seller, path)
    assert _found(seller) == before  # nothing of the import, nothing lost
    catalog.create_product(seller, name="Gula Semut", price=20_000)
    assert [r.name for r in search.search(seller, "semut")] == ["Gula Semut"]


@pytest.mark.sqlite_only(reason="reads the SQLite file's triggers")
def test_the_search_trigger_comes_back_word_for_word(seller, tmp_path):
    triggers = sqlite_triggers()
    assert "variant_search_ai" in dict(triggers)
    with store.transaction():
        with store.fulltext.TEXT.new_variants_indexed_at_end():
            # inside the block the trigger is away: a direct insert is not indexed yet
            catalog.create_product(seller, name="Dodol Garut", price=10_000)
            assert search.search(seller, "dodol") == []
        assert [r.name for r in search.search(seller, "dodol")] == ["Dodol Garut"]
    assert sqlite_triggers() == triggers
    with (
        pytest.raises(ValidationError),
        store.transaction(),
        store.fulltext.TEXT.new_variants_indexed_at_end(),
    ):
        raise ValidationError("stop")
    assert sqlite_triggers() == triggers
