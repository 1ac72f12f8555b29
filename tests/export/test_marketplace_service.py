"""A shop's marketplace choices kept once (issue 15, points 1-3): the template copied
into the data, couriers, per-product details, photo address, product lists, ids and
the mass-update files; one shop never sees another's; backups carry them."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from shopdesk import backup, catalog, i18n, stock, store
from shopdesk.errors import NotFoundError, ValidationError
from shopdesk.export import marketplace, mass_update, service
from shopdesk.export.bundle import ExportOptions
from shopdesk.export.sheets import SHOPEE_FILE
from shopdesk.store.models import ListingDetail, ListingTemplate, MarketplaceLink
from tests.conftest import server_admin_url
from tests.export.factory import make_photo
from tests.export.marketplace_files import (
    SHOPEE_BASIC,
    shopee_basic,
    shopee_sales_info,
    tiktok_batch_edit,
)

COL = {k: i for i, (k, _h) in enumerate(SHOPEE_BASIC)}


@pytest.fixture(autouse=True)
def english_after_login(seller):
    """The seller's login chose Indonesian; the asserts read the English ids."""
    i18n.set_language("en")


def _catalog(session, folder):
    coffee = catalog.create_product(
        session, name="Kopi Robusta Temanggung Bubuk", price=35000, category="Kopi",
        sku="KOPI-0001", weight_g=270,
        description="Kopi robusta petik merah dari lereng Gunung Sindoro, disangrai sedang.",
    )  # fmt: skip
    chips = catalog.create_product(
        session, name="Keripik Singkong", price=15000, category="Keripik", option1_name="Rasa",
        variants=[{"option1_value": "Original", "sku": "KRPK-0001-ORI"},
                  {"option1_value": "Balado", "sku": "KRPK-0001-BLD", "price": 16000}],
        description="Keripik singkong tipis dan renyah, digoreng dengan minyak kelapa.",
        weight_g=220,
    )  # fmt: skip
    for product in (coffee, chips):
        photo = make_photo(folder / f"photo-{product.id}.jpg", colour=(120, 60 + product.id, 30))
        catalog.add_photo(session, product_id=product.id, image_path=photo)
    stock.receive(session, sku="KOPI-0001", quantity=40)
    stock.receive(session, sku="KRPK-0001-ORI", quantity=12)
    stock.receive(session, sku="KRPK-0001-BLD", quantity=2)
    return coffee, chips


def test_template_is_kept_per_shop_and_survives_the_stick(seller, seller_b, tmp_path):
    coffee, _chips = _catalog(seller, tmp_path)
    path = shopee_basic(tmp_path / "stick-file.xlsx")
    info = marketplace.set_template(seller, target="shopee", path=path)
    assert [c.name for c in info.couriers] == [
        "Reguler (Cashless)", "Hemat Kargo", "Same Day", "Next Day", "Instant",
    ]  # fmt: skip
    assert info.first_row == 7 and info.weight_unit == "kg" and len(info.categories) == 3
    path.unlink()  # the stick is gone
    marketplace.set_couriers(seller, chosen=["reguler (cashless)", "channel_id.8000"])
    marketplace.set_detail(seller, product_id=coffee.id, dangerous=True, preorder_days=5,
                           shopee_category="100636")  # fmt: skip
    out = tmp_path / "out"
    out.mkdir()
    result = service.export_for_seller(
        seller, out_dir=out, options=ExportOptions(targets=("shopee",), cache_dir=tmp_path / "c")
    )
    ws = load_workbook(result.path / SHOPEE_FILE)["Template"]
    rows = list(ws.iter_rows(min_row=7, values_only=True))
    kopi = next(r for r in rows if r[COL["ps_product_name"]].startswith("Kopi"))
    assert kopi[COL["ps_category"]] == "100636"
    assert kopi[COL["ps_dangerous_goods"]] == "Yes (ID)"
    assert kopi[COL["ps_product_pre_order_dts"]] == 5
    assert kopi[COL["channel_id.8003"]] == "Aktif" and kopi[COL["channel_id.8000"]] == "Aktif"
    assert kopi[COL["channel_id.8005"]] == "Nonaktif"
    assert kopi[COL["ps_weight"]] == pytest.approx(0.27)
    # the other shop has no template, no couriers and cannot touch this product
    assert marketplace.template_info(seller_b, "shopee") is None
    assert marketplace.couriers(seller_b) == []
    with pytest.raises(NotFoundError):
        marketplace.set_detail(seller_b, product_id=coffee.id, dangerous=False)


