"""What a receipt says: the shop, the sale's lines, the total, what was paid and
what the customer still owes (on this sale and in all)."""

from __future__ import annotations

from dataclasses import dataclass

from shopdesk import debts, profiles, sales, store
from shopdesk.clock import to_local
from shopdesk.profiles import Session, require_seller


@dataclass(frozen=True)
class ReceiptLine:
    name: str
    quantity: int
    unit_price: int
    discount: int
    amount: int


@dataclass(frozen=True)
class Receipt:
    shop_name: str
    shop_address: str
    shop_whatsapp: str
    number: int
    when: str  # the shop's local date and time
    payment: str  # its label
    lines: tuple[ReceiptLine, ...]
    total: int
    paid: int
    on_credit: int  # left unpaid at the till
    still_owed: int  # of this sale, now
    customer_name: str
    customer_whatsapp: str
    customer_owes: int  # in all, now
    voided: bool


@store.follows_session
def receipt_for(session: Session, *, number: int) -> Receipt:
    """The receipt of one sale of the shop."""
    session = require_seller(session)
    sale = sales.get_sale(session, number=number)
    shop = profiles.shop_info(session)
    customer = None
    if sale.customer_id is not None:
        customer = debts.get_customer(session, sale.customer_id)
    _credit, still = debts.sale_debt(session, sale.id)
    return Receipt(
        shop.name,
        shop.address,
        shop.whatsapp,
        sale.number,
        to_local(sale.at, session.timezone).strftime("%d-%m-%Y %H:%M"),
        sales.payment_label(sale.payment),
        tuple(
            ReceiptLine(
                line.product_name, line.quantity, line.unit_price, line.discount, line.amount
            )
            for line in sale.lines
        ),
        sale.total,
        sale.paid,
        sale.on_credit,
        still,
        "" if customer is None else customer.name,
        "" if customer is None else customer.whatsapp,
        0 if customer is None else customer.balance,
        sale.voided,
    )
