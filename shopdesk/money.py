"""Integer rupiah: read what sellers type, write it the Indonesian way.

Sellers write ``15000``, ``15.000``, ``Rp 15.000,-``, ``15rb``, ``1,5jt``.
Amounts are always whole rupiah; nothing here touches a float.
"""

from __future__ import annotations

import re

from shopdesk.errors import ValidationError
from shopdesk.i18n import _

MAX_RUPIAH = 1_000_000_000
# "Rp 1.000.000.000,00" has 19 characters; longer text is no price (and a
# thousands-digit number would go past what Python turns into an int).
MAX_PRICE_TEXT = 40

_MULTIPLIERS = {
    "rb": 1_000,
    "ribu": 1_000,
    "k": 1_000,
    "jt": 1_000_000,
    "juta": 1_000_000,
}
_PREFIX = re.compile(r"^(?:rp\.?|idr)\s*")
_SUFFIX_DASH = re.compile(r"[.,]\s*-$|-$")
_WITH_UNIT = re.compile(r"^(\d+)(?:[.,](\d+))?\s*(" + "|".join(_MULTIPLIERS) + r")$")
_PLAIN = re.compile(r"^(\d+)(?:[.,](\d{2}))?$")
# 15.000 / 2.500.000 / 15,000 with an optional ",00" in the other separator
_GROUPED = re.compile(r"^(\d{1,3}(?:([.,])\d{3})(?:\2\d{3})*)(?:([.,])(\d{2}))?$")


def _invalid(text: str) -> ValidationError:
    shown = text if len(text) <= MAX_PRICE_TEXT else text[: MAX_PRICE_TEXT - 1] + "…"
    return ValidationError(
        _("“{text}” is not a price. Write it like 15000, 15.000, Rp 15.000 or 15rb.").format(
            text=shown
        )
    )


def parse_rupiah(text: str | int) -> int:
    """Return whole rupiah from a seller's text; raise ValidationError otherwise."""
    if isinstance(text, int) and not isinstance(text, bool):
        return _check_range(text, str(text))
    raw = str(text)
    value = raw.strip().lower()
    if not value:
        raise ValidationError(_("The price is empty. Write it like 15000 or 15.000."))
    if len(value) > MAX_PRICE_TEXT:
        raise _invalid(raw.strip())
    if value.startswith("-"):
        raise ValidationError(_("A price cannot be negative: “{text}”.").format(text=raw))
    value = _PREFIX.sub("", value)
    value = _SUFFIX_DASH.sub("", value).strip()
    amount = _parse_amount(value)
    if amount is None:
        raise _invalid(raw.strip())
    return _check_range(amount, raw.strip())


def _parse_amount(value: str) -> int | None:
    if match := _WITH_UNIT.match(value.replace(" ", "")):
        whole, fraction, unit = match.groups()
        multiplier = _MULTIPLIERS[unit]
        fraction = fraction or ""
        scaled = int(whole + fraction) * multiplier
        divisor = 10 ** len(fraction)
        return scaled // divisor if scaled % divisor == 0 else None
    if match := _PLAIN.match(value):
        whole, cents = match.groups()
        return int(whole) if not cents or int(cents) == 0 else None
    if match := _GROUPED.match(value):
        groups, group_sep, decimal_sep, cents = match.groups()
        if decimal_sep == group_sep or (cents and int(cents) != 0):
            return None
        return int(groups.replace(group_sep, ""))
    return None


def _check_range(amount: int, shown: str) -> int:
    if amount < 0:
        raise ValidationError(_("A price cannot be negative: “{text}”.").format(text=shown))
    if amount > MAX_RUPIAH:
        raise ValidationError(
            _("“{text}” is too large: the most ShopDesk accepts is Rp 1.000.000.000.").format(
                text=shown
            )
        )
    return amount


def format_number(amount: int) -> str:
    """15000 -> '15.000' (Indonesian thousands separator)."""
    return f"{amount:,}".replace(",", ".")


def format_rupiah(amount: int) -> str:
    """15000 -> 'Rp 15.000'; negative amounts (losses) as '-Rp 15.000'."""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {format_number(abs(amount))}"