def test_wrong_files_and_values_change_nothing(seller, tmp_path):
    coffee, _chips = _catalog(seller, tmp_path)
    other = tmp_path / "laporan.xlsx"
    tiktok_batch_edit(other, [])
    with pytest.raises(ValidationError):
        marketplace.set_template(seller, target="shopee", path=other)
    with pytest.raises(ValidationError):
        marketplace.set_template(seller, target="shopee", path=tmp_path / "missing.xlsx")
    assert ListingTemplate.select().count() == 0
    with pytest.raises(NotFoundError):
        marketplace.set_couriers(seller, chosen=["Instant"])
    marketplace.set_template(seller, target="shopee", path=shopee_basic(tmp_path / "t.xlsx"))
    with pytest.raises(ValidationError) as err:
        marketplace.set_couriers(seller, chosen=["Gojek"])
    assert "Reguler (Cashless)" in err.value.message
    for bad in ({"preorder_days": 1}, {"preorder_days": "abc"}, {"shopee_category": "Kopi"}):
        with pytest.raises(ValidationError):
            marketplace.set_detail(seller, product_id=coffee.id, **bad)
    assert marketplace.details(seller) == {}
    with pytest.raises(ValidationError):
        marketplace.set_buffer(seller, "-1")
    assert marketplace.buffer(seller) == 0


def test_categories_are_searched_in_the_templates_list(seller, tmp_path):
    marketplace.set_template(seller, target="shopee", path=shopee_basic(tmp_path / "t.xlsx"))
    info = marketplace.template_info(seller, "shopee")
    assert [c.code for c in marketplace.search_categories(info, "kopi")] == ["100636"]
    found = marketplace.search_categories(info, "makanan ringan")
    assert [(c.code, c.name) for c in found] == [
        ("100780", "Makanan & Minuman > Makanan Ringan > Keripik")
    ]


def _shopee_list(path, item_kopi="1234567890", **over):
    rows = [
        (item_kopi, "Kopi Robusta", 0, "", "", "KOPI-0001", 35000, 10),
        ("2233445566", "Keripik Singkong", "998877001", "Original", "KRPK-0001",
         "KRPK-0001-ORI", 15000, 5),
        ("2233445566", "Keripik Singkong", "998877002", "Balado", "KRPK-0001",
         "KRPK-0001-BLD", 16000, 5),
        ("3344556677", "Madu Lain", 0, "", "", "MADU-9", 90000, 3),
    ]  # fmt: skip
    return shopee_sales_info(path, over.get("rows", rows))


def test_shopee_list_import_and_mass_update(seller, seller_b, tmp_path):
    _catalog(seller, tmp_path)
    path = _shopee_list(tmp_path / "mass_update_sales_info.xlsx")
    preview = mass_update.preview_list(seller, target="shopee", data=path.read_bytes())
    assert [m.status for m in preview.matches] == ["matched", "matched", "matched", "unknown"]
    assert MarketplaceLink.select().count() == 0  # a preview writes nothing
    mass_update.import_list(seller, target="shopee", path=path)
    links = {x.sku: (x.item_id, x.model_id) for x in mass_update.links(seller)}
    assert links == {
        "KOPI-0001": ("1234567890", ""),
        "KRPK-0001-ORI": ("2233445566", "998877001"),
        "KRPK-0001-BLD": ("2233445566", "998877002"),
    }
    assert mass_update.links(seller_b) == []
    stock.remove(seller, sku="KOPI-0001", quantity=3, reason="sold")
    stock.receive(seller, sku="KRPK-0001-ORI", quantity=4, batch_code="LAMA",
                  expires_on="2020-01-31")  # fmt: skip
    marketplace.set_buffer(seller, 2)
    out = tmp_path / "out"
    out.mkdir()
    result = mass_update.write_update(seller, target="shopee", out_dir=out)
    assert result.skipped == ("MADU-9",)
    wb = load_workbook(result.path)
    ws = wb.active
    assert [c.value for c in ws[3]][:3] == ["Kode Produk", "Nama Produk", "Kode Variasi"]
    data = {r[5]: (r[0], r[2], r[6], r[7]) for r in ws.iter_rows(min_row=7, values_only=True)}
    assert data["KOPI-0001"] == ("1234567890", 0, 35000, 35)  # 40 - 3 sold - 2 kept back
    assert data["KRPK-0001-ORI"][2:] == (15000, 10)  # 16 on hand, 4 expired, 2 kept back
    ori = next(x for x in result.lines if x.sku == "KRPK-0001-ORI")
    assert (ori.on_hand, ori.expired, ori.stock) == (16, 4, 10)
    assert data["KRPK-0001-BLD"][2:] == (16000, 0)  # 2 on hand, 2 kept: never below 0
    assert data["MADU-9"][2:] == (90000, 3)  # not ours: as it came
    assert ws["A2"].value == "sales_info" and ws.row_dimensions[1].hidden


