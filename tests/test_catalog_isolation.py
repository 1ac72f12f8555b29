"""Nothing of seller A is reachable as seller B: every catalog, search, import
and export function, and every catalog CLI command."""

from __future__ import annotations

import pytest
from PIL import Image

from shopdesk import catalog
from shopdesk.catalog import search, table_io
from shopdesk.errors import AuthError, NotFoundError
from shopdesk.paths import resource_path
from shopdesk.store.models import ListingState, Variant
from tests.conftest import PIN_A, PIN_B

A_BARCODE = "2000000000015"


@pytest.fixture
def two_shops(seller, seller_b, tmp_path):
    table_io.apply_import(seller, resource_path("demo", "catalog_kopi.csv"))
    photo = tmp_path / "p.png"
    Image.new("RGB", (30, 30), (10, 120, 200)).save(photo)
    product_id = catalog.get_variant(seller, "KOPI-0001").product_id
    ph = catalog.add_photo(seller, product_id=product_id, image_path=photo)
    return seller, seller_b, product_id, ph.id


def test_services_refuse_a_products_of_another_shop(two_shops, tmp_path):
    a, b, pid, photo_id = two_shops
    not_found = [
        lambda: catalog.get_product(b, pid),
        lambda: catalog.get_variant(b, "KOPI-0001"),
        lambda: catalog.update_product(b, pid, name="Milik B"),
        lambda: catalog.update_variant(b, "KOPI-0001", price=1),
        lambda: catalog.archive_product(b, pid),
        lambda: catalog.delete_product(b, pid),
        lambda: catalog.has_history(b, pid),
        lambda: catalog.add_variant(b, product_id=pid, option1_value="X"),
        lambda: catalog.add_photo(b, product_id=pid, image_path=tmp_path / "none.png"),
        lambda: catalog.remove_photo(b, photo_id=photo_id),
        lambda: catalog.reorder_photos(b, product_id=pid, photo_ids=[photo_id]),
        lambda: catalog.thumbnail(b, photo_id=photo_id),
        lambda: catalog.list_variants(b, product_id=pid),
        lambda: catalog.rename_category(b, old_name="Kopi", new_name="Milik B"),
    ]
    for call in not_found:
        with pytest.raises(NotFoundError):
            call()
    assert catalog.find_by_code(b, "KOPI-0001") is None
    assert catalog.find_by_code(b, A_BARCODE) is None
    assert catalog.list_products(b, include_archived=True) == []
    assert catalog.list_variants(b, include_archived=True) == []
    assert catalog.list_categories(b) == []
    assert catalog.count_products(b, include_archived=True) == 0
    for text in ("", "kopi", "KOPI-0001", A_BARCODE, "k"):
        assert search.search(b, text, include_archived=True) == []
        assert search.count(b, text, include_archived=True) == 0
    assert search.search(b, "", category="Kopi") == []
    ListingState.update(waiting=False).execute()
    catalog.mark_listing_changed(b, [pid])
    assert not any(s.waiting for s in ListingState.select())
    assert catalog.waiting_products(b, target="shopee") == []
    # and A still has it all
    assert catalog.get_product(a, pid).photos[0].id == photo_id


def test_the_same_sku_and_barcode_may_live_in_both_shops(two_shops):
    a, b, _pid, _photo = two_shops
    mine = catalog.create_product(b, name="Kopi B", price=1_000, sku="KOPI-0001", barcode=A_BARCODE)
    assert catalog.get_variant(b, "KOPI-0001").id == mine.variants[0].id
    assert catalog.get_variant(a, "KOPI-0001").id != mine.variants[0].id
    assert [r.sku for r in search.search(b, "kopi")] == ["KOPI-0001"]
    assert catalog.find_by_code(a, A_BARCODE).product_name != "Kopi B"


def test_import_and_export_stay_in_their_shop(two_shops, tmp_path):
    a, b, _pid, _photo = two_shops
    path = tmp_path / "b.csv"
    path.write_text("sku,name,price,stock\nKOPI-0001,Kopi Milik B,5000,2\n", encoding="utf-8")
    preview = table_io.preview_import(b, path)
    assert [r.action for r in preview.rows] == [table_io.CREATE]  # not an update of A's
    table_io.apply_import(b, path)
    assert catalog.get_variant(a, "KOPI-0001").price == 35_000
    assert catalog.get_variant(a, "KOPI-0001").on_hand == 40
    out = tmp_path / "b-export.csv"
    assert table_io.export_products(b, out) == 1
    assert "Robusta" not in out.read_text("utf-8-sig")
    assert table_io.export_stock(b, tmp_path / "b-stock.xlsx") == 1
    assert Variant.select().where(Variant.shop == a.shop_id).count() == 27


def test_the_operator_cannot_open_the_catalog(operator, seller):
    for call in (
        lambda: catalog.list_products(operator),
        lambda: catalog.create_product(operator, name="X", price=1),
        lambda: search.search(operator, "kopi"),
        lambda: table_io.export_products(operator, "x.csv"),
    ):
        with pytest.raises(AuthError):
            call()


def test_cli_commands_of_b_never_show_a(two_shops, cli, tmp_path):
    _a, _b, pid, photo_id = two_shops
    commands = [
        ("product", "show", pid),
        ("product", "show", "KOPI-0001"),
        ("product", "edit", pid, "--name", "Milik B"),
        ("product", "archive", pid),
        ("product", "photo-remove", photo_id),
        ("product", "photo-order", pid, photo_id),
        ("variant", "edit", "KOPI-0001", "--price", "1"),
        ("variant", "add", pid, "Baru"),
        ("variant", "list", "--product", pid),
    ]
    for command in commands:
        code, out, err = cli(*command, "--seller", "madu", pin=PIN_B)
        assert code == 3, (command, out, err)
        assert "Robusta" not in out
    for command in (
        ("product", "list", "--archived"),
        ("variant", "list", "--archived"),
        ("search", "kopi"),
        ("search", "KOPI-0001"),
    ):
        code, out, _err = cli(*command, "--seller", "madu", pin=PIN_B)
        assert code == 0 and "KOPI" not in out and "Robusta" not in out
    target = tmp_path / "madu.csv"
    code, _out, _err = cli("table-export", "products", "-o", target, "--seller", "madu", pin=PIN_B)
    assert code == 0 and "KOPI" not in target.read_text("utf-8-sig")
    code, out, _err = cli("product", "show", pid, "--seller", "kopi", pin=PIN_A)
    assert code == 0 and "Robusta" in out
