"""Read gLabels 3 template files (the largest public database of label paper).

Both dialects are read: files whose elements sit in the namespace
``http://glabels.org/xmlns/3.0/`` and files without one; namespaces are simply
ignored. Lengths come as ``mm``, ``in``, ``pt`` or bare numbers (points).
A template holds one or more label frames (``Label-rectangle``, ``-round``,
``-ellipse``, ``-cd``, ``-continuous``), each with one or more ``Layout``.
A template with ``equiv="PART"`` is an alias of another part of the same brand.

A file may come from anyone, so it is read within limits: its size (also once
unzipped: gLabels may save gzip), the number of templates, and no XML entities
at all (gLabels never declares any; entities are how "billion laughs" and
external-file tricks work). The paper's own limits (label size, labels per page)
are checked by ``validate_paper`` before any label is laid out.
"""

from __future__ import annotations

import gzip
import io
import re
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NoReturn
from xml.parsers import expat

from shopdesk.errors import ValidationError
from shopdesk.i18n import _
from shopdesk.labels.papers import Layout, Paper, save_user_paper, validate_paper
from shopdesk.labels.units import parse_length_mm

# The largest file of the gLabels database is 94 KB and the fullest holds 318 templates.
MAX_FILE_BYTES = 1024 * 1024  # the file as stored, and its XML once unzipped
MAX_TEMPLATES = 2000
_GZIP_MAGIC = b"\x1f\x8b"

# Page sizes named by gLabels' paper-sizes.xml that templates use.
PAPER_SIZES_MM = {
    "A3": (297.0, 420.0),
    "A4": (210.0, 297.0),
    "A5": (148.0, 210.0),
    "A6": (105.0, 148.0),
    "B4": (250.0, 353.0),
    "B5": (176.0, 250.0),
    "SRA3": (320.0, 450.0),
    "US-Letter": (215.9, 279.4),
    "US-Legal": (215.9, 355.6),
    "US-Executive": (184.15, 266.7),
}
FRAME_SHAPES = {
    "Label-rectangle": "rectangle",
    "Label-round": "round",
    "Label-ellipse": "ellipse",
    "Label-cd": "cd",
    "Label-continuous": "continuous",
}


@dataclass(frozen=True)
class Frame:
    shape: str
    width_mm: float
    height_mm: float
    corner_mm: float
    margin_mm: float
    layouts: tuple[Layout, ...]


@dataclass(frozen=True)
class Template:
    brand: str
    part: str
    description: str
    size: str
    page_width_mm: float
    page_height_mm: float
    frames: tuple[Frame, ...]
    equiv: str | None = None  # the part this alias was resolved from

    @property
    def name(self) -> str:
        return f"{self.brand} {self.part}"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if "}" in tag else tag


def _length(element: ET.Element, attribute: str, where: str, default: str | None = None) -> float:
    value = element.get(attribute, default)
    if value is None:
        raise ValidationError(
            _("The gLabels file has no “{attribute}” in {where}.").format(
                attribute=attribute, where=where
            )
        )
    return parse_length_mm(value)


def _frame(element: ET.Element, shape: str, where: str) -> Frame:
    if shape == "rectangle":
        width = _length(element, "width", where)
        height = _length(element, "height", where)
        corner = _length(element, "round", where, "0")
    elif shape == "round":
        width = height = 2 * _length(element, "radius", where)
        corner = width / 2
    elif shape == "ellipse":
        width = _length(element, "width", where)
        height = _length(element, "height", where)
        corner = min(width, height) / 2
    elif shape == "cd":
        diameter = 2 * _length(element, "radius", where)
        width = _length(element, "width", where, str(diameter) + "mm")
        height = _length(element, "height", where, str(diameter) + "mm")
        corner = diameter / 2
    else:  # continuous tape: width, and the length a seller chooses (default given)
        width = _length(element, "width", where)
        height = _length(element, "default_length", where, element.get("min_length") or "0")
        corner = 0.0
    margin = 0.0
    layouts: list[Layout] = []
    for child in element:
        tag = _local(child.tag)
        if tag == "Markup-margin":
            margin = _length(child, "size", where, "0")
        elif tag == "Layout":
            try:
                nx, ny = int(child.get("nx", "1")), int(child.get("ny", "1"))
            except ValueError as exc:
                raise ValidationError(
                    _("The gLabels file has a layout with a bad count in {where}.").format(
                        where=where
                    )
                ) from exc
            layouts.append(
                Layout(
                    nx=nx,
                    ny=ny,
                    x0_mm=_length(child, "x0", where, "0"),
                    y0_mm=_length(child, "y0", where, "0"),
                    dx_mm=_length(child, "dx", where, "0"),
                    dy_mm=_length(child, "dy", where, "0"),
                )
            )
    if not layouts:
        layouts.append(Layout(1, 1, 0.0, 0.0, width, height))
    return Frame(shape, width, height, corner, margin, tuple(layouts))


