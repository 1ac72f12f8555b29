"""A scan is told from typing by when the keys were pressed (their own timestamps),
not by when a busy GUI thread got round to them. Keys are sent with explicit
timestamps, so these tests give the same answer on an idle or a loaded machine."""

from __future__ import annotations

import itertools
import time

import pytest

from tests.ui.conftest import SCANNER_GAP_MS, TYPING_GAP_MS, press_keys
from ui.widgets.scan_edit import ScanAwareSpinBox, ScanEdit

CODE = "8991234567890"


@pytest.fixture
def busy_gui_thread(monkeypatch):
    """The GUI thread gets to each key 120 ms after the one before (a loaded PC):
    every clock the process can read moves on 120 ms at each look."""
    ticks = itertools.count()
    monkeypatch.setattr(time, "perf_counter", lambda: next(ticks) * 0.120)
    monkeypatch.setattr(time, "monotonic_ns", lambda: next(ticks) * 120_000_000)


@pytest.fixture
def quantity(qtbot):
    box = ScanAwareSpinBox()
    box.setRange(0, 10**6)
    box.setValue(5)
    box.lineEdit().selectAll()
    qtbot.addWidget(box)
    scanned: list[str] = []
    box.scanned.connect(scanned.append)
    return box, scanned


@pytest.fixture
def field(qtbot):
    edit = ScanEdit()
    qtbot.addWidget(edit)
    submitted: list[str] = []
    edit.submitted.connect(submitted.append)
    return edit, submitted


def test_keys_typed_while_the_window_was_busy_are_a_quantity(quantity):
    """A person typed 120000 at 150 ms a key while the PC was busy: the keys reach
    the field in one burst, yet it is a quantity, not a scan."""
    box, scanned = quantity
    press_keys(box, "120000", TYPING_GAP_MS)
    assert scanned == [] and box.value() == 120_000


def test_a_scan_handled_slowly_on_a_busy_pc_is_still_a_scan(quantity, busy_gui_thread):
    box, scanned = quantity
    press_keys(box, CODE, SCANNER_GAP_MS)
    assert scanned == [CODE] and box.value() == 5  # not 8991234567890 units


def test_the_search_field_tells_a_scan_from_a_name_by_the_key_times(field, busy_gui_thread):
    edit, submitted = field
    press_keys(edit, CODE, SCANNER_GAP_MS)
    assert submitted == [CODE] and edit.last_was_fast
    press_keys(edit, "KOPI2", SCANNER_GAP_MS // 2)
    assert edit.last_was_fast
    press_keys(edit, "teh 250", TYPING_GAP_MS)
    assert submitted[-1] == "teh 250" and not edit.last_was_fast


def test_digits_typed_by_hand_but_handled_at_once_are_no_scan(field):
    edit, _submitted = field
    press_keys(edit, "89912345", TYPING_GAP_MS)
    assert not edit.last_was_fast


def test_a_scan_as_the_keyboard_clock_wraps_is_a_scan(quantity, busy_gui_thread):
    """Window systems stamp keys with a 32-bit ms clock: it wraps after 49.7 days up."""
    box, scanned = quantity
    press_keys(box, CODE, SCANNER_GAP_MS, start_ms=2**32 - 3 * SCANNER_GAP_MS)
    assert scanned == [CODE] and box.value() == 5
