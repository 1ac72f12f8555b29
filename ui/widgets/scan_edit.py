"""A text field that takes barcode scans and typed codes alike.

A USB scanner is a keyboard that types a code very fast and presses Enter.
Both paths end the same way: Enter sends the text (``submitted``) and clears
the field, ready for the next scan. ``last_was_fast`` tells whether the text
came in at scanner speed, so a page can react differently to a scan it cannot
place (a beep and a message) than to a name typed by hand (a search).
"""

from __future__ import annotations

import itertools
import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QSpinBox, QWidget

# Scanners send a key every few ms; people rarely type faster than 60 ms a key.
FAST_KEY_SECONDS = 0.035
MIN_SCAN_LENGTH = 4


class ScanEdit(QLineEdit):
    """Enter emits ``submitted(text)`` and clears the field (unless ``keep_text``)."""

    submitted = Signal(str)
    navigate = Signal(int)  # Up/Down arrows: -1 / +1, for a result list below the field

    def __init__(self, parent: QWidget | None = None, *, keep_text: bool = False) -> None:
        super().__init__(parent)
        self.keep_text = keep_text
        self._stamps: list[float] = []
        self.last_was_fast = False
        self.setClearButtonEnabled(True)
        self.textEdited.connect(self._edited)

    def _edited(self, text: str) -> None:
        now = time.perf_counter()
        if len(text) <= 1:
            self._stamps = []
        self._stamps.append(now)

    def _typed_fast(self) -> bool:
        stamps = self._stamps
        if len(stamps) < MIN_SCAN_LENGTH:
            return False
        gaps = [b - a for a, b in itertools.pairwise(stamps)]
        return max(gaps) < FAST_KEY_SECONDS

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt name
        key = event.key()
        plain = not event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        )
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain:
            text = self.text().strip()
            self.last_was_fast = self._typed_fast()
            self._stamps = []
            if not self.keep_text:
                self.clear()
            event.accept()
            if text:
                self.submitted.emit(text)
            return
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self.navigate.emit(1 if key == Qt.Key.Key_Down else -1)
            event.accept()
            return
        super().keyPressEvent(event)


class ScanAwareSpinBox(QSpinBox):
    """A quantity field that notices a barcode scanned into it by mistake.

    After choosing a product the cursor sits in the quantity; a seller who scans the
    next pack right away would otherwise receive 899123 units. A fast burst of digits
    ending with Enter is taken back out of the field and sent as ``scanned(code)``.
    """

    scanned = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._burst = ""
        self._before = 0
        self._last = 0.0
        self._fast = True

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt name
        now = time.perf_counter()
        text = event.text()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            burst, fast = self._burst, self._fast
            self._burst = ""
            if fast and len(burst) >= MIN_SCAN_LENGTH + 2:
                self.setValue(self._before)
                event.accept()
                self.scanned.emit(burst)
                return
        elif text and text.isprintable():
            if not self._burst or now - self._last > 0.3:
                self._burst, self._before, self._fast = "", self.value(), True
            elif now - self._last >= FAST_KEY_SECONDS:
                self._fast = False
            self._burst += text
            self._last = now
        super().keyPressEvent(event)
