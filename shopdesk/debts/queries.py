"""Reading the debt ledger: what each sale still owes, the debts list with its
age buckets, a customer's statement, and payments."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

import peewee

from shopdesk import store
from shopdesk.clock import local_today, to_local
from shopdesk.debts.checks import PAYMENT, SALE, VOID
from shopdesk.profiles import Session, require_seller
from shopdesk.store.models import Customer, DebtEntry, Sale

# Age buckets of unpaid sales, in days since the sale (the shop's calendar).
WEEK = 7
MONTH = 30
SORTS = ("age", "amount", "name")


@dataclass(frozen=True)
class OpenSale:
    """A sale of the customer with something still unpaid."""

    sale_id: int
    number: int
    at: datetime
    credit: int  # the unpaid rest when it was sold
    remaining: int


@dataclass(frozen=True)
class DebtRow:
    """One line of the debts list: a customer who owes something."""

    customer_id: int
    name: str
    whatsapp: str
    balance: int
    oldest: date  # local day of the oldest unpaid sale
    age_days: int
    week: int  # owed on sales up to 7 days old
    month: int  # 8 to 30 days
    older: int  # over 30 days
    sales: int  # unpaid sales


@dataclass(frozen=True)
class DebtTotals:
    customers: int
    balance: int
    week: int
    month: int
    older: int


@dataclass(frozen=True)
class EntryInfo:
    id: int
    at: datetime
    kind: str
    amount: int
    sale_number: int | None
    payment_number: int | None
    method: str
    note: str
    actor: str
    reverses_id: int | None
    voided: bool  # a later void reverses it


_PER_SALE = (
    "SELECT e.customer_id, s.id, s.number, s.at, "
    "SUM(CASE WHEN e.kind = ? THEN e.amount ELSE 0 END) + "
    "SUM(CASE WHEN e.kind = ? AND r.kind = ? THEN e.amount ELSE 0 END) AS credit, "
    "SUM(e.amount) AS remaining "
    "FROM debt_entry e JOIN sale s ON s.id = e.sale_id "
    "LEFT JOIN debt_entry r ON r.id = e.reverses_id "
    "WHERE e.shop_id = ? {where} GROUP BY e.customer_id, e.sale_id, s.id, s.number, s.at "
    "HAVING SUM(e.amount) > 0 ORDER BY s.at, s.id"
)


@store.follows_session
def _open(session: Session, where: str = "", params: tuple[object, ...] = ()) -> list[tuple]:  # type: ignore[type-arg]
    sql = _PER_SALE.format(where=where)
    rows: list[tuple] = store.database.execute_sql(  # type: ignore[type-arg]
        sql, (SALE, VOID, SALE, session.shop_id, *params)
    ).fetchall()
    return rows


def _moment(value: object) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


@store.follows_session
def open_sales(session: Session, customer_id: int) -> list[OpenSale]:
    """The customer's sales with something unpaid, oldest first."""
    session = require_seller(session)
    rows = _open(session, "AND e.customer_id = ?", (customer_id,))
    return [OpenSale(r[1], r[2], _moment(r[3]), r[4], r[5]) for r in rows]


@store.follows_session
def sale_debt(session: Session, sale_id: int) -> tuple[int, int]:
    """(the unpaid rest when sold, what is still unpaid) of one sale of the shop."""
    row = store.database.execute_sql(
        "SELECT COALESCE(SUM(CASE WHEN kind = ? THEN amount ELSE 0 END), 0), "
        "COALESCE(SUM(amount), 0) FROM debt_entry WHERE shop_id = ? AND sale_id = ?",
        (SALE, session.shop_id, sale_id),
    ).fetchone()
    return int(row[0]), int(row[1])


def credits_of(sale_ids: list[int]) -> dict[int, int]:
    """The unpaid rest recorded with each sale (0: paid in full)."""
    found: dict[int, int] = {}
    for part in store.chunks(sorted(set(sale_ids)), 500):
        marks = ", ".join("?" * len(part))
        rows = store.database.execute_sql(
            f"SELECT sale_id, SUM(amount) FROM debt_entry WHERE kind = ? AND sale_id IN ({marks}) "
            "GROUP BY sale_id",
            (SALE, *part),
        ).fetchall()
        found.update((int(sid), int(amount)) for sid, amount in rows)
    return found


def _bucket(age: int) -> int:
    return 0 if age <= WEEK else 1 if age <= MONTH else 2


