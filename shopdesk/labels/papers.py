"""Label paper as data: sheets of labels and thermal rolls, modelled like gLabels.

A paper has a page size, one label shape (width, height, corner radius, inner
margin) and one or more layouts of ``nx × ny`` labels whose first label sits
at ``x0, y0`` from the top-left corner of the page, with a pitch ``dx, dy``.
Shipped papers live in ``resources/labels/papers/*.json``; papers a seller
defines or imports from gLabels are JSON files in a user folder.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from shopdesk import i18n
from shopdesk.errors import NotFoundError, ValidationError
from shopdesk.i18n import _
from shopdesk.paths import data_dir, resource_path
from shopdesk.safe_io import write_bytes_atomic


def labels_dir() -> Path:
    """Calibration and the seller's own papers: ``<data dir>/labels``."""
    return data_dir() / "labels"


def user_papers_dir() -> Path:
    return labels_dir() / "papers"


SHEET = "sheet"
ROLL = "roll"
SHAPES = ("rectangle", "round", "ellipse", "cd")
# Smallest module we draw for a QR code or a bar, by kind of printer. Ordinary
# printers on sheets hold 0.3 mm; a 203 dpi thermal head needs 3 whole dots.
DEFAULT_MIN_MODULE_MM = {SHEET: 0.3, ROLL: 0.0}
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
# Limits from real paper, so that a hostile or broken file cannot ask for millions of
# labels (3000 × 3000 tiny labels once took 42 s and 2 GB). In the gLabels database the
# smallest label is 3 mm, the fullest sheet holds 270 labels and the largest page is
# SRA3 (450 mm); 2000 mm leaves room for long continuous tape.
MIN_LABEL_MM = 2.0
MAX_LABELS_PER_PAGE = 1000
MAX_PAGE_MM = 2000.0


@dataclass(frozen=True)
class Layout:
    nx: int
    ny: int
    x0_mm: float
    y0_mm: float
    dx_mm: float
    dy_mm: float


@dataclass(frozen=True)
class LabelRect:
    """One label on a page, in millimetres from the page's top-left corner."""

    index: int
    x_mm: float
    y_mm: float
    width_mm: float
    height_mm: float


@dataclass(frozen=True)
class Paper:
    id: str
    name: str
    kind: str  # SHEET or ROLL
    page_width_mm: float
    page_height_mm: float
    label_width_mm: float
    label_height_mm: float
    layouts: tuple[Layout, ...]
    corner_mm: float = 0.0
    margin_mm: float = 1.0
    shape: str = "rectangle"
    dpi: int = 0  # thermal printers: dots per inch; 0 for ordinary printers
    gap_mm: float = 0.0  # thermal rolls: gap between labels (TSPL GAP)
    check_against_pack: bool = False
    note: str = ""
    source: str = "builtin"

    @property
    def labels_per_page(self) -> int:
        return sum(layout.nx * layout.ny for layout in self.layouts)

    @property
    def min_module_mm(self) -> float:
        if self.dpi:
            return 3 * 25.4 / self.dpi if self.kind == ROLL else 2 * 25.4 / self.dpi
        return DEFAULT_MIN_MODULE_MM[SHEET]

    def label_rects(self) -> list[LabelRect]:
        """Every label of one page, row by row within each layout (gLabels order)."""
        rects: list[LabelRect] = []
        for layout in self.layouts:
            for row in range(layout.ny):
                for col in range(layout.nx):
                    rects.append(
                        LabelRect(
                            index=len(rects),
                            x_mm=layout.x0_mm + col * layout.dx_mm,
                            y_mm=layout.y0_mm + row * layout.dy_mm,
                            width_mm=self.label_width_mm,
                            height_mm=self.label_height_mm,
                        )
                    )
        return rects

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["layouts"] = [asdict(layout) for layout in self.layouts]
        data.pop("source")
        return data


