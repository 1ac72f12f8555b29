"""CSV and JSON targets: Shopify, WooCommerce, Meta, Google Merchant Center, generic.

Each writer takes the products that passed validation for its target and
returns the file's bytes. CSV is UTF-8, comma separated, RFC 4180 quoting with
CRLF line ends; a BOM only when asked for. Every cell goes through
``shopdesk.tabular`` (``csv_bytes``, ``neutralise``), so that no product text
becomes a live formula when a spreadsheet opens the file.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from shopdesk.export.listing import ListingVariant
from shopdesk.export.manifest import JsonObject
from shopdesk.export.prepared import Context, PreparedProduct
from shopdesk.export.text import one_line
from shopdesk.tabular import csv_bytes, neutralise

SHOPIFY_HEADERS = [
    "Handle", "Title", "Body (HTML)", "Vendor", "Product Category", "Type", "Tags", "Published",
    "Option1 Name", "Option1 Value", "Option2 Name", "Option2 Value", "Option3 Name",
    "Option3 Value", "Variant SKU", "Variant Grams", "Variant Inventory Tracker",
    "Variant Inventory Qty", "Variant Inventory Policy", "Variant Fulfillment Service",
    "Variant Price", "Variant Compare At Price", "Variant Requires Shipping", "Variant Taxable",
    "Variant Barcode", "Image Src", "Image Position", "Image Alt Text", "Gift Card", "SEO Title",
    "SEO Description", "Variant Image", "Variant Weight Unit", "Variant Tax Code",
    "Cost per item", "Status",
]  # fmt: skip

WOO_HEADERS = [
    "ID", "Type", "SKU", "Name", "Published", "Is featured?", "Visibility in catalog",
    "Short description", "Description", "Date sale price starts", "Date sale price ends",
    "Tax status", "Tax class", "In stock?", "Stock", "Low stock amount", "Backorders allowed?",
    "Sold individually?", "Weight (kg)", "Length (cm)", "Width (cm)", "Height (cm)",
    "Allow customer reviews?", "Purchase note", "Sale price", "Regular price", "Categories",
    "Tags", "Shipping class", "Images", "Download limit", "Download expiry days", "Parent",
    "Grouped products", "Upsells", "Cross-sells", "External URL", "Button text", "Position",
    "Attribute 1 name", "Attribute 1 value(s)", "Attribute 1 visible", "Attribute 1 global",
    "Attribute 1 default",
]  # fmt: skip
WOO_ATTRIBUTE_2 = [
    "Attribute 2 name", "Attribute 2 value(s)", "Attribute 2 visible", "Attribute 2 global",
    "Attribute 2 default",
]  # fmt: skip

META_HEADERS = [
    "id", "title", "description", "availability", "condition", "price", "link", "image_link",
    "brand", "additional_image_link", "item_group_id", "quantity_to_sell_on_facebook",
    "shipping_weight",
]  # fmt: skip

GOOGLE_HEADERS = [
    "id", "title", "description", "link", "image_link", "additional_image_link", "availability",
    "price", "brand", "condition", "gtin", "identifier_exists", "item_group_id", "product_type",
    "shipping_weight",
]  # fmt: skip

GENERIC_HEADERS = [
    "product_id", "product_sku", "name", "category", "description", "unit", "weight_g",
    "length_cm", "width_cm", "height_cm", "variant_sku", "option1_name", "option1_value",
    "option2_name", "option2_value", "price", "stock", "barcode", "images", "image_urls",
    "page", "page_url",
]  # fmt: skip

FILENAMES = {
    "shopify": "shopify-products.csv",
    "woocommerce": "woocommerce-products.csv",
    "meta": "meta-catalog.csv",
    "google": "google-merchant.tsv",
    "generic": "products.csv",
}
GENERIC_JSON = "products.json"


@dataclass(frozen=True)
class TargetFile:
    name: str  # path inside the bundle
    data: bytes
    rows: int  # data rows written


def _tier_value(variant: ListingVariant, tier: int) -> str:
    return variant.options[tier] if len(variant.options) > tier else ""


def _body_html(text: str) -> str:
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    return "".join("<p>" + html.escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs)


# --- Shopify ---------------------------------------------------------------


def shopify(items: Sequence[PreparedProduct], ctx: Context) -> TargetFile:
    rows: list[list[object]] = []
    for item in items:
        rows.extend(_shopify_rows(item, ctx))
    data = csv_bytes(SHOPIFY_HEADERS, rows, bom=bool(ctx.options.get("bom_shopify")))
    return TargetFile(FILENAMES["shopify"], data, len(rows))


def _shopify_rows(item: PreparedProduct, ctx: Context) -> list[list[object]]:
    product = item.product
    images = ctx.image_urls(item)[:250]
    names = list(product.option_names) or ["Title"]
    rows: list[list[object]] = []
    for index, variant in enumerate(product.variants):
        row: dict[str, object] = dict.fromkeys(SHOPIFY_HEADERS, "")
        row["Handle"] = item.handle
        if index == 0:
            row.update(
                {
                    "Title": item.name,
                    "Body (HTML)": _body_html(item.description),
                    "Vendor": ctx.shop.name,
                    "Type": product.category,
                    "Tags": product.category,
                    "Published": "TRUE",
                    "Gift Card": "FALSE",
                    "SEO Title": item.name[:70],
                    "SEO Description": one_line(item.description)[:320],
                    "Status": "active",
                }
            )
        for tier in range(3):
            if tier < len(names):
                if index == 0:
                    row[f"Option{tier + 1} Name"] = names[tier]
                value = _tier_value(variant, tier) if product.has_variants else "Default Title"
                row[f"Option{tier + 1} Value"] = value
        row.update(
            {
                "Variant SKU": variant.sku,
                "Variant Grams": product.weight_g,
                "Variant Inventory Tracker": "shopify",
                "Variant Inventory Qty": variant.stock,
                "Variant Inventory Policy": "deny",
                "Variant Fulfillment Service": "manual",
                "Variant Price": variant.price,
                "Variant Requires Shipping": "TRUE",
                "Variant Taxable": "TRUE",
                "Variant Barcode": variant.barcode,
                "Variant Weight Unit": "g",
            }
        )
        if index < len(images):
            row.update(_shopify_image(images[index], index, item.name))
        rows.append([row[h] for h in SHOPIFY_HEADERS])
    for index in range(len(product.variants), len(images)):
        row = dict.fromkeys(SHOPIFY_HEADERS, "")
        row["Handle"] = item.handle
        row.update(_shopify_image(images[index], index, item.name))
        rows.append([row[h] for h in SHOPIFY_HEADERS])
    return rows


def _shopify_image(url: str, index: int, alt: str) -> dict[str, object]:
    return {"Image Src": url, "Image Position": index + 1, "Image Alt Text": alt}


# --- WooCommerce -------------------------------------------------------------


def woocommerce(items: Sequence[PreparedProduct], ctx: Context) -> TargetFile:
    two_tiers = any(len(i.product.option_names) > 1 for i in items)
    headers = WOO_HEADERS + (WOO_ATTRIBUTE_2 if two_tiers else [])
    rows: list[list[object]] = []
    for item in items:
        for row in _woo_rows(item, ctx):
            rows.append([row.get(h, "") for h in headers])
    data = csv_bytes(headers, rows, bom=bool(ctx.options.get("bom_woocommerce")))
    return TargetFile(FILENAMES["woocommerce"], data, len(rows))


def _kg(grams: int) -> str:
    return f"{grams / 1000:.3f}".rstrip("0").rstrip(".") if grams else ""


def _woo_base(item: PreparedProduct, ctx: Context) -> dict[str, object]:
    product = item.product
    dims = (product.length_cm, product.width_cm, product.height_cm)
    full = all(dims)
    return {
        "SKU": product.sku,
        "Name": item.name,
        "Published": 1,
        "Is featured?": 0,
        "Visibility in catalog": "visible",
        "Short description": one_line(item.description)[:160],
        "Description": item.description,
        "Tax status": "taxable",
        "In stock?": 1 if product.total_stock > 0 else 0,
        "Backorders allowed?": 0,
        "Sold individually?": 0,
        "Weight (kg)": _kg(product.weight_g),
        "Length (cm)": product.length_cm if full else "",
        "Width (cm)": product.width_cm if full else "",
        "Height (cm)": product.height_cm if full else "",
        "Allow customer reviews?": 1,
        "Categories": product.category,
        "Images": ", ".join(ctx.image_urls(item)),
        "Position": 0,
    }


def _woo_rows(item: PreparedProduct, ctx: Context) -> list[dict[str, object]]:
    product = item.product
    base = _woo_base(item, ctx)
    if not product.has_variants:
        variant = product.variants[0]
        return [
            {
                **base,
                "Type": "simple",
                "SKU": variant.sku,
                "Stock": variant.stock,
                "In stock?": 1 if variant.stock > 0 else 0,
                "Regular price": variant.price,
            }
        ]
    parent = {**base, "Type": "variable"}
    for tier, name in enumerate(product.option_names[:2]):
        values: list[str] = []
        for v in product.variants:
            if _tier_value(v, tier) not in values:
                values.append(_tier_value(v, tier))
        parent[f"Attribute {tier + 1} name"] = name
        parent[f"Attribute {tier + 1} value(s)"] = ", ".join(values)
        parent[f"Attribute {tier + 1} visible"] = 1
        parent[f"Attribute {tier + 1} global"] = 0
        parent[f"Attribute {tier + 1} default"] = values[0] if values else ""
    rows = [parent]
    for position, variant in enumerate(product.variants, start=1):
        label = " - ".join(variant.options)
        row: dict[str, object] = {
            "Type": "variation",
            "SKU": variant.sku,
            "Name": f"{item.name} - {label}",
            "Published": 1,
            "Tax status": "taxable",
            "Tax class": "parent",
            "In stock?": 1 if variant.stock > 0 else 0,
            "Stock": variant.stock,
            "Backorders allowed?": 0,
            "Regular price": variant.price,
            "Parent": product.sku,
            "Position": position,
        }
        for tier, name in enumerate(product.option_names[:2]):
            row[f"Attribute {tier + 1} name"] = name
            row[f"Attribute {tier + 1} value(s)"] = _tier_value(variant, tier)
            row[f"Attribute {tier + 1} global"] = 0
        rows.append(row)
    return rows


# --- Meta and Google ---------------------------------------------------------


def _variant_title(item: PreparedProduct, variant: ListingVariant) -> str:
    if not item.product.has_variants:
        return item.name
    return f"{item.name} - {' '.join(variant.options)}"


def meta(items: Sequence[PreparedProduct], ctx: Context) -> TargetFile:
    rows: list[list[object]] = []
    for item in items:
        product = item.product
        images = ctx.image_urls(item)
        for variant in product.variants:
            rows.append(
                [
                    variant.sku,
                    _variant_title(item, variant)[:200],
                    item.description,
                    "in stock" if variant.stock > 0 else "out of stock",
                    "new",
                    f"{variant.price} IDR",
                    ctx.page_url(item),
                    images[0] if images else "",
                    ctx.shop.name[:100],
                    ",".join(images[1:21]),
                    product.sku if product.has_variants else "",
                    variant.stock,
                    f"{product.weight_g} g" if product.weight_g else "",
                ]
            )
    data = csv_bytes(META_HEADERS, rows, bom=bool(ctx.options.get("bom_meta")))
    return TargetFile(FILENAMES["meta"], data, len(rows))


def _tsv_cell(value: object) -> str:
    return neutralise(one_line(str(value).replace("\n", " ").replace("\t", " ")))


def google(items: Sequence[PreparedProduct], ctx: Context) -> TargetFile:
    lines = ["\t".join(GOOGLE_HEADERS)]
    for item in items:
        product = item.product
        images = ctx.image_urls(item)
        for variant in product.variants:
            cells = [
                variant.sku,
                _variant_title(item, variant)[:150],
                item.description[:5000],
                ctx.page_url(item),
                images[0] if images else "",
                ",".join(images[1:11]),
                "in_stock" if variant.stock > 0 else "out_of_stock",
                f"{variant.price} IDR",
                ctx.shop.name,
                "new",
                variant.barcode,
                "yes" if variant.barcode else "no",
                product.sku if product.has_variants else "",
                product.category,
                f"{product.weight_g} g" if product.weight_g else "",
            ]
            lines.append("\t".join(_tsv_cell(c) for c in cells))
    text = "\n".join(lines) + "\n"
    data = text.encode("utf-8-sig" if ctx.options.get("bom_google") else "utf-8")
    return TargetFile(FILENAMES["google"], data, len(lines) - 1)


# --- generic CSV and JSON ----------------------------------------------------


def generic(items: Sequence[PreparedProduct], ctx: Context) -> TargetFile:
    rows: list[list[object]] = []
    for item in items:
        product = item.product
        names = [*product.option_names, "", ""]
        for variant in product.variants:
            rows.append(
                [
                    product.product_id,
                    product.sku,
                    item.name,
                    product.category,
                    item.description,
                    product.unit,
                    product.weight_g,
                    product.length_cm,
                    product.width_cm,
                    product.height_cm,
                    variant.sku,
                    names[0],
                    _tier_value(variant, 0),
                    names[1],
                    _tier_value(variant, 1),
                    variant.price,
                    variant.stock,
                    variant.barcode,
                    " ".join(item.images),
                    " ".join(ctx.image_urls(item)),
                    item.page,
                    ctx.page_url(item),
                ]
            )
    data = csv_bytes(GENERIC_HEADERS, rows, bom=bool(ctx.options.get("bom_generic")))
    return TargetFile(FILENAMES["generic"], data, len(rows))


def product_record(item: PreparedProduct, ctx: Context) -> dict[str, object]:
    """Everything about one product: the generic JSON and the source for set-url."""
    product = item.product
    return {
        "product_id": product.product_id,
        "sku": product.sku,
        "name": item.name,
        "category": product.category,
        "category_codes": dict(product.category_codes),
        "description": item.description,
        "unit": product.unit,
        "weight_g": product.weight_g,
        "length_cm": product.length_cm,
        "width_cm": product.width_cm,
        "height_cm": product.height_cm,
        "dangerous": product.dangerous,
        "preorder_days": product.preorder_days,
        "option_names": list(product.option_names),
        "variants": [
            {
                "sku": v.sku,
                "options": list(v.options),
                "price": v.price,
                "stock": v.stock,
                "barcode": v.barcode,
            }
            for v in product.variants
        ],
        "handle": item.handle,
        "images": list(item.images),
        "thumbs": list(item.thumbs),
        "page": item.page,
        "image_urls": ctx.image_urls(item),
        "page_url": ctx.page_url(item),
        "updated_at": product.updated_at.isoformat() if product.updated_at else None,
    }


def generic_json(
    items: Sequence[PreparedProduct],
    ctx: Context,
    *,
    issues: Sequence[Mapping[str, object]],
    targets: dict[str, JsonObject],
) -> TargetFile:
    payload = {
        "format": "shopdesk-listing",
        "version": 1,
        "shop": {"name": ctx.shop.name, "whatsapp": ctx.shop.whatsapp, "address": ctx.shop.address},
        "created_at": ctx.created_at,
        "base_url": ctx.base_url,
        "currency": "IDR",
        "products": [product_record(item, ctx) for item in items],
        "targets": targets,
        "issues": list(issues),
    }
    data = json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")
    return TargetFile(GENERIC_JSON, data, len(items))
