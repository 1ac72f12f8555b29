"""Checks of what a seller gives for a product or a variant: each turns the
given value into the stored one or raises ``ValidationError`` saying what to fix.
The last two look at the product's other variants and the shop's barcodes."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from shopdesk.catalog.types import (
    MAX_DIMENSION_CM,
    MAX_LOW_STOCK,
    MAX_SHELF_LIFE_DAYS,
    MAX_WEIGHT_G,
)
from shopdesk.codes import normalize_barcode, normalize_sku
from shopdesk.errors import ValidationError
from shopdesk.i18n import _
from shopdesk.money import parse_rupiah
from shopdesk.store.models import Variant
from shopdesk.validators import check_text, normalize_pirt

_TRUE = {"1", "true", "ya", "y", "yes", "iya", "halal", "benar"}
_FALSE = {"0", "false", "tidak", "t", "no", "n", "bukan", "tdk", ""}


_GROUPED_THOUSANDS = re.compile(r"\d{1,3}(\.\d{3})+")
_DIGITS = re.compile(r"\d{1,10}")


def whole_number(value: object, *, field: str, high: int) -> int:
    if isinstance(value, bool):
        raise ValidationError(_("{field} must be a whole number.").format(field=field))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        text = value.strip()
        if _GROUPED_THOUSANDS.fullmatch(text):  # 1.050 written the Indonesian way
            text = text.replace(".", "")
        if not text:
            return 0
        if not _DIGITS.fullmatch(text):
            raise ValidationError(
                _("{field}: “{text}” is not a whole number.").format(field=field, text=text[:40])
            )
        value = int(text)
    if not isinstance(value, int):
        raise ValidationError(_("{field} must be a whole number.").format(field=field))
    if not 0 <= value <= high:
        raise ValidationError(
            _("{field} must be between 0 and {high}.").format(field=field, high=high)
        )
    return value


def parse_bool(value: object, *, field: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    text = str(value if value is not None else "").strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValidationError(
        _("{field}: write ya or tidak, not “{text}”.").format(field=field, text=text[:40])
    )


def _price(value: object, *, field: str) -> int:
    try:
        return parse_rupiah(value if isinstance(value, int) else str(value))
    except ValidationError as exc:
        raise ValidationError(f"{field}: {exc.message}") from exc


def _url(value: object) -> str:
    text = check_text(str(value or ""), field=_("Listing link"), max_length=500)
    if text and not re.match(r"^https?://\S+$", text):
        raise ValidationError(_("The listing link must start with http:// or https://."))
    return text


Check = Callable[[object], object]


def product_checks() -> dict[str, Check]:
    """field -> checker(value) -> stored value (built per call: labels are translated)."""
    return {
        "category": lambda v: check_text(str(v or ""), field=_("Category"), max_length=60),
        "name": lambda v: check_text(str(v or ""), field=_("Name"), required=True, max_length=200),
        "unit": lambda v: check_text(str(v or ""), field=_("Unit"), max_length=20).lower() or "pcs",
        "description": lambda v: check_text(str(v or ""), field=_("Description"), max_length=5000),
        "weight_g": lambda v: whole_number(v, field=_("Weight (g)"), high=MAX_WEIGHT_G),
        "length_cm": lambda v: whole_number(v, field=_("Length (cm)"), high=MAX_DIMENSION_CM),
        "width_cm": lambda v: whole_number(v, field=_("Width (cm)"), high=MAX_DIMENSION_CM),
        "height_cm": lambda v: whole_number(v, field=_("Height (cm)"), high=MAX_DIMENSION_CM),
        "is_food": lambda v: parse_bool(v, field=_("Food")),
        "netto": lambda v: check_text(str(v or ""), field=_("Net content"), max_length=60),
        "composition": lambda v: check_text(str(v or ""), field=_("Composition"), max_length=1000),
        "storage": lambda v: check_text(str(v or ""), field=_("Storage"), max_length=300),
        "shelf_life_days": lambda v: whole_number(
            v, field=_("Shelf life (days)"), high=MAX_SHELF_LIFE_DAYS
        ),
        "pirt_number": lambda v: normalize_pirt(str(v or "")),
        "halal": lambda v: parse_bool(v, field=_("Halal")),
        "option1_name": lambda v: check_text(str(v or ""), field=_("Option name"), max_length=30),
        "option2_name": lambda v: check_text(str(v or ""), field=_("Option name"), max_length=30),
        "listing_url": _url,
    }


PRODUCT_FIELDS = (
    "name", "category", "unit", "description", "weight_g", "length_cm", "width_cm",
    "height_cm", "is_food", "netto", "composition", "storage", "shelf_life_days",
    "pirt_number", "halal", "option1_name", "option2_name", "listing_url",
)  # fmt: skip
VARIANT_FIELDS = (
    "sku", "option1_value", "option2_value", "price", "cost", "barcode", "low_stock",
    "position", "archived",
)  # fmt: skip


def check_product_fields(fields: Mapping[str, object]) -> dict[str, object]:
    """Validated product values (``category`` stays a name); unknown fields refused."""
    checks = product_checks()
    values: dict[str, object] = {}
    for key, value in fields.items():
        if key in checks:
            values[key] = checks[key](value)
        else:
            raise ValidationError(_("Unknown product field: {field}").format(field=key))
    if values.get("option2_name") and "option1_name" in values and not values["option1_name"]:
        raise ValidationError(_("Give the first option a name before the second one."))
    return values


def check_variant_fields(fields: Mapping[str, object]) -> dict[str, object]:
    values: dict[str, object] = {}
    for key, value in fields.items():
        if key == "sku":
            values[key] = None if value in (None, "") else normalize_sku(str(value))
        elif key in ("option1_value", "option2_value"):
            values[key] = check_text(str(value or ""), field=_("Option value"), max_length=50)
        elif key == "price":
            values[key] = _price(value, field=_("Price"))
        elif key == "cost":
            values[key] = 0 if value in (None, "") else _price(value, field=_("Cost"))
        elif key == "barcode":
            values[key] = normalize_barcode(str(value or ""))
        elif key == "low_stock":
            values[key] = whole_number(value, field=_("Low-stock level"), high=MAX_LOW_STOCK)
        elif key == "position":
            values[key] = whole_number(value, field=_("Position"), high=10_000)
        elif key == "archived":
            values[key] = parse_bool(value, field=_("Archived"))
        else:
            raise ValidationError(_("Unknown variant field: {field}").format(field=key))
    return values


def check_barcode_free(shop_id: int, barcode: str, *, except_id: int | None = None) -> None:
    """No other variant of the shop has this barcode (``except_id``: the one being changed)."""
    if not barcode:
        return
    query = Variant.select().where((Variant.shop == shop_id) & (Variant.barcode == barcode))
    if except_id is not None:
        query = query.where(Variant.id != except_id)
    if query.exists():
        raise ValidationError(
            _("The barcode {code} is already on another product in this shop.").format(code=barcode)
        )


def check_options(
    option1_name: str, option2_name: str, combos: list[tuple[str, str]], *, strict: bool
) -> None:
    """Option values fit the option names; no two variants alike."""
    if option2_name and not option1_name:
        raise ValidationError(_("Give the first option a name before the second one."))
    seen: set[tuple[str, str]] = set()
    for value1, value2 in combos:
        if (value1 and not option1_name) or (value2 and not option2_name):
            raise ValidationError(
                _(
                    "This product has no option name for the value “{value}”. "
                    "Name the option first (like Rasa or Ukuran)."
                ).format(value=value1 or value2)
            )
        if strict and ((option1_name and not value1) or (option2_name and not value2)):
            raise ValidationError(
                _("Each variant needs a value for {option}.").format(
                    option=option1_name if not value1 else option2_name
                )
            )
        key = (value1.casefold(), value2.casefold())
        if key in seen:
            raise ValidationError(
                _("Two variants have the same options: {options}.").format(
                    options=" / ".join(v for v in (value1, value2) if v) or "-"
                )
            )
        seen.add(key)