def test_tiktok_batch_edit_import_and_update(seller, tmp_path):
    _catalog(seller, tmp_path)
    path = tiktok_batch_edit(tmp_path / "batch_edit.xlsx", [
        ("1729000000000000001", "Kopi Robusta", "1729000000000000101", "", "KOPI-0001", 35000, 1),
        ("1729000000000000002", "Keripik", "1729000000000000102", "Balado", "KRPK-0001-BLD",
         16000, 1),
    ])  # fmt: skip
    mass_update.import_list(seller, target="tiktok", path=path)
    out = tmp_path / "out"
    out.mkdir()
    result = mass_update.write_update(seller, target="tokopedia", out_dir=out)
    wb = load_workbook(result.path)
    assert wb.sheetnames == ["Template", "Instructions"]
    rows = list(wb["Template"].iter_rows(min_row=6, values_only=True))
    assert [(r[4], r[5], r[6]) for r in rows] == [("KOPI-0001", 35000, 40),
                                                   ("KRPK-0001-BLD", 16000, 2)]  # fmt: skip


def test_a_bad_list_names_row_and_column_and_keeps_nothing(seller, tmp_path):
    _catalog(seller, tmp_path)
    rows = [
        ("1234567890", "Kopi", 0, "", "", "KOPI-0001", 35000, 10),
        ("1234567891", "Keripik", "99x", "Original", "", "KRPK-0001-ORI", "lima belas", 5),
        ("1234567892", "Keripik", 0, "Balado", "", "KOPI-0001", 16000, 5),
    ]
    path = _shopee_list(tmp_path / "bad.xlsx", rows=rows)
    with pytest.raises(ValidationError) as err:
        mass_update.import_list(seller, target="shopee", path=path)
    message = err.value.message
    assert "Row 8, column Kode Variasi" in message and "Row 8, column Harga" in message
    assert "Row 9, column SKU: SKU KOPI-0001 is also on row 7" in message
    assert MarketplaceLink.select().count() == 0
    assert marketplace.saved_file(seller, "shopee-update") is None
    with pytest.raises(ValidationError) as err:
        mass_update.import_list(seller, target="shopee", path=shopee_basic(tmp_path / "t.xlsx"))
    assert "et_title_product_id" in err.value.message
    with pytest.raises(ValidationError):
        mass_update.write_update(seller, target="shopee", out_dir=tmp_path)


@pytest.mark.sqlite_only  # shop backups are SQLite files
def test_shop_backup_carries_templates_details_and_ids(seller, seller_b, tmp_path):
    coffee, _chips = _catalog(seller, tmp_path)
    marketplace.set_template(seller, target="shopee", path=shopee_basic(tmp_path / "t.xlsx"))
    marketplace.set_detail(seller, product_id=coffee.id, preorder_days=4)
    mass_update.import_list(seller, target="shopee", path=_shopee_list(tmp_path / "l.xlsx"))
    made = backup.backup_now(seller)
    marketplace.forget_file(seller, "shopee")
    marketplace.set_detail(seller, product_id=coffee.id, preorder_days=0)
    MarketplaceLink.delete().execute()
    backup.restore(seller, path=made.path)
    assert marketplace.template_info(seller, "shopee") is not None
    assert marketplace.detail(seller, coffee.id).preorder_days == 4
    assert len(mass_update.links(seller)) == 3
    assert marketplace.template_info(seller_b, "shopee") is None


@pytest.mark.skipif(not server_admin_url(), reason="row-level security is the server's")
def test_server_row_security_hides_another_shops_marketplace_rows(seller, seller_b, tmp_path):
    coffee, _chips = _catalog(seller, tmp_path)
    marketplace.set_template(seller, target="shopee", path=shopee_basic(tmp_path / "t.xlsx"))
    marketplace.set_detail(seller, product_id=coffee.id, preorder_days=4)
    mass_update.import_list(seller, target="shopee", path=_shopee_list(tmp_path / "l.xlsx"))
    try:
        store.set_shop_scope(seller_b.shop_id)
        # no filter of our own: the server's policies alone hide the other shop's rows
        assert ListingTemplate.select().count() == 0
        assert ListingDetail.select().count() == 0
        assert MarketplaceLink.select().count() == 0
        store.set_shop_scope(seller.shop_id)
        assert ListingTemplate.select().count() == 2 and MarketplaceLink.select().count() == 3
        assert bytes(ListingTemplate.get().data)[:2] == b"PK"  # the xlsx, whole
    finally:
        store.set_shop_scope(None)


def test_the_bundle_offers_what_the_update_offers(seller, tmp_path):
    """The listing's stock (every bundle's Stok column) leaves out expired units and the
    counter's buffer, as the mass-update file does: food past its date is never offered."""
    _catalog(seller, tmp_path)
    stock.receive(seller, sku="KRPK-0001-ORI", quantity=4, batch_code="LAMA",
                  expires_on="2020-01-31")  # fmt: skip
    marketplace.set_buffer(seller, 2)
    offered = {v.sku: v.stock for p in service.listing_products(seller) for v in p.variants}
    assert offered == {"KOPI-0001": 38, "KRPK-0001-ORI": 10, "KRPK-0001-BLD": 0}
