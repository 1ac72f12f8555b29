"""The command line as whole processes, against ``python -c "import shopdesk"``.

- ``shopdesk --version`` (goal: at most 1.3× the floor) and ``shopdesk --help`` (goal:
  at most 3×): neither loads a command group;
- ``shopdesk labels papers`` (read-only, the demo shop) and ``shopdesk labels print``
  (one label sheet of the demo shop to a PDF): a command loads only its own group.

The floor is the interpreter starting and importing the package, nothing more. Each
figure is the median of ``RUNS`` runs, the commands and the floor taken in turn.

    python -m benchmarks cli
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.timing import bytecode_env

ROOT = Path(__file__).resolve().parent.parent
RUNS = 9


def _shopdesk() -> list[str]:
    """The installed ``shopdesk`` script beside this interpreter, else ``python -m shopdesk``."""
    script = Path(sys.executable).with_name("shopdesk")
    return [str(script)] if script.exists() else [sys.executable, "-m", "shopdesk"]


def _seconds(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, timeout=120, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{args} failed: {done.stderr.decode(errors='replace')}")
    return elapsed


def measure(runs: int = RUNS) -> dict[str, float]:
    """Median seconds of the floor and of each command, taken in turn."""
    home = Path(tempfile.mkdtemp(prefix="shopdesk-cli-bench-"))
    env = {**bytecode_env(os.environ), "SHOPDESK_HOME": str(home), "SHOPDESK_PIN": "123456"}
    cli = _shopdesk()
    subprocess.run([*cli, "demo"], env=env, cwd=ROOT, check=True, capture_output=True)
    pdf = home / "bench-labels.pdf"
    cases = {
        "floor": [sys.executable, "-c", "import shopdesk"],
        "--version": [*cli, "--version"],
        "--help": [*cli, "--help"],
        "labels papers": [*cli, "labels", "papers"],
        "labels print": [*cli, "labels", "print", "--seller", "kopi", "--sku", "KOPI-0001",
                         "--copies", "24", "-o", str(pdf)],
    }  # fmt: skip
    for args in cases.values():  # warm the disk cache and the .pyc files
        _seconds(args, env)
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, args in cases.items():
            times[name].append(_seconds(args, env))
    return {name: statistics.median(values) for name, values in times.items()}


def run(report: Callable[[str, float, float | None, str], None]) -> None:
    figures = measure()
    floor = figures.pop("floor")
    for name, seconds in figures.items():
        report(f"cli: shopdesk {name}", seconds, floor, "s")


if __name__ == "__main__":
    from benchmarks.__main__ import report

    run(report)
