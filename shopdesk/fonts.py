"""The bundled open font (DejaVu Sans) and what it can print, for every PDF the app
makes (labels, price tags, the stocktake count sheet).

Fonts are embedded (subset) in every PDF, so a label looks the same on any
PC. A character the font lacks (emoji, most CJK) would print as an empty box,
so text is cleaned first: control characters go, compatibility forms are
decomposed, and anything still missing is left out and reported.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from shopdesk.paths import resource_path

REGULAR = "ShopDeskSans"
BOLD = "ShopDeskSans-Bold"
_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
# DejaVu Sans vertical metrics, in em: used to keep glyphs inside their box.
ASCENT = 0.93
DESCENT = 0.24
_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    global _registered
    with _lock:
        if _registered:
            return
        for name, filename in _FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", filename))))
        _registered = True


@lru_cache(maxsize=4)
def _covered(font_name: str) -> frozenset[int]:
    register_fonts()
    font = pdfmetrics.getFont(font_name)
    return frozenset(font.face.charToGlyph)


@dataclass(frozen=True)
class CleanText:
    text: str
    dropped: str  # characters left out because the font cannot draw them
    right_to_left: bool


def _printable(ch: str, covered: frozenset[int]) -> str | None:
    """The character, or a stand-in the font has, or None."""
    if ord(ch) in covered:
        return ch
    decomposed = unicodedata.normalize("NFKD", ch)
    if decomposed != ch and all(
        ord(part) in covered or unicodedata.combining(part) for part in decomposed
    ):
        return "".join(part for part in decomposed if ord(part) in covered)
    return None


@lru_cache(maxsize=8192)
def clean_text(text: str, bold: bool = False) -> CleanText:
    """Text the font can print, with line breaks and tabs made spaces."""
    covered = _covered(BOLD if bold else REGULAR)
    out: list[str] = []
    dropped: list[str] = []
    rtl = False
    for ch in unicodedata.normalize("NFC", text):
        if ch in "\n\r\t\v\f\u2028\u2029":
            out.append(" ")
            continue
        category = unicodedata.category(ch)
        if category in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue  # NUL, zero-width joiners, lone surrogates, private use
        if unicodedata.bidirectional(ch) in ("R", "AL"):
            rtl = True
        printable = _printable(ch, covered)
        if printable is None:
            if category not in ("Mn", "Me", "Sk") and ch not in dropped:
                dropped.append(ch)
            continue
        out.append(printable)
    cleaned = " ".join("".join(out).split())
    return CleanText(cleaned, "".join(dropped), rtl)


@lru_cache(maxsize=65536)
def width_em(text: str, font_name: str) -> float:
    """Advance width of ``text`` at 1 pt (so width at size s is this times s)."""
    register_fonts()
    width: float = pdfmetrics.stringWidth(text, font_name, 1000.0)  # reportlab is untyped
    return width / 1000.0