@store.follows_session
def debts(session: Session, *, sort: str = "age", today: date | None = None) -> list[DebtRow]:
    """Every customer who owes something, with the age buckets of their debt.

    ``sort``: ``age`` (oldest unpaid sale first), ``amount`` (largest first) or ``name``."""
    session = require_seller(session)
    day = today or local_today(session.timezone)
    per: dict[int, list[tuple[int, int]]] = {}  # customer: [(age, remaining)]
    oldest: dict[int, date] = {}
    for customer_id, _sid, _number, at, _credit, remaining in _open(session):
        local = to_local(_moment(at), session.timezone).date()
        per.setdefault(customer_id, []).append(((day - local).days, remaining))
        oldest[customer_id] = min(oldest.get(customer_id, local), local)
    people = {c.id: c for c in Customer.select().where(Customer.id.in_(list(per)))} if per else {}
    rows = []
    for customer_id, owed in per.items():
        buckets = [0, 0, 0]
        for age, remaining in owed:
            buckets[_bucket(age)] += remaining
        who = people[customer_id]
        rows.append(
            DebtRow(
                customer_id,
                who.name,
                who.whatsapp,
                sum(buckets),
                oldest[customer_id],
                (day - oldest[customer_id]).days,
                buckets[0],
                buckets[1],
                buckets[2],
                len(owed),
            )
        )
    key = {
        "age": lambda r: (-r.age_days, -r.balance, r.name.casefold()),
        "amount": lambda r: (-r.balance, r.name.casefold()),
        "name": lambda r: (r.name.casefold(), r.customer_id),
    }[sort if sort in SORTS else "age"]
    return sorted(rows, key=key)


def totals(rows: Iterable[DebtRow]) -> DebtTotals:
    rows = list(rows)
    return DebtTotals(
        len(rows),
        sum(r.balance for r in rows),
        sum(r.week for r in rows),
        sum(r.month for r in rows),
        sum(r.older for r in rows),
    )


@store.follows_session
def total_owed(session: Session) -> tuple[int, int]:
    """(customers who owe, what they owe together): the home page's figure."""
    session = require_seller(session)
    row = store.database.execute_sql(
        "SELECT COUNT(*), COALESCE(SUM(balance), 0) FROM customer_balance "
        "WHERE shop_id = ? AND balance > 0",
        (session.shop_id,),
    ).fetchone()
    return int(row[0]), int(row[1])


@store.follows_session
def statement(session: Session, customer_id: int) -> list[EntryInfo]:
    """Every entry of one customer of the shop, oldest first."""
    session = require_seller(session)
    voids = DebtEntry.alias("voids")
    query = (
        DebtEntry.select(
            DebtEntry.id,
            DebtEntry.at,
            DebtEntry.kind,
            DebtEntry.amount,
            Sale.number,
            DebtEntry.payment_number,
            DebtEntry.method,
            DebtEntry.note,
            DebtEntry.actor,
            DebtEntry.reverses,
            voids.id,
        )
        .join(Sale, peewee.JOIN.LEFT_OUTER, on=(DebtEntry.sale == Sale.id))
        .switch(DebtEntry)
        .join(voids, peewee.JOIN.LEFT_OUTER, on=(voids.reverses == DebtEntry.id))
        .where((DebtEntry.shop == session.shop_id) & (DebtEntry.customer == customer_id))
        .order_by(DebtEntry.id)
        .tuples()
    )
    rows = cast(
        Iterable[
            tuple[
                int,
                datetime,
                str,
                int,
                int | None,
                int | None,
                str,
                str,
                str,
                int | None,
                int | None,
            ]
        ],
        query,
    )
    return [EntryInfo(*row[:10], row[10] is not None) for row in rows]


@dataclass(frozen=True)
class PaymentRow:
    number: int
    at: datetime
    customer_id: int
    customer: str
    amount: int
    method: str
    note: str
    actor: str
    voided: bool


@store.follows_session
def payments(session: Session, *, customer_id: int | None = None) -> list[PaymentRow]:
    """Payments of the shop (one row per payment), newest first."""
    session = require_seller(session)
    where = "AND e.customer_id = ?" if customer_id is not None else ""
    params: tuple[object, ...] = (customer_id,) if customer_id is not None else ()
    rows = store.database.execute_sql(
        "SELECT e.payment_number, MIN(e.at), e.customer_id, c.name, -SUM(e.amount), "
        "MIN(e.method), MIN(e.note), MIN(e.actor), "
        "EXISTS (SELECT 1 FROM debt_entry v WHERE v.shop_id = e.shop_id AND v.kind = ? "
        "AND v.payment_number = e.payment_number) "
        "FROM debt_entry e JOIN customer c ON c.id = e.customer_id "
        f"WHERE e.shop_id = ? AND e.kind = ? {where} "
        "GROUP BY e.shop_id, e.payment_number, e.customer_id, c.name "
        "ORDER BY e.payment_number DESC",
        (VOID, session.shop_id, PAYMENT, *params),
    ).fetchall()
    return [
        PaymentRow(int(n), _moment(at), int(cid), name, int(amt), m, note, actor, bool(v))
        for n, at, cid, name, amt, m, note, actor, v in rows
    ]
