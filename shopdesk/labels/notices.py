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
NO_HALAL_NUMBER = "no-halal-number"

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


# Who holds each field a label needs: the product (its editor), the shop (its details)
# or the batch chosen for the run. The Label page offers the way to each.
PRODUCT = "product"
SHOP = "shop"
BATCH = "batch"
FIELD_OWNERS = {
    "name": PRODUCT,
    "variant": PRODUCT,
    "netto": PRODUCT,
    "composition": PRODUCT,
    "pirt": PRODUCT,  # the product's own number, else the shop's
    "price": PRODUCT,
    "producer_name": SHOP,
    "producer_address": SHOP,
    "halal": SHOP,  # the shop's certificate number
    "production_code": BATCH,
    "production_date": BATCH,
    "best_before": BATCH,
}


@dataclass(frozen=True)
class LabelWarning:
    code: str
    message: str
    sku: str = ""
    field: str = ""  # the label field it is about, when one is missing (FIELD_OWNERS)

    @property
    def owner(self) -> str:
        """Where the seller fixes it: PRODUCT, SHOP, BATCH, or "" (nothing to fill in)."""
        return FIELD_OWNERS.get(self.field, "")

    def __str__(self) -> str:
        return f"{self.sku}: {self.message}" if self.sku else self.message
