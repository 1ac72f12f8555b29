"""The app survives a long day of Qt calls: with PySide6 6.12.0 on Python 3.11 every
setter takes a reference from None and every emit one from True, and CPython aborts
the process when a count reaches zero (hence the bound in pyproject.toml). Run in a
child process, so that an abort fails this test instead of ending the whole test run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
A_LONG_DAY = """
from PySide6.QtCore import QObject, QPoint
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem
from PySide6.QtGui import QColor
from ui.app import make_application

app = make_application(["shopdesk"])
point, obj, table = QPoint(), QObject(), QTableWidget(10_000, 1)
for row in range(10_000):  # a preview of a big order file
    item = QTableWidgetItem(str(row))
    item.setBackground(QColor("#e6f1ea"))
    table.setItem(row, 0, item)
for _ in range(200_000):  # setters and signals of a day at the till
    point.setX(0)
    obj.objectNameChanged.emit("")
print("whole day")
"""


def test_a_long_day_of_qt_calls_does_not_abort_the_app():
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", A_LONG_DAY], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0 and "whole day" in done.stdout, done.stderr[-2000:]
