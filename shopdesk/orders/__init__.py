"""Orders that come back from the marketplaces and from WhatsApp.

``reading`` reads an order export (Shopee, Tokopedia / TikTok Shop, Shopify,
WooCommerce; ``formats`` tells them apart by their headers), ``planning``
compares it with the shop's sales (the preview), ``applying`` writes it in one
transaction. ``whatsapp`` turns the order text of ShopDesk's own WhatsApp QR
codes into cart lines.
"""

from shopdesk.orders.applying import OrdersResult, apply_orders, preview_orders
from shopdesk.orders.formats import FORMATS, OrderFormat
from shopdesk.orders.planning import (
    CANCELLED_SKIP,
    RECORD,
    REJECT,
    RETURN,
    UNCHANGED,
    UNKNOWN_SKU,
    VOID,
    WAITING,
    OrderRow,
    OrdersPreview,
)
from shopdesk.orders.whatsapp import (
    CartLine,
    WhatsAppCart,
    read_whatsapp_order,
    record_whatsapp_order,
)

__all__ = [
    "CANCELLED_SKIP",
    "FORMATS",
    "RECORD",
    "REJECT",
    "RETURN",
    "UNCHANGED",
    "UNKNOWN_SKU",
    "VOID",
    "WAITING",
    "CartLine",
    "OrderFormat",
    "OrderRow",
    "OrdersPreview",
    "OrdersResult",
    "WhatsAppCart",
    "apply_orders",
    "preview_orders",
    "read_whatsapp_order",
    "record_whatsapp_order",
]
