"""What a stock entry may hold: reasons, limits, and the checks of typed input.

Pure checks, no database: every service of the package runs them before it
opens its transaction.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from shopdesk.dates import Month, parse_day
from shopdesk.errors import ValidationError
from shopdesk.i18n import N_, _

RECEIVED = "received"
RETURNED = "returned"
SOLD = "sold"
DAMAGED = "damaged"
EXPIRED = "expired"
SAMPLE = "sample"
STOCKTAKE = "stocktake"
CORRECTION = "correction"
VOID = "void"

REASON_LABELS = {
    RECEIVED: N_("produced or received"),
    RETURNED: N_("returned by a customer"),
    SOLD: N_("sold"),
    DAMAGED: N_("damaged"),
    EXPIRED: N_("expired"),
    SAMPLE: N_("given away as sample"),
    STOCKTAKE: N_("stocktake difference"),
    CORRECTION: N_("correction"),
    VOID: N_("void"),
}
REASONS = tuple(REASON_LABELS)
IN_REASONS = (RECEIVED, RETURNED)
OUT_REASONS = (SOLD, DAMAGED, EXPIRED, SAMPLE)
ADJUST_REASONS = (CORRECTION, STOCKTAKE)
# What leaves the shop for a customer: never from an expired batch unless the
# seller confirms it for that one entry. A batch is expired from the day after
# its expiry date (in the shop's zone); on the expiry day itself it still sells.
TO_CUSTOMER = (SOLD, SAMPLE)

MAX_QUANTITY = 1_000_000  # per movement; more is a typo (or a scanner stuck on a key)
MAX_NOTE = 500
MAX_BATCH_CODE = 40
_BATCH_CODE = re.compile(r"^[\w./ -]+$")


def reason_label(reason: str) -> str:
    return _(REASON_LABELS.get(reason, reason))


def check_quantity(
    value: object, *, allow_negative_sign: bool = False, allow_zero: bool = False
) -> int:
    """A whole number of units, 1 .. MAX_QUANTITY (signed when adjusting, from 0
    when counting)."""
    if isinstance(value, bool):
        raise ValidationError(_("The quantity must be a whole number."))
    if isinstance(value, str):
        text = value.strip()
        if not re.fullmatch(r"[+-]?\d{1,12}", text):
            raise ValidationError(
                _("“{text}” is not a quantity. Write a whole number such as 12.").format(text=text)
            )
        value = int(text)
    if not isinstance(value, int):
        raise ValidationError(_("The quantity must be a whole number."))
    if (value == 0 and not allow_zero) or (value < 0 and not allow_negative_sign):
        message = (
            _("The change cannot be zero.")
            if allow_negative_sign
            else _("The quantity must be 1 or more.")
        )
        raise ValidationError(message)
    if abs(value) > MAX_QUANTITY:
        raise ValidationError(
            _("{quantity} is too many for one entry: at most {limit} per movement.").format(
                quantity=value, limit=MAX_QUANTITY
            )
        )
    return value


def clean_note(note: object) -> str:
    text = str(note or "").replace("\x00", "").strip()
    if len(text) > MAX_NOTE:
        raise ValidationError(
            _("The note is too long: at most {limit} characters.").format(limit=MAX_NOTE)
        )
    return text


def parse_date(value: object, *, field: str, month: Month = Month.REFUSED) -> date | None:
    """A date object or a typed date (``shopdesk.dates``); None or empty stays None."""
    return parse_day(value, field=field, month=month)


def check_batch_code(code: object) -> str:
    """A production code as typed: letters, digits, - . / and spaces, trimmed."""
    text = str(code or "").strip()
    if not text or len(text) > MAX_BATCH_CODE or not _BATCH_CODE.match(text):
        raise ValidationError(
            _(
                "“{code}” is not a production code: use letters, digits, - . / "
                "and at most {limit} characters."
            ).format(code=text, limit=MAX_BATCH_CODE)
        )
    return text


def check_reason(reason: str, allowed: tuple[str, ...]) -> str:
    if reason not in allowed:
        raise ValidationError(
            _("“{reason}” is not a reason here. Choose one of: {choices}.").format(
                reason=reason, choices=", ".join(allowed)
            )
        )
    return reason


def below_zero(sku: str, available: int, quantity: int) -> ValidationError:
    """The refusal of a removal the stock on hand does not cover."""
    return ValidationError(
        _(
            "Only {available} of {sku} in stock, so {quantity} cannot be taken. "
            "Check the count, or confirm that stock may go below zero for this one entry."
        ).format(available=available, sku=sku, quantity=quantity)
    )


@dataclass(frozen=True)
class ExpiredLot:
    """Units a removal for a customer would take (or took) from an expired batch."""

    sku: str
    product_name: str
    code: str
    expires_on: date
    units: int

    def text(self) -> str:
        return _("{product} ({sku}), batch {code}, expired on {expiry}: {units} units").format(
            product=self.product_name,
            sku=self.sku,
            code=self.code,
            expiry=self.expires_on.strftime("%d-%m-%Y"),
            units=self.units,
        )


EXPIRED_ONLY = N_(
    "Only expired stock is left for this: {batches}. Nothing was recorded. Write the expired "
    "stock off (Stock page, Expired tab), or confirm that expired stock may be sold this once."
)


class ExpiredStockError(ValidationError):
    """A sale (or sample) would take stock from batches past their expiry date.

    ``template`` is an English id with ``{batches}``: the CLI names its own way out.
    """

    def __init__(self, lots: Sequence[ExpiredLot], template: str = EXPIRED_ONLY) -> None:
        self.lots = tuple(lots)
        super().__init__(_(template).format(batches="; ".join(lot.text() for lot in self.lots)))
