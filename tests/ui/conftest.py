"""UI test helpers: a main window logged in as a seller, error dialogs non-modal."""

from __future__ import annotations

import os
import sys

import pytest


@pytest.fixture(autouse=True)
def _non_modal_errors():
    from ui import errors

    errors.set_modal(False)
    errors._last_dialogs.clear()
    yield
    errors._last_dialogs.clear()


@pytest.fixture
def answers_yes():
    """Questions answered yes, no file dialog answers left over (pages that ask)."""
    from ui.widgets import ask, files

    ask.set_answer(True)
    files.answers.clear()
    yield
    ask.set_answer(None)
    files.answers.clear()


SCANNER_GAP_MS = 4  # a USB scanner: a key every few ms
TYPING_GAP_MS = 150  # a person
_keyboard_clock = [1_000_000]  # ms, the window system's clock that stamps each key


def press_keys(
    widget, text: str, gap_ms: int, *, enter: bool = True, start_ms: int | None = None
) -> None:
    """Keys pressed ``gap_ms`` apart by their own timestamps (``QKeyEvent.timestamp``),
    then Enter; all delivered now, whatever the test machine's load."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    keys = [(Qt.Key(ord(c.upper())) if c.isascii() else Qt.Key.Key_unknown, c) for c in text]
    if enter:
        keys.append((Qt.Key.Key_Return, "\r"))
    _keyboard_clock[0] += 10_000  # a pause since the keys before
    if start_ms is not None:
        _keyboard_clock[0] = start_ms
    for key, char in keys:
        _keyboard_clock[0] += gap_ms
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char)
            event.setTimestamp(_keyboard_clock[0] % 2**32)  # a 32-bit clock that wraps
            QApplication.sendEvent(widget, event)


def scan(qtbot, widget, code: str) -> None:
    """What a USB scanner does: the digits a few ms apart, then Enter."""
    press_keys(widget, code, SCANNER_GAP_MS)


@pytest.fixture
def window(qtbot, home):
    from ui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    win.show_start()
    win.show()
    yield win
    win.tasks.wait(5000)


def login(qtbot, win, login_name: str, pin: str) -> None:
    """Log in through the real picker and PIN pad, typing the PIN on the keyboard."""
    win.start.picker.buttons[login_name].click()
    pad = win.start.pad
    qtbot.keyClicks(pad.field, pin)
    qtbot.keyClick(pad.field, "\r")


@pytest.fixture
def logged_in(qtbot, window, seller):
    from tests.conftest import PIN_A

    window.show_start()
    login(qtbot, window, "kopi", PIN_A)
    assert window.workspace is not None
    return window


def pytest_sessionfinish(session, exitstatus):
    session.config.ui_exit_status = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    """Leave without the interpreter's final garbage collection.

    After a long run of Qt tests, PySide6 6.12 on Python 3.11 aborts in that last
    collection ("bool_dealloc: deallocating True or False", a refcount slip inside the
    bindings, after every test has passed and been reported). Every result and report is
    written by now; exiting here keeps the real exit status instead of SIGABRT.
    """
    status = getattr(config, "ui_exit_status", None)
    if status is not None:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
