"""Money in against sales made, and the tables of customers and debts.

A sale on credit counts as a sale on the day it is made (``reports``); the
cash-in view tells what came in that day: what was paid at the till plus the
kasbon paid back (less payments voided that day). Exports go through the same
writers as the other tables, so no cell is ever a live formula.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from shopdesk import debts, store
from shopdesk.clock import to_local
from shopdesk.errors import ValidationError
from shopdesk.i18n import N_, _
from shopdesk.profiles import Session, require_seller
from shopdesk.reports import Row, audit_export, check_format, recent_days, write_table

DEBT_TABLES = ("customers", "debts", "payments", "entries")
_COLUMNS = {
    "customers": ("customer_id", "name", "whatsapp", "note", "balance", "archived"),
    "debts": (
        "customer_id",
        "name",
        "whatsapp",
        "balance",
        "oldest_unpaid",
        "age_days",
        "up_to_7_days",
        "8_to_30_days",
        "over_30_days",
        "unpaid_sales",
    ),
    "payments": (
        "payment",
        "time",
        "customer_id",
        "customer",
        "amount",
        "method",
        "voided",
        "note",
        "actor",
    ),
    "entries": (
        "entry",
        "time",
        "customer_id",
        "customer",
        "kind",
        "amount",
        "sale",
        "payment",
        "method",
        "note",
        "actor",
        "reverses",
    ),
}
_TEXT = {"name", "whatsapp", "note", "customer", "actor"}


# The cash-in view's columns, in CashDay's order (the CLI's table and the app's tab).
CASH_IN_COLUMNS = (
    N_("Day"),
    N_("Sales made"),
    N_("Kasbon given"),
    N_("Paid at the till"),
    N_("Kasbon paid back"),
    N_("Money in"),
)


@dataclass(frozen=True)
class CashDay:
    day: date
    sales: int  # sales made (credit sales included)
    on_credit: int  # of which left unpaid as kasbon
    repaid: int  # kasbon paid back that day, less payments voided

    @property
    def paid_at_till(self) -> int:
        return self.sales - self.on_credit

    @property
    def cash_in(self) -> int:
        return self.paid_at_till + self.repaid


@store.follows_session
def _local_day(session: Session, at: object) -> date:
    moment = at if isinstance(at, datetime) else datetime.fromisoformat(str(at))
    return to_local(moment, session.timezone).date()


@store.follows_session
def cash_in(session: Session, *, days: int = 7, today: date | None = None) -> list[CashDay]:
    """Per local day, oldest first: sales made, kasbon given, kasbon paid back, money in."""
    session = require_seller(session)
    first, start, end = recent_days(session, days, today)
    found = {first + timedelta(days=n): [0, 0, 0] for n in range(days)}
    run = store.database.execute_sql
    for at, total, credit in run(
        "SELECT s.at, s.total, COALESCE((SELECT SUM(e.amount) FROM debt_entry e "
        "WHERE e.sale_id = s.id AND e.kind = ?), 0) FROM sale s "
        "WHERE s.shop_id = ? AND s.at >= ? AND s.at < ? AND s.voided_at IS NULL",
        (debts.SALE, session.shop_id, start, end),
    ):
        figures = found.get(_local_day(session, at))
        if figures is not None:
            figures[0] += total
            figures[1] += credit
    for at, amount in run(
        "SELECT e.at, e.amount FROM debt_entry e LEFT JOIN debt_entry r ON r.id = e.reverses_id "
        "WHERE e.shop_id = ? AND e.at >= ? AND e.at < ? "
        "AND (e.kind = ? OR (e.kind = ? AND r.kind = ?))",
        (session.shop_id, start, end, debts.PAYMENT, debts.VOID, debts.PAYMENT),
    ):
        figures = found.get(_local_day(session, at))
        if figures is not None:
            figures[2] -= amount  # payments are negative entries, their voids positive
    return [CashDay(day, *figures) for day, figures in found.items()]


@store.follows_session
def _local_text(session: Session, moment: datetime) -> str:
    return to_local(moment, session.timezone).strftime("%Y-%m-%d %H:%M:%S")


@store.follows_session
def _rows(session: Session, kind: str) -> list[Row]:
    if kind == "customers":
        return [
            (c.id, c.name, c.whatsapp, c.note, c.balance, "yes" if c.archived else "")
            for c in debts.list_customers(session, include_archived=True)
        ]
    if kind == "debts":
        return [
            (
                r.customer_id,
                r.name,
                r.whatsapp,
                r.balance,
                r.oldest,
                r.age_days,
                r.week,
                r.month,
                r.older,
                r.sales,
            )
            for r in debts.debts(session)
        ]
    if kind == "payments":
        return [
            (
                p.number,
                _local_text(session, p.at),
                p.customer_id,
                p.customer,
                p.amount,
                p.method,
                "yes" if p.voided else "",
                p.note,
                p.actor,
            )
            for p in debts.payments(session)
        ]
    return list(_entry_rows(session))


@store.follows_session
def _entry_rows(session: Session) -> Iterator[Row]:
    for customer in debts.list_customers(session, include_archived=True):
        for e in debts.statement(session, customer.id):
            yield (
                e.id,
                _local_text(session, e.at),
                customer.id,
                customer.name,
                e.kind,
                e.amount,
                e.sale_number or "",
                e.payment_number or "",
                e.method,
                e.note,
                e.actor,
                e.reverses_id or "",
            )


@store.follows_session
def export_table(session: Session, kind: str, path: Path, fmt: str | None = None) -> int:
    """Customers, the debts list, payments or every ledger entry to CSV or XLSX;
    returns the row count. Text cells that a spreadsheet would run stay text."""
    session = require_seller(session)
    if kind not in DEBT_TABLES:
        raise ValidationError(
            _("“{kind}” is not a table to export. Choose one of: {choices}.").format(
                kind=kind, choices=", ".join(DEBT_TABLES)
            )
        )
    fmt = check_format(fmt or Path(path).suffix or "csv")
    with store.database.atomic("DEFERRED"):  # every row from one snapshot
        rows = _rows(session, kind)
    columns = _COLUMNS[kind]
    written = write_table(Path(path), fmt, columns, iter(rows), len(rows), text=_TEXT)
    audit_export(session, kind, path, written)
    return written
