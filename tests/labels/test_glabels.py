"""gLabels 3 template files: both dialects, all units, layouts, aliases, bad files."""

from __future__ import annotations

import glob
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from shopdesk.errors import ValidationError
from shopdesk.labels.glabels import parse_templates, read_template_file, template_to_paper
from shopdesk.labels.papers import get_paper, list_papers, save_user_paper

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "glabels"
SYSTEM_DIRS = sorted(
    glob.glob("/usr/share/glabels*/templates") + glob.glob("/usr/share/libglabels*/templates")
)


def by_part(templates):
    return {t.part: t for t in templates}


def test_plain_dialect_with_mm_inches_aliases_and_two_layouts():
    templates = by_part(read_template_file(FIXTURES / "plain-templates.xml"))
    assert list(templates) == ["L7159", "L7159X", "5160", "R20", "SPLIT"]
    l7159 = templates["L7159"].frames[0]
    assert (l7159.width_mm, l7159.height_mm, l7159.corner_mm, l7159.margin_mm) == (
        63.5,
        33.9,
        2.0,
        1.5,
    )
    assert l7159.layouts[0].nx == 3 and l7159.layouts[0].ny == 8
    assert l7159.layouts[0].x0_mm == 7.25 and l7159.layouts[0].dx_mm == 66.0
    alias = templates["L7159X"]
    assert alias.equiv == "L7159" and alias.frames == templates["L7159"].frames
    letter = templates["5160"]
    assert (letter.page_width_mm, letter.page_height_mm) == pytest.approx((215.9, 279.4))
    assert letter.frames[0].width_mm == pytest.approx(66.675)
    assert letter.frames[0].layouts[0].x0_mm == pytest.approx(4.7625)
    round_ = templates["R20"].frames[0]
    assert round_.shape == "round" and round_.width_mm == round_.height_mm == 40.0
    split = templates["SPLIT"]
    assert len(split.frames[0].layouts) == 2
    paper = template_to_paper(split)
    assert paper.labels_per_page == 12
    assert paper.label_rects()[6].y_mm == 160.0


def test_namespaced_dialect_with_bare_points_ellipse_cd_and_other_size():
    templates = by_part(read_template_file(FIXTURES / "namespaced-templates.xml"))
    assert set(templates) == {"A4/24", "A4/24B", "OVAL", "CD1"}
    frame = templates["A4/24"].frames[0]
    assert frame.width_mm == pytest.approx(181 * 25.4 / 72)
    assert frame.margin_mm == pytest.approx(5 * 25.4 / 72)
    assert frame.layouts[0].y0_mm == pytest.approx(36 * 25.4 / 72)
    assert templates["A4/24B"].frames == templates["A4/24"].frames
    oval = templates["OVAL"]
    assert (oval.page_width_mm, oval.page_height_mm) == (100.0, 150.0)
    assert oval.frames[0].shape == "ellipse" and oval.frames[0].height_mm == 30.0
    cd = templates["CD1"].frames[0]
    assert cd.shape == "cd" and cd.width_mm == cd.height_mm == 117.0


def test_imported_paper_is_saved_and_listed(tmp_path):
    template = by_part(read_template_file(FIXTURES / "plain-templates.xml"))["L7159"]
    paper = template_to_paper(template)
    assert paper.id == "gl-testco-l7159" and paper.labels_per_page == 24
    save_user_paper(paper, tmp_path)
    assert get_paper(paper.id, tmp_path) == paper.__class__(
        **{**paper.__dict__, "source": "user:gl-testco-l7159.json"}
    )
    assert paper.id in {p.id for p in list_papers(tmp_path)}
    assert paper.id not in {p.id for p in list_papers()}


