"""A guard against a reference-count bug of PySide6 6.12 on Python 3.11.

With these two, every call of a Qt method that returns nothing (``setText``,
``setItem``, ``setBackground``...) takes one reference away from ``None``, and
every ``signal.emit`` one from ``True``. Nothing frees them, but CPython aborts
the whole process ("Fatal Python error: none_dealloc") when a count reaches
zero: after some tens of thousands of such calls. That is one preview of a
marketplace file of 10,000 rows, or a long day at the till.

Python 3.12 made these objects immortal (their count is never used). Here,
when the bug is seen at start, their counts are raised once far beyond what any
run can take away: the same effect. With a fixed PySide6 nothing is done.
"""

from __future__ import annotations

import ctypes
import sys

HEADROOM = 1 << 60  # a billion calls a second would need 36 years
_PROBES = 64


def _lost(obj: object, action) -> bool:
    before = sys.getrefcount(obj)
    for _i in range(_PROBES):
        action()
    return sys.getrefcount(obj) < before


def singletons_leak() -> bool:
    """Whether Qt calls take references away from None or True in this process."""
    if sys.version_info >= (3, 12):  # immortal: counts are not used
        return False
    from PySide6.QtCore import QObject, QPoint

    point, obj = QPoint(), QObject()
    return _lost(None, lambda: point.setX(0)) or _lost(True, lambda: obj.objectNameChanged.emit(""))


def guard_singletons() -> bool:
    """Raise the counts of None, True and False out of reach if Qt takes them away;
    returns whether it was needed. Call it once, before the application starts."""
    if not singletons_leak():
        return False
    for singleton in (None, True, False):
        count = ctypes.c_ssize_t.from_address(id(singleton))
        if count.value < HEADROOM:
            count.value += HEADROOM
    return True
