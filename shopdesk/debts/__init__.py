"""Customers and their debts (kasbon): an append-only ledger like stock's.

``customers`` holds who buys on credit; the ledger (``ledger``) is the only
writer of debt entries, the cache (``cache``) the only writer of balances, and
``integrity`` checks one against the other. Reads are in ``queries``; the
WhatsApp reminder text and link in ``reminders``.
"""

from shopdesk.debts.checks import (
    KINDS,
    METHODS,
    PAYMENT,
    SALE,
    VOID,
    kind_label,
    method_label,
)
from shopdesk.debts.customers import (
    CustomerInfo,
    add_customer,
    find_customers,
    get_customer,
    list_customers,
    resolve_customer,
    update_customer,
)
from shopdesk.debts.integrity import BalanceMismatch, DebtCheck, check, rebuild
from shopdesk.debts.ledger import (
    PaymentInfo,
    record_credit,
    record_payment,
    reverse_sale_credit,
    void_payment,
)
from shopdesk.debts.queries import (
    MONTH,
    SORTS,
    WEEK,
    DebtRow,
    DebtTotals,
    EntryInfo,
    OpenSale,
    PaymentRow,
    credits_of,
    debts,
    open_sales,
    payments,
    sale_debt,
    statement,
    total_owed,
    totals,
)
from shopdesk.debts.reminders import Reminder, reminder, reminder_text, wa_link

__all__ = [
    "KINDS",
    "METHODS",
    "MONTH",
    "PAYMENT",
    "SALE",
    "SORTS",
    "VOID",
    "WEEK",
    "BalanceMismatch",
    "CustomerInfo",
    "DebtCheck",
    "DebtRow",
    "DebtTotals",
    "EntryInfo",
    "OpenSale",
    "PaymentInfo",
    "PaymentRow",
    "Reminder",
    "add_customer",
    "check",
    "credits_of",
    "debts",
    "find_customers",
    "get_customer",
    "kind_label",
    "list_customers",
    "method_label",
    "open_sales",
    "payments",
    "rebuild",
    "record_credit",
    "record_payment",
    "reminder",
    "reminder_text",
    "resolve_customer",
    "reverse_sale_credit",
    "sale_debt",
    "statement",
    "total_owed",
    "totals",
    "update_customer",
    "void_payment",
    "wa_link",
]
