"""catalog.pdf: a price list with photos, small enough to share on WhatsApp."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import registerFontFamily
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Image,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from shopdesk.export.prepared import Context, PreparedProduct
from shopdesk.export.text import drop_emoji, format_price
from shopdesk.i18n import _, get_language
from shopdesk.paths import resource_path
from shopdesk.safe_io import write_bytes_atomic

CATALOG_FILE = "catalog.pdf"
PDF_VERSION = 1  # bump when the layout changes: cached catalogs are then made again
PHOTO_MM = 24
DESCRIPTION_CHARS = 220
GREEN = colors.HexColor("#2f5d50")
PRICE = colors.HexColor("#b3401a")


def _fonts() -> tuple[str, str]:
    regular = resource_path("fonts", "DejaVuSans.ttf")
    bold = resource_path("fonts", "DejaVuSans-Bold.ttf")
    if regular.is_file() and bold.is_file():
        if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("DejaVuSans", str(regular)))
            pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
            registerFontFamily(
                "DejaVuSans",
                normal="DejaVuSans",
                bold="DejaVuSans-Bold",
                italic="DejaVuSans",
                boldItalic="DejaVuSans-Bold",
            )
        return "DejaVuSans", "DejaVuSans-Bold"
    return "Helvetica", "Helvetica-Bold"


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = _fonts()
    return {
        "title": ParagraphStyle("title", fontName=bold, fontSize=20, leading=24, textColor=GREEN),
        "sub": ParagraphStyle("sub", fontName=regular, fontSize=9.5, leading=13),
        "name": ParagraphStyle("name", fontName=bold, fontSize=10.5, leading=13),
        "small": ParagraphStyle(
            "small", fontName=regular, fontSize=8, leading=10, textColor=colors.HexColor("#555555")
        ),
        "price": ParagraphStyle(
            "price", fontName=bold, fontSize=10, leading=13, textColor=PRICE, alignment=2
        ),
        "head": ParagraphStyle(
            "head", fontName=bold, fontSize=9, leading=11, textColor=colors.white
        ),
        "head_right": ParagraphStyle(
            "head_right", fontName=bold, fontSize=9, leading=11, textColor=colors.white, alignment=2
        ),
        "opt": ParagraphStyle("opt", fontName=regular, fontSize=8.5, leading=11, alignment=2),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(drop_emoji(text)).replace("\n", "<br/>"), style)


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= DESCRIPTION_CHARS else flat[: DESCRIPTION_CHARS - 1] + "…"


def _prices(item: PreparedProduct, styles: dict[str, ParagraphStyle]) -> list[Paragraph]:
    product = item.product
    if not product.has_variants:
        return [_p(format_price(product.variants[0].price), styles["price"])]
    cells = []
    for variant in product.variants:
        label = escape(drop_emoji(" / ".join(variant.options)))
        price = escape(format_price(variant.price)).replace(" ", "\u00a0")
        cells.append(
            Paragraph(f'{label}: <font color="#b3401a"><b>{price}</b></font>', styles["opt"])
        )
    return cells


def catalog_pdf(
    items: Sequence[PreparedProduct], ctx: Context, photo_path: Callable[[str], Path]
) -> bytes:
    """The PDF's bytes; ``photo_path`` maps a bundle path of a thumbnail to a file."""
    styles = _styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=14 * mm,
        rightMargin=14 * mm,
        topMargin=14 * mm,
        bottomMargin=16 * mm,
        title=_("Price list - {shop}").format(shop=ctx.shop.name),
        author=ctx.shop.name,
    )
    story: list[Flowable] = [_p(ctx.shop.name, styles["title"]), Spacer(1, 2 * mm)]
    contact = [ctx.shop.address] if ctx.shop.address else []
    if ctx.options.get("whatsapp_digits"):
        contact.append(_("WhatsApp: +{number}").format(number=ctx.options["whatsapp_digits"]))
    contact.append(_("Price list of {date}").format(date=ctx.created_at[:10]))
    story.append(_p(" · ".join(contact), styles["sub"]))
    story.append(Spacer(1, 5 * mm))
    story.append(_table(items, styles, photo_path, doc.width))
    # Binary streams instead of ASCII85: smaller, and reportlab's pure-Python
    # ASCII85 encoder was most of the PDF's time.
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    finally:
        rl_config.useA85 = saved
    return buffer.getvalue()


def cached_catalog_pdf(
    items: Sequence[PreparedProduct],
    ctx: Context,
    photo_path: Callable[[str], Path],
    *,
    thumb_hashes: dict[str, str],
    cache_folder: Path,
) -> bytes:
    """The catalog, reused when nothing it shows has changed (same products, photos, day)."""
    key_source = {
        "v": PDF_VERSION,
        "lang": get_language(),
        "shop": [ctx.shop.name, ctx.shop.address, ctx.options.get("whatsapp_digits")],
        "day": ctx.created_at[:10],
        "items": [
            [
                item.name,
                item.product.sku,
                item.product.unit,
                item.description,
                [[list(v.options), v.price] for v in item.product.variants],
                thumb_hashes.get(item.thumbs[0], "") if item.thumbs else "",
            ]
            for item in items
        ],
    }
    key = hashlib.sha256(json.dumps(key_source, ensure_ascii=False).encode()).hexdigest()
    path = Path(cache_folder) / f"catalog-{key}.pdf"
    with contextlib.suppress(OSError):
        return path.read_bytes()
    data = catalog_pdf(items, ctx, photo_path)
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob("catalog-*.pdf"):
            old.unlink()  # keep only the newest catalog
        write_bytes_atomic(path, data)
    return data


def _table(
    items: Sequence[PreparedProduct],
    styles: dict[str, ParagraphStyle],
    photo_path: Callable[[str], Path],
    width: float,
) -> Table:
    photo_w = (PHOTO_MM + 4) * mm
    price_w = 58 * mm
    rows: list[list[object]] = [
        [
            _p(_("Photo"), styles["head"]),
            _p(_("Product"), styles["head"]),
            _p(_("Price"), styles["head_right"]),
        ]
    ]
    for item in items:
        photo: object = ""
        if item.thumbs:
            photo = Image(
                str(photo_path(item.thumbs[0])), width=PHOTO_MM * mm, height=PHOTO_MM * mm
            )
        details = [_p(item.name, styles["name"])]
        meta = " · ".join(x for x in (item.product.sku, item.product.unit) if x)
        details.append(_p(meta, styles["small"]))
        if item.description:
            details.append(_p(_short(item.description), styles["small"]))
        rows.append([photo, details, _prices(item, styles)])
    table = Table(rows, colWidths=[photo_w, width - photo_w - price_w, price_w], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), GREEN),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f6f4ef")]),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#dddddd")),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _footer(canvas: Canvas, doc: SimpleDocTemplate) -> None:
    regular, _bold = _fonts()
    canvas.saveState()
    canvas.setFont(regular, 8)
    canvas.setFillColor(colors.HexColor("#777777"))
    text = _("Page {page}").format(page=doc.page)
    canvas.drawRightString(A4[0] - 14 * mm, 9 * mm, text)
    canvas.restoreState()
