"""Start-up: seconds from process start to the login window shown (offscreen).

Each run is a fresh subprocess; the figure is read from ``/proc`` by the process itself
when the window is on screen (``ui.app --startup-probe``). The floor is a bare PySide6
script that opens an empty ``QMainWindow``, measured the same way in the same run,
interleaved with the app's runs on the demo shop and on the 100k shop (a copy of the
benchmarks' big shop as the data folder's database). Goal: at most 1.5x the floor on
both. Median of ``RUNS``.

    python -m benchmarks startup

Where the app's extra time goes on a quiet 2-core PC (``-X importtime`` and timers): peewee
~20 ms (with the sqlite3, decimal, uuid, socket and hashlib it imports), Qt's ``Qt`` enum
namespace ~15 ms (created whole at the first ``Qt.*`` enum, which the start screen needs:
PySide6 refuses plain ints; the bare script never touches it), shopdesk models/profiles/
audit/settings ~15 ms, ``ui.main_window``/``ui.start``/``ui.tasks`` ~10 ms, the instance lock
~5 ms (json, the lock file), the Indonesian catalogs ~3-5 ms, building and showing the start
screen ~10 ms. Where no ``.pyc`` can be written (``PYTHONDONTWRITEBYTECODE=1``, as in some dev
containers) compiling our own modules adds ~15 ms that an installed or frozen build does not
pay. Already taken out: argparse, phonenumbers (lazy in ``validators``), argon2 (imported at
the first PIN hash or check), ``socket`` and ``safe_io`` in the instance lock, the ``QEvent``
types (``QEvent``/``QCloseEvent``, only after login) and ``QKeySequence``/``QShortcut`` (built
with the PIN pad), the per-character .po reader, the pages and the sidebar (built at login,
``ui/workspace.py``), the backup on open (started 1.5 s after the window), the PostgreSQL
driver (~85 ms: peewee imports an installed psycopg, ``shopdesk.lean_imports``; the store's
server modules load when a server is opened), the backup code (~40 ms: the backup face loads
each module at first use) and, on the 100k shop, ``PRAGMA quick_check`` (0.63 s there, growing
with the file): the app checks in the background once the window is up, and every write waits
for that check (``store.health``).

The 100k shop's copy has an operator (``benchmarks.dataset``, generator 4): before, the app
opened the first-run wizard there and the login window never came (no figure within 30 s).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7
BIG_TIMEOUT = 30  # seconds: a start that takes longer is reported, not measured

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


def _run(args: list[str], env: dict[str, str], timeout: float = 120) -> float:
    out = subprocess.run(
        args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )
    for line in out.stdout.splitlines():
        if line.startswith("startup-shown "):
            return float(line.split()[1])
        if line.startswith("startup-wizard"):
            raise RuntimeError(f"{args}: {line}")
    raise RuntimeError(f"no start-up figure from {args}: {out.stdout} {out.stderr}")


def measure(runs: int = RUNS) -> dict[str, float]:
    """Median seconds of the bare window and of the app on the demo and on the 100k shop,
    all taken in turn."""
    from benchmarks import dataset

    demo = Path(tempfile.mkdtemp(prefix="shopdesk-startup-"))
    big = Path(tempfile.mkdtemp(prefix="shopdesk-startup-big-"))
    homes = {"demo": demo, "100k shop": big}
    subprocess.run(
        [sys.executable, "-m", "shopdesk", "demo"], env=_env(demo), cwd=ROOT, check=True,
        capture_output=True,
    )  # fmt: skip
    dataset.fresh_copy(big)  # the big shop as the data folder's database
    cases = {"bare": ([sys.executable, "-c", BARE], _env(demo))}
    for label, home in homes.items():
        cases[label] = ([sys.executable, "-m", "ui.app", "--startup-probe"], _env(home))
    for name, (args, env) in list(cases.items()):  # warm the disk cache for all
        try:
            _run(args, env, timeout=BIG_TIMEOUT)
        except subprocess.TimeoutExpired:
            print(f"# startup ({name}): no login window within {BIG_TIMEOUT} s", flush=True)
            del cases[name]
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, (args, env) in cases.items():
            times[name].append(_run(args, env))
    shutil.rmtree(big, ignore_errors=True)
    return {name: statistics.median(values) for name, values in times.items()}


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SHOPDESK_HOME": str(home)}


def run(report: Callable[..., None]) -> None:
    figures = measure()
    bare = figures.pop("bare")
    for label, seconds in figures.items():
        report(f"startup: start to login window ({label})", seconds, bare, "s", goal="<= 1.5x")


if __name__ == "__main__":
    from benchmarks.__main__ import report

    run(report)
