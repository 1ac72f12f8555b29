"""Business settings kept in the database (per shop, or for the whole PC).

Window geometry and last folders are the UI's and live in QSettings instead.
"""

from __future__ import annotations

import json
from typing import Any

from shopdesk import audit, store
from shopdesk.profiles import OperatorSession, Session, require_seller
from shopdesk.store.models import Setting

DEFAULTS: dict[str, Any] = {
    "idle_lock_minutes": 5,
    # 95 x 45 mm, 12 per A4 sheet: the food packaging label holds every mandatory field
    # at 6 pt or more AND its QR code (on 64 x 34 mm the code had to go, issue 16).
    "label_paper": "a4-2x6",
    "label_printer": "",
    "listing_base_url": "",
}


@store.follows_session
def _scope(owner: Session | OperatorSession | None) -> int | None:
    return require_seller(owner).shop_id if isinstance(owner, Session) else None


@store.follows_session
def get(owner: Session | OperatorSession | None, key: str) -> Any:
    shop_id = _scope(owner)
    row = Setting.get_or_none(
        (Setting.key == key)
        & (Setting.shop.is_null() if shop_id is None else Setting.shop == shop_id)
    )
    return json.loads(row.value) if row else DEFAULTS.get(key)


@store.follows_session
def put(owner: Session | OperatorSession, key: str, value: Any) -> None:
    shop_id = _scope(owner)
    encoded = json.dumps(value, ensure_ascii=False)
    with store.transaction():
        where = (Setting.key == key) & (
            Setting.shop.is_null() if shop_id is None else Setting.shop == shop_id
        )
        if not Setting.update(value=encoded).where(where).execute():
            Setting.create(shop=shop_id, key=key, value=encoded)
        audit.record("setting", actor=owner.actor, shop_id=shop_id, key=key)
