"""WhatsApp reminders: a polite Indonesian text with the amount and the shop's
name, as a wa.me link the PC opens when online, or a QR code for the phone.

The text is Indonesian whatever the seller's language: it goes to the customer.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from shopdesk import store
from shopdesk.debts.customers import CustomerInfo, get_customer
from shopdesk.errors import ValidationError
from shopdesk.i18n import _
from shopdesk.money import format_rupiah
from shopdesk.profiles import Session, require_seller
from shopdesk.validators import wa_digits

WA_ME = "https://wa.me/"

_REMINDER = (
    "Halo {name}, semoga sehat selalu.\n"
    "Kami dari {shop} ingin mengingatkan dengan hormat, masih ada kasbon sebesar {amount}.\n"
    "Bila berkenan, mohon dibayar saat ada kesempatan. Terima kasih banyak."
)


@dataclass(frozen=True)
class Reminder:
    customer: CustomerInfo
    text: str
    link: str  # https://wa.me/62...?text=...


def wa_link(whatsapp: str, text: str) -> str:
    """A wa.me link to ``whatsapp`` (E.164) with ``text`` filled in."""
    return f"{WA_ME}{wa_digits(whatsapp)}?text={quote(text, safe='')}"


def reminder_text(*, customer_name: str, shop_name: str, amount: int) -> str:
    return _REMINDER.format(name=customer_name, shop=shop_name, amount=format_rupiah(amount))


@store.follows_session
def reminder(session: Session, customer_id: int) -> Reminder:
    """The reminder for one customer of the shop who owes something and has a number."""
    session = require_seller(session)
    who = get_customer(session, customer_id)
    if who.balance <= 0:
        raise ValidationError(
            _("{name} owes nothing: there is nothing to remind.").format(name=who.name)
        )
    if not who.whatsapp:
        raise ValidationError(
            _("{name} has no WhatsApp number. Add one to the customer first.").format(name=who.name)
        )
    text = reminder_text(customer_name=who.name, shop_name=session.shop_name, amount=who.balance)
    return Reminder(who, text, wa_link(who.whatsapp, text))
