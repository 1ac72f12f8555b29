"""Fit blocks of text into a box: shrink together, wrap, and never spill.

All blocks share one base size (each scaled by its own factor), found by
bisection as the largest size at which everything fits. When even the
smallest legible size does not fit, blocks are placed in order until the box
is full; the last one is shortened with an ellipsis and the rest are left
out. The caller turns the names of shortened blocks into warnings. A fit is
remembered: a run of labels repeats its texts (1,000 serial codes, one product name).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from shopdesk.fonts import ASCENT, BOLD, DESCENT, REGULAR, width_em
from shopdesk.labels.units import MM_PER_PT

MIN_PT = 4.5  # below this, print is not legible on a label
LEADING = ASCENT + DESCENT + 0.05  # line pitch in em
BLOCK_GAP = 0.18  # extra space between blocks, in em of the block's size
ELLIPSIS = "…"


@dataclass(frozen=True)
class TextBlock:
    key: str
    text: str
    scale: float = 1.0
    bold: bool = False
    max_lines: int = 0  # 0: as many as fit
    align: str = "left"  # left or center


@dataclass(frozen=True)
class FittedLine:
    key: str
    text: str
    font: str
    size_pt: float
    x_mm: float  # from the box's left edge
    baseline_mm: float  # from the box's bottom edge
    width_mm: float


@dataclass(frozen=True)
class FitResult:
    lines: tuple[FittedLine, ...]
    cut: tuple[str, ...]  # keys of blocks shortened or left out
    base_pt: float
    height_mm: float


def _line_mm(size: float) -> float:
    return size * LEADING * MM_PER_PT


def _break_word(word: str, font: str, avail_em: float) -> list[str]:
    pieces: list[str] = []
    start = 0
    while start < len(word):
        end = start + 1
        while end < len(word) and width_em(word[start : end + 1], font) <= avail_em:
            end += 1
        pieces.append(word[start:end])
        start = end
    return pieces


def wrap(
    text: str, font: str, size: float, width_mm: float, max_lines: int
) -> tuple[list[str], bool]:
    """Greedy word wrap; returns the lines and whether text was cut."""
    avail_em = width_mm / MM_PER_PT / size
    if max_lines <= 0 or avail_em <= 0:
        return [], bool(text)
    space = width_em(" ", font)
    lines: list[str] = []
    current = ""
    current_w = 0.0
    words = text.split(" ")
    for index, word in enumerate(words):
        if not word:
            continue
        word_w = width_em(word, font)
        pieces = [word] if word_w <= avail_em else _break_word(word, font, avail_em)
        for piece in pieces:
            piece_w = word_w if len(pieces) == 1 else width_em(piece, font)
            if piece_w > avail_em:  # not even one character fits the width
                if current:
                    lines.append(current)
                return lines[:max_lines], True
            if current and current_w + space + piece_w <= avail_em:
                current += " " + piece
                current_w += space + piece_w
                continue
            if current:
                lines.append(current)
                if len(lines) == max_lines:
                    rest = " ".join(w for w in words[index:] if w)
                    return _with_ellipsis(lines, font, avail_em), bool(rest)
            current, current_w = piece, piece_w
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        return _with_ellipsis(lines[:max_lines], font, avail_em), True
    return lines, False


def _with_ellipsis(lines: list[str], font: str, avail_em: float) -> list[str]:
    if not lines:
        return lines
    last = lines[-1]
    while last and width_em(last + ELLIPSIS, font) > avail_em:
        last = last[:-1]
    lines[-1] = (last.rstrip() + ELLIPSIS) if width_em(ELLIPSIS, font) <= avail_em else last
    return lines


def _size(block: TextBlock, base: float, min_pt: float) -> float:
    return max(min_pt, block.scale * base)


def _layout(
    blocks: Sequence[TextBlock], base: float, width_mm: float, height_mm: float, min_pt: float
) -> tuple[list[tuple[TextBlock, float, list[str]]], float, list[str]]:
    """Wrap every block at one base size; report the height used and the cut keys."""
    placed: list[tuple[TextBlock, float, list[str]]] = []
    cut: list[str] = []
    used = 0.0
    for block in blocks:
        size = _size(block, base, min_pt)
        gap = BLOCK_GAP * size * MM_PER_PT if placed else 0.0
        room = height_mm - used - gap
        fit_lines = max(0, math.floor(room / _line_mm(size) + 1e-9))
        limit = min(block.max_lines, fit_lines) if block.max_lines else fit_lines
        font = BOLD if block.bold else REGULAR
        lines, was_cut = wrap(block.text, font, size, width_mm, limit)
        if was_cut:
            cut.append(block.key)
        if lines:
            placed.append((block, size, lines))
            used += gap + len(lines) * _line_mm(size)
    return placed, used, cut


def fit_blocks(
    blocks: list[TextBlock],
    width_mm: float,
    height_mm: float,
    *,
    min_pt: float = MIN_PT,
    max_pt: float = 14.0,
    valign: str = "top",
) -> FitResult:
    """Lay the blocks out in the box at the largest size that fits."""
    kept = tuple(b for b in blocks if b.text)
    return _fit(kept, width_mm, height_mm, min_pt, max_pt, valign) if kept else EMPTY


EMPTY = FitResult((), (), 0.0, 0.0)


def forget_fits() -> None:
    """Empty the remembered fits, for a benchmark to time a run from cold."""
    _fit.cache_clear()


@functools.lru_cache(maxsize=4096)
def _fit(
    blocks: tuple[TextBlock, ...],
    width_mm: float,
    height_mm: float,
    min_pt: float,
    max_pt: float,
    valign: str,
) -> FitResult:
    # At the lower bound every block is at the smallest legible size; what is cut
    # there cannot be helped, and a larger size is good when it cuts nothing more.
    low = min(min_pt / max(b.scale for b in blocks), max_pt)
    high = max_pt
    best = _layout(blocks, low, width_mm, height_mm, min_pt)
    base = low
    unavoidable = set(best[2])

    def fits(trial: tuple[list[tuple[TextBlock, float, list[str]]], float, list[str]]) -> bool:
        return set(trial[2]) <= unavoidable

    top = _layout(blocks, high, width_mm, height_mm, min_pt)
    if fits(top):
        best, base = top, high
    else:
        for _step in range(12):
            mid = (low + high) / 2
            trial = _layout(blocks, mid, width_mm, height_mm, min_pt)
            if fits(trial):
                low, best, base = mid, trial, mid
            else:
                high = mid
    placed, used, cut = best
    return FitResult(_position(placed, width_mm, height_mm, used, valign), tuple(cut), base, used)


def _position(
    placed: list[tuple[TextBlock, float, list[str]]],
    width_mm: float,
    height_mm: float,
    used: float,
    valign: str,
) -> tuple[FittedLine, ...]:
    top = height_mm - ((height_mm - used) / 2 if valign == "center" else 0.0)
    lines: list[FittedLine] = []
    first = True
    for block, size, texts in placed:
        font = BOLD if block.bold else REGULAR
        if not first:
            top -= BLOCK_GAP * size * MM_PER_PT
        first = False
        for text in texts:
            line_w = width_em(text, font) * size * MM_PER_PT
            x = (width_mm - line_w) / 2 if block.align == "center" else 0.0
            # Half the leading above the ascent; the glyphs then sit inside the pitch.
            baseline = top - (0.025 + ASCENT) * size * MM_PER_PT
            lines.append(FittedLine(block.key, text, font, size, max(0.0, x), baseline, line_w))
            top -= _line_mm(size)
    return tuple(lines)
