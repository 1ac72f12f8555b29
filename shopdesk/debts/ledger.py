"""The debt ledger (kasbon): ``write_entry`` is the only writer of entries.

Every change of what a customer owes is an append-only ``debt_entry``
(triggers refuse UPDATE and DELETE), tied to one sale: a sale's unpaid rest
adds, each share of a payment takes off, a void reverses one entry. The
balance per customer is cached (``cache``) in the same transaction;
``integrity`` checks it against the ledger.

A payment goes to the oldest unpaid sales first, or to one sale; its rows
share a payment number, and voiding the payment reverses them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shopdesk import audit, store
from shopdesk.clock import utcnow
from shopdesk.debts import cache
from shopdesk.debts.checks import (
    PAYMENT,
    SALE,
    VOID,
    check_amount,
    check_method,
    clean_note,
)
from shopdesk.debts.customers import CustomerInfo, resolve_customer
from shopdesk.debts.queries import OpenSale, open_sales
from shopdesk.errors import NotFoundError, ValidationError
from shopdesk.i18n import _
from shopdesk.money import format_rupiah
from shopdesk.profiles import Session, require_seller
from shopdesk.store.models import DebtEntry, Sale

_INSERT = (
    "INSERT INTO debt_entry (shop_id, customer_id, sale_id, kind, amount, payment_number, "
    "method, note, actor, at, reverses_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


@dataclass(frozen=True)
class Entry:
    """One row to write; ``amount`` is signed (positive: the customer owes more)."""

    customer_id: int
    sale_id: int | None
    kind: str
    amount: int
    payment_number: int | None = None
    method: str = ""
    note: str = ""
    reverses_id: int | None = None


@store.follows_session
def write_entry(session: Session, entry: Entry, *, at: datetime | None = None) -> int:
    """Append one entry and move the balance cache. Call inside a transaction."""
    moment = at or utcnow()
    entry_id: int = store.database.execute_sql(
        _INSERT + " RETURNING id",  # both engines; psycopg has no lastrowid
        (
            session.shop_id,
            entry.customer_id,
            entry.sale_id,
            entry.kind,
            entry.amount,
            entry.payment_number,
            entry.method,
            entry.note,
            session.actor,
            str(moment),
            entry.reverses_id,
        ),
    ).fetchone()[0]
    cache.add(session.shop_id, entry.customer_id, entry.amount)
    return entry_id


@store.follows_session
def record_credit(
    session: Session, *, customer_id: int, sale_id: int, amount: int, at: datetime
) -> int:
    """A sale's unpaid rest as the customer's debt, inside the sale's transaction."""
    return write_entry(session, Entry(customer_id, sale_id, SALE, amount), at=at)


@dataclass(frozen=True)
class PaymentInfo:
    number: int
    customer: CustomerInfo
    amount: int
    method: str
    at: datetime
    shares: tuple[tuple[int, int], ...]  # (sale number, amount) oldest first
    balance: int  # what the customer still owes after it


def _next_payment_number(shop_id: int) -> int:
    found = store.database.execute_sql(
        "SELECT COALESCE(MAX(payment_number), 0) + 1 FROM debt_entry WHERE shop_id = ?",
        (shop_id,),
    ).fetchone()[0]
    return int(found)


@store.follows_session
def _shares(
    session: Session, customer: CustomerInfo, amount: int, sale_number: int | None
) -> list[tuple[OpenSale, int]]:
    """How ``amount`` splits over the customer's unpaid sales (oldest first)."""
    owed = open_sales(session, customer.id)
    if sale_number is not None:
        owed = [s for s in owed if s.number == sale_number]
        if not owed:
            raise ValidationError(
                _("{name} owes nothing on sale {number}. Nothing was recorded.").format(
                    name=customer.name, number=sale_number
                )
            )
    total = sum(s.remaining for s in owed)
    if amount > total:
        raise ValidationError(
            _("{name} owes only {owed} there; {amount} is too much. Nothing was recorded.").format(
                name=customer.name, owed=format_rupiah(total), amount=format_rupiah(amount)
            )
        )
    shares: list[tuple[OpenSale, int]] = []
    left = amount
    for sale in owed:
        if left <= 0:
            break
        part = min(left, sale.remaining)
        shares.append((sale, part))
        left -= part
    return shares


