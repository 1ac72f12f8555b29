"""The shared sample catalog (as a seller keeps it) through every target."""

from __future__ import annotations

import csv
import io

from shopdesk.export.bundle import ExportOptions, export_bundle
from shopdesk.export.listing import ListingProduct, ListingVariant
from shopdesk.export.manifest import verify
from shopdesk.money import parse_rupiah
from tests.export.conftest import BASE_URL
from tests.export.factory import SHOP, make_photo


def _products(rows: list[dict], photo_dir) -> list[ListingProduct]:
    by_name: dict[str, list[dict]] = {}
    for row in rows:
        by_name.setdefault(row["name"], []).append(row)
    products = []
    for pid, (name, group) in enumerate(by_name.items(), start=1):
        first = group[0]
        tiered = bool(first["variant_name"])
        sku = first["sku"].rsplit("-", 1)[0] if tiered else first["sku"]
        photo = make_photo(photo_dir / f"{sku}.jpg", (800, 600), colour=(pid * 9 % 255, 120, 80))
        products.append(
            ListingProduct(
                product_id=pid,
                sku=sku,
                name=name,
                variants=tuple(
                    ListingVariant(
                        r["sku"],
                        parse_rupiah(r["price"]),
                        int(r["stock"]),
                        (r["variant_option"],) if tiered else (),
                        r["barcode"],
                    )
                    for r in group
                ),
                option_names=(first["variant_name"],) if tiered else (),
                category=first["category"],
                description=first["description"],
                unit=first["unit"],
                weight_g=int(first["weight_g"]),
                photos=(photo,),
            )
        )
    return products


def test_sample_catalog_exports_to_every_target(shared_data, tmp_path):
    text = (shared_data / "catalog_sample.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    products = _products(rows, tmp_path / "photos")
    assert len(products) == len(rows) - 2  # the chips' three flavours are one product
    stick = tmp_path / "stick"
    stick.mkdir()
    options = ExportOptions(cache_dir=tmp_path / "cache", base_url=BASE_URL, workers=2)
    result = export_bundle(products, shop=SHOP, out_dir=stick, options=options)
    assert verify(result.path).ok
    shopify = list(csv.DictReader(io.StringIO((result.path / "shopify-products.csv").read_text())))
    assert len({r["Handle"] for r in shopify}) == len(products)
    prices = {r["Variant SKU"]: int(r["Variant Price"]) for r in shopify if r["Variant SKU"]}
    assert prices["KOPI-0002"] == 85000 and prices["BTK-0001"] == 1_200_000
    assert prices["KRPK-0001-PED"] == 16000 and prices["TLR-0001"] == 2500
    generic = list(csv.DictReader(io.StringIO((result.path / "products.csv").read_text())))
    assert len(generic) == len(rows)
