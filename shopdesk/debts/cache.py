"""The balance cache: one row per customer with a debt history
(``customer_balance``). A missing row means the customer owes nothing.

``ledger.write_entry`` moves it in the transaction of each entry; ``integrity``
compares it with the ledger and rebuilds it.
"""

from __future__ import annotations

from shopdesk import store

_ADD = (
    "INSERT INTO customer_balance (customer_id, shop_id, balance) VALUES (?, ?, ?) "
    "ON CONFLICT (customer_id) DO UPDATE SET balance = customer_balance.balance + excluded.balance"
)


def add(shop_id: int, customer_id: int, amount: int) -> None:
    """Move the customer's balance by one entry's amount (inside its transaction)."""
    store.database.execute_sql(_ADD, (customer_id, shop_id, amount))


def balance(customer_id: int) -> int:
    row = store.database.execute_sql(
        "SELECT balance FROM customer_balance WHERE customer_id = ?", (customer_id,)
    ).fetchone()
    return int(row[0]) if row else 0
