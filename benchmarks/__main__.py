"""Run the benchmarks: ``python -m benchmarks [name ...]`` (``--help`` lists them).

Each module in ``BENCHMARKS`` has ``run(report)``; it calls
``report(name, value, floor, unit, goal=...)`` once per figure. The floor is a
bare baseline measured in the same run (raw SQLite, bare Pillow, bare
reportlab, a bare PySide6 window, the interpreter alone); the ratio
value/floor is what the issues set limits on, and ``goal`` prints that limit
beside it (``<= 1.5x``, or ``<= 20 ms`` where the goal is a time).
"""

from __future__ import annotations

import importlib
import sys
import time

BENCHMARKS = {
    "startup": "process start to login window, demo and 100k shop, vs a bare PySide6 window",
    "cli": "shopdesk --version/--help/labels as processes, vs python -c 'import shopdesk'",
    "catalog": "search, count and 10,000-row import on the 100k shop, vs raw SQLite",
    "stock": "a 3-line sale (median, p95) and on-hand rebuilds, vs bare sqlite3",
    "labels": "1,000 labels (20 forms; 1,000 distinct QR codes), vs bare reportlab",
    "export": "listing bundle of 300 12 MP photos (5 runs), vs bare Pillow with draft decoding",
    "photos": "60 photos kept in the data: add, first and cached read, backup, vs plain files",
    "ui_lists": "the product list of the 100k shop (open, filter, scan), vs raw SQLite",
    "orders": "a 5,000-order Shopee export previewed; the GUI's longest stall meanwhile, vs idle",
    "postgres": "the same on PostgreSQL (own cluster) vs bare psycopg, SQLite beside",
    "frozen": "the frozen build's start-up vs from source (default run: when a build exists)",
}
MODULES = [name for name in BENCHMARKS if name != "frozen"]


def report(name: str, value: float, floor: float | None, unit: str, *, goal: str = "") -> None:
    ratio = f"{value / floor:6.2f}x" if floor else "     - "
    floor_text = f"{floor:10.3f}" if floor is not None else "         -"
    print(
        f"{name:<48} {value:10.3f} {unit:<4} floor {floor_text} {unit:<4} ratio {ratio}"
        + (f"  goal {goal}" if goal else ""),
        flush=True,
    )


def usage() -> str:
    lines = [
        "usage: python -m benchmarks [name ...]",
        "",
        "benchmarks (all but frozen by default):",
    ]
    lines += [f"  {name:<10} {text}" for name, text in BENCHMARKS.items()]
    lines += ["", "SHOPDESK_BENCH_QUICK=1 makes export small (60 products)."]
    return "\n".join(lines)


def _default() -> list[str]:
    from benchmarks import frozen

    if frozen.built():
        return [*MODULES, "frozen"]
    print(
        "# frozen: no frozen build of the current sources, so no frozen figures "
        "(python -m benchmarks frozen builds one with PyInstaller, then measures it)",
        flush=True,
    )
    return MODULES


def main(argv: list[str]) -> int:
    if any(arg in ("-h", "--help") for arg in argv):
        print(usage())
        return 0
    unknown = [name for name in argv if name not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark: {', '.join(unknown)}\n\n{usage()}", file=sys.stderr)
        return 2
    wanted = argv or _default()
    failed = 0
    for name in wanted:
        module = importlib.import_module(f"benchmarks.{name}")
        print(f"# {name}", flush=True)
        started = time.perf_counter()
        try:
            module.run(report)
        except Exception as exc:  # one broken benchmark must not hide the others
            failed += 1
            print(f"# {name} failed: {type(exc).__name__}: {exc}")
        print(f"# {name} took {time.perf_counter() - started:.1f} s", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
