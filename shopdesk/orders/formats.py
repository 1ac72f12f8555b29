"""The order exports ShopDesk reads, told apart by their headers.

Each format names, per field, the headers it may carry (normalised the way
``tabular`` reads them) and how its status words map onto what ShopDesk does
with an order. Sources of the headers: tests/fixtures/orders/README.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from shopdesk.i18n import N_
from shopdesk.tabular import normalize_header

# What an order's status means for the stock.
UNPAID = "unpaid"  # not paid yet: the marketplace has not taken the stock
TAKEN = "taken"  # paid, packed or shipped: the stock has left (or is promised)
COMPLETED = "completed"
CANCELLED = "cancelled"
RETURNED = "returned"  # a return or refund: its returned quantities come back
UNKNOWN_STATUS = ""

# Fields a format maps; "returned" and "discount" may be missing from a format.
ORDER, STATUS, SKU, QUANTITY, PRICE, AT = "order", "status", "sku", "quantity", "price", "at"
RETURNED_QTY, PARENT_SKU, AMOUNT = "returned", "parent_sku", "amount"
FULFILLMENT, CANCELLED_AT = "fulfillment", "cancelled_at"
REQUIRED = (ORDER, STATUS, SKU, QUANTITY, PRICE)


@dataclass(frozen=True)
class OrderFormat:
    code: str
    title: str  # N_() text: shown with _()
    channel: str  # sales.CHANNELS
    payment: str  # sales.PAYMENTS
    headers: Mapping[str, tuple[str, ...]]  # field -> header names, as in the file
    status_of: Callable[[Mapping[str, str]], str]  # the row's fields -> UNPAID, TAKEN, ...
    # Order-level cells written only on an order's first row (Shopify): later rows inherit.
    carried: tuple[str, ...] = ()
    decimal_point: bool = False  # prices like 15000.00 (never 15.000 as thousands)
    # AMOUNT is what the line costs after discounts; PRICE then is before them.
    line_amount: bool = False
    price_per_line: bool = False  # PRICE is for the whole line, not one unit

    def columns(self) -> dict[str, str]:
        """normalised header -> field."""
        return {normalize_header(h): f for f, names in self.headers.items() for h in names}

    def header_of(self, field: str, present: Sequence[str]) -> str:
        """The header of ``field`` as this file spells it (for messages)."""
        for name in self.headers.get(field, ()):
            if normalize_header(name) in present:
                return name
        return self.headers[field][0]


def _has(text: str, *words: str) -> bool:
    return any(word in text for word in words)


def _shopee_status(cells: Mapping[str, str]) -> str:
    text = cells.get(STATUS, "").strip().casefold()
    if _has(text, "batal", "cancel"):
        return CANCELLED
    if _has(text, "belum bayar", "unpaid"):
        return UNPAID
    if _has(text, "pengembalian", "return", "refund"):
        return RETURNED
    if _has(text, "selesai", "completed", "received", "diterima"):
        return COMPLETED
    if _has(text, "dikirim", "ship", "deliver", "dikemas"):
        return TAKEN
    return UNKNOWN_STATUS


def _tiktok_status(cells: Mapping[str, str]) -> str:
    text = cells.get(STATUS, "").strip().casefold()
    if _has(text, "cancel", "batal"):
        return CANCELLED
    if _has(text, "unpaid", "awaiting payment", "belum dibayar", "on hold"):
        return UNPAID
    if _has(text, "completed", "selesai"):
        return COMPLETED
    if _has(text, "ship", "collection", "transit", "deliver", "dikirim"):
        return TAKEN
    return UNKNOWN_STATUS


def _shopify_status(cells: Mapping[str, str]) -> str:
    if cells.get(CANCELLED_AT, "").strip():
        return CANCELLED
    financial = cells.get(STATUS, "").strip().casefold()
    fulfilled = cells.get(FULFILLMENT, "").strip().casefold()
    if financial == "voided":
        return CANCELLED
    if financial in ("refunded", "partially_refunded"):
        return RETURNED
    if fulfilled in ("fulfilled", "shipped"):
        return COMPLETED
    if fulfilled == "partial" or financial in ("paid", "partially_paid"):
        return TAKEN
    if financial in ("pending", "authorized", "unpaid", "expired"):
        return UNPAID
    return UNKNOWN_STATUS


_WOO = {
    "pending": UNPAID,
    "on-hold": UNPAID,
    "checkout-draft": UNPAID,
    "processing": TAKEN,
    "completed": COMPLETED,
    "cancelled": CANCELLED,
    "failed": CANCELLED,
    "refunded": RETURNED,
}


def _woo_status(cells: Mapping[str, str]) -> str:
    text = cells.get(STATUS, "").strip().casefold().removeprefix("wc-")
    return _WOO.get(text, UNKNOWN_STATUS)


SHOPEE = OrderFormat(
    "shopee",
    N_("Shopee order export"),
    "shopee",
    "marketplace",
    {
        ORDER: ("No. Pesanan", "Order ID"),
        STATUS: ("Status Pesanan", "Order Status"),
        SKU: ("Nomor Referensi SKU", "SKU Reference No."),
        PARENT_SKU: ("SKU Induk", "Parent SKU Reference No."),
        QUANTITY: ("Jumlah", "Quantity"),
        RETURNED_QTY: ("Returned quantity",),
        PRICE: ("Harga Setelah Diskon", "Deal Price"),
        AT: ("Waktu Pesanan Dibuat", "Order Creation Date"),
    },
    _shopee_status,
)
TIKTOK = OrderFormat(
    "tiktok",
    N_("Tokopedia / TikTok Shop order export"),
    "tiktok",
    "marketplace",
    {
        ORDER: ("Order ID",),
        STATUS: ("Order Status",),
        SKU: ("Seller SKU",),
        QUANTITY: ("Quantity",),
        RETURNED_QTY: ("Sku Quantity of return",),
        PRICE: ("SKU Unit Original Price",),
        AMOUNT: ("SKU Subtotal After Discount",),
        AT: ("Created Time",),
    },
    _tiktok_status,
    line_amount=True,
)
SHOPIFY = OrderFormat(
    "shopify",
    N_("Shopify orders CSV"),
    "shopify",
    "transfer",
    {
        ORDER: ("Name",),
        STATUS: ("Financial Status",),
        FULFILLMENT: ("Fulfillment Status",),
        CANCELLED_AT: ("Cancelled at",),
        SKU: ("Lineitem sku",),
        QUANTITY: ("Lineitem quantity",),
        PRICE: ("Lineitem price",),
        AT: ("Created at",),
    },
    _shopify_status,
    carried=(STATUS, FULFILLMENT, CANCELLED_AT, AT),
    decimal_point=True,
)
WOOCOMMERCE = OrderFormat(
    "woocommerce",
    N_("WooCommerce orders CSV (one row per item)"),
    "woocommerce",
    "transfer",
    {
        ORDER: ("order_number", "order_id"),
        STATUS: ("status",),
        SKU: ("item_sku",),
        QUANTITY: ("item_quantity",),
        RETURNED_QTY: ("item_refunded_qty",),
        PRICE: ("item_subtotal",),
        AMOUNT: ("item_total",),
        AT: ("order_date",),
    },
    _woo_status,
    decimal_point=True,
    line_amount=True,
    price_per_line=True,
)
# Tried in this order: TikTok's "Order ID" is also Shopee's English one, so the
# SKU header (which differs) decides.
FORMATS = (SHOPEE, TIKTOK, SHOPIFY, WOOCOMMERCE)


def all_headers() -> list[str]:
    """Every normalised header some format reads."""
    seen: dict[str, None] = {}
    for fmt in FORMATS:
        seen.update(dict.fromkeys(fmt.columns()))
    return list(seen)


def detect(present: Sequence[str]) -> OrderFormat | None:
    """The format whose required headers are all in the file's first row."""
    found = set(present)
    for fmt in FORMATS:
        fields = {f for h, f in fmt.columns().items() if h in found}
        if all(f in fields for f in REQUIRED):
            return fmt
    return None
