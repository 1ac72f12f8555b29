"""Whether keys came at a barcode scanner's speed, judged by when each key was pressed.

A USB scanner types a code a key every few ms; a person rarely types faster than
60 ms a key. The gaps are measured between the keys' own timestamps (the time
the window system saw each press, ``QKeyEvent.timestamp()``), not between the
moments the GUI thread got round to them: on a busy PC the thread may handle a
person's slow keys in one burst after a pause, or a scanner's fast keys far apart.
"""

from __future__ import annotations

import time

from PySide6.QtGui import QKeyEvent

FAST_KEY_MS = 35  # a gap at least this long was a person's key
PAUSE_MS = 300  # a gap longer than this starts a new burst
WRAP_MS = 1 << 32  # X11 and Windows stamp keys with a 32-bit ms clock (it wraps in 49.7 days)


def key_time_ms(event: QKeyEvent) -> int:
    """When the key was pressed, in ms (the window system's clock).

    An event without a timestamp (0: made by a program, not pressed) falls back
    to this process's monotonic clock, the only time left to go by.
    """
    stamp = int(event.timestamp())
    return stamp if stamp > 0 else clock_ms()


def clock_ms() -> int:
    """This process's monotonic clock in ms: for an edit that no key made (a paste by mouse)."""
    return time.monotonic_ns() // 1_000_000


class KeyRhythm:
    """The keys of one burst: how many, and whether every gap was a scanner's."""

    def __init__(self) -> None:
        self.keys = 0
        self.fast = True
        self._last: int | None = None

    def restart(self) -> None:
        self.keys, self.fast, self._last = 0, True, None

    def _gap(self, ms: int) -> int | None:
        if self._last is None:
            return None
        gap = ms - self._last
        return gap + WRAP_MS if gap < -WRAP_MS // 2 else gap

    def paused_before(self, ms: int) -> bool:
        """No key yet, or a pause (or a clock that went back) before the key at ``ms``."""
        gap = self._gap(ms)
        return gap is None or not 0 <= gap <= PAUSE_MS

    def add(self, ms: int) -> None:
        gap = self._gap(ms)
        if gap is not None and not 0 <= gap < FAST_KEY_MS:
            self.fast = False
        self._last = ms
        self.keys += 1

    def was_scan(self, min_keys: int) -> bool:
        return self.fast and self.keys >= min_keys
