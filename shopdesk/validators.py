"""Checks for what sellers type: phone numbers, permits, PINs, names."""

from __future__ import annotations

import re

from shopdesk.errors import ValidationError
from shopdesk.i18n import _

PIN_MIN = 6
PIN_MAX = 12
PASSWORD_MIN = 8
_LOGIN = re.compile(r"^[a-z0-9][a-z0-9-]{1,23}$")
_PIRT = re.compile(r"^\d{13}-\d{2}$")
# An Indonesian mobile number in E.164, as normalize_whatsapp stores it: phonenumbers'
# own mobile pattern for ID (8[1-35-9] then 7 to 10 digits), so every number it matches
# is one phonenumbers calls valid and formats to itself.
_STORED_MOBILE = re.compile(r"\+628[1-35-9]\d{7,10}")


def is_stored_mobile(text: str) -> bool:
    """An Indonesian mobile number already in E.164: phonenumbers would return it as is.

    That is what ``normalize_whatsapp`` stores, so printing a label sheet need not load
    phonenumbers (50 ms) to read the shop's own number again; anything else still goes
    through it.
    """
    return _STORED_MOBILE.fullmatch(text) is not None


def normalize_whatsapp(text: str, *, required: bool = False) -> str:
    """'0812 3456 7890', '+62 812...', '62812...', '812...' -> '+628123456789'."""
    raw = (text or "").strip()
    if not raw:
        if required:
            raise ValidationError(_("Enter a WhatsApp number, for example 0812 3456 7890."))
        return ""
    if is_stored_mobile(raw):
        return raw
    import phonenumbers  # ~50 ms to import: only when a number is checked, not at start-up

    candidate = raw
    digits = re.sub(r"\D", "", raw)
    if not raw.startswith(("+", "0")) and digits.startswith("62"):
        candidate = "+" + digits
    try:
        number = phonenumbers.parse(candidate, "ID")
    except phonenumbers.NumberParseException as exc:
        raise _bad_phone(raw) from exc
    if not phonenumbers.is_valid_number(number):
        raise _bad_phone(raw)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _bad_phone(raw: str) -> ValidationError:
    return ValidationError(
        _("“{text}” is not a valid phone number. Write it like 0812 3456 7890.").format(text=raw)
    )


def wa_digits(e164: str) -> str:
    """'+6281234567890' -> '6281234567890', as wa.me links want it."""
    return e164.lstrip("+")


def normalize_pirt(text: str) -> str:
    """A P-IRT number: 15 digits written 1234567890123-45 (or empty)."""
    raw = (text or "").strip()
    if not raw:
        return ""
    digits = re.sub(r"\D", "", raw)
    if len(digits) == 15:
        candidate = f"{digits[:13]}-{digits[13:]}"
        if _PIRT.match(candidate):
            return candidate
    raise ValidationError(
        _("“{text}” is not a P-IRT number. It has 15 digits, like 1234567890123-45.").format(
            text=raw
        )
    )


def check_pin(pin: str) -> str:
    pin = (pin or "").strip()
    if not pin.isdigit() or not pin.isascii():
        raise ValidationError(_("A PIN is made of digits only."))
    if not PIN_MIN <= len(pin) <= PIN_MAX:
        raise ValidationError(
            _("A PIN has {low} to {high} digits.").format(low=PIN_MIN, high=PIN_MAX)
        )
    return pin


def check_password(password: str) -> str:
    if len(password or "") < PASSWORD_MIN:
        raise ValidationError(
            _("The password needs at least {n} characters.").format(n=PASSWORD_MIN)
        )
    return password


def check_login(login: str) -> str:
    value = (login or "").strip().lower()
    if not _LOGIN.match(value):
        raise ValidationError(
            _(
                "“{text}” cannot be a seller name: use 2 to 24 small letters, digits "
                "or dashes, like kopi-sindoro."
            ).format(text=login)
        )
    return value


def check_text(value: str, *, field: str, required: bool = False, max_length: int = 500) -> str:
    text = (value or "").strip()
    if "\x00" in text:
        raise ValidationError(
            _("{field} contains a character that is not allowed.").format(field=field)
        )
    if required and not text:
        raise ValidationError(_("{field} is required.").format(field=field))
    if len(text) > max_length:
        raise ValidationError(
            _("{field} is too long: at most {n} characters.").format(field=field, n=max_length)
        )
    return text