def _too_large(source: str) -> ValidationError:
    return ValidationError(
        _(
            "{source} is larger than {limit} (once unzipped); a gLabels template file is a "
            "few KB. It was not read."
        ).format(source=source, limit="1 MB")
    )


def _unpacked(data: bytes, source: str) -> bytes:
    """The XML of a file, unzipped when gLabels saved it compressed, within the size limit."""
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(source)
    if not data.startswith(_GZIP_MAGIC):
        return data
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as packed:
            xml = packed.read(MAX_FILE_BYTES + 1)  # a gzip bomb stops here, one byte over
    except (OSError, EOFError, zlib.error) as exc:
        raise ValidationError(
            _("{source} is a damaged compressed file: {problem}.").format(
                source=source, problem=exc
            )
        ) from exc
    if len(xml) > MAX_FILE_BYTES:
        raise _too_large(source)
    return xml


def _xml_root(xml: bytes, source: str, encoding: str | None) -> ET.Element:
    """The element tree, refusing any entity declaration before it can be expanded."""

    def refuse(*_args: object) -> NoReturn:
        raise ValidationError(
            _(
                "{source} declares XML entities, which gLabels files never use. It was not read."
            ).format(source=source)
        )

    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(encoding, namespace_separator="}")
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    try:
        parser.Parse(xml, True)
    except expat.ExpatError as exc:
        raise ValidationError(
            _("{source} is not a readable gLabels file: {problem}.").format(
                source=source, problem=exc
            )
        ) from exc
    return builder.close()


def parse_templates(data: bytes | str, *, source: str = "gLabels") -> list[Template]:
    """Every template of one gLabels file (plain or gzip), aliases resolved, in file order."""
    if isinstance(data, str):  # text is read as UTF-8, whatever its declaration says
        root = _xml_root(_unpacked(data.encode("utf-8"), source), source, "utf-8")
    else:
        root = _xml_root(_unpacked(data, source), source, None)
    if _local(root.tag) not in ("Glabels-templates", "Glabels-document", "Template"):
        raise ValidationError(_("{source} is not a gLabels template file.").format(source=source))
    elements = [root] if _local(root.tag) == "Template" else list(root.iter())
    if sum(_local(e.tag) == "Template" for e in elements) > MAX_TEMPLATES:
        raise ValidationError(
            _(
                "{source} holds more than {limit} templates; a gLabels file holds a few "
                "hundred at most. It was not read."
            ).format(source=source, limit=MAX_TEMPLATES)
        )
    templates: list[Template | None] = []
    aliases: list[tuple[int, ET.Element]] = []
    for element in elements:
        if _local(element.tag) != "Template":
            continue
        if element.get("equiv"):
            aliases.append((len(templates), element))
            templates.append(None)
            continue
        templates.append(_template(element, source))
    by_part = {(t.brand, t.part): t for t in templates if t is not None}
    pending = list(aliases)
    while pending:  # aliases may point at aliases, in any order
        waiting = []
        for position, element in pending:
            brand, part = element.get("brand", ""), element.get("part", "")
            base = by_part.get((brand, element.get("equiv", "")))
            if base is None:
                waiting.append((position, element))
                continue
            alias = replace(
                base,
                part=part,
                description=element.get("_description")
                or element.get("description")
                or base.description,
                equiv=element.get("equiv"),
            )
            templates[position] = alias
            by_part[(brand, part)] = alias
        if len(waiting) == len(pending):
            _position, element = waiting[0]
            raise ValidationError(
                _(
                    "{source}: {brand} {part} refers to {equiv}, which the file does not define."
                ).format(
                    source=source,
                    brand=element.get("brand", ""),
                    part=element.get("part", ""),
                    equiv=element.get("equiv"),
                )
            )
        pending = waiting
    return [t for t in templates if t is not None]


