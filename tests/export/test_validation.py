"""Per-target checks: each problem names the product and what to fix."""

from __future__ import annotations

from dataclasses import replace

from shopdesk.export.bundle import ExportOptions, prepare
from shopdesk.export.listing import ListingVariant
from tests.export.factory import SHOP


def _issues(products, options, target):
    prepared = prepare(products, shop=SHOP, options=options)
    return prepared, [i for i in prepared.issues if i.target == target]


def test_emoji_long_names_html_and_tabs(products, options):
    emoji = replace(products[0], name="Kopi Mantap ☕🔥")
    long = replace(products[1], name="Kopi " + "x" * 295)
    html = replace(
        products[2],
        description="<p>Keripik <b>renyah</b></p>\tGurih &amp; pedas<script>x</script><br>Enak",
    )
    prepared, shopee = _issues([emoji, long, html, *products[3:]], options, "shopee")
    errors = {(i.sku, i.level) for i in shopee if i.level == "error"}
    assert ("KOPI-0001", "error") in errors and ("KOPI-0002", "error") in errors
    assert any("emoji" in i.message.lower() for i in shopee if i.sku == "KOPI-0001")
    assert any("300 characters" in i.message and "255" in i.message for i in shopee)
    # errors only leave the product out of the targets that refuse it
    ids = {t: {i.product.product_id for i in v} for t, v in prepared.included.items()}
    assert 1 not in ids["shopee"] and 1 not in ids["google"] and 1 in ids["shopify"]
    assert 2 not in ids["tokopedia"] and 2 in ids["generic"]
    cleaned = next(i for i in prepared.items if i.product.product_id == 3)
    assert "<" not in cleaned.description and "\t" not in cleaned.description
    assert "Gurih & pedas" in cleaned.description and "x" not in cleaned.description.split()
    assert any(i.level == "warning" and "HTML" in i.message for i in shopee if i.sku == "KRPK-0001")
    assert 3 in ids["shopee"]  # a warning does not block


def test_price_weight_stock_and_photo_rules(products, options):
    cheap = replace(products[0], variants=(ListingVariant("KOPI-0001", 50, 3),))
    heavy = replace(products[1], weight_g=0)
    no_photo = replace(products[4], photos=())
    prepared, shopee = _issues([cheap, heavy, no_photo], options, "shopee")
    messages = {i.sku: [m.message for m in shopee if m.sku == i.sku] for i in shopee}
    assert any("50" in m and "99" in m for m in messages["KOPI-0001"])
    assert any("weight" in m for m in messages["KOPI-0002"])
    assert any("photo" in m for m in messages["0TLR-0001"])
    assert prepared.included["shopee"] == []
    assert len(prepared.included["generic"]) == 3


def test_missing_base_url_is_said_once_per_target(products, cache_dir):
    prepared = prepare(products, shop=SHOP, options=ExportOptions(cache_dir=cache_dir))
    url_notes = [i for i in prepared.issues if "base URL" in i.message]
    assert {i.target for i in url_notes} == {
        "shopee", "tokopedia", "shopify", "woocommerce", "meta", "google",
    }  # fmt: skip
    assert all(i.level == "warning" and i.product_id is None for i in url_notes)


def test_bad_base_url_and_unknown_target(products, cache_dir):
    import pytest

    from shopdesk.errors import ValidationError
    from shopdesk.export.bundle import parse_targets

    with pytest.raises(ValidationError):
        prepare(
            products,
            shop=SHOP,
            options=ExportOptions(cache_dir=cache_dir, base_url="toko saya, desa"),
        )
    with pytest.raises(ValidationError) as err:
        parse_targets("shopee,lazada")
    assert "lazada" in err.value.message
    assert parse_targets("tiktok, meta") == ("tokopedia", "meta")
