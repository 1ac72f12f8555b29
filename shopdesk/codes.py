"""SKUs and barcodes as sellers type them, scanners read them and Excel mangles them.

A SKU is short readable text, unique per shop, kept upper-case so that
``kopi-0001`` typed by hand finds ``KOPI-0001``. A barcode is either an EAN-13
with a correct check digit (weights 1, 3, 1, 3 ... from the left) or any
printable ASCII text for an in-house Code 128 label. ``899`` is GS1
Indonesia's prefix: such numbers belong to its members, are accepted when a
seller types one from a real pack, and are never generated here.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from shopdesk.errors import ValidationError
from shopdesk.i18n import _

SKU_MAX = 40
BARCODE_MAX = 48
GS1_INDONESIA = "899"
_SKU = re.compile(r"^[A-Z0-9][A-Z0-9._/-]*$")
# What Excel shows after turning a long number into a float: 8.99123E+12, 8,99E+12
_EXCEL_NUMBER = re.compile(r"^\s*\d+(?:[.,]\d+)?\s*[eE]\s*[+-]?\s*\d+\s*$")
_VOWELS = set("AEIOU")


def looks_like_excel_number(text: str) -> bool:
    """True for ``8.99123E+12``: a code Excel turned into a number, digits lost."""
    return bool(_EXCEL_NUMBER.match(text or ""))


def excel_number_error(text: str) -> ValidationError:
    return ValidationError(
        _(
            "“{text}” was turned into a number by Excel and its digits are lost. "
            "Format the column as Text in Excel and type the codes again."
        ).format(text=text)
    )


def normalize_sku(text: str) -> str:
    """A SKU as stored: trimmed and upper-case; ValidationError when it cannot be one."""
    raw = (text or "").strip()
    if looks_like_excel_number(raw):
        raise excel_number_error(raw)
    sku = raw.upper()
    if not sku:
        raise ValidationError(_("The SKU is empty. Leave it out to have one made for you."))
    if len(sku) > SKU_MAX or not _SKU.match(sku):
        raise ValidationError(
            _(
                "“{sku}” cannot be a SKU: use up to {n} letters, digits and - . / _ "
                "without spaces, like KOPI-0001."
            ).format(sku=raw[:60], n=SKU_MAX)
        )
    return sku


def ean13_check_digit(first12: str) -> int:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return (10 - total % 10) % 10


def is_valid_ean13(code: str) -> bool:
    return (
        len(code) == 13
        and code.isascii()
        and code.isdigit()
        and int(code[12]) == ean13_check_digit(code[:12])
    )


def normalize_barcode(text: str) -> str:
    """An EAN-13 (checked) or Code 128 text; '' for no barcode."""
    raw = (text or "").strip()
    if not raw:
        return ""
    if looks_like_excel_number(raw):
        raise excel_number_error(raw)
    compact = "".join(raw.split())
    if compact.isascii() and compact.isdigit() and len(compact) == 13:
        if not is_valid_ean13(compact):
            raise ValidationError(
                _(
                    "The barcode {code} has a wrong check digit: the last digit should be "
                    "{digit}. Check the number on the pack."
                ).format(code=compact, digit=ean13_check_digit(compact[:12]))
            )
        return compact
    if len(raw) > BARCODE_MAX or any(not 32 <= ord(ch) <= 126 for ch in raw):
        raise ValidationError(
            _(
                "“{code}” cannot be a barcode: use an EAN-13 (13 digits) or up to {n} "
                "plain letters, digits and signs for an in-house code."
            ).format(code=raw[:60], n=BARCODE_MAX)
        )
    return raw


_NOT_LETTER_OR_DIGIT = re.compile(r"[^A-Z0-9]")


def ascii_letters(text: str) -> str:
    """'Kéripik Pédas' -> 'KERIPIKPEDAS': upper-case A-Z0-9 only."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return _NOT_LETTER_OR_DIGIT.sub("", plain.upper())  # one pass: 10,000-row imports call it


@functools.lru_cache(maxsize=1024)  # an import asks once per new product, by category
def sku_prefix(source: str) -> str:
    """A readable prefix: 'Kopi' -> KOPI, 'Keripik' -> KRPK, 'Sambal' -> SMBL.

    Short words stay whole; longer ones keep their first letter and consonants,
    the way sellers abbreviate on shelf labels.
    """
    word = ascii_letters((source or "").split()[0] if (source or "").split() else "")
    if not word:
        return "PRD"
    if len(word) <= 4:
        return word
    consonants = word[0] + "".join(ch for ch in word[1:] if ch not in _VOWELS)
    return (consonants if len(consonants) >= 3 else word)[:4]


def option_suffix(value: str) -> str:
    """'Original' -> ORI, 'Pedas Daun Jeruk' -> PED, '250 g' -> 250G."""
    letters = ascii_letters(value)
    return letters[:3] or "V"
