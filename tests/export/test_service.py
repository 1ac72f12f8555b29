"""Listing bundles for a seller: catalog rows, shop isolation, the outbox, the CLI."""

from __future__ import annotations

import csv
import io
import json

import pytest

from shopdesk import catalog, i18n
from shopdesk.errors import NotFoundError, StorageError, ValidationError
from shopdesk.export import service
from shopdesk.export.bundle import ExportOptions
from shopdesk.export.manifest import verify
from shopdesk.store.models import Bundle, ListingState
from tests.conftest import PIN_A
from tests.export.factory import make_photo


def _catalog(session, photo_dir):
    coffee = catalog.create_product(
        session,
        name="Kopi Robusta Temanggung Bubuk",
        price="Rp 35.000",
        category="Kopi",
        unit="bungkus",
        sku="KOPI-0001",
        barcode="2000000000015",
        description="Kopi robusta petik merah dari lereng Gunung Sindoro, disangrai sedang.",
        weight_g=270,
    )
    catalog.add_photo(session, product_id=coffee.id, image_path=make_photo(photo_dir / "kopi.jpg"))
    chips = catalog.create_product(
        session,
        name="Keripik Singkong",
        price=15000,
        category="Keripik",
        unit="bungkus",
        option1_name="Rasa",
        variants=[{"option1_value": "Original"}, {"option1_value": "Balado", "price": 16000}],
        description="Keripik singkong tipis dan renyah, digoreng dengan minyak kelapa.",
        weight_g=220,
    )
    catalog.add_photo(
        session,
        product_id=chips.id,
        image_path=make_photo(photo_dir / "krpk.jpg", colour=(200, 80, 60)),
    )
    return coffee, chips


def _options(tmp_path, **kw):
    return ExportOptions(cache_dir=tmp_path / "cache", workers=1, **kw)


def test_listing_products_are_the_sellers_own(seller, seller_b, tmp_path):
    coffee, chips = _catalog(seller, tmp_path)
    catalog.create_product(seller_b, name="Madu Hutan Sumbawa", price=120000, category="Madu")
    mine = service.listing_products(seller)
    assert [p.name for p in mine] == ["Keripik Singkong", "Kopi Robusta Temanggung Bubuk"]
    chips_listing = mine[0]
    assert chips_listing.option_names == ("Rasa",)
    assert [v.options for v in chips_listing.variants] == [("Original",), ("Balado",)]
    assert mine[1].variants[0].price == 35000 and mine[1].photos[0].is_file()
    theirs = service.listing_products(seller_b)
    assert [p.name for p in theirs] == ["Madu Hutan Sumbawa"]
    # asking for another shop's product ids gives nothing
    assert service.listing_products(seller_b, product_ids=[coffee.id, chips.id]) == []


