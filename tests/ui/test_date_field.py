"""The date field (issue 16, point 2): typed or picked, never silently another day."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from shopdesk import stock
from tests.stock_factories import make_product
from ui.widgets import ask


def stock_in_tab(window):
    return window.workspace.open_page("stock").stock_in


def choose(qtbot, tab, name: str) -> None:
    qtbot.keyClicks(tab.picker.edit, name)
    qtbot.keyClick(tab.picker.edit, Qt.Key.Key_Return)


def retype(qtbot, field, text: str) -> None:
    field.edit.selectAll()
    qtbot.keyClicks(field.edit, text)
    qtbot.keyClick(field.edit, Qt.Key.Key_Return)  # or Tab: either ends the editing


@pytest.mark.parametrize(
    ("typed", "expires"),
    [("06062027", date(2027, 6, 6)), ("6/6/27", date(2027, 6, 6)), ("06/2027", date(2027, 6, 30))],
)
def test_a_typed_expiry_is_the_batch_expiry(qtbot, logged_in, answers_yes, typed, expires):
    session = logged_in.ctx.session
    sku = make_product(session, name="Keripik Tempe")  # no shelf life: the expiry is typed
    tab = stock_in_tab(logged_in)
    choose(qtbot, tab, "keripik")
    retype(qtbot, tab.produced, "01-06-2027")
    retype(qtbot, tab.expires, typed)
    assert tab.expires.edit.text() == expires.strftime("%d-%m-%Y")  # shown as it will be saved
    tab.quantity.setValue(4)
    tab.save_button.click()
    assert tab.feedback.kind == "ok", tab.feedback.text()
    [batch] = stock.batches(session, sku=sku)
    assert (batch.produced_on, batch.expires_on) == (date(2027, 6, 1), expires)


def test_a_wrong_expiry_says_why_and_saves_nothing(qtbot, logged_in, answers_yes):
    session = logged_in.ctx.session
    sku = make_product(session, name="Keripik Tempe", shelf_life_days=60)
    tab = stock_in_tab(logged_in)
    choose(qtbot, tab, "keripik")
    retype(qtbot, tab.expires, "31-06-2027")
    assert tab.expires.message.isVisibleTo(tab)
    assert "1 sampai 30" in tab.expires.message.text()
    tab.save_button.click()
    assert tab.feedback.kind == "error" and "31-06-2027" in tab.feedback.text()
    assert stock.batches(session, sku=sku) == []  # never the production day instead
    retype(qtbot, tab.expires, "30-06-2027")
    assert not tab.expires.message.isVisibleTo(tab)


def test_expiry_on_the_production_day_is_asked(qtbot, logged_in):
    session = logged_in.ctx.session
    sku = make_product(session, name="Kue Lapis")
    tab = stock_in_tab(logged_in)
    choose(qtbot, tab, "kue lapis")
    retype(qtbot, tab.produced, "06-06-2027")
    retype(qtbot, tab.expires, "06062027")
    ask.set_answer(False)
    try:
        tab.save_button.click()
        assert ask.asked and "06-06-2027" in ask.asked[0]
    finally:
        ask.set_answer(None)
    assert stock.batches(session, sku=sku) == []


def test_calendar_and_arrow_keys(qtbot, logged_in, answers_yes):
    session = logged_in.ctx.session
    sku = make_product(session, name="Madu Klanceng", shelf_life_days=365)
    tab = stock_in_tab(logged_in)
    choose(qtbot, tab, "madu")
    produced = tab.produced.value()
    assert tab.expires.value() == date.fromordinal(produced.toordinal() + 365)
    tab.expires.open_calendar()
    calendar = tab.expires._menu.actions()[0].defaultWidget()
    assert calendar.selectedDate().toPython() == tab.expires.value()
    calendar.clicked.emit(calendar.selectedDate().addDays(10))
    qtbot.keyClick(tab.expires.edit, Qt.Key.Key_Up)
    expected = date.fromordinal(produced.toordinal() + 376)
    assert tab.expires.value() == expected
    tab.save_button.click()
    assert [b.expires_on for b in stock.batches(session, sku=sku)] == [expected]
