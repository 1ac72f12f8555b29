"""Stock: the append-only ledger, its on-hand cache, and stocktake.

The ledger (``ledger``, and ``voids`` for undoing) is the only writer of
movements; the cache (``cache``) is the only writer of on-hand figures, and
``integrity`` checks it against the ledger. Reads are in ``queries``, finding
a variant or batch in ``lookups``, input rules in ``checks``, the batch a
delivery goes into in ``receiving``. ``stocktake`` and ``count_sheet`` are
public submodules, imported on use (the count sheet loads reportlab).
"""

from shopdesk.stock.cache import (
    VARIANT_ON_HAND,
    VARIANT_ON_HAND_SQL,
    lot_on_hand,
    variant_on_hand,
)
from shopdesk.stock.checks import (
    DAMAGED,
    EXPIRED,
    MAX_BATCH_CODE,
    MAX_NOTE,
    MAX_QUANTITY,
    OUT_REASONS,
    REASONS,
    RECEIVED,
    RETURNED,
    SAMPLE,
    SOLD,
    TO_CUSTOMER,
    VOID,
    ExpiredLot,
    ExpiredStockError,
    check_quantity,
    clean_note,
    parse_date,
    reason_label,
)
from shopdesk.stock.integrity import check, rebuild
from shopdesk.stock.ledger import (
    adjust,
    expired_detail,
    receive,
    remove,
    take,
    write_movement,
    write_movements,
    write_off_expired,
)
from shopdesk.stock.lookups import lookup_variant, variant_by_code
from shopdesk.stock.queries import (
    BatchInfo,
    MovementInfo,
    batches,
    expired,
    expiring,
    history,
    movement,
    stock,
)
from shopdesk.stock.receiving import batch_code_for, default_expiry
from shopdesk.stock.voids import reverse, void_movement

__all__ = [
    "DAMAGED",
    "EXPIRED",
    "MAX_BATCH_CODE",
    "MAX_NOTE",
    "MAX_QUANTITY",
    "OUT_REASONS",
    "REASONS",
    "RECEIVED",
    "RETURNED",
    "SAMPLE",
    "SOLD",
    "TO_CUSTOMER",
    "VARIANT_ON_HAND",
    "VARIANT_ON_HAND_SQL",
    "VOID",
    "BatchInfo",
    "ExpiredLot",
    "ExpiredStockError",
    "MovementInfo",
    "adjust",
    "batch_code_for",
    "batches",
    "cache",
    "check",
    "check_quantity",
    "clean_note",
    "count_sheet",
    "default_expiry",
    "expired",
    "expired_detail",
    "expiring",
    "history",
    "lookup_variant",
    "lot_on_hand",
    "movement",
    "parse_date",
    "reason_label",
    "rebuild",
    "receive",
    "remove",
    "reverse",
    "stock",
    "stocktake",
    "take",
    "variant_by_code",
    "variant_on_hand",
    "void_movement",
    "write_movement",
    "write_movements",
    "write_off_expired",
]
