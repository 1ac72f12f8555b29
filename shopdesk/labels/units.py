"""Lengths as label files write them: ``12.5mm``, ``0.75in``, ``36pt`` or bare points."""

from __future__ import annotations

import re

from shopdesk.errors import ValidationError
from shopdesk.i18n import _

MM_PER_PT = 25.4 / 72.0
PT_PER_MM = 72.0 / 25.4

_UNIT_TO_MM = {
    "mm": 1.0,
    "cm": 10.0,
    "in": 25.4,
    "pt": MM_PER_PT,
    "pc": 12 * MM_PER_PT,
    "": MM_PER_PT,
}
# The number may be missing ("in", ""): gLabels reads that as 0 and shipped files do it.
_LENGTH = re.compile(r"^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)?\s*([a-zA-Z]*)\s*$")


def parse_length_mm(text: str) -> float:
    """Millimetres from a gLabels length; a bare number means points (as in gLabels)."""
    match = _LENGTH.match(text or "")
    unit = match.group(2).lower() if match else None
    if not match or unit not in _UNIT_TO_MM:
        raise ValidationError(
            _("“{text}” is not a length. Write it like 12.5mm, 0.75in or 36pt.").format(text=text)
        )
    return float(match.group(1) or 0.0) * _UNIT_TO_MM[unit]


def mm(value: float) -> float:
    """Points from millimetres (reportlab draws in points)."""
    return value * PT_PER_MM


def dots(value_mm: float, dpi: int) -> int:
    """Whole printer dots from millimetres."""
    return round(value_mm * dpi / 25.4)
