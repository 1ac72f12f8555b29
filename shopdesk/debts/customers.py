"""A shop's customers: name, WhatsApp number (normalised, E.164) and a note.

Every read and write filters on the session's shop: a seller never sees
another shop's customers, not even by id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import peewee

from shopdesk import audit, store
from shopdesk.clock import utcnow
from shopdesk.debts.checks import clean_name, clean_note
from shopdesk.errors import NotFoundError, ValidationError
from shopdesk.i18n import _
from shopdesk.money import format_rupiah
from shopdesk.profiles import Session, require_seller
from shopdesk.store.models import Customer, CustomerBalance
from shopdesk.validators import normalize_whatsapp

MAX_FOUND = 50


@dataclass(frozen=True)
class CustomerInfo:
    id: int
    name: str
    whatsapp: str  # E.164 or empty
    note: str
    archived: bool
    balance: int  # what the customer owes now, in rupiah

    @property
    def label(self) -> str:
        """The name with the number, to tell two customers of one name apart."""
        return f"{self.name} ({self.whatsapp})" if self.whatsapp else self.name


_BALANCE = peewee.fn.COALESCE(CustomerBalance.balance, 0)


def _select() -> peewee.ModelSelect[Customer]:
    return Customer.select(Customer, _BALANCE.alias("owed")).join(
        CustomerBalance,
        peewee.JOIN.LEFT_OUTER,
        on=(CustomerBalance.customer == Customer.id),
    )


def _info(row: Customer) -> CustomerInfo:
    owed = int(getattr(row, "owed", 0) or 0)
    return CustomerInfo(row.id, row.name, row.whatsapp, row.note, bool(row.archived), owed)


@store.follows_session
def _own(session: Session, customer_id: int) -> Customer:
    mine = (Customer.shop == session.shop_id) & (Customer.id == customer_id)
    row: Customer | None = _select().where(mine).first()
    if row is None:
        raise NotFoundError(_("There is no customer number {id}.").format(id=customer_id))
    return row


@store.follows_session
def _same_number(session: Session, whatsapp: str, other_than: int | None) -> None:
    if not whatsapp:
        return
    query = Customer.select().where(
        (Customer.shop == session.shop_id) & (Customer.whatsapp == whatsapp)
    )
    if other_than is not None:
        query = query.where(Customer.id != other_than)
    taken = query.first()
    if taken is not None:
        raise ValidationError(
            _("{number} is already the number of {name}. Nothing was saved.").format(
                number=whatsapp, name=taken.name
            )
        )


@store.follows_session
def add_customer(
    session: Session, *, name: str, whatsapp: str = "", note: str = ""
) -> CustomerInfo:
    session = require_seller(session)
    clean = clean_name(name)
    number = normalize_whatsapp(whatsapp)
    text = clean_note(note)
    with store.transaction():
        _same_number(session, number, None)
        row = Customer.create(
            shop=session.shop_id, name=clean, whatsapp=number, note=text, created_at=utcnow()
        )
        audit.record(
            "customer.add", actor=session.actor, shop_id=session.shop_id, id=row.id, name=clean
        )
    return get_customer(session, row.id)


@store.follows_session
def update_customer(
    session: Session,
    customer_id: int,
    *,
    name: str | None = None,
    whatsapp: str | None = None,
    note: str | None = None,
    archived: bool | None = None,
) -> CustomerInfo:
    """Change what is given; ``None`` keeps a field."""
    session = require_seller(session)
    changes: dict[str, object] = {}
    if name is not None:
        changes["name"] = clean_name(name)
    if whatsapp is not None:
        changes["whatsapp"] = normalize_whatsapp(whatsapp)
    if note is not None:
        changes["note"] = clean_note(note)
    if archived is not None:
        changes["archived"] = archived
    with store.transaction():
        row = _own(session, customer_id)
        if archived and not row.archived:
            _settled(row)
        if "whatsapp" in changes:
            _same_number(session, str(changes["whatsapp"]), row.id)
        if changes:
            Customer.update(**changes).where(Customer.id == row.id).execute()
            audit.record(
                "customer.edit",
                actor=session.actor,
                shop_id=session.shop_id,
                id=row.id,
                name=changes.get("name", row.name),
                fields=sorted(changes),
            )
    return get_customer(session, customer_id)


def _settled(row: Customer) -> None:
    """An archived customer leaves the cashier's search: what they owe must not vanish."""
    owed = int(getattr(row, "owed", 0) or 0)
    if owed:
        raise ValidationError(
            _(
                "{name} still owes {amount}: record their payment first. "
                "A customer who owes money cannot be archived. Nothing was changed."
            ).format(name=row.name, amount=format_rupiah(owed))
        )


@store.follows_session
def get_customer(session: Session, customer_id: int) -> CustomerInfo:
    session = require_seller(session)
    return _info(_own(session, customer_id))


@store.follows_session
def list_customers(session: Session, *, include_archived: bool = False) -> list[CustomerInfo]:
    session = require_seller(session)
    query = _select().where(Customer.shop == session.shop_id)
    if not include_archived:
        query = query.where(Customer.archived == 0)
    return [_info(row) for row in query.order_by(peewee.fn.lower(Customer.name), Customer.id)]


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


@store.follows_session
def find_customers(
    session: Session, text: str, *, limit: int = MAX_FOUND, include_archived: bool = False
) -> list[CustomerInfo]:
    """Customers whose name holds ``text``, or whose number holds its digits
    (``0812`` finds +62812...); archived ones only when asked (the cashier never is)."""
    session = require_seller(session)
    words = " ".join((text or "").split())
    query = _select().where(Customer.shop == session.shop_id)
    if not include_archived:
        query = query.where(Customer.archived == 0)
    digits = _digits(words)
    if words:
        found = Customer.name.contains(words)
        if len(digits) >= 3 and len(digits) >= len(words.replace(" ", "")) - 1:
            tail = digits[1:] if digits.startswith("0") else digits
            found = found | Customer.whatsapp.contains(tail)
        query = query.where(found)
    rows = query.order_by(peewee.fn.lower(Customer.name), Customer.id).limit(limit)
    return [_info(row) for row in rows]


@store.follows_session
def resolve_customer(session: Session, ref: int | str) -> CustomerInfo:
    """One customer from what a seller typed: ``#12`` (the number), a WhatsApp
    number, or a name; several matches ask for more."""
    session = require_seller(session)
    if isinstance(ref, int):
        return get_customer(session, ref)
    text = (ref or "").strip()
    if text.startswith("#") and text[1:].isdigit():
        return get_customer(session, int(text[1:]))
    if not text:
        raise ValidationError(_("Name the customer: their name, number or #id."))
    exact = [c for c in find_customers(session, text) if c.name.casefold() == text.casefold()]
    found = exact or _by_number(session, text) or find_customers(session, text)
    if not found:
        raise NotFoundError(
            _("No customer matches “{text}”. Add them first: customer add.").format(text=text)
        )
    if len(found) > 1:
        raise ValidationError(
            _("“{text}” matches several customers: {names}. Use the #number.").format(
                text=text, names=", ".join(f"#{c.id} {c.label}" for c in found[:5])
            )
        )
    return found[0]


@store.follows_session
def _by_number(session: Session, text: str) -> list[CustomerInfo]:
    if len(_digits(text)) < 8:
        return []
    try:
        number = normalize_whatsapp(text)
    except ValidationError:
        return []
    query = _select().where((Customer.shop == session.shop_id) & (Customer.whatsapp == number))
    return [_info(row) for row in query]
