"""EAN-13 and Code 128 as runs of bars, ready to draw at any module size.

``899`` is GS1 Indonesia's prefix: those numbers belong to its members and
are never invented here. In-store numbers use the restricted-circulation
prefix ``2`` (``20`` + 10 digits + check), which scanners in the shop read
and marketplaces reject as product GTINs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from shopdesk.errors import ValidationError
from shopdesk.i18n import _

EAN13 = "ean13"
CODE128 = "code128"
IN_STORE_PREFIX = "20"
EAN_QUIET = (11, 7)  # modules left and right, as GS1 asks
CODE128_QUIET = 10

_L = ("0001101", "0011001", "0010011", "0111101", "0100011",
      "0110001", "0101111", "0111011", "0110111", "0001011")  # fmt: skip
_G = tuple("".join("1" if c == "0" else "0" for c in code[::-1]) for code in _L)
_R = tuple("".join("1" if c == "0" else "0" for c in code) for code in _L)
_PARITY = ("LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG",
           "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL")  # fmt: skip


@dataclass(frozen=True)
class Bars:
    """Dark runs as (first module, width in modules), plus the quiet zones."""

    symbology: str
    value: str
    runs: tuple[tuple[int, int], ...]
    modules: int  # without quiet zones
    quiet_left: int
    quiet_right: int
    text: str  # human readable line

    @property
    def total_modules(self) -> int:
        return self.modules + self.quiet_left + self.quiet_right


def ean13_check_digit(first12: str) -> int:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return (10 - total % 10) % 10


def validate_ean13(code: str) -> str:
    """The code without spaces, or ValidationError saying what is wrong."""
    digits = "".join((code or "").split())
    if len(digits) != 13 or not digits.isdigit():
        raise ValidationError(
            _("“{code}” is not an EAN-13 barcode: it needs exactly 13 digits.").format(code=code)
        )
    expected = ean13_check_digit(digits[:12])
    if int(digits[12]) != expected:
        raise ValidationError(
            _(
                "The barcode {code} has a wrong check digit: the last digit should be {digit}. "
                "Check the number on the pack."
            ).format(code=digits, digit=expected)
        )
    return digits


def is_in_store(code: str) -> bool:
    return code.startswith("2")


def in_store_ean13(number: int) -> str:
    """The in-store EAN-13 for a serial number: ``20`` + 10 digits + check."""
    if not 0 < number < 10**10:
        raise ValidationError(_("In-store barcode numbers run from 1 to 9999999999."))
    first12 = f"{IN_STORE_PREFIX}{number:010d}"
    return first12 + str(ean13_check_digit(first12))


def next_in_store_ean13(taken: Iterable[str], count: int = 1) -> list[str]:
    """``count`` new in-store numbers after the highest one already used."""
    highest = 0
    for code in taken:
        if code and len(code) == 13 and code.startswith(IN_STORE_PREFIX) and code.isdigit():
            highest = max(highest, int(code[2:12]))
    return [in_store_ean13(highest + step) for step in range(1, count + 1)]


def _runs(pattern: str) -> tuple[tuple[int, int], ...]:
    runs: list[tuple[int, int]] = []
    start = None
    for index, bit in enumerate(pattern + "0"):
        if bit == "1" and start is None:
            start = index
        elif bit == "0" and start is not None:
            runs.append((start, index - start))
            start = None
    return tuple(runs)


def ean13_bars(code: str) -> Bars:
    digits = validate_ean13(code)
    parity = _PARITY[int(digits[0])]
    left = "".join(
        (_L if p == "L" else _G)[int(d)] for p, d in zip(parity, digits[1:7], strict=True)
    )
    right = "".join(_R[int(d)] for d in digits[7:])
    pattern = "101" + left + "01010" + right + "101"
    text = f"{digits[0]} {digits[1:7]} {digits[7:]}"
    return Bars(EAN13, digits, _runs(pattern), len(pattern), *EAN_QUIET, text)


def code128_bars(value: str) -> Bars:
    """Code 128 of a SKU: zxing-cpp's native writer (the QR codes' too), else reportlab's
    encoder, which loads reportlab's graphics and platypus (~0.1 s of a label command)."""
    if not value or any(ord(ch) < 32 or ord(ch) > 126 for ch in value):
        raise ValidationError(
            _("“{value}” cannot be a Code 128 barcode: use letters, digits and - . / only.").format(
                value=value
            )
        )
    pattern = native_code128(value) or reportlab_code128(value)
    return Bars(CODE128, value, _runs(pattern), len(pattern), CODE128_QUIET, CODE128_QUIET, value)


def native_code128(value: str) -> str | None:
    """Modules of ``value`` as '1' (bar) and '0' (space) from zxing-cpp's writer (3.x), or
    None where it cannot be imported."""
    try:
        import zxingcpp
    except ImportError:
        return None
    create = getattr(zxingcpp, "create_barcode", None)
    if create is None:
        return None
    image = create(value, zxingcpp.BarcodeFormat.Code128).to_image(scale=1, add_quiet_zones=False)
    first_row = bytes(image)[: image.shape[1]]  # one pixel per module, 0 is dark
    return "".join("1" if pixel == 0 else "0" for pixel in first_row)


def reportlab_code128(value: str) -> str:
    """The same from reportlab's encoder (it picks code sets B/C)."""
    from reportlab.graphics.barcode.code128 import Code128

    symbol = Code128(value, quiet=0)
    symbol.validate()
    symbol.encode()
    symbol.decompose()
    return "".join(
        ("1" if ch.isupper() else "0") * (ord(ch.lower()) - ord("a") + 1)
        for ch in symbol.decomposed
    )
