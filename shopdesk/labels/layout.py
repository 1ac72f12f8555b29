"""Place one label's content on one label size: the drawing plan and its warnings.

The plan is a list of drawing operations in millimetres from the label's
bottom-left corner, shared by the PDF and the TSPL writers. Everything is
kept inside the label's inner box (label minus its margin): text shrinks and
wraps, a QR code or barcode that would be too small to scan is left out,
and each such decision becomes a warning.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from shopdesk.errors import ValidationError
from shopdesk.fonts import REGULAR, clean_text, width_em
from shopdesk.i18n import _
from shopdesk.labels import notices
from shopdesk.labels.barcodes import Bars, code128_bars, ean13_bars
from shopdesk.labels.content import LabelContent
from shopdesk.labels.designs import BarcodeSpec, Design, QrSpec
from shopdesk.labels.notices import LabelWarning, field_name
from shopdesk.labels.papers import Paper
from shopdesk.labels.payloads import QR_CAPTIONS, payload
from shopdesk.labels.qr import QrCache, QrSymbol
from shopdesk.labels.textfit import LEADING, MIN_PT, TextBlock, fit_blocks
from shopdesk.labels.units import MM_PER_PT

GAP_MM = 1.0  # between the text and a code
MAX_BAR_MODULE_MM = 0.5
MIN_BAR_HEIGHT_MM = 4.0
BAR_TEXT_PT = 6.0
BADGE_PAD_MM = 0.35
COMFORT_PT = 6.0  # optional codes give way before text gets smaller than this
MIN_SHRUNK_QR_MODULE_MM = 0.5  # a QR is made smaller for the text, but not below this
QR_SHRINK_STEP = 0.9  # each smaller try keeps this much of the previous module


@dataclass(frozen=True)
class TextOp:
    x_mm: float
    y_mm: float  # baseline
    text: str
    font: str
    size_pt: float
    width_mm: float


@dataclass(frozen=True)
class BoxOp:
    x_mm: float
    y_mm: float
    width_mm: float
    height_mm: float
    radius_mm: float = 0.0


@dataclass(frozen=True)
class QrOp:
    x_mm: float  # bottom-left of the quiet zone
    y_mm: float
    module_mm: float
    symbol: QrSymbol

    @property
    def side_mm(self) -> float:
        return self.module_mm * self.symbol.total_modules


@dataclass(frozen=True)
class BarOp:
    x_mm: float  # left edge of the quiet zone
    y_mm: float  # bottom of the bars
    module_mm: float
    height_mm: float
    bars: Bars

    @property
    def width_mm(self) -> float:
        return self.module_mm * self.bars.total_modules


Op = TextOp | BoxOp | QrOp | BarOp
# One way of laying out a label: its ops, the QR payload and the barcode value kept.
Attempt = tuple[tuple[Op, ...], str, str]


@dataclass(frozen=True)
class LabelPlan:
    width_mm: float
    height_mm: float
    ops: tuple[Op, ...]
    warnings: tuple[LabelWarning, ...]
    qr_payload: str = ""
    barcode_value: str = ""


@dataclass
class _Box:
    x: float
    y: float
    w: float
    h: float


def inner_box(paper: Paper) -> _Box:
    """The printable area of one label: inside its margin and its round shape."""
    w, h = paper.label_width_mm, paper.label_height_mm
    if paper.shape in ("round", "ellipse", "cd"):
        # The largest rectangle of the same proportions inside the ellipse.
        w, h = w / math.sqrt(2), h / math.sqrt(2)
    m = paper.margin_mm
    x = (paper.label_width_mm - w) / 2 + m
    y = (paper.label_height_mm - h) / 2 + m
    return _Box(x, y, max(0.0, w - 2 * m), max(0.0, h - 2 * m))


def _snap(value_mm: float, dpi: int) -> float:
    """Whole printer dots, so a thermal head prints every module the same width."""
    if not dpi:
        return value_mm
    return math.floor(value_mm * dpi / 25.4 + 1e-9) * 25.4 / dpi


class _Planner:
    def __init__(
        self,
        content: LabelContent,
        design: Design,
        paper: Paper,
        qr_cache: QrCache,
        qr_kind: str | None,
    ) -> None:
        self.content = content
        self.design = design
        self.paper = paper
        self.qr_cache = qr_cache
        self.qr_kind = qr_kind
        self.warnings: list[LabelWarning] = []
        self.ops: list[Op] = []
        self.smallest_pt = float("inf")
        self.fields = self._clean_fields()
        self.qr_caption = ""  # what the code that is printed holds (QR_CAPTIONS)

    def warn(self, code: str, message: str, field: str = "") -> None:
        # Field names are lower case and may start a translated sentence.
        message = message[:1].upper() + message[1:]
        warning = LabelWarning(code, message, self.content.sku, field)
        if warning not in self.warnings:
            self.warnings.append(warning)

    def _clean_fields(self) -> dict[str, str]:
        cleaned: dict[str, str] = {}
        for key, value in self.content.fields().items():
            result = clean_text(value)
            cleaned[key] = result.text
            if result.dropped:
                self.warn(
                    notices.CHARS_DROPPED,
                    _(
                        "Some characters cannot be printed and were left out of the {field}: "
                        "{chars}"
                    ).format(field=field_name(key), chars=result.dropped),
                )
            if result.right_to_left:
                self.warn(
                    notices.RIGHT_TO_LEFT,
                    _(
                        "The {field} has right-to-left text, which may print in the wrong order."
                    ).format(field=field_name(key)),
                )
        return cleaned

    def blocks(self) -> list[TextBlock]:
        blocks: list[TextBlock] = []
        align = "left" if self.paper.shape == "rectangle" else "center"
        for spec in self.design.blocks:
            missing = [name for name in spec.requires if not self.fields.get(name)]
            if missing:
                if spec.key == "halal" and self.content.halal:
                    self.warn(
                        notices.NO_HALAL_NUMBER,
                        _(
                            "{name} is marked halal, but the shop has no halal certificate "
                            "number, so the label carries no halal mark. Add the number in "
                            "the shop details."
                        ).format(name=self.content.name),
                        field=spec.key,
                    )
                if spec.mandatory and (not self.design.food or self.content.is_food):
                    self.warn(
                        notices.MISSING_FIELD,
                        _("A mandatory field is empty: {field}.").format(
                            field=field_name(spec.key)
                        ),
                        field=spec.key,
                    )
                continue
            text = spec.text.format(**self.fields)
            blocks.append(TextBlock(spec.key, text, spec.scale, spec.bold, spec.max_lines, align))
        return blocks

    # -- codes --------------------------------------------------------------

    def qr_symbol(self, spec: QrSpec) -> QrSymbol | None:
        kinds = (self.qr_kind,) if self.qr_kind else spec.payloads
        problems: list[ValidationError] = []
        for kind in kinds:
            try:
                symbol = self.qr_cache.get(payload(kind, self.content))
            except ValidationError as exc:
                problems.append(exc)
                continue
            self.qr_caption = QR_CAPTIONS[kind]
            return symbol
        if spec.required:
            raise problems[0]
        self.warn(notices.NO_QR, _("No QR code: {reason}").format(reason=problems[0].message))
        return None

    def bars(self, spec: BarcodeSpec, width_mm: float) -> tuple[Bars, float] | None:
        """The barcode and its module size, or None with a warning."""
        candidates: list[Bars] = []
        if spec.symbology in ("ean13", "auto") and self.content.ean13:
            try:
                candidates.append(ean13_bars(self.content.ean13))
            except ValidationError as exc:
                self.warn(
                    notices.NO_BARCODE, _("Barcode left out: {reason}").format(reason=exc.message)
                )
        if spec.symbology in ("code128", "auto") and self.content.sku:
            try:
                candidates.append(code128_bars(self.content.sku))
            except ValidationError as exc:
                self.warn(
                    notices.NO_BARCODE, _("Barcode left out: {reason}").format(reason=exc.message)
                )
        if not candidates:
            if spec.required:
                self.warn(
                    notices.NO_BARCODE, _("No barcode: the product has no usable barcode or SKU.")
                )
            return None
        for bars in candidates:
            module = _snap(min(MAX_BAR_MODULE_MM, width_mm / bars.total_modules), self.paper.dpi)
            if module >= self.paper.min_module_mm - 1e-9:
                return bars, module
        needed = candidates[-1].total_modules * self.paper.min_module_mm
        if spec.required or self.content.ean13:
            self.warn(
                notices.NO_BARCODE,
                _(
                    "The barcode does not fit: it needs {needed:.0f} mm of width, "
                    "the label has {width:.0f} mm."
                ).format(needed=needed, width=width_mm),
            )
        return None

    # -- layout -------------------------------------------------------------

    def plan(self) -> LabelPlan:
        box = inner_box(self.paper)
        if box.w < 5 or box.h < 3:
            self.warn(notices.TOO_SMALL, _("The label is too small for any legible text."))
            return self._result((), "", "")
        blocks = self.blocks()
        design = self.design
        symbol = self.qr_symbol(design.qr) if design.qr else None
        base_warnings = list(self.warnings)
        # Mandatory text comes first: an optional code gives way when the text would be cut.
        # Before a QR code is given up, smaller ones are tried (None: its full share).
        sizes: list[float | None] = [None]
        if design.qr and symbol is not None:
            sizes += self._smaller_qr_modules(symbol, design.qr, box, bool(blocks))
        # An optional barcode gives way before the QR code: the code the design is chosen
        # for (a food label's order link) stays when one of the two must go.
        attempts: list[tuple[float | None, bool, bool]] = [(m, True, True) for m in sizes]
        optional_bars = bool(design.barcode and not design.barcode.required)
        if optional_bars and symbol is not None:
            attempts += [(m, True, False) for m in sizes]
        if design.qr and not design.qr.required and symbol is not None:
            attempts.append((None, False, True))
        if optional_bars:
            attempts.append((None, False, False))
        # Best layout: fewest shortened fields, then text comfortable to read, then
        # the most codes kept (earliest attempt).
        tried: list[tuple[tuple[int, int, int], Attempt, list[LabelWarning]]] = []
        for index, (qr_module, use_qr, use_bars) in enumerate(attempts):
            self.warnings, self.ops, self.smallest_pt = list(base_warnings), [], float("inf")
            result = self._attempt(box, blocks, symbol if use_qr else None, use_bars, qr_module)
            cuts = sum(1 for w in self.warnings if w.code == notices.TEXT_CUT)
            small = 0 if self.smallest_pt >= COMFORT_PT else 1
            tried.append(((cuts, small, index), result, self.warnings))
            if cuts == 0 and not small:
                break
        _score, result, self.warnings = min(tried, key=lambda t: t[0])
        ops, qr_payload, barcode_value = result
        if not ops and (blocks or symbol is not None):
            self.warn(notices.TOO_SMALL, _("The label is too small for any legible text."))
        if (
            symbol is not None
            and not qr_payload
            and not any(w.code == notices.NO_QR for w in self.warnings)
        ):
            self.warn(notices.NO_QR, _("The QR code was left out to make room for the text."))
        if (
            design.barcode
            and self.content.ean13
            and not barcode_value
            and not any(w.code == notices.NO_BARCODE for w in self.warnings)
        ):
            self.warn(notices.NO_BARCODE, _("The barcode was left out to make room for the text."))
        return self._result(ops, qr_payload, barcode_value)

    def _attempt(
        self,
        box: _Box,
        blocks: list[TextBlock],
        symbol: QrSymbol | None,
        use_bars: bool,
        qr_module: float | None = None,
    ) -> Attempt:
        design = self.design
        text_box = _Box(box.x, box.y, box.w, box.h)
        qr_payload = ""
        if (
            symbol is not None
            and design.qr is not None
            and self._place_qr(symbol, design.qr, box, text_box, bool(blocks), qr_module)
        ):
            qr_payload = symbol.payload
        if not qr_payload and not blocks and design.qr and design.qr.caption:
            # A sticker whose code cannot be printed still says what it is for.
            caption = self._caption_text(design.qr, with_code=False)
            blocks = [TextBlock("caption", caption, 1.0, True, 0, "center")] if caption else []
        barcode_value = ""
        if design.barcode and use_bars:
            barcode_value = self._place_bars(design.barcode, text_box)
        valign = "top" if design.food else "center"
        self._place_text(blocks, text_box, design.max_pt, valign)
        return tuple(self.ops), qr_payload, barcode_value

    def _result(self, ops: tuple[Op, ...], qr_payload: str, barcode_value: str) -> LabelPlan:
        return LabelPlan(
            self.paper.label_width_mm,
            self.paper.label_height_mm,
            ops,
            tuple(self.warnings),
            qr_payload,
            barcode_value,
        )

    def _caption_text(self, spec: QrSpec, *, with_code: bool) -> str:
        """The caption with its fields; ``{qr_caption}`` says what the printed code holds
        (nothing when no code is printed: a caption never promises a missing code)."""
        qr_caption = self.qr_caption if with_code else ""
        return clean_text(spec.caption.format(**self.fields, qr_caption=qr_caption)).text.strip()

    def _caption_mm(self, spec: QrSpec, box: _Box) -> float:
        if not spec.caption:
            return 0.0
        return max(MIN_PT * LEADING * MM_PER_PT, min(3.2, 0.14 * box.h))

    def _qr_placement(self, spec: QrSpec, box: _Box, has_text: bool) -> str:
        placement = spec.placement
        if placement == "auto":
            placement = "right" if box.w >= 1.25 * box.h or not has_text else "bottom"
        return placement if has_text else "center"

    def _qr_side_mm(self, spec: QrSpec, box: _Box, placement: str) -> float:
        """The largest square the QR code's share of the label leaves for it."""
        caption_h = self._caption_mm(spec, box)
        if placement == "right":
            area_w, area_h = box.w * spec.max_share, box.h
        elif placement == "bottom":
            area_w, area_h = box.w, box.h * spec.max_share
        else:
            area_w, area_h = box.w, box.h
        return min(area_w, area_h - caption_h)

    def _smaller_qr_modules(
        self, symbol: QrSymbol, spec: QrSpec, box: _Box, has_text: bool
    ) -> list[float]:
        """Module sizes below the full share's, down to the smallest that still scans well."""
        placement = self._qr_placement(spec, box, has_text)
        if placement == "center":
            return []  # the code has the label to itself: nothing to make room for
        side = self._qr_side_mm(spec, box, placement)
        module = _snap(side / symbol.total_modules, self.paper.dpi)
        floor = max(MIN_SHRUNK_QR_MODULE_MM, self.paper.min_module_mm)
        sizes: list[float] = []
        while module > floor + 1e-9:
            module = _snap(max(floor, module * QR_SHRINK_STEP), self.paper.dpi)
            if module < floor - 1e-9:
                break  # snapping to printer dots went below the floor
            if not sizes or module < sizes[-1] - 1e-9:
                sizes.append(module)
        return sizes

    def _place_qr(
        self,
        symbol: QrSymbol,
        spec: QrSpec,
        box: _Box,
        text_box: _Box,
        has_text: bool,
        module_cap: float | None = None,
    ) -> bool:
        caption_h = self._caption_mm(spec, box)
        placement = self._qr_placement(spec, box, has_text)
        side = self._qr_side_mm(spec, box, placement)
        module = _snap(side / symbol.total_modules, self.paper.dpi)
        if module_cap is not None:
            module = min(module, module_cap)
        if module < self.paper.min_module_mm - 1e-9:
            self.warn(
                notices.NO_QR,
                _(
                    "The QR code does not fit: it needs a square of {needed:.1f} mm, "
                    "the label has {side:.1f} mm."
                ).format(
                    needed=symbol.total_modules * self.paper.min_module_mm, side=max(0.0, side)
                ),
            )
            return False
        side = module * symbol.total_modules
        block_h = side + caption_h
        if placement == "right":
            x = box.x + box.w - side
            y = box.y + (box.h - block_h) / 2 + caption_h
            text_box.w = max(0.0, x - box.x - GAP_MM * 0.5)
        elif placement == "bottom":
            x = box.x + (box.w - side) / 2
            y = box.y + caption_h
            text_box.y = y + side + GAP_MM * 0.5
            text_box.h = max(0.0, box.y + box.h - text_box.y)
        else:
            x = box.x + (box.w - side) / 2
            y = box.y + (box.h - block_h) / 2 + caption_h
        self.ops.append(QrOp(x, y, module, symbol))
        if caption_h:
            # The caption may use the quiet zone's width but stays under the code.
            caption = self._caption_text(spec, with_code=True)
            cap_box = _Box(x, y - caption_h, side, caption_h)
            if placement == "center":
                cap_box = _Box(box.x, y - caption_h, box.w, caption_h)
            self._place_text(
                [TextBlock("caption", caption, 1.0, True, 1, "center")], cap_box, 9.0, "center"
            )
        return True

    def _place_bars(self, spec: BarcodeSpec, text_box: _Box) -> str:
        found = self.bars(spec, text_box.w)
        if found is None:
            return ""
        bars, module = found
        text_h = BAR_TEXT_PT * LEADING * MM_PER_PT
        height = min(spec.height_mm, text_box.h * 0.45 - text_h)
        if height < MIN_BAR_HEIGHT_MM:
            self.warn(
                notices.NO_BARCODE,
                _("The barcode does not fit: the label is not tall enough."),
            )
            return ""
        width = module * bars.total_modules
        x = text_box.x + (text_box.w - width) / 2
        y = text_box.y + text_h
        self.ops.append(BarOp(x, y, module, height, bars))
        text_w = width_em(bars.text, REGULAR) * BAR_TEXT_PT * MM_PER_PT
        self.ops.append(
            TextOp(
                max(text_box.x, x + (width - text_w) / 2),
                text_box.y + 0.24 * BAR_TEXT_PT * MM_PER_PT,
                bars.text,
                REGULAR,
                BAR_TEXT_PT,
                text_w,
            )
        )
        used = height + text_h + GAP_MM * 0.5
        text_box.y += used
        text_box.h = max(0.0, text_box.h - used)
        return bars.value

    def _place_text(self, blocks: list[TextBlock], box: _Box, max_pt: float, valign: str) -> None:
        if not blocks:
            return
        if box.w < 3 or box.h < MIN_PT * LEADING * MM_PER_PT:
            for block in blocks:
                self._cut_warning(block.key, left_out=True)
            return
        result = fit_blocks(blocks, box.w, box.h, max_pt=max_pt, valign=valign)
        for line in result.lines:
            if line.key != "caption":
                self.smallest_pt = min(self.smallest_pt, line.size_pt)
        shown = {line.key for line in result.lines}
        for key in result.cut:
            self._cut_warning(key, left_out=key not in shown)
        badges = {spec.key: spec.badge for spec in self.design.blocks if spec.badge}
        seen: set[str] = set()
        for line in result.lines:
            x, y = box.x + line.x_mm, box.y + line.baseline_mm
            self.ops.append(TextOp(x, y, line.text, line.font, line.size_pt, line.width_mm))
            badge = badges.get(line.key)
            if badge and line.key not in seen and line.text.startswith(badge):
                self.ops.append(self._badge_box(badge, line.font, line.size_pt, x, y))
            seen.add(line.key)

    def _badge_box(self, badge: str, font: str, size: float, x: float, y: float) -> BoxOp:
        """A frame around the word HALAL: a plain mark, not the official logo."""
        w = width_em(badge, font) * size * MM_PER_PT
        pad = min(BADGE_PAD_MM, 0.08 * size * MM_PER_PT * 3)
        bottom = y - 0.2 * size * MM_PER_PT
        top = y + 0.78 * size * MM_PER_PT
        return BoxOp(x - pad * 0.4, bottom, w + pad * 0.8, top - bottom, 0.3)

    def _cut_warning(self, key: str, *, left_out: bool) -> None:
        if left_out:
            message = _("The {field} does not fit on the label and was left out.")
        else:
            message = _("The {field} does not fit on the label and was shortened.")
        self.warn(notices.TEXT_CUT, message.format(field=field_name(key)))


def plan_label(
    content: LabelContent,
    design: Design,
    paper: Paper,
    *,
    qr_cache: QrCache,
    qr_kind: str | None = None,
) -> LabelPlan:
    """Lay out one label; raises ValidationError when a required QR code has no data."""
    return _Planner(content, design, paper, qr_cache, qr_kind).plan()
