#!/usr/bin/env python3
"""One entry point for people and CI, with nothing but Python 3.11+ installed.

    python3 dev.py start     set up .venv, seed the demo shop once, start the app
    python3 dev.py test      set up .venv, run the whole test suite
    python3 dev.py check     lint, format and type checks (ruff, mypy), as CI runs them
    python3 dev.py bench     run the benchmarks

Setup is skipped when pyproject.toml has not changed since the last install.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".shopdesk-installed"


def run(*cmd: object, **kw) -> int:
    return subprocess.call([str(c) for c in cmd], cwd=ROOT, **kw)


def setup() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 (run by any python3 first)
        sys.exit("ShopDesk needs Python 3.11 or newer.")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if PY.exists() and STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not PY.exists():
        print("Creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("Installing ShopDesk and its test tools ...", flush=True)
    pip = [PY, "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    if run(*pip, "--upgrade", "pip") or run(*pip, "-e", ".[test,dev]"):
        sys.exit("Installing failed; see the messages above.")
    STAMP.write_text(wanted)


def start(args: list[str]) -> int:
    home = os.environ.setdefault("SHOPDESK_HOME", str(ROOT / ".demo-shop"))
    if run(PY, "-m", "shopdesk", "demo", "--if-missing"):
        return 1
    headless = "--no-gui" in args or (
        sys.platform.startswith("linux")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
        and os.environ.get("QT_QPA_PLATFORM") != "offscreen"
    )
    if headless:
        print(
            f"\nNo display: the demo shop is ready in {home}.\n"
            f"Use the command line, for example:\n"
            f"  SHOPDESK_HOME={home} {PY} -m shopdesk --help\n"
            f"  SHOPDESK_HOME={home} SHOPDESK_PIN=123456 {PY} -m shopdesk "
            f"product list --seller kopi\n"
        )
        return 0
    return run(PY, "-m", "ui.app", *[a for a in args if a != "--no-gui"])


def test(args: list[str]) -> int:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return run(PY, "-m", "pytest", *args, env=env)


def check(args: list[str]) -> int:
    """ruff (lint and format) and mypy: every one runs, the first failure decides."""
    steps = [
        (BIN / "ruff", "check", "."),
        (BIN / "ruff", "format", "--check", "."),
        (BIN / "mypy", *args),
    ]
    codes = [run(*step) for step in steps]
    return next((code for code in codes if code), 0)


def bench(args: list[str]) -> int:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return run(PY, "-m", "benchmarks", *args, env=env)


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in ("start", "test", "check", "bench", "setup"):
        print(__doc__)
        return 2
    setup()
    command, rest = sys.argv[1], sys.argv[2:]
    if command == "setup":
        return 0
    return {"start": start, "test": test, "check": check, "bench": bench}[command](rest)


if __name__ == "__main__":
    sys.exit(main())
