"""The balance cache against the debt ledger: ``check`` compares, ``rebuild`` repairs.

A customer's balance is the sum of their entries; a cached row that differs
(or exists for a customer without entries, and is not zero) is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

from shopdesk import audit, store
from shopdesk.profiles import Session, require_seller

# Per customer of the shop: (id, name, cached, ledger) where they differ.
_WRONG = """
SELECT c.id, c.name, COALESCE(b.balance, 0), COALESCE(l.total, 0)
FROM customer c
LEFT JOIN customer_balance b ON b.customer_id = c.id
LEFT JOIN (SELECT customer_id, SUM(amount) AS total FROM debt_entry
           WHERE shop_id = ?1 GROUP BY customer_id) l ON l.customer_id = c.id
WHERE c.shop_id = ?1 AND (COALESCE(b.balance, 0) != COALESCE(l.total, 0)
      OR (b.customer_id IS NOT NULL AND b.shop_id != ?1))
"""
_NEGATIVE = """
SELECT c.id, c.name, l.total, l.total FROM customer c
JOIN (SELECT customer_id, SUM(amount) AS total FROM debt_entry
      WHERE shop_id = ?1 GROUP BY customer_id) l ON l.customer_id = c.id
WHERE c.shop_id = ?1 AND l.total < 0
"""
_FIX = """
INSERT INTO customer_balance (customer_id, shop_id, balance)
SELECT c.id, ?1, COALESCE((SELECT SUM(amount) FROM debt_entry e
                           WHERE e.customer_id = c.id AND e.shop_id = ?1), 0)
FROM customer c WHERE c.shop_id = ?1 AND c.id IN ({ids})
ON CONFLICT (customer_id) DO UPDATE SET balance = excluded.balance, shop_id = excluded.shop_id
"""


@dataclass(frozen=True)
class BalanceMismatch:
    customer_id: int
    name: str
    cached: int
    ledger: int


@dataclass(frozen=True)
class DebtCheck:
    customers_checked: int
    entries_checked: int
    owed: int  # the sum of every entry of the shop
    cached: int  # the sum of every cached balance of the shop
    mismatches: tuple[BalanceMismatch, ...]
    negative: tuple[BalanceMismatch, ...]  # paid back more than owed: damage

    @property
    def ok(self) -> bool:
        return not self.mismatches and not self.negative and self.owed == self.cached


def _rows(sql: str, shop: int) -> tuple[BalanceMismatch, ...]:
    found = store.database.execute_sql(sql, (shop,)).fetchall()
    return tuple(BalanceMismatch(int(i), n, int(a), int(b)) for i, n, a, b in found)


def _one(sql: str, shop: int) -> int:
    return int(store.database.execute_sql(sql, (shop,)).fetchone()[0])


@store.follows_session
def check(session: Session) -> DebtCheck:
    """Compare every cached balance with the sum of the customer's entries; change nothing."""
    session = require_seller(session)
    shop = session.shop_id
    with store.database.atomic("DEFERRED"):  # one read snapshot
        return DebtCheck(
            _one("SELECT COUNT(*) FROM customer WHERE shop_id = ?", shop),
            _one("SELECT COUNT(*) FROM debt_entry WHERE shop_id = ?", shop),
            _one("SELECT COALESCE(SUM(amount), 0) FROM debt_entry WHERE shop_id = ?", shop),
            _one("SELECT COALESCE(SUM(balance), 0) FROM customer_balance WHERE shop_id = ?", shop),
            _rows(_WRONG, shop),
            _rows(_NEGATIVE, shop),
        )


@store.follows_session
def rebuild(session: Session) -> int:
    """Rewrite every wrong balance of the shop from the ledger; returns how many
    were wrong. Rows filed under this shop for no customer of it go."""
    session = require_seller(session)
    shop = session.shop_id
    with store.transaction():
        wrong = [row.customer_id for row in _rows(_WRONG, shop)]
        for part in store.chunks(wrong, 500):
            store.database.execute_sql(
                _FIX.format(ids=", ".join(str(int(i)) for i in part)), (shop,)
            )
        strays = store.database.execute_sql(
            "DELETE FROM customer_balance WHERE shop_id = ?1 AND customer_id NOT IN "
            "(SELECT id FROM customer WHERE shop_id = ?1)",
            (shop,),
        ).rowcount
        fixed = len(wrong) + max(int(strays), 0)
        audit.record("debt.rebuild", actor=session.actor, shop_id=shop, fixed=fixed)
    return fixed
