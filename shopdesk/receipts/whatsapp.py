"""A receipt as a WhatsApp message: the items, the total, what was paid and the
kasbon left, as a wa.me link to the customer's number (or to any chat)."""

from __future__ import annotations

from urllib.parse import quote

from shopdesk import debts
from shopdesk.i18n import _
from shopdesk.money import format_rupiah
from shopdesk.receipts.content import Receipt

ANY_CHAT = "https://wa.me/?text="


def receipt_text(receipt: Receipt) -> str:
    rows = [
        f"*{receipt.shop_name}*",
        _("Receipt no. {number}, {when}").format(number=receipt.number, when=receipt.when),
    ]
    if receipt.voided:
        rows.append(_("VOID"))
    for line in receipt.lines:
        rows.append(
            _("{name}: {quantity} x {price} = {amount}").format(
                name=line.name,
                quantity=line.quantity,
                price=format_rupiah(line.unit_price),
                amount=format_rupiah(line.amount),
            )
        )
    rows.append(_("Total: {amount}").format(amount=format_rupiah(receipt.total)))
    rows.append(_("Paid: {amount}").format(amount=format_rupiah(receipt.paid)))
    if receipt.on_credit:
        rows.append(_("Kasbon left: {amount}").format(amount=format_rupiah(receipt.still_owed)))
    if receipt.customer_owes:
        rows.append(
            _("{name}'s kasbon in all: {amount}").format(
                name=receipt.customer_name, amount=format_rupiah(receipt.customer_owes)
            )
        )
    rows.append(_("Thank you!"))
    return "\n".join(rows)


def receipt_link(receipt: Receipt) -> str:
    """To the customer's WhatsApp when the sale has a customer with a number;
    else a link that lets the seller pick the chat."""
    text = receipt_text(receipt)
    if receipt.customer_whatsapp:
        return debts.wa_link(receipt.customer_whatsapp, text)
    return ANY_CHAT + quote(text, safe="")
