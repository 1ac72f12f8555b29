"""SKU allocation for the catalog writes, inside the caller's transaction."""

from __future__ import annotations

import re

from shopdesk import store
from shopdesk.codes import option_suffix
from shopdesk.errors import ValidationError
from shopdesk.i18n import _


class SkuAllocator:
    """Readable SKUs (``KOPI-0001``) unique in one shop; also remembers SKUs
    taken earlier in the same transaction (an import).

    ``preload=True`` reads every SKU of the shop once, so that a big import
    asks the database nothing per row.
    """

    def __init__(self, shop_id: int, *, preload: bool = False) -> None:
        self.shop_id = shop_id
        self.counters: dict[str, int] = {}
        self.taken: set[str] = set()
        self.known: set[str] | None = None
        if preload:
            rows = store.database.execute_sql(
                "SELECT sku FROM variant WHERE shop_id = ?", (shop_id,)
            )
            self.known = {sku for (sku,) in rows}

    def exists(self, sku: str) -> bool:
        if sku in self.taken:
            return True
        if self.known is not None:
            return sku in self.known
        row = store.database.execute_sql(
            "SELECT 1 FROM variant WHERE shop_id = ? AND sku = ?", (self.shop_id, sku)
        ).fetchone()
        return row is not None

    def next(self, prefix: str) -> str:
        if prefix not in self.counters:
            pattern = re.compile(rf"^{re.escape(prefix)}-(\d+)")
            if self.known is not None:
                skus = [s for s in self.known if s.startswith(prefix + "-")]
            else:
                skus = [
                    sku
                    for (sku,) in store.database.execute_sql(
                        "SELECT sku FROM variant WHERE shop_id = ? AND substr(sku, 1, ?) = ?",
                        (self.shop_id, len(prefix) + 1, prefix + "-"),
                    )
                ]
            numbers = [int(m.group(1)) for s in skus if (m := pattern.match(s))]
            self.counters[prefix] = max(numbers, default=0)
        while True:
            self.counters[prefix] += 1
            sku = f"{prefix}-{self.counters[prefix]:04d}"
            if not self.exists(sku):
                return sku

    def claim(self, sku: str) -> str:
        if self.exists(sku):
            raise ValidationError(
                _("The SKU {sku} is already used in this shop. Choose another.").format(sku=sku)
            )
        self.taken.add(sku)
        return sku

    def unique_child(self, base: str, values: tuple[str, ...]) -> str:
        stem = "-".join([base, *(option_suffix(v) for v in values if v)])
        sku, n = stem, 1
        while self.exists(sku):
            n += 1
            sku = f"{stem}{n}"
        return sku
