"""The catalog service on a real migrated database."""

from __future__ import annotations

import json

import pytest
from PIL import Image

from shopdesk import audit, catalog, codes, stock
from shopdesk.errors import NotFoundError, ValidationError
from shopdesk.store.models import ListingState
from tests.stock_factories import ean13


def test_product_without_options_has_one_default_variant(seller):
    p = catalog.create_product(
        seller,
        name="Kopi Robusta Temanggung",
        price="Rp 35.000",
        cost="22rb",
        category="Kopi",
        unit="bungkus",
        weight_g=270,
        netto="250 g",
        composition="Biji kopi robusta",
        shelf_life_days=365,
        halal=True,
        pirt_number="206320101012328",
    )
    assert p.category == "Kopi" and p.unit == "bungkus" and p.halal and p.is_food
    assert p.pirt_number == "2063201010123-28"
    [v] = p.variants
    assert (v.sku, v.price, v.cost, v.options) == ("KOPI-0001", 35_000, 22_000, ())
    assert p.sku == "KOPI-0001" and v.name == "Kopi Robusta Temanggung"
    assert catalog.get_variant(seller, "kopi-0001") == v  # typed in lower case


def test_variants_get_readable_skus_and_own_prices(seller):
    p = catalog.create_product(
        seller,
        name="Keripik Singkong",
        price=15_000,
        category="Keripik",
        option1_name="Rasa",
        variants=[
            {"option1_value": "Original"},
            {"option1_value": "Balado", "price": "16.000", "barcode": ean13("200000000009")},
            {"option1_value": "Pedas Daun Jeruk", "sku": "krpk-0001-pds"},
        ],
    )
    skus = [v.sku for v in p.variants]
    assert skus == ["KRPK-0001-ORI", "KRPK-0001-BAL", "KRPK-0001-PDS"]
    assert [v.price for v in p.variants] == [15_000, 16_000, 15_000]
    assert p.variants[1].name == "Keripik Singkong - Balado"
    added = catalog.add_variant(seller, product_id=p.id, option1_value="Keju", price=17_000)
    assert added.sku == "KRPK-0001-KEJ" and added.position == 3
    second = catalog.create_product(seller, name="Keripik Pisang", price=14_000, category="Keripik")
    assert second.sku == "KRPK-0002"


def test_two_options_and_their_rules(seller):
    p = catalog.create_product(
        seller,
        name="Kaos Desa",
        price=60_000,
        category="Pakaian",
        option1_name="Warna",
        option2_name="Ukuran",
        variants=[
            {"option1_value": "Merah", "option2_value": "M"},
            {"option1_value": "Merah", "option2_value": "L"},
        ],
    )
    assert [v.options for v in p.variants] == [("Merah", "M"), ("Merah", "L")]
    with pytest.raises(ValidationError, match=r"same options|sama"):
        catalog.add_variant(seller, product_id=p.id, option1_value="merah", option2_value="m")
    with pytest.raises(ValidationError):
        catalog.add_variant(seller, product_id=p.id, option1_value="Biru")  # no size
    plain = catalog.create_product(seller, name="Gula Aren", price=25_000)
    with pytest.raises(ValidationError):
        catalog.add_variant(seller, product_id=plain.id, option1_value="Besar")
    with pytest.raises(ValidationError):
        catalog.create_product(seller, name="X", price=1, option2_name="Ukuran")


def test_duplicate_sku_and_barcode_are_refused(seller):
    code = ean13("899123456789")  # a real member code may be typed in
    catalog.create_product(seller, name="Teh", price=10_000, sku="TEH-1", barcode=code)
    with pytest.raises(ValidationError, match="TEH-1"):
        catalog.create_product(seller, name="Teh 2", price=10_000, sku="teh-1")
    with pytest.raises(ValidationError, match=code):
        catalog.create_product(seller, name="Teh 3", price=10_000, barcode=code)
    other = catalog.create_product(seller, name="Teh 4", price=10_000)
    with pytest.raises(ValidationError):
        catalog.update_variant(seller, other.variants[0].sku, sku="TEH-1")
    assert catalog.count_products(seller) == 2


