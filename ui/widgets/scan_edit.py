"""A text field that takes barcode scans and typed codes alike.

A USB scanner is a keyboard that types a code very fast and presses Enter.
Both paths end the same way: Enter sends the text (``submitted``) and clears
the field, ready for the next scan. ``last_was_fast`` tells whether the text
came in at scanner speed, so a page can react differently to a scan it cannot
place (a beep and a message) than to a name typed by hand (a search). Speed is
judged by when the keys were pressed, not handled (``key_rhythm``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QSpinBox, QWidget

from ui.widgets.key_rhythm import KeyRhythm, clock_ms, key_time_ms

MIN_SCAN_LENGTH = 4


class ScanEdit(QLineEdit):
    """Enter emits ``submitted(text)`` and clears the field (unless ``keep_text``)."""

    submitted = Signal(str)
    navigate = Signal(int)  # Up/Down arrows: -1 / +1, for a result list below the field

    def __init__(self, parent: QWidget | None = None, *, keep_text: bool = False) -> None:
        super().__init__(parent)
        self.keep_text = keep_text
        self._rhythm = KeyRhythm()  # every edit since the field was (nearly) empty
        self._key_ms: int | None = None  # the press of the key being handled
        self.last_was_fast = False
        self.setClearButtonEnabled(True)
        self.textEdited.connect(self._edited)

    def _edited(self, text: str) -> None:
        if len(text) <= 1:
            self._rhythm.restart()
        self._rhythm.add(clock_ms() if self._key_ms is None else self._key_ms)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt name
        key = event.key()
        plain = not event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        )
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain:
            text = self.text().strip()
            self.last_was_fast = self._rhythm.was_scan(MIN_SCAN_LENGTH)
            self._rhythm.restart()
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
        self._key_ms = key_time_ms(event)  # the edit this key makes is stamped with it
        try:
            super().keyPressEvent(event)
        finally:
            self._key_ms = None


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
        self._rhythm = KeyRhythm()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt name
        text = event.text()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            burst, scan = self._burst, self._rhythm.was_scan(MIN_SCAN_LENGTH + 2)
            self._burst = ""
            self._rhythm.restart()
            if burst and scan:
                self.setValue(self._before)
                event.accept()
                self.scanned.emit(burst)
                return
        elif text and text.isprintable():
            ms = key_time_ms(event)
            if not self._burst or self._rhythm.paused_before(ms):
                self._burst, self._before = "", self.value()
                self._rhythm.restart()
            self._rhythm.add(ms)
            self._burst += text
        super().keyPressEvent(event)
