"""A fit is worked out once per distinct text and box: a run of labels repeats its texts."""

from __future__ import annotations

from shopdesk.labels.textfit import TextBlock, fit_blocks


def test_the_same_text_in_the_same_box_is_fitted_once():
    name = [TextBlock("name", "Kopi Robusta Temanggung Bubuk", 1.0, True, 0, "center")]
    first = fit_blocks(name, 50.0, 8.0, max_pt=9.0)
    assert fit_blocks(list(name), 50.0, 8.0, max_pt=9.0) is first
    other = fit_blocks(name, 30.0, 8.0, max_pt=9.0)
    assert other is not first and other.base_pt < first.base_pt
    assert fit_blocks([TextBlock("name", "", 1.0, True, 0, "center")], 50.0, 8.0).lines == ()