@pytest.mark.parametrize(
    "text",
    [
        "this is not xml <",
        "<Glabels-templates><Template brand='a' part='b' size='A4'>",
        "<Something-else/>",
        "<Glabels-templates><Template brand='a' part='b' size='A4'/></Glabels-templates>",
        "<Glabels-templates><Template brand='a' part='b' size='A4'>"
        "<Label-rectangle height='10mm'/></Template></Glabels-templates>",
        "<Glabels-templates><Template brand='a' part='b' size='A4'>"
        "<Label-rectangle width='12furlongs' height='10mm'/></Template></Glabels-templates>",
        "<Glabels-templates><Template brand='a' part='b' equiv='zz'/></Glabels-templates>",
        "<Glabels-templates><Template brand='a' part='b' size='Q9'>"
        "<Label-rectangle width='1in' height='1in'/></Template></Glabels-templates>",
        "<Glabels-templates><Template brand='a' part='b' size='A4'>"
        "<Label-rectangle width='1in' height='1in'><Layout nx='x'/></Label-rectangle>"
        "</Template></Glabels-templates>",
    ],
)
def test_malformed_files_give_a_clear_message(text):
    with pytest.raises(ValidationError) as info:
        parse_templates(text, source="broken.xml")
    assert (
        "broken.xml" in info.value.message
        or "length" in info.value.message.lower()
        or ("panjang" in info.value.message.lower())
    )


def test_impossible_geometry_is_refused_on_import():
    text = (
        "<Glabels-templates><Template brand='a' part='big' size='A4'>"
        "<Label-rectangle width='100mm' height='50mm'>"
        "<Layout nx='3' ny='1' x0='0' y0='0' dx='100mm' dy='50mm'/>"
        "</Label-rectangle></Template></Glabels-templates>"
    )
    (template,) = parse_templates(text)
    with pytest.raises(ValidationError):
        template_to_paper(template)


# -- the real database, when Debian's glabels-data is installed ---------------

_UNITS = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72, "": 25.4 / 72}


def _mm(value: str | None) -> float:
    """An independent reading of a gLabels length, for cross-checking."""
    match = re.fullmatch(r"\s*([-+0-9.eE]*)\s*([a-z]*)\s*", value or "")
    assert match, value
    return float(match.group(1) or 0) * _UNITS[match.group(2)]


def _files():
    for folder in SYSTEM_DIRS:
        for path in sorted(Path(folder).glob("*.xml")):
            if "<Template" in path.read_text(encoding="utf-8", errors="replace"):
                yield path


@pytest.mark.skipif(not SYSTEM_DIRS, reason="glabels-data is not installed")
def test_every_installed_template_has_the_geometry_its_file_states():
    total = aliases = namespaced = converted = 0
    for path in _files():
        raw = path.read_text(encoding="utf-8")
        namespaced += "glabels.org/xmlns/3.0" in raw
        ours = read_template_file(path)
        assert len(ours) == len(re.findall(r"<Template\b", raw)), path.name
        root = ET.fromstring(raw.encode("utf-8"))
        elements = [e for e in root.iter() if e.tag.rsplit("}", 1)[-1] == "Template"]
        defined = {
            (t.brand, t.part): t for e, t in zip(elements, ours, strict=True) if not e.get("equiv")
        }
        for element, template in zip(elements, ours, strict=True):
            assert template.part == element.get("part")
            total += 1
            if element.get("equiv"):
                aliases += 1  # aliases may point forward in the file
                key = (element.get("brand"), element.get("equiv"))
                while key not in defined:  # an alias of an alias
                    target = next(e for e in elements if (e.get("brand"), e.get("part")) == key)
                    key = (target.get("brand"), target.get("equiv"))
                base = defined[key]
                assert template.frames == base.frames
                continue
            frames = [c for c in element if c.tag.rsplit("}", 1)[-1].startswith("Label-")]
            assert len(frames) == len(template.frames)
            for frame_el, frame in zip(frames, template.frames, strict=True):
                kind = frame_el.tag.rsplit("}", 1)[-1]
                if kind in ("Label-rectangle", "Label-ellipse"):
                    assert frame.width_mm == pytest.approx(_mm(frame_el.get("width")))
                    assert frame.height_mm == pytest.approx(_mm(frame_el.get("height")))
                elif kind == "Label-round":
                    assert frame.width_mm == pytest.approx(2 * _mm(frame_el.get("radius")))
                layouts = [c for c in frame_el if c.tag.rsplit("}", 1)[-1] == "Layout"]
                assert len(layouts) == len(frame.layouts)
                for layout_el, layout in zip(layouts, frame.layouts, strict=True):
                    assert layout.nx == int(layout_el.get("nx"))
                    assert layout.ny == int(layout_el.get("ny"))
                    assert layout.x0_mm == pytest.approx(_mm(layout_el.get("x0")))
                    assert layout.y0_mm == pytest.approx(_mm(layout_el.get("y0")))
                    assert layout.dx_mm == pytest.approx(_mm(layout_el.get("dx")))
                    assert layout.dy_mm == pytest.approx(_mm(layout_el.get("dy")))
            try:
                template_to_paper(template)
                converted += 1
            except ValidationError:
                pass  # a few database entries put labels off their page; refused clearly
    assert total > 1000 and aliases > 100 and namespaced >= 5
    assert converted > 0.98 * (total - aliases)