def paper_from_json(data: dict[str, Any], *, source: str = "builtin") -> Paper:
    """Build and check a paper from its JSON form."""
    try:
        layouts = tuple(
            Layout(
                nx=int(item["nx"]),
                ny=int(item["ny"]),
                x0_mm=float(item["x0_mm"]),
                y0_mm=float(item["y0_mm"]),
                dx_mm=float(item.get("dx_mm", 0.0)),
                dy_mm=float(item.get("dy_mm", 0.0)),
            )
            for item in data["layouts"]
        )
        paper = Paper(
            id=str(data["id"]),
            name=str(data.get("name") or data["id"]),
            kind=str(data.get("kind", SHEET)),
            page_width_mm=float(data["page_width_mm"]),
            page_height_mm=float(data["page_height_mm"]),
            label_width_mm=float(data["label_width_mm"]),
            label_height_mm=float(data["label_height_mm"]),
            layouts=layouts,
            corner_mm=float(data.get("corner_mm", 0.0)),
            margin_mm=float(data.get("margin_mm", 1.0)),
            shape=str(data.get("shape", "rectangle")),
            dpi=int(data.get("dpi", 0)),
            gap_mm=float(data.get("gap_mm", 0.0)),
            check_against_pack=bool(data.get("check_against_pack", False)),
            note=str(data.get("note", "")),
            source=source,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ValidationError(
            _("The paper file {source} is not valid: {problem}.").format(source=source, problem=exc)
        ) from exc
    validate_paper(paper)
    if source.startswith("builtin"):
        paper = replace(paper, name=builtin_name(paper, brand=str(data.get("brand") or "")))
    return paper


def builtin_name(paper: Paper, *, brand: str = "") -> str:
    """A shipped paper's name in the seller's language ("A4, 24 per lembar, 70 × 36 mm,
    tepi ke tepi"; "52,5" with a decimal comma); a seller's own paper keeps its name."""
    width, height = i18n.decimal(paper.label_width_mm), i18n.decimal(paper.label_height_mm)
    count = paper.labels_per_page
    if paper.kind == ROLL:
        return _("Thermal roll {width} × {height} mm, {dpi} dpi").format(
            width=width, height=height, dpi=paper.dpi
        )
    if brand:
        return _("{brand}, {width} × {height} mm, {count} per sheet").format(
            brand=brand, width=width, height=height, count=count
        )
    if (paper.page_width_mm, paper.page_height_mm) != (210, 297):
        return paper.name
    edge_to_edge = any(layout.x0_mm == 0 for layout in paper.layouts)
    text = (
        _("A4, {count} per sheet, {width} × {height} mm, edge to edge")
        if edge_to_edge
        else _("A4, {count} per sheet, {width} × {height} mm")
    )
    return text.format(count=count, width=width, height=height)


def _numbers(paper: Paper) -> list[float]:
    numbers = [paper.page_width_mm, paper.page_height_mm, paper.label_width_mm]
    numbers += [paper.label_height_mm, paper.corner_mm, paper.margin_mm, paper.gap_mm]
    for lay in paper.layouts:
        numbers += [lay.x0_mm, lay.y0_mm, lay.dx_mm, lay.dy_mm]
    return numbers


def validate_paper(paper: Paper) -> None:
    """Refuse geometry that cannot be printed: labels off the page or overlapping."""
    problems: list[str] = []
    if not all(math.isfinite(number) for number in _numbers(paper)):  # 1e400mm, NaN
        problems.append(_("every size and position must be a finite number of millimetres"))
    if not _ID.match(paper.id):
        problems.append(_("the id may use only small letters, digits, dot, dash and underscore"))
    if paper.kind not in (SHEET, ROLL):
        problems.append(_("the kind must be “sheet” or “roll”"))
    if paper.shape not in SHAPES:
        problems.append(_("unknown label shape “{shape}”").format(shape=paper.shape))
    if (
        min(paper.page_width_mm, paper.page_height_mm) <= 0
        or max(paper.page_width_mm, paper.page_height_mm) > MAX_PAGE_MM
    ):
        problems.append(
            _("the page size must be more than 0 and at most {limit} mm").format(
                limit=f"{MAX_PAGE_MM:g}"
            )
        )
    if min(paper.label_width_mm, paper.label_height_mm) < MIN_LABEL_MM:
        problems.append(
            _("the label width and height must be at least {limit} mm").format(
                limit=f"{MIN_LABEL_MM:g}"
            )
        )
    if paper.margin_mm < 0 or 2 * paper.margin_mm >= min(
        paper.label_width_mm, paper.label_height_mm
    ):
        problems.append(_("the inner margin must be smaller than half the label"))
    if not paper.layouts or any(lay.nx < 1 or lay.ny < 1 for lay in paper.layouts):
        problems.append(_("each layout needs at least one column and one row"))
    elif paper.labels_per_page > MAX_LABELS_PER_PAGE:  # before any label is laid out
        problems.append(
            _("a page would hold {count} labels, more than the {limit} a sheet can hold").format(
                count=paper.labels_per_page, limit=MAX_LABELS_PER_PAGE
            )
        )
    for lay in paper.layouts:
        if (lay.nx > 1 and lay.dx_mm < paper.label_width_mm - 0.2) or (
            lay.ny > 1 and lay.dy_mm < paper.label_height_mm - 0.2
        ):
            problems.append(_("the pitch is smaller than the label, so labels overlap"))
            break
    if not problems:
        slack = 1.0  # gLabels files round their numbers; allow a millimetre
        for rect in paper.label_rects():
            if (
                rect.x_mm < -slack
                or rect.y_mm < -slack
                or rect.x_mm + rect.width_mm > paper.page_width_mm + slack
                or rect.y_mm + rect.height_mm > paper.page_height_mm + slack
            ):
                problems.append(_("label {n} lies outside the page").format(n=rect.index + 1))
                break
    if problems:
        raise ValidationError(
            _("The paper “{name}” cannot be used: {problems}.").format(
                name=paper.name, problems="; ".join(problems)
            )
        )


def builtin_papers_dir() -> Path:
    return resource_path("labels", "papers")


def _load_folder(folder: Path, source: str) -> dict[str, Paper]:
    papers: dict[str, Paper] = {}
    if not folder.is_dir():
        return papers
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValidationError(
                _("The paper file {path} cannot be read: {problem}.").format(path=path, problem=exc)
            ) from exc
        paper = paper_from_json(data, source=f"{source}:{path.name}")
        papers[paper.id] = paper
    return papers


def list_papers(user_dir: Path | None = None) -> list[Paper]:
    """Shipped papers, then the seller's own (a user paper may replace a shipped one)."""
    papers = _load_folder(builtin_papers_dir(), "builtin")
    if user_dir is not None:
        papers.update(_load_folder(Path(user_dir), "user"))
    return list(papers.values())


def get_paper(paper_id: str, user_dir: Path | None = None) -> Paper:
    for paper in list_papers(user_dir):
        if paper.id == paper_id:
            return paper
    raise NotFoundError(
        _("Unknown label paper “{paper}”. See the list with: shopdesk labels papers").format(
            paper=paper_id
        )
    )


def save_user_paper(paper: Paper, user_dir: Path) -> Path:
    """Write a seller's paper as ``<user_dir>/<id>.json`` (atomically)."""
    validate_paper(paper)
    folder = Path(user_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{paper.id}.json"
    data = json.dumps(paper.to_json(), indent=2, ensure_ascii=False).encode("utf-8")
    write_bytes_atomic(path, data)
    return path


def custom_paper(
    *,
    paper_id: str,
    name: str,
    page_width_mm: float,
    page_height_mm: float,
    label_width_mm: float,
    label_height_mm: float,
    columns: int,
    rows: int,
    left_mm: float,
    top_mm: float,
    gap_x_mm: float = 0.0,
    gap_y_mm: float = 0.0,
    corner_mm: float = 0.0,
    margin_mm: float = 1.0,
    kind: str = SHEET,
    dpi: int = 0,
) -> Paper:
    """A paper from what a seller measures with a ruler: sizes, first label, gaps."""
    paper = Paper(
        id=paper_id,
        name=name,
        kind=kind,
        page_width_mm=page_width_mm,
        page_height_mm=page_height_mm,
        label_width_mm=label_width_mm,
        label_height_mm=label_height_mm,
        layouts=(
            Layout(
                nx=columns,
                ny=rows,
                x0_mm=left_mm,
                y0_mm=top_mm,
                dx_mm=label_width_mm + gap_x_mm,
                dy_mm=label_height_mm + gap_y_mm,
            ),
        ),
        corner_mm=corner_mm,
        margin_mm=margin_mm,
        dpi=dpi,
        source="user",
    )
    validate_paper(paper)
    return paper


def with_id(paper: Paper, paper_id: str) -> Paper:
    return replace(paper, id=paper_id)


__all__ = [
    "MAX_LABELS_PER_PAGE",
    "MAX_PAGE_MM",
    "MIN_LABEL_MM",
    "ROLL",
    "SHEET",
    "LabelRect",
    "Layout",
    "Paper",
    "custom_paper",
    "get_paper",
    "list_papers",
    "paper_from_json",
    "save_user_paper",
    "validate_paper",
    "with_id",
]
