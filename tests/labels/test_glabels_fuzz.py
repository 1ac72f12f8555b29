"""Fuzzing the gLabels reader: template files from anyone, up to a saved paper.

Generated files reach deep: real structure (both dialects, every label shape,
aliases, layouts) with hostile values (lengths such as ``1e400mm``, counts of
10⁸ or 5000 digits, missing or unknown attributes, alias loops), mutations of
the real fixtures (bytes flipped, cut short, gzip), entity tricks and
oversized files. Each file is read, each template turned into a paper and
saved as ``labels import-glabels`` does: a paper that is saved is valid and
reads back the same; anything else is a ``ShopDeskError`` with a message and
leaves the papers folder as it was. Examples: the hypothesis profile
(``tests/conftest.py``: ci about 200, release 5000).
"""

from __future__ import annotations

import gzip
import json
import math
import xml.etree.ElementTree as ET
from pathlib import Path

from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from shopdesk.errors import ShopDeskError
from shopdesk.labels.glabels import read_template_file, template_to_paper
from shopdesk.labels.papers import Paper, paper_from_json, save_user_paper, validate_paper

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "glabels"
NAMESPACE = "http://glabels.org/xmlns/3.0/"
OVERSIZED = 4 * 1024 * 1024  # far past any real template file (the largest is 94 KB)
FUZZ = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

NUMBERS = st.one_of(
    st.floats(0, 400, allow_nan=False).map(lambda v: f"{v:.3g}"),
    st.integers(0, 300).map(str),
    st.sampled_from(["", "0", "-5", "1e400", "1e-400", "+.5", ".", "1,5", "nan", "inf", "0x10"]),
)
UNITS = st.sampled_from(["mm", "in", "pt", "", "cm", "pc", "MM", " mm", "furlong", "mm "])
HOSTILE_LENGTHS = st.one_of(st.builds(lambda n, u: n + u, NUMBERS, UNITS), st.text(max_size=12))
HOSTILE_COUNTS = st.one_of(
    st.integers(-2, 40).map(str),
    st.sampled_from(["", "x", "1.5", "100000000", "3000", " 3", "1" * 5000]),
)
PAPER_SIZES = st.sampled_from(["A4", "US-Letter", "A6", "Other", "roll", "", "B9", "a4"])
SHAPE_NAMES = [
    "Label-rectangle",
    "Label-round",
    "Label-ellipse",
    "Label-cd",
    "Label-continuous",
    "Label-x",
]
SHAPES = st.sampled_from(SHAPE_NAMES)


def _pick(draw, rate: float, good, hostile: st.SearchStrategy):
    """A plausible value, or at ``rate`` a hostile one (a file full of them is refused at
    its first, and the reader would never be reached any deeper)."""
    if rate and draw(st.floats(0, 1)) < rate:
        return draw(hostile)
    return draw(good) if isinstance(good, st.SearchStrategy) else good


def _mm(value: float) -> str:
    return f"{value:.2f}mm"


def _mm_between(low: float, high: float) -> st.SearchStrategy[str]:
    return st.floats(low, high).map(_mm)


