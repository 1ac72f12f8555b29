"""Warnings a seller sees before printing (the label still prints)."""

from __future__ import annotations

from dataclasses import dataclass

from shopdesk.i18n import N_, _

MISSING_FIELD = "missing-field"
TEXT_CUT = "text-cut"
CHARS_DROPPED = "chars-dropped"
RIGHT_TO_LEFT = "right-to-left"
NO_QR = "no-qr"
NO_BARCODE = "no-barcode"
TOO_SMALL = "too-small"

# Names of label fields in warnings.
FIELD_NAMES = {
    "name": N_("product name"),
    "variant": N_("variant"),
    "netto": N_("net content (Berat bersih)"),
    "composition": N_("ingredients (Komposisi)"),
    "producer_name": N_("producer name"),
    "producer_address": N_("producer address"),
    "pirt": N_("P-IRT number"),
    "halal": N_("halal certificate number"),
    "production_code": N_("production code"),
    "production_date": N_("production date"),
    "best_before": N_("best before date"),
    "price": N_("price"),
    "caption": N_("caption"),
}


def field_name(key: str) -> str:
    return _(FIELD_NAMES.get(key, key))


@dataclass(frozen=True)
class LabelWarning:
    code: str
    message: str
    sku: str = ""

    def __str__(self) -> str:
        return f"{self.sku}: {self.message}" if self.sku else self.message