def _template(element: ET.Element, source: str) -> Template:
    brand, part = element.get("brand", ""), element.get("part", "")
    where = f"{source}: {brand} {part}".strip()
    if not part:
        raise ValidationError(_("{where}: a template has no part number.").format(where=where))
    size = element.get("size", "")
    if size in PAPER_SIZES_MM:
        page_w, page_h = PAPER_SIZES_MM[size]
    elif size in ("Other", "roll", "Roll", ""):
        page_w = _length(element, "width", where)
        page_h = _length(element, "height", where)
    else:
        raise ValidationError(
            _("{where}: unknown page size “{size}”.").format(where=where, size=size)
        )
    frames = tuple(
        _frame(child, FRAME_SHAPES[_local(child.tag)], where)
        for child in element
        if _local(child.tag) in FRAME_SHAPES
    )
    if not frames:
        raise ValidationError(_("{where}: a template has no label shape.").format(where=where))
    description = element.get("_description") or element.get("description") or ""
    return Template(brand, part, description, size or "Other", page_w, page_h, frames)


def read_template_file(path: Path) -> list[Template]:
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)  # a huge file is never read whole
    except OSError as exc:
        raise ValidationError(
            _("Cannot read {path}: {problem}.").format(path=path, problem=exc.strerror)
        ) from exc
    return parse_templates(data, source=Path(path).name)


def paper_id_for(template: Template) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", f"{template.brand}-{template.part}".lower()).strip("-")
    return ("gl-" + slug)[:64]


def template_to_paper(template: Template, *, margin_mm: float | None = None) -> Paper:
    """A paper from the first label frame of a template (as gLabels 3 prints)."""
    frame = template.frames[0]
    paper = Paper(
        id=paper_id_for(template),
        name=f"{template.name} {template.description}".strip(),
        kind="sheet",
        page_width_mm=template.page_width_mm,
        page_height_mm=template.page_height_mm,
        label_width_mm=frame.width_mm,
        label_height_mm=frame.height_mm,
        layouts=frame.layouts,
        corner_mm=frame.corner_mm,
        margin_mm=max(0.8, frame.margin_mm) if margin_mm is None else margin_mm,
        shape=frame.shape if frame.shape != "continuous" else "rectangle",
        source="glabels",
    )
    if 2 * paper.margin_mm >= min(paper.label_width_mm, paper.label_height_mm):
        paper = replace(paper, margin_mm=min(paper.label_width_mm, paper.label_height_mm) / 8)
    validate_paper(paper)
    return paper


@dataclass(frozen=True)
class Imported:
    """What ``import_file`` added, and what it left out with the reason."""

    papers: tuple[Paper, ...]
    skipped: tuple[tuple[str, str], ...]  # (template name, reason)


def import_file(path: Path, folder: Path, *, parts: Sequence[str] = ()) -> Imported:
    """Every template of a gLabels file (plain, or gzip as gLabels saves it), or only
    ``parts``, saved as the seller's papers in ``folder``. The CLI and the app use it."""
    templates = read_template_file(path)
    if parts:
        wanted = {p.lower() for p in parts}
        templates = [t for t in templates if t.part.lower() in wanted]
        if not templates:
            raise ValidationError(_("The file has no part {part}.").format(part=", ".join(parts)))
    papers: list[Paper] = []
    skipped: list[tuple[str, str]] = []
    for template in templates:
        try:
            paper = template_to_paper(template)
            save_user_paper(paper, folder)
        except ValidationError as exc:
            skipped.append((template.name, exc.message))
            continue
        papers.append(paper)
    if not papers:
        reasons = "\n".join(f"{name}: {reason}" for name, reason in skipped)
        raise ValidationError(
            _("No paper of that file could be added:\n{reasons}").format(reasons=reasons)
        )
    return Imported(tuple(papers), tuple(skipped))
