"""Run the benchmarks: ``python -m benchmarks [name ...]``.

Each module in ``MODULES`` has ``run(report)``; it calls
``report(name, value, floor, unit)`` once per figure. The floor is a bare
baseline measured in the same run (or a fixed goal where none can be run);
the ratio value/floor is what the issues set limits on.
"""

from __future__ import annotations

import importlib
import sys
import time

MODULES = ["startup", "cli", "catalog", "stock", "labels", "export", "ui_lists"]


def report(name: str, value: float, floor: float | None, unit: str) -> None:
    ratio = f"{value / floor:6.2f}x" if floor else "     - "
    floor_text = f"{floor:10.3f}" if floor is not None else "         -"
    print(
        f"{name:<48} {value:10.3f} {unit:<4} floor {floor_text} {unit:<4} ratio {ratio}", flush=True
    )


def main(argv: list[str]) -> int:
    wanted = argv or MODULES
    failed = 0
    for name in wanted:
        try:
            module = importlib.import_module(f"benchmarks.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"benchmarks.{name}":
                print(f"# {name}: not written yet")
                continue
            raise
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
