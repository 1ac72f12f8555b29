"""Property tests: whatever the text, it is fitted or cut, never spilled."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shopdesk.errors import ValidationError
from shopdesk.fonts import ASCENT, DESCENT, clean_text, width_em
from shopdesk.labels.designs import list_designs
from shopdesk.labels.layout import BarOp, QrOp, TextOp, plan_label
from shopdesk.labels.papers import list_papers
from shopdesk.labels.qr import QrCache
from shopdesk.labels.textfit import MIN_PT, TextBlock, fit_blocks
from shopdesk.labels.units import MM_PER_PT

from .helpers import PRODUCTS

EMOJI = "😀👍🏽🇮🇩☕️\u200d"
RTL = "مرحبا שלום"
texts = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.sampled_from(list("abc xyz" + EMOJI + RTL + "\x00\n\t")), max_size=400),
    st.builds(
        lambda n, ch: ch * n, st.integers(0, 10_000), st.sampled_from(["W", "x ", "😀", "\x00"])
    ),
)
EPS = 1e-6


def assert_fits(result, width, height, min_pt=MIN_PT):
    for line in result.lines:
        assert line.size_pt >= min_pt - EPS
        assert line.x_mm >= -EPS
        assert line.x_mm + width_em(line.text, line.font) * line.size_pt * MM_PER_PT <= width + 1e-3
        assert line.baseline_mm - DESCENT * line.size_pt * MM_PER_PT >= -1e-3
        assert line.baseline_mm + ASCENT * line.size_pt * MM_PER_PT <= height + 1e-3


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=texts,
    other=texts,
    width=st.floats(0.0, 120.0),
    height=st.floats(0.0, 60.0),
    scale=st.floats(0.5, 2.0),
)
def test_fit_blocks_never_spills(text, other, width, height, scale):
    blocks = [
        TextBlock("a", clean_text(text, True).text, scale, True, 2),
        TextBlock("b", clean_text(other).text, 1.0, False, 0),
    ]
    result = fit_blocks(blocks, width, height, max_pt=14)
    assert_fits(result, width, height)
    shown = "".join(line.text for line in result.lines if line.key == "a").replace("…", "")
    if blocks[0].text and "a" not in result.cut:
        assert shown.replace(" ", "") == blocks[0].text.replace(" ", "")


PAPERS = list_papers()
DESIGNS = list_designs()


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=texts,
    composition=texts,
    paper=st.sampled_from(PAPERS),
    design=st.sampled_from(DESIGNS),
    product=st.sampled_from(PRODUCTS),
    sku=st.text(
        alphabet=st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=40
    ),
)
def test_any_name_gives_a_label_inside_its_box_or_a_clear_error(
    name, composition, paper, design, product, sku
):
    content = replace(product, name=name, composition=composition, sku=sku, ean13="")
    try:
        plan = plan_label(content, design, paper, qr_cache=QrCache())
    except ValidationError as exc:
        assert exc.message
        return
    for op in plan.ops:
        if isinstance(op, TextOp):
            assert "\x00" not in op.text
            assert op.x_mm >= -EPS and op.x_mm + op.width_mm <= plan.width_mm + 1e-3
            assert op.y_mm - DESCENT * op.size_pt * MM_PER_PT >= -1e-3
            assert op.y_mm + ASCENT * op.size_pt * MM_PER_PT <= plan.height_mm + 1e-3
        elif isinstance(op, QrOp):
            assert op.x_mm >= -EPS and op.x_mm + op.side_mm <= plan.width_mm + 1e-3
            assert op.y_mm >= -EPS and op.y_mm + op.side_mm <= plan.height_mm + 1e-3
            assert op.module_mm >= paper.min_module_mm - 1e-9
        elif isinstance(op, BarOp):
            assert op.x_mm >= -EPS and op.x_mm + op.width_mm <= plan.width_mm + 1e-3
            assert op.module_mm >= paper.min_module_mm - 1e-9
