"""Start-up: seconds from process start to the login window shown (offscreen).

Each run is a fresh subprocess; the figure is read from ``/proc`` by the process itself
when the window is on screen (``ui.app --startup-probe``). The floor is a bare PySide6
script that opens an empty ``QMainWindow``, measured the same way in the same run,
interleaved with the app's runs. Goal: at most 1.5x the floor. Median of ``RUNS``.

    python -m benchmarks startup

Where the app's extra ~0.1 s goes on a quiet 2-core PC (``-X importtime`` and timers):
peewee ~20 ms (with the sqlite3, decimal, uuid, socket and hashlib it imports), Qt's ``Qt``
enum namespace ~15 ms (created whole at the first ``Qt.*`` enum, which the start screen needs:
PySide6 refuses plain ints; the bare script never touches it), shopdesk models/profiles/
audit/settings ~15 ms, ``ui.main_window``/``ui.start``/``ui.tasks`` ~10 ms, the instance lock
~5 ms (json, the lock file), the Indonesian catalogs ~3-5 ms, building and showing the start
screen ~10 ms. Where no ``.pyc`` can be written (``PYTHONDONTWRITEBYTECODE=1``, as in some dev
containers) compiling our own modules adds ~15 ms that an installed or frozen build does not
pay. Already taken out: argparse, phonenumbers (lazy in ``validators``), argon2 (imported at
the first PIN hash or check), ``socket`` and ``safe_io`` in the instance lock, the ``QEvent``
types (``QEvent``/``QCloseEvent``, only after login) and ``QKeySequence``/``QShortcut`` (built
with the PIN pad), the per-character .po reader, the pages and the sidebar (built at login,
``ui/workspace.py``), and the backup on open (started 1.5 s after the window). The
``PRAGMA quick_check`` (~1 ms on the demo shop) stays before the window on purpose.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7

BARE = r"""
import os, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

def seconds():
    with open("/proc/self/stat") as h:
        start = int(h.read().rsplit(")", 1)[1].split()[19])
    with open("/proc/uptime") as h:
        up = float(h.read().split()[0])
    return up - start / os.sysconf("SC_CLK_TCK")

app = QApplication(sys.argv)
window = QMainWindow()
window.show()

def done():
    app.processEvents()
    print(f"startup-shown {seconds():.4f}", flush=True)
    app.exit(0)

QTimer.singleShot(0, done)
app.exec()
"""


def _run(args: list[str], env: dict[str, str]) -> float:
    out = subprocess.run(
        args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    for line in out.stdout.splitlines():
        if line.startswith("startup-shown "):
            return float(line.split()[1])
    raise RuntimeError(f"no start-up figure from {args}: {out.stdout} {out.stderr}")


def measure(runs: int = RUNS) -> tuple[float, float]:
    """(median app seconds, median bare seconds)."""
    home = Path(tempfile.mkdtemp(prefix="shopdesk-startup-"))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SHOPDESK_HOME": str(home)}
    subprocess.run(
        [sys.executable, "-m", "shopdesk", "demo"], env=env, cwd=ROOT, check=True,
        capture_output=True,
    )  # fmt: skip
    app_args = [sys.executable, "-m", "ui.app", "--startup-probe"]
    bare_args = [sys.executable, "-c", BARE]
    _run(app_args, env)  # warm the disk cache for both
    _run(bare_args, env)
    app_times, bare_times = [], []
    for _ in range(runs):
        app_times.append(_run(app_args, env))
        bare_times.append(_run(bare_args, env))
    return statistics.median(app_times), statistics.median(bare_times)


def run(report: Callable[[str, float, float | None, str], None]) -> None:
    app, bare = measure()
    report("startup: process start to login window shown", app, bare, "s")


if __name__ == "__main__":
    from benchmarks.__main__ import report

    run(report)