@store.follows_session
@store.retried
def record_payment(
    session: Session,
    *,
    customer: int | str,
    amount: int | str,
    sale_number: int | None = None,
    method: str = "cash",
    note: str = "",
    at: datetime | None = None,
) -> PaymentInfo:
    """A payment against a customer's debt: the oldest unpaid sales first, or one sale."""
    session = require_seller(session)
    paid = check_amount(amount, what=_("Payment"))
    how = check_method(method)
    text = clean_note(note)
    moment = at or utcnow()
    with store.transaction():
        # Payments of one shop from several PCs: numbers one after another, and the
        # debt read after the lock (a server; SQLite's write lock holds the file).
        store.lock_rows("shop", [session.shop_id])
        who = resolve_customer(session, customer)
        shares = _shares(session, who, paid, sale_number)
        number = _next_payment_number(session.shop_id)
        for sale, part in shares:
            entry = Entry(who.id, sale.sale_id, PAYMENT, -part, number, how, text)
            write_entry(session, entry, at=moment)
        balance = cache.balance(who.id)
        audit.record(
            "debt.payment",
            actor=session.actor,
            shop_id=session.shop_id,
            number=number,
            customer=who.name,
            amount=paid,
            method=how,
            sales=[s.number for s, _part in shares],
            balance=balance,
            note=text,
        )
    return PaymentInfo(
        number, who, paid, how, moment, tuple((s.number, p) for s, p in shares), balance
    )


@store.follows_session
def _reverse(session: Session, rows: list[DebtEntry], note: str) -> None:
    for row in rows:
        entry = Entry(
            row.customer_id, row.sale_id, VOID, -row.amount, row.payment_number, "", note, row.id
        )
        write_entry(session, entry)


def _unreversed(query: object) -> list[DebtEntry]:
    reversed_ids = DebtEntry.select(DebtEntry.reverses).where(DebtEntry.reverses.is_null(False))
    rows = query.where(DebtEntry.id.not_in(reversed_ids)).order_by(DebtEntry.id)  # type: ignore[attr-defined]
    return list(rows)


@store.follows_session
@store.retried
def void_payment(session: Session, *, number: int | str, reason: str = "") -> int:
    """Reverse every row of payment ``number`` with void entries (once); returns
    the customer's balance after it."""
    session = require_seller(session)
    text = clean_note(reason)
    try:
        wanted = int(str(number).strip().lstrip("#"))
    except ValueError:
        wanted = -1
    with store.transaction():
        store.lock_rows("shop", [session.shop_id])  # two PCs voiding it: the second sees it
        mine = DebtEntry.select().where(
            (DebtEntry.shop == session.shop_id)
            & (DebtEntry.payment_number == wanted)
            & (DebtEntry.kind == PAYMENT)
        )
        if not mine.exists():
            raise NotFoundError(_("There is no payment number {number}.").format(number=number))
        rows = _unreversed(mine)
        if not rows:
            raise ValidationError(
                _("Payment {number} was already voided. Nothing was changed.").format(number=wanted)
            )
        _reverse(session, rows, text)
        balance = cache.balance(rows[0].customer_id)
        audit.record(
            "debt.payment_void",
            actor=session.actor,
            shop_id=session.shop_id,
            number=wanted,
            amount=-sum(r.amount for r in rows),
            balance=balance,
            reason=text,
        )
    return balance


@store.follows_session
def reverse_sale_credit(session: Session, *, sale_id: int, note: str = "") -> int:
    """When a sale is voided, its debt goes too (inside the sale's void). Refused
    while a payment still stands against it: void that payment first. Returns the
    amount taken off the customer's debt."""
    credits = _unreversed(
        DebtEntry.select().where(
            (DebtEntry.shop == session.shop_id)
            & (DebtEntry.sale == sale_id)
            & (DebtEntry.kind == SALE)
        )
    )
    if not credits:
        return 0
    payments = _unreversed(
        DebtEntry.select().where(
            (DebtEntry.shop == session.shop_id)
            & (DebtEntry.sale == sale_id)
            & (DebtEntry.kind == PAYMENT)
        )
    )
    if payments:
        sale_number = Sale.get_by_id(sale_id).number
        raise ValidationError(
            _(
                "Sale {number} was partly paid back (payment {payments}). "
                "Void that payment first, then the sale. Nothing was changed."
            ).format(
                number=sale_number,
                payments=", ".join(sorted({str(p.payment_number) for p in payments})),
            )
        )
    _reverse(session, credits, note)
    return sum(c.amount for c in credits)
