"""The bundle's static catalog site: index.html and one page per product.

Only relative links, so the site works opened from the stick and uploaded to
any web host. No scripts; one small stylesheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from shopdesk.export.feeds import TargetFile
from shopdesk.export.prepared import PAGES_DIR, Context, PreparedProduct
from shopdesk.export.text import format_price, whatsapp_link
from shopdesk.i18n import _

STYLE_FILE = "style.css"
INDEX_FILE = "index.html"

STYLE = """\
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;
color:#222;background:#f6f4ef;line-height:1.5}
header{background:#2f5d50;color:#fff;padding:20px 16px}
header h1{margin:0 0 4px;font-size:1.6rem}
header p{margin:0;opacity:.9}
header a{color:#fff;text-decoration:none}
main{max-width:1100px;margin:0 auto;padding:16px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:14px}
.card{background:#fff;border-radius:10px;overflow:hidden;text-decoration:none;color:inherit;
box-shadow:0 1px 3px rgba(0,0,0,.12);display:flex;flex-direction:column}
.card img{width:100%;aspect-ratio:1;object-fit:cover;background:#fff}
.card .noimg{aspect-ratio:1;background:#e8e4da}
.card .body{padding:8px 10px 12px}
.card h2{font-size:.95rem;margin:0 0 4px;font-weight:600}
.price{color:#b3401a;font-weight:700}
.muted{color:#666;font-size:.9rem}
.product{background:#fff;border-radius:10px;padding:16px;display:grid;gap:20px;
grid-template-columns:minmax(0,1fr) minmax(0,1fr)}
@media (max-width:720px){.product{grid-template-columns:1fr}}
.photos img{width:100%;border-radius:8px;border:1px solid #eee}
.photos .more{display:grid;grid-template-columns:repeat(4,1fr);gap:6px;margin-top:6px}
.product h1{margin:0 0 8px;font-size:1.5rem}
table{border-collapse:collapse;width:100%;margin:12px 0}
td,th{border-bottom:1px solid #eee;padding:6px 4px;text-align:left}
td.num,th.num{text-align:right;white-space:nowrap}
.wa{display:inline-block;background:#25d366;color:#fff;font-weight:700;padding:12px 18px;
border-radius:24px;text-decoration:none;margin:8px 0}
.wa.small{padding:4px 10px;font-size:.85rem;margin:0}
.desc{white-space:pre-line}
nav{margin:0 0 12px}
footer{text-align:center;color:#888;font-size:.85rem;padding:24px}
"""


def _head(title: str, root: str, preview: str = "") -> str:
    return (
        '<!DOCTYPE html>\n<html lang="id">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n{preview}"
        f'<link rel="stylesheet" href="{root}{STYLE_FILE}">\n</head>\n<body>\n'
    )


def _preview(item: PreparedProduct, ctx: Context) -> str:
    """Open Graph tags: a link shared on WhatsApp shows the photo (absolute URLs only)."""
    if not ctx.base_url:
        return ""
    tags = [
        ("og:type", "product"),
        ("og:title", item.name),
        ("og:description", _price_text(item)),
        ("og:url", ctx.page_url(item)),
    ]
    if item.images:
        tags.append(("og:image", ctx.url(item.images[0])))
    return "".join(f'<meta property="{name}" content="{escape(value)}">\n' for name, value in tags)


def _header(ctx: Context, root: str) -> str:
    shop = ctx.shop
    lines = [f'<header><h1><a href="{root}{INDEX_FILE}">{escape(shop.name)}</a></h1>']
    if shop.address:
        lines.append(f"<p>{escape(shop.address)}</p>")
    if ctx.options.get("whatsapp_digits"):
        lines.append(
            "<p>"
            + escape(_("WhatsApp: +{number}").format(number=ctx.options["whatsapp_digits"]))
            + "</p>"
        )
    lines.append("</header>")
    return "\n".join(lines) + "\n"


def _footer(ctx: Context) -> str:
    text = _("Prices in rupiah. Catalog made on {date}.").format(date=ctx.created_at[:10])
    return f"<footer>{escape(text)}</footer>\n</body>\n</html>\n"


def _price_text(item: PreparedProduct) -> str:
    prices = sorted({v.price for v in item.product.variants})
    if not prices:
        return ""
    if len(prices) == 1:
        return format_price(prices[0])
    return _("from {price}").format(price=format_price(prices[0]))


def _order_link(ctx: Context, item: PreparedProduct, sku: str, label: str) -> str:
    digits = str(ctx.options.get("whatsapp_digits") or "")
    if not digits:
        return ""
    message = _("Hello {shop}, I would like to order {name} ({sku}).").format(
        shop=ctx.shop.name, name=label, sku=sku
    )
    return whatsapp_link(digits, message)


def index_page(items: Sequence[PreparedProduct], ctx: Context) -> str:
    parts = [_head(ctx.shop.name, ""), _header(ctx, ""), "<main>\n"]
    parts.append(
        "<p class=muted>"
        + escape(_("{count} products").format(count=len(items)))
        + "</p>\n<div class=grid>\n"
    )
    for item in items:
        image = (
            f'<img src="{escape(item.thumbs[0])}" alt="" loading="lazy" width="320" height="320">'
            if item.thumbs
            else '<div class="noimg"></div>'
        )
        parts.append(
            f'<a class="card" href="{escape(item.page)}">{image}<div class="body">'
            f"<h2>{escape(item.name)}</h2>"
            f'<div class="price">{escape(_price_text(item))}</div></div></a>\n'
        )
    parts.append("</div>\n</main>\n")
    parts.append(_footer(ctx))
    return "".join(parts)


def product_page(item: PreparedProduct, ctx: Context) -> str:
    root = "../"
    product = item.product
    title = f"{item.name} - {ctx.shop.name}"
    parts = [_head(title, root, _preview(item, ctx)), _header(ctx, root), "<main>\n"]
    back = escape(_("← All products"))
    parts.append(f'<nav><a href="{root}{INDEX_FILE}">{back}</a></nav>\n')
    parts.append('<div class="product">\n<div class="photos">\n')
    if item.images:
        parts.append(f'<img src="{root}{escape(item.images[0])}" alt="{escape(item.name)}">\n')
        if len(item.images) > 1:
            parts.append('<div class="more">')
            for path, thumb in zip(item.images[1:], item.thumbs[1:], strict=False):
                parts.append(
                    f'<a href="{root}{escape(path)}"><img src="{root}{escape(thumb)}" alt=""></a>'
                )
            parts.append("</div>\n")
    parts.append("</div>\n<div>\n")
    parts.append(f"<h1>{escape(item.name)}</h1>\n")
    parts.append(f'<div class="price">{escape(_price_text(item))}</div>\n')
    if product.unit:
        per_unit = _("per {unit}")
        parts.append(f'<div class="muted">{escape(per_unit.format(unit=product.unit))}</div>\n')
    parts.append(_variant_table(item, ctx))
    first = product.variants[0] if product.variants else None
    link = _order_link(ctx, item, first.sku, item.name) if first else ""
    if link:
        order = escape(_("Order on WhatsApp"))
        parts.append(f'<a class="wa" href="{escape(link)}">{order}</a>\n')
    if item.description:
        parts.append(f'<div class="desc">{escape(item.description)}</div>\n')
    if product.weight_g:
        weight = _("Weight: {grams} g").format(grams=product.weight_g)
        parts.append(f'<p class="muted">{escape(weight)}</p>\n')
    parts.append("</div>\n</div>\n</main>\n")
    parts.append(_footer(ctx))
    return "".join(parts)


def _variant_table(item: PreparedProduct, ctx: Context) -> str:
    product = item.product
    if not product.has_variants:
        variant = product.variants[0] if product.variants else None
        if variant is None:
            return ""
        stock = _("In stock") if variant.stock > 0 else _("Sold out")
        return f'<p class="muted">{escape(stock)} · SKU {escape(variant.sku)}</p>\n'
    rows = ["<table>"]
    header = "".join(f"<th>{escape(name)}</th>" for name in product.option_names)
    price = escape(_("Price"))
    rows.append(f'<tr>{header}<th class="num">{price}</th><th></th></tr>')
    order_text = _("Order")
    for variant in product.variants:
        cells = "".join(f"<td>{escape(value)}</td>" for value in variant.options)
        label = f"{item.name} - {' '.join(variant.options)}"
        link = _order_link(ctx, item, variant.sku, label) if variant.stock > 0 else ""
        action = (
            f'<a class="wa small" href="{escape(link)}">{escape(order_text)}</a>'
            if link
            else escape(_("Sold out") if variant.stock <= 0 else "")
        )
        rows.append(
            f'<tr>{cells}<td class="num">{escape(format_price(variant.price))}</td>'
            f"<td>{action}</td></tr>"
        )
    rows.append("</table>\n")
    return "\n".join(rows)


def site_files(items: Sequence[PreparedProduct], ctx: Context) -> list[TargetFile]:
    files = [
        TargetFile(STYLE_FILE, STYLE.encode(), 0),
        TargetFile(INDEX_FILE, index_page(items, ctx).encode("utf-8"), len(items)),
    ]
    for item in items:
        files.append(TargetFile(item.page, product_page(item, ctx).encode("utf-8"), 1))
    return files


__all__ = ["INDEX_FILE", "PAGES_DIR", "STYLE_FILE", "site_files"]
