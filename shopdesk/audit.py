"""The append-only audit log: who did what, when.

Writes join the caller's transaction, so an action and its audit row commit
or vanish together. Never pass secrets in ``detail``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shopdesk.clock import utcnow
from shopdesk.store.models import AuditLog


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    detail: dict[str, Any]  # decoded JSON


def record(action: str, *, actor: str, shop_id: int | None = None, **detail: object) -> None:
    AuditLog.create(
        at=utcnow(),
        shop=shop_id,
        actor=actor,
        action=action,
        detail=json.dumps(detail, ensure_ascii=False, default=str, sort_keys=True),
    )


def entries(*, shop_id: int | None, limit: int = 200) -> list[AuditEntry]:
    """The newest entries of one shop (``None``: PC-wide entries only)."""
    query = AuditLog.select().order_by(AuditLog.id.desc()).limit(limit)
    query = query.where(AuditLog.shop.is_null() if shop_id is None else AuditLog.shop == shop_id)
    return [
        AuditEntry(row.at, row.actor, row.action, json.loads(row.detail or "{}")) for row in query
    ]
