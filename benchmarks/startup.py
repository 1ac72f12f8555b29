"""Start-up: seconds from process start to the login window shown (offscreen).

Each run is a fresh subprocess; the figure is read from ``/proc`` by the process itself
when the window is on screen (``ui.app --startup-probe``). The floor is a bare PySide6
script that opens an empty ``QMainWindow``, measured the same way in the same run,
interleaved with the app's runs on the demo shop and on the 100k shop (a copy of the
benchmarks' big shop as the data folder's database). Goal: at most 1.5x the floor on
both. Median of ``RUNS``.

    python -m benchmarks startup

The login window comes before the data is opened (``store.glance``: the sellers read with
plain ``sqlite3``, read-only; ``ui.app``): peewee, the models, profiles, settings and audit
(~50 ms) load behind the painted window. A second figure, "ready", is the moment the data is
open behind it (a PIN can be checked); it is reported beside the first, not held to the goal.

Both the floor and the app keep their compiled modules (``timing.bytecode_env``: the warm-up
run writes the ``.pyc`` files), as an installed or frozen app has them: where
``PYTHONDONTWRITEBYTECODE=1`` is set (some dev containers), every run would otherwise compile
the app's own modules again (~15-25 ms that no seller pays). ``SHOPDESK_BENCH_COMPILE=1``
measures that way instead.

Where the app's extra time goes on a quiet 2-core PC (``-X importtime``, cProfile of the start
path): the first text drawn loads the fonts (~15-20 ms; the bare window draws none), the
window and start screen ~10 ms, the core modules of the window and ``sqlite3`` ~5 ms, the
style sheet ~4 ms, ``ui.po`` ~2 ms (the other catalogs are read when a message is not in it),
PySide6's ``__feature__`` check, which reads the source of every module imported after PySide6
(~0.2 ms each: the core modules of the window are imported before it). Already taken out:
argparse, phonenumbers (lazy in ``validators``), argon2 (imported at the first PIN hash or
check), ``socket`` and ``safe_io`` in the instance lock and the store's ``location``,
``importlib.abc`` (``lean_imports``), the ``QEvent`` types (only after login) and
``QKeySequence``/``QShortcut`` (built with the PIN pad), the pages and the sidebar (built at
login, ``ui/workspace.py``), the backup on open (started 1.5 s after the data is open), the
PostgreSQL driver (~85 ms: ``shopdesk.lean_imports``), the backup code (~40 ms: the backup face
loads each module at first use) and, on the 100k shop, ``PRAGMA quick_check`` (0.63 s there,
growing with the file): the app checks in the background once the window is up, and every
write waits for that check (``store.health``).

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

from benchmarks import timing

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


def _run(args: list[str], env: dict[str, str], timeout: float = 120) -> tuple[float, float]:
    """Seconds to the window shown and to the data open behind it (the floor: both shown)."""
    out = subprocess.run(
        args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )
    figures: dict[str, float] = {}
    for line in out.stdout.splitlines():
        if line.startswith("startup-wizard"):
            raise RuntimeError(f"{args}: {line}")
        if line.startswith(("startup-shown ", "startup-ready ")):
            figures[line.split()[0]] = float(line.split()[1])
    if "startup-shown" not in figures:
        raise RuntimeError(f"no start-up figure from {args}: {out.stdout} {out.stderr}")
    shown = figures["startup-shown"]
    return shown, figures.get("startup-ready", shown)


def measure(runs: int = RUNS) -> dict[str, float]:
    """Median seconds of the bare window and of the app on the demo and on the 100k shop
    (window shown; "... ready": the data open behind it), all taken in turn."""
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
    ready: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, (args, env) in cases.items():
            shown, opened = _run(args, env)
            times[name].append(shown)
            ready[name].append(opened)
    shutil.rmtree(big, ignore_errors=True)
    figures = {name: statistics.median(values) for name, values in times.items()}
    for name in homes:
        if name in ready:
            figures[f"{name} ready"] = statistics.median(ready[name])
    return figures


def _env(home: Path) -> dict[str, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SHOPDESK_HOME": str(home)}
    compile_each_run = os.environ.get("SHOPDESK_BENCH_COMPILE") == "1"
    return env if compile_each_run else timing.bytecode_env(env)  # .pyc kept, as installed


def run(report: Callable[..., None]) -> None:
    figures = measure()
    bare = figures.pop("bare")
    for label, seconds in figures.items():
        if label.endswith(" ready"):
            name = f"startup: login window ready, data open ({label[: -len(' ready')]})"
            report(name, seconds, bare, "s")
        else:
            report(f"startup: start to login window ({label})", seconds, bare, "s", goal="<= 1.5x")


if __name__ == "__main__":
    from benchmarks.__main__ import report

    run(report)