def test_export_marks_the_outbox_and_changed_only(seller, seller_b, tmp_path):
    coffee, _chips = _catalog(seller, tmp_path)
    catalog.create_product(seller_b, name="Madu Hutan Sumbawa", price=120000, category="Madu")
    stick = tmp_path / "stick"
    stick.mkdir()
    waiting = {c.target: c.waiting for c in service.waiting_counts(seller)}
    assert waiting["meta"] == 2
    result = service.export_for_seller(
        seller,
        out_dir=stick,
        options=_options(tmp_path, targets=("meta", "generic"), base_url="https://k.example.id"),
    )
    assert verify(result.path).ok
    data = json.loads((result.path / "products.json").read_text(encoding="utf-8"))
    assert {p["name"] for p in data["products"]} == {
        "Kopi Robusta Temanggung Bubuk",
        "Keripik Singkong",
    }  # fmt: skip  (no product of the other seller)
    waiting = {c.target: c.waiting for c in service.waiting_counts(seller)}
    assert waiting["meta"] == 0 and waiting["generic"] == 0 and waiting["shopee"] == 2
    row = ListingState.get((ListingState.product == coffee.id) & (ListingState.target == "meta"))
    assert row.exported_bundle == result.bundle_id and not row.waiting
    assert Bundle.get(Bundle.bundle_id == result.bundle_id).shop_id == seller.shop_id
    assert {c.target: c.waiting for c in service.waiting_counts(seller_b)}["meta"] == 1

    catalog.update_product(seller, coffee.id, description="Kopi robusta baru disangrai pagi ini.")
    again = service.export_for_seller(
        seller,
        out_dir=stick,
        options=_options(tmp_path, targets=("meta",), base_url="https://k.example.id"),
        changed_only=True,
    )
    text = (again.path / "meta-catalog.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["id"] for r in rows] == ["KOPI-0001"]
    assert again.photos_processed == 0
    assert again.manifest["product_count"] == 2  # the site and PDF stay whole
    assert (again.path / "p" / "krpk-0001.html").is_file()


def test_failed_export_leaves_the_outbox_unchanged(seller, tmp_path):
    _catalog(seller, tmp_path)
    before = [(r.product_id, r.target, r.waiting) for r in ListingState.select()]
    with pytest.raises(StorageError) as err:
        service.export_for_seller(
            seller, out_dir=tmp_path / "no-such-stick", options=_options(tmp_path)
        )
    assert "no-such-stick" in err.value.message
    after = [(r.product_id, r.target, r.waiting) for r in ListingState.select()]
    assert before == after and Bundle.select().count() == 0


def test_cli_export_verify_show_set_url(seller, cli, tmp_path):
    _catalog(seller, tmp_path)
    stick = tmp_path / "stick"
    stick.mkdir()
    code, out, err = cli(
        "--lang", "en", "export", "--seller", "kopi", "--check", "--targets", "shopee,meta",
        pin=PIN_A,
    )  # fmt: skip
    assert code in (0, 1), err
    assert "base URL" in out and list(stick.iterdir()) == []
    code, out, err = cli(
        "--lang", "en", "export", "--seller", "kopi", "--targets", "shopify,meta,generic",
        "--zip", "-o", stick, pin=PIN_A,
    )  # fmt: skip
    assert code == 0, err
    assert "safe to remove" not in out  # tmp_path is no stick: nothing to pull out
    [bundle] = list(stick.iterdir())
    code, out, _err = cli("--lang", "en", "bundle", "verify", bundle)
    assert code == 0 and "intact" in out
    code, out, _err = cli("--lang", "en", "bundle", "set-url", bundle, "--base-url",
                          "https://kopi.example.id/katalog")  # fmt: skip
    assert code == 0
    code, out, _err = cli("--lang", "en", "bundle", "show", bundle, "--json")
    info = json.loads(out)
    assert info["ok"] and info["base_url"] == "https://kopi.example.id/katalog"
    code, out, _err = cli("--lang", "en", "bundle", "waiting", "--seller", "kopi", pin=PIN_A)
    assert code == 0 and "Shopee" in out
    code, out, _err = cli("--lang", "en", "bundle", "list", "--seller", "kopi", pin=PIN_A)
    assert code == 0 and bundle.name in out
    with open(bundle, "r+b") as handle:
        handle.truncate(bundle.stat().st_size - 100)
    code, _out, err = cli("--lang", "en", "bundle", "verify", bundle)
    assert code == 6 and "damaged" in err


def test_export_to_a_read_only_stick_keeps_the_outbox(seller, readonly_dir, tmp_path):
    _catalog(seller, tmp_path)
    before = [(r.product_id, r.target, r.waiting) for r in ListingState.select()]
    with pytest.raises(StorageError):
        service.export_for_seller(seller, out_dir=readonly_dir, options=_options(tmp_path))
    assert [(r.product_id, r.target, r.waiting) for r in ListingState.select()] == before
    assert list(readonly_dir.iterdir()) == []


def test_category_codes_fill_the_marketplace_column(seller, seller_b, tmp_path):
    _catalog(seller, tmp_path)
    service.set_category_code(seller, target="shopee", category="Kopi", code="100636")
    with pytest.raises(NotFoundError):
        service.set_category_code(seller_b, target="shopee", category="Kopi", code="1")
    with pytest.raises(ValidationError):
        service.set_category_code(seller, target="shopee", category="Kopi", code="kopi")
    assert service.category_codes(seller)["shopee"] == {"Kopi": "100636"}
    by_name = {p.name: p for p in service.listing_products(seller)}
    assert by_name["Kopi Robusta Temanggung Bubuk"].category_codes == {"shopee": "100636"}
    assert by_name["Keripik Singkong"].category_codes == {}
    i18n.set_language("en")  # the seller fixture chose Indonesian
    prepared = service.check_export(seller, options=_options(tmp_path, targets=("shopee",)))
    notes = [i.sku for i in prepared.issues if "category code" in i.message]
    assert notes == ["KRPK-0001"]
