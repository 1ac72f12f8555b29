"""WhatsApp orders: the text that ShopDesk's own WhatsApp QR codes put in the
buyer's message (``labels.payloads.order_message``: "Pesan Kopi Robusta 250 g
(KOPI-0001), Rp 15.000", or "Order ..." in English), pasted into the cashier,
becomes cart lines.

One line per product; the same product twice adds up; "2x" before the product
or "x2" at the end of a line is the quantity. The SKU in brackets decides what
is sold, at today's price: the price in the message is only compared (a buyer
can type any price, and an old label shows an old one). The pasted wa.me link
itself works too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote_plus

from shopdesk import sales, stock, store
from shopdesk.errors import NotFoundError, ValidationError
from shopdesk.i18n import _
from shopdesk.money import format_rupiah, parse_rupiah
from shopdesk.profiles import Session, require_seller

MAX_TEXT = 10_000
MAX_QUANTITY = 999
# "Pesan" (Indonesian) or "Order" (English), then the product, then (SKU).
_ORDER_LINE = re.compile(
    r"(?:pesan|order)\s+(?:(?P<before>\d{1,3})\s*[x×]\s+)?(?P<product>.*)"
    r"\((?P<sku>[A-Za-z0-9][A-Za-z0-9._/-]{0,63})\)\s*(?:,\s*(?P<price>[^,]*?))?"
    r"(?:\s+[x×]\s*(?P<after>\d{1,3}))?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class CartLine:
    sku: str
    name: str
    quantity: int
    price: int  # today's price of the variant


@dataclass(frozen=True)
class WhatsAppCart:
    lines: tuple[CartLine, ...]
    notes: tuple[str, ...]  # unknown SKUs, prices that differ, lines not understood


@store.follows_session
def read_whatsapp_order(session: Session, text: str) -> WhatsAppCart:
    """Cart lines from a pasted WhatsApp order; what is not understood is named."""
    session = require_seller(session)
    raw = str(text or "")
    if len(raw) > MAX_TEXT:
        raise ValidationError(
            _("The pasted text is too long ({n} characters, at most {limit}).").format(
                n=len(raw), limit=MAX_TEXT
            )
        )
    if "wa.me/" in raw or "text=" in raw:  # the link itself was pasted
        raw = unquote_plus(raw.split("text=", 1)[-1])
    found: dict[str, CartLine] = {}
    notes: list[str] = []
    for line in raw.splitlines():
        match = _ORDER_LINE.search(line.strip())
        if match is None:
            continue
        _add_line(session, match, found, notes)
    if not found and not notes:
        raise ValidationError(
            _(
                "No order was found in the text. Paste the message that the buyer sent from "
                "the label's WhatsApp QR code, like “Pesan Kopi Robusta (KOPI-0001), Rp 15.000”."
            )
        )
    if len(found) > sales.MAX_LINES:
        raise ValidationError(
            _("A sale can have at most {limit} lines.").format(limit=sales.MAX_LINES)
        )
    return WhatsAppCart(tuple(found.values()), tuple(notes))


@store.follows_session
def _add_line(
    session: Session, match: re.Match[str], found: dict[str, CartLine], notes: list[str]
) -> None:
    sku = match["sku"]
    quantity = int(match["before"] or match["after"] or 1)
    if not 1 <= quantity <= MAX_QUANTITY:
        notes.append(
            _("{sku}: {n} is not a quantity that can be sold.").format(sku=sku, n=quantity)
        )
        return
    try:
        variant = stock.lookup_variant(session, sku)
    except NotFoundError:
        notes.append(_("The shop has no SKU {sku}: it is not in the cart.").format(sku=sku))
        return
    quoted = _quoted_price(match["price"])
    if quoted is not None and quoted != variant.price:
        notes.append(
            _(
                "{sku}: the message says {quoted}, today's price is {price}; the cart uses today's."
            ).format(
                sku=variant.sku, quoted=format_rupiah(quoted), price=format_rupiah(variant.price)
            )
        )
    before = found.get(variant.sku)
    total = quantity + (before.quantity if before else 0)
    found[variant.sku] = CartLine(variant.sku, variant.product_name, total, variant.price)


def _quoted_price(text: str | None) -> int | None:
    try:
        return parse_rupiah(text) if text and text.strip() else None
    except ValidationError:
        return None


@store.follows_session
def record_whatsapp_order(
    session: Session,
    cart: WhatsAppCart,
    *,
    payment: str = "transfer",
    allow_negative: bool = False,
    allow_expired: bool = False,
) -> sales.SaleInfo:
    """Record the cart as a WhatsApp sale (first expiry first out, as every sale)."""
    require_seller(session)
    if not cart.lines:
        raise ValidationError(_("The cart is empty: nothing was recorded."))
    return sales.record_sale(
        session,
        lines=[sales.LineInput(line.sku, line.quantity) for line in cart.lines],
        payment=payment,
        channel="whatsapp",
        allow_negative=allow_negative,
        allow_expired=allow_expired,
    )