@st.composite
def frames(draw, rate: float) -> tuple[str, dict[str, str], list]:
    """A label shape that often fits an A4 page: label size, grid, gaps, first label."""
    width, height = draw(st.floats(2, 100)), draw(st.floats(2, 100))
    gap_x, gap_y = draw(st.floats(0, 5)), draw(st.floats(0, 5))
    nx = draw(st.integers(1, max(1, int(200 // (width + gap_x)))))
    ny = draw(st.integers(1, max(1, int(285 // (height + gap_y)))))
    length = lambda good: _pick(draw, rate, good, HOSTILE_LENGTHS)  # noqa: E731
    frame = {
        "width": length(_mm(width)),
        "height": length(_mm(height)),
        "round": length(_mm_between(0, 3)),
        "radius": length(_mm(min(width, height) / 2)),
    }
    if draw(st.booleans()):
        frame["default_length"] = length(_mm_between(10, 300))
    layout = {
        "nx": _pick(draw, rate, str(nx), HOSTILE_COUNTS),
        "ny": _pick(draw, rate, str(ny), HOSTILE_COUNTS),
        "x0": length(_mm_between(0, 5)),
        "y0": length(_mm_between(0, 8)),
        "dx": length(_mm(width + gap_x)),
        "dy": length(_mm(height + gap_y)),
    }
    children = [("Layout", layout)] * draw(st.integers(0, 2))
    if draw(st.booleans()):
        children.append(("Markup-margin", {"size": length(_mm_between(0, 2))}))
    return _pick(draw, rate, st.sampled_from(SHAPE_NAMES[:5]), SHAPES), frame, children


@st.composite
def templates(draw, parts: list[str], rate: float) -> tuple[dict[str, str], list]:
    attributes = {
        "brand": _pick(draw, rate, "Testco", st.sampled_from(["", "Ünïcode ☕"])),
        "part": _pick(draw, rate, st.sampled_from(parts[:3]), st.sampled_from(parts)),
        "size": _pick(draw, rate, "A4", PAPER_SIZES),
    }
    if attributes["size"] in ("Other", "roll", "") or draw(st.integers(0, 5)) == 0:
        attributes["width"] = _pick(draw, rate, "210mm", HOSTILE_LENGTHS)
        attributes["height"] = _pick(draw, rate, "297mm", HOSTILE_LENGTHS)
    if draw(st.integers(0, 7)) == 0:
        attributes["equiv"] = draw(st.sampled_from(parts))  # aliases, loops, dangling ones
    if draw(st.booleans()):
        attributes["_description"] = draw(st.text(max_size=30))
    least = _pick(draw, rate, 1, st.just(0))
    return attributes, draw(st.lists(frames(rate), min_size=least, max_size=2))


def _clean(text: str) -> str:
    return "".join(ch for ch in text if ch in "\t\n" or (ord(ch) >= 32 and ord(ch) != 0xFFFE))


@st.composite
def structured_files(draw) -> bytes:
    """A gLabels file built from its parts, hostile values included."""
    namespaced = draw(st.booleans())
    prefix = f"{{{NAMESPACE}}}" if namespaced else ""
    root_tag = draw(
        st.sampled_from(["Glabels-templates"] * 6 + ["Glabels-document", "Template", "x"])
    )
    parts = ["L7159", "5160", "R20", "", "X"]
    rate = draw(st.sampled_from([0.0, 0.0, 0.02, 0.1, 0.4]))  # how hostile this file is
    items = draw(st.lists(templates(parts, rate), min_size=1, max_size=5))
    if root_tag == "Template":
        items = items[:1]
    root = ET.Element(prefix + root_tag)
    for attributes, frames in items:
        template = root if root_tag == "Template" else ET.SubElement(root, prefix + "Template")
        template.attrib.update({k: _clean(v) for k, v in attributes.items()})
        for shape, frame_attributes, children in frames:
            frame = ET.SubElement(
                template, prefix + shape, {k: _clean(v) for k, v in frame_attributes.items()}
            )
            for tag, child_attributes in children:
                ET.SubElement(frame, prefix + tag, child_attributes)
    data = ET.tostring(root, encoding="utf-8", xml_declaration=draw(st.booleans()))
    return gzip.compress(data) if draw(st.integers(0, 5)) == 0 else data


@st.composite
def mutated_fixtures(draw) -> bytes:
    """A real template file with bytes written over it, cut short or gzipped."""
    data = bytearray(draw(st.sampled_from(sorted(FIXTURES.glob("*.xml")))).read_bytes())
    for _n in range(draw(st.integers(0, 4))):
        at = int(draw(st.floats(0, 1, exclude_max=True)) * len(data))
        chunk = draw(st.binary(min_size=1, max_size=6))
        data[at : at + len(chunk)] = chunk
    if draw(st.booleans()):
        del data[int(draw(st.floats(0, 1)) * len(data)) :]
    return gzip.compress(bytes(data)) if draw(st.integers(0, 4)) == 0 else bytes(data)


ENTITY_TRICKS = st.sampled_from(
    [
        b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;'
        b'&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        b'<Glabels-templates><Template brand="&c;" part="1"/></Glabels-templates>',
        b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<Glabels-templates><Template brand="&e;" part="1"/></Glabels-templates>',
        b"<Glabels-templates>" + b"<a>" * 5000 + b"</a>" * 5000 + b"</Glabels-templates>",
        b"\xef\xbb\xbf<Glabels-templates/>",
        b'<?xml version="1.0" encoding="latin-1"?><Glabels-templates/>',
    ]
)


@st.composite
def oversized_files(draw) -> bytes:
    """Far larger than any template file: a refusal, without reading it all."""
    template = (FIXTURES / "plain-templates.xml").read_bytes()
    body = template.split(b"<Glabels-templates>")[1].split(b"</Glabels-templates>")[0]
    copies = OVERSIZED // len(body) + 1
    data = b"<Glabels-templates>" + body * copies + b"</Glabels-templates>"
    return gzip.compress(data) if draw(st.booleans()) else data


# Most examples are built files, so that the reader is reached at depth.
FILES = st.integers(0, 19).flatmap(
    lambda n: (
        ENTITY_TRICKS
        if n == 0
        else st.binary(max_size=300)
        if n == 1
        else mutated_fixtures()
        if n < 6
        else structured_files()
    )
)


def _finite(paper: Paper) -> bool:
    numbers = [
        paper.page_width_mm,
        paper.page_height_mm,
        paper.label_width_mm,
        paper.label_height_mm,
        paper.corner_mm,
        paper.margin_mm,
    ]
    for layout in paper.layouts:
        numbers += [layout.x0_mm, layout.y0_mm, layout.dx_mm, layout.dy_mm]
    return all(math.isfinite(n) for n in numbers)


def _import(path: Path, folder: Path) -> int:
    """What ``labels import-glabels`` does with a file; returns the papers saved."""
    saved = 0
    for template in read_template_file(path):
        before = sorted(p.name for p in folder.iterdir())
        try:
            paper = template_to_paper(template)
            target = save_user_paper(paper, folder)
        except ShopDeskError as exc:
            assert exc.message.strip()
            assert sorted(p.name for p in folder.iterdir()) == before  # nothing written
            continue
        assert _finite(paper), paper
        validate_paper(paper)
        stored = paper_from_json(json.loads(target.read_text(encoding="utf-8")))
        assert stored.label_rects() == paper.label_rects()
        saved += 1
    event("papers saved" if saved else "no paper saved")
    return saved


def _check(data: bytes, tmp_path: Path) -> None:
    source = tmp_path / "templates.xml"
    source.write_bytes(data)
    folder = tmp_path / "papers"
    folder.mkdir()
    try:
        _import(source, folder)
    except ShopDeskError as exc:
        event("file refused")
        assert exc.message.strip()
        assert list(folder.iterdir()) == []  # a refused file saves nothing
    assert not [p.name for p in folder.iterdir() if not p.name.endswith(".json")]  # no temp files


# Found by the long run: a one-row layout whose pitch is 1e400 mm (infinite) made a
# paper whose label lay at 0 × ∞ (NaN) and passed every check.
INFINITE_PITCH = (
    b'<Glabels-templates><Template brand="Testco" part="L7159" size="A4">'
    b'<Label-rectangle width="2mm" height="2mm"><Layout nx="1" ny="1" x0="0mm" y0="0mm" '
    b'dx="2mm" dy="1e400mm"/></Label-rectangle></Template></Glabels-templates>'
)


@FUZZ
@given(data=FILES)
@example(data=INFINITE_PITCH)
def test_glabels_files_give_papers_or_a_clear_refusal(tmp_path_factory, data):
    _check(data, tmp_path_factory.mktemp("glabels"))


@settings(max_examples=4)
@given(data=oversized_files())
def test_oversized_glabels_files_are_refused(tmp_path_factory, data):
    tmp_path = tmp_path_factory.mktemp("glabels-big")
    source = tmp_path / "huge.xml"
    source.write_bytes(data)
    try:
        read_template_file(source)
    except ShopDeskError as exc:
        assert exc.message.strip()
    else:
        raise AssertionError(f"a file of {len(data)} bytes was read")