@pytest.mark.parametrize(
    ("code", "ok"),
    [
        ("2000000000015", True),
        ("8991234567895", False),  # wrong check digit
        (" 2000000000015 ", True),
        ("KOPI-0001", True),  # Code 128 text
        ("8.99123E+12", False),  # mangled by Excel
        ("8,99123E+12", False),
        ("kopi 😀", False),
        ("x" * 49, False),
    ],
)
def test_barcode_rules(code, ok):
    if ok:
        assert codes.normalize_barcode(code)
    else:
        with pytest.raises(ValidationError):
            codes.normalize_barcode(code)


def test_excel_number_message_says_so():
    with pytest.raises(ValidationError) as info:
        codes.normalize_barcode("8.99123E+12")
    assert "Excel" in info.value.message


def test_check_digit_weights():
    # 1,3 from the left: 4006381333931 is a textbook EAN-13.
    assert codes.is_valid_ean13("4006381333931")
    assert not codes.is_valid_ean13("4006381333932")
    assert codes.ean13_check_digit("899123456789") == int(ean13("899123456789")[-1])


def test_sku_prefixes_are_readable():
    assert codes.sku_prefix("Kopi") == "KOPI"
    assert codes.sku_prefix("Keripik") == "KRPK"
    assert codes.sku_prefix("Sambal Bawang") == "SMBL"
    assert codes.sku_prefix("Teh") == "TEH"
    assert codes.sku_prefix("Ëmping") == "EMPN"
    assert codes.sku_prefix("") == "PRD"
    assert codes.sku_prefix("😀") == "PRD"


def test_update_product_and_variant_are_audited(seller):
    p = catalog.create_product(seller, name="Madu", price=100_000, category="Madu")
    sku = p.variants[0].sku
    catalog.update_product(seller, p.id, name="Madu Hutan", category="Madu Hutan", weight_g=650)
    catalog.update_variant(seller, sku, price="120rb", cost=80_000)
    info = catalog.get_product(seller, p.id)
    assert (info.name, info.category, info.weight_g) == ("Madu Hutan", "Madu Hutan", 650)
    assert info.variants[0].price == 120_000
    actions = {e.action: e.data for e in audit.entries(seller)}
    assert actions["variant.price"] == {"sku": sku, "old": 100_000, "new": 120_000}
    assert actions["product.update"]["changes"]["name"] == ["Madu", "Madu Hutan"]
    with pytest.raises(ValidationError):
        catalog.update_product(seller, p.id, colour="red")
    with pytest.raises(ValidationError):
        catalog.update_variant(seller, sku, price="-5")


def test_every_change_marks_the_listing_waiting_for_every_target(seller):
    p = catalog.create_product(seller, name="Sambal", price=22_000)
    states = ListingState.select().where(ListingState.product == p.id)
    assert sorted(s.target for s in states) == sorted(catalog.LISTING_TARGETS)
    ListingState.update(waiting=False).execute()
    catalog.update_variant(seller, p.variants[0].sku, price=23_000)
    assert catalog.waiting_products(seller, target="shopee") == [p.id]
    assert all(s.waiting for s in ListingState.select())


def test_archive_keeps_history_and_delete_is_refused_with_history(seller):
    p = catalog.create_product(seller, name="Dodol", price=28_000)
    stock.receive(seller, sku=p.variants[0].sku, quantity=5)
    with pytest.raises(ValidationError, match="Dodol"):
        catalog.delete_product(seller, p.id)
    archived = catalog.archive_product(seller, p.id)
    assert archived.archived and archived.variants[0].archived
    assert catalog.list_products(seller) == []
    assert [x.id for x in catalog.list_products(seller, include_archived=True)] == [p.id]
    assert catalog.archive_product(seller, p.id, archived=False).archived is False
    fresh = catalog.create_product(seller, name="Salah ketik", price=1_000)
    catalog.delete_product(seller, fresh.id)
    with pytest.raises(NotFoundError):
        catalog.get_product(seller, fresh.id)


def test_find_by_code_for_scanners(seller):
    code = ean13("200000000123")
    p = catalog.create_product(seller, name="Gula Semut", price=18_000, barcode=code)
    assert catalog.find_by_code(seller, code).id == p.variants[0].id
    assert catalog.find_by_code(seller, p.variants[0].sku.lower()).id == p.variants[0].id
    assert catalog.find_by_code(seller, "nothing") is None
    assert catalog.find_by_code(seller, "") is None


