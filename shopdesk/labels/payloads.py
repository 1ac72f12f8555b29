"""What the QR codes on a label carry.

- a WhatsApp order link ``https://wa.me/62812...?text=...`` with a prefilled
  message (product, variant, SKU, price);
- the product's listing page, when the shop has one;
- product information as plain text that a phone shows without internet;
- the shop's contact card (vCard 3.0).
"""

from __future__ import annotations

from urllib.parse import quote

from shopdesk.errors import ValidationError
from shopdesk.i18n import _
from shopdesk.labels.content import LabelContent
from shopdesk.validators import is_stored_mobile

WHATSAPP = "whatsapp"
LISTING = "listing"
INFO = "info"
VCARD = "vcard"
KINDS = (WHATSAPP, LISTING, INFO, VCARD)
# What a caption under each kind of code says, in the labels' language (Bahasa Indonesia,
# like every word the designs print): ``{qr_caption}`` in a design's caption.
QR_CAPTIONS = {
    WHATSAPP: "Pesan lewat WhatsApp",
    LISTING: "Lihat & pesan online",
    INFO: "Info produk",
    VCARD: "Simpan kontak toko",
}


def normalize_phone(raw: str) -> str:
    """``+62812...`` from what a seller types (0812..., 62812..., +62 812-...)."""
    text = (raw or "").strip()
    if not text:
        raise ValidationError(
            _("The shop has no WhatsApp number. Add it in the shop details, like 0812 3456 7890.")
        )
    if is_stored_mobile(text):  # the shop's own number as saved: phonenumbers gives it back
        return text
    import phonenumbers  # here, not at import: the command line's label commands stay light

    try:
        number = phonenumbers.parse(text, "ID")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            _("“{number}” is not a phone number. Write it like 0812 3456 7890.").format(number=text)
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("“{number}” is not a valid phone number. Write it like 0812 3456 7890.").format(
                number=text
            )
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def order_message(content: LabelContent) -> str:
    """What the buyer sends: product, variant, SKU and price, and no words beyond them.

    Every character costs modules in the code and a smaller code prints sharper on a
    thermal label; the greeting the buyer may add while the message is still open.
    """
    product = " ".join(part for part in (content.name, content.variant) if part)
    if content.price is not None:
        return _("Order {product} ({sku}), {price}").format(
            product=product, sku=content.sku, price=content.price_text()
        )
    return _("Order {product} ({sku})").format(product=product, sku=content.sku)


# Commas and brackets may stand unescaped in a query (RFC 3986 sub-delims): a third of the
# length of %2C, %28 and %29. '&', '=', '+', '#' and spaces stay escaped.
LITERAL_IN_TEXT = ",()"


def whatsapp_link(content: LabelContent) -> str:
    number = normalize_phone(content.whatsapp).lstrip("+")
    return f"https://wa.me/{number}?text={quote(order_message(content), safe=LITERAL_IN_TEXT)}"


def listing_url(content: LabelContent) -> str:
    url = content.listing_url.strip()
    if not url:
        raise ValidationError(
            _("{sku} has no listing page address, so its QR code cannot point to it.").format(
                sku=content.sku
            )
        )
    if not url.lower().startswith(("https://", "http://")):
        raise ValidationError(
            _("The listing address “{url}” must start with https://").format(url=url)
        )
    return url


def product_info(content: LabelContent) -> str:
    """Plain text a phone shows without internet."""
    fields = content.fields()
    lines = [" ".join(p for p in (content.name, content.variant) if p)]
    rows = [
        (_("Price: {value}"), fields["price"]),
        (_("Producer: {value}"), fields["producer_name"]),
        (_("Net content: {value}"), fields["netto"]),
        (_("Batch: {value}"), fields["production_code"]),
        (_("Best before: {value}"), fields["best_before"]),
        (_("WhatsApp: {value}"), _safe_phone(content.whatsapp)),
    ]
    lines += [template.format(value=value) for template, value in rows if value]
    return "\n".join(line for line in lines if line)


def _safe_phone(raw: str) -> str:
    try:
        return normalize_phone(raw) if raw else ""
    except ValidationError:
        return ""


def _vcard_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def shop_vcard(content: LabelContent) -> str:
    name = content.shop_name or content.producer_name
    if not name:
        raise ValidationError(_("The shop has no name, so no contact card can be made."))
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"FN:{_vcard_escape(name)}",
        f"ORG:{_vcard_escape(name)}",
    ]
    if content.whatsapp:
        lines.append(f"TEL;TYPE=CELL:{normalize_phone(content.whatsapp)}")
    address = content.shop_address or content.producer_address
    if address:
        lines.append(f"ADR;TYPE=WORK:;;{_vcard_escape(address)};;;;")
    if content.listing_url:
        lines.append(f"URL:{content.listing_url.strip()}")
    lines.append("END:VCARD")
    return "\n".join(lines)


def payload(kind: str, content: LabelContent) -> str:
    """The QR text of one kind; raises ValidationError when the shop lacks the data."""
    if kind == WHATSAPP:
        return whatsapp_link(content)
    if kind == LISTING:
        return listing_url(content)
    if kind == INFO:
        return product_info(content)
    if kind == VCARD:
        return shop_vcard(content)
    raise ValidationError(
        _("Unknown QR content “{kind}”. Use one of: {kinds}.").format(
            kind=kind, kinds=", ".join(KINDS)
        )
    )
