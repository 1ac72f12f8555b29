#!/usr/bin/env python3
"""One entry point for people and CI, with nothing but Python 3.11+ installed.

    python3 dev.py start     set up .venv, seed the demo shop once, start the app
    python3 dev.py test      set up .venv, run the whole test suite
    python3 dev.py check     lint, format and type checks (ruff, mypy), as CI runs them
    python3 dev.py bench     run the benchmarks

Setup is skipped when pyproject.toml has not changed since the last install. Messages
speak the app's language (SHOPDESK_LANG, Indonesian by default) through shopdesk.i18n,
which needs nothing outside the standard library.
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


def _(message: str) -> str:
    """The message in the app's language; English if the catalog cannot be read."""
    try:
        sys.path.insert(0, str(ROOT))
        from shopdesk.i18n import gettext
    except Exception:  # an old Python or a damaged checkout: English beats nothing
        return message
    finally:
        sys.path.remove(str(ROOT))
    return gettext(message)


USAGE = """{intro}

    python3 dev.py start     {start}
    python3 dev.py test      {test}
    python3 dev.py check     {check}
    python3 dev.py bench     {bench}
"""


def run(*cmd: object, **kw) -> int:
    return subprocess.call([str(c) for c in cmd], cwd=ROOT, **kw)


def setup() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 (run by any python3 first)
        sys.exit(_("ShopDesk needs Python 3.11 or newer."))
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if PY.exists() and STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not PY.exists():
        print(_("Creating .venv ..."), flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print(_("Installing ShopDesk and its test tools ..."), flush=True)
    pip = [PY, "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    if run(*pip, "--upgrade", "pip") or run(*pip, "-e", ".[test,dev]"):
        sys.exit(_("Installing failed; see the messages above."))
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
            "\n"
            + _(
                "No display: the demo shop is ready in {home}.\nUse the command line, for example:"
            ).format(home=home)
        )
        print(f"  SHOPDESK_HOME={home} {PY} -m shopdesk --help")
        print(
            f"  SHOPDESK_HOME={home} SHOPDESK_PIN=123456 {PY} -m shopdesk "
            "product list --seller kopi\n"
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
        print(
            USAGE.format(
                intro=_("One entry point for people and CI, with nothing but Python 3.11+."),
                start=_("set up .venv, seed the demo shop once, start the app"),
                test=_("set up .venv, run the whole test suite"),
                check=_("lint, format and type checks (ruff, mypy), as CI runs them"),
                bench=_("run the benchmarks"),
            )
        )
        return 2
    setup()
    command, rest = sys.argv[1], sys.argv[2:]
    if command == "setup":
        return 0
    return {"start": start, "test": test, "check": check, "bench": bench}[command](rest)


if __name__ == "__main__":
    sys.exit(main())