def test_bad_fields_give_clear_messages(seller):
    for kwargs in (
        {"name": "", "price": 1},
        {"name": "A\x00B", "price": 1},
        {"name": "A", "price": "lima ribu"},
        {"name": "A", "price": 1, "weight_g": -1},
        {"name": "A", "price": 1, "shelf_life_days": "setahun"},
        {"name": "A", "price": 1, "sku": "KO PI"},
        {"name": "A", "price": 1, "pirt_number": "123"},
        {"name": "A" * 201, "price": 1},
    ):
        with pytest.raises(ValidationError):
            catalog.create_product(seller, **kwargs)
    assert catalog.count_products(seller, include_archived=True) == 0


# --- photos -------------------------------------------------------------------


def _jpeg(path, size=(40, 20), colour=(200, 50, 50), orientation=None):
    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    image.save(path, "JPEG", exif=exif.tobytes())
    return path


def test_photos_are_stored_upright_once_ordered_and_removable(seller, tmp_path):
    p = catalog.create_product(seller, name="Tas Pandan", price=150_000, is_food=False)
    first = catalog.add_photo(seller, product_id=p.id, image_path=_jpeg(tmp_path / "a.jpg"))
    rotated = catalog.add_photo(
        seller,
        product_id=p.id,
        image_path=_jpeg(tmp_path / "b.jpg", colour=(0, 90, 0), orientation=6),
    )
    assert (rotated.width, rotated.height) == (20, 40)  # EXIF orientation applied
    again = catalog.add_photo(seller, product_id=p.id, image_path=_jpeg(tmp_path / "c.jpg"))
    assert again.filename == first.filename  # same content, stored once
    assert catalog.photos.photo_file(seller, first).exists()
    order = [again.id, first.id, rotated.id]
    catalog.reorder_photos(seller, product_id=p.id, photo_ids=order)
    assert [ph.id for ph in catalog.get_product(seller, p.id).photos] == order
    with pytest.raises(ValidationError):
        catalog.reorder_photos(seller, product_id=p.id, photo_ids=[first.id])
    thumb = catalog.thumbnail(seller, photo_id=rotated.id, size=256)
    assert "thumbs" in thumb.parts and Image.open(thumb).size == (20, 40)
    catalog.remove_photo(seller, photo_id=again.id)
    photos = catalog.get_product(seller, p.id).photos
    assert [(ph.id, ph.position) for ph in photos] == [(first.id, 0), (rotated.id, 1)]


def test_corrupt_and_bomb_photos_are_refused(seller, tmp_path):
    p = catalog.create_product(seller, name="Tampah", price=55_000)
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff not really a jpeg")
    with pytest.raises(ValidationError):
        catalog.add_photo(seller, product_id=p.id, image_path=broken)
    bomb = tmp_path / "bomb.png"
    Image.new("1", (9000, 9000)).save(bomb)  # 81 megapixels, a small file
    with pytest.raises(ValidationError):
        catalog.add_photo(seller, product_id=p.id, image_path=bomb)
    assert catalog.get_product(seller, p.id).photos == ()


def test_audit_details_are_json(seller):
    catalog.create_product(seller, name="Emping", price=45_000)
    entry = audit.entries(seller)[0]
    assert entry.action == "product.create"
    json.dumps(entry.data)


def test_a_plain_product_can_grow_options(seller):
    p = catalog.create_product(seller, name="Sambal Bawang", price=22_000, category="Sambal")
    sku = p.variants[0].sku
    catalog.update_product(seller, p.id, option1_name="Level")
    catalog.update_variant(seller, sku, option1_value="Sedang")
    hot = catalog.add_variant(seller, product_id=p.id, option1_value="Pedas", price=23_000)
    info = catalog.get_product(seller, p.id)
    assert [v.options for v in info.variants] == [("Sedang",), ("Pedas",)]
    assert hot.sku == f"{sku}-PED"
    with pytest.raises(ValidationError):
        catalog.update_product(seller, p.id, option1_name="")  # two variants need a name