def _inside_ellipse(point, rect) -> bool:
    x, y = point
    rx, ry, rw, rh = rect
    cx, cy = rx + rw / 2, ry + rh / 2
    return ((x - cx) / (rw / 2)) ** 2 + ((y - cy) / (rh / 2)) ** 2 <= 1.0 + 1e-6


@pytest.mark.parametrize(
    ("filename", "part"), [("plain-templates.xml", "R20"), ("namespaced-templates.xml", "OVAL")]
)
def test_round_and_oval_labels_keep_ink_inside_the_shape(filename, part):
    from shopdesk.labels.designs import get_design
    from shopdesk.labels.job import prepare_job
    from shopdesk.labels.pdf import render_pdf_bytes

    from .helpers import PRODUCTS, char_boxes_mm, decode, render_page

    template = by_part(read_template_file(FIXTURES / filename))[part]
    paper = template_to_paper(template)
    items = [PRODUCTS[1]] * paper.labels_per_page
    for design_id in ("qr-sticker", "price-tag"):
        job = prepare_job(items, paper=paper, design=get_design(design_id))
        data, _pages = render_pdf_bytes(job)
        pdf, page, image = render_page(data)
        rects = [(r.x_mm, r.y_mm, r.width_mm, r.height_mm) for r in paper.label_rects()]
        found = decode(image)
        expected = job.plans[0].qr_payload or job.plans[0].barcode_value
        if expected:
            assert len(found) == len(rects) and {f.text for f in found} == {expected}
        for f in found:
            assert any(all(_inside_ellipse(c, r) for c in f.corners_mm) for r in rects)
        for _ch, (left, top, right, bottom) in char_boxes_mm(page, paper.page_height_mm):
            corners = [(left, top), (right, top), (left, bottom), (right, bottom)]
            assert any(all(_inside_ellipse(c, r) for c in corners) for r in rects)
        pdf.close()


def test_continuous_tape_and_a_glabels_document_root():
    text = (
        '<Glabels-document xmlns="http://glabels.org/xmlns/3.0/">'
        '<Template brand="Tape" part="T12" size="Other" width="12mm" height="100mm">'
        '<Label-continuous id="0" width="12mm" min_length="10mm" max_length="1000mm" '
        'default_length="100mm"><Markup-margin size="1mm"/></Label-continuous>'
        "</Template></Glabels-document>"
    )
    (template,) = parse_templates(text)
    frame = template.frames[0]
    assert frame.shape == "continuous" and (frame.width_mm, frame.height_mm) == (12.0, 100.0)
    assert template_to_paper(template).labels_per_page == 1
