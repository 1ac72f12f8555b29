"""Build the frozen ShopDesk folder in one command (Linux and Windows alike).

    .venv/bin/python tools/build_bundle.py            # -> dist/ShopDesk-<version>/
    .venv/bin/python tools/build_bundle.py --reuse    # skip when nothing changed since last build
    py tools\\build_bundle.py                         # Windows, from the .venv's Python

Runs PyInstaller on build.spec, checks that both executables are there and prints the build
time and the folder size. ``--json`` adds one machine-readable line (the smoke test and the
``frozen`` benchmark read it). ``--reuse`` compares a fingerprint of the spec, the sources, the
resources and the installed package versions with the one stored next to the last build.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXE_SUFFIX = ".exe" if os.name == "nt" else ""
GUI_NAME, CLI_NAME = "ShopDesk", "shopdesk-cli"
# What a build depends on: a change to any of these makes --reuse build again.
INPUTS = ("build.spec", "pyproject.toml", "shopdesk", "ui", "resources", "tools/entry_gui.py")
INPUTS += ("tools/entry_cli.py", "tools/rthook_deferred.py")


@dataclass(frozen=True)
class Bundle:
    folder: str
    gui: str
    cli: str
    seconds: float
    size_bytes: int
    reused: bool

    @property
    def size_mb(self) -> float:
        return self.size_bytes / 1_000_000


def version() -> str:
    namespace: dict[str, str] = {}
    source = (ROOT / "shopdesk" / "__init__.py").read_text(encoding="utf-8")
    exec(compile(source, "shopdesk/__init__.py", "exec"), namespace)
    return f"{namespace['APP_NAME']}-{namespace['__version__']}"


def folder_size(folder: Path) -> int:
    """Bytes of every file in the folder (symbolic links count as nothing, as on disk)."""
    total = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
    return total


def fingerprint() -> str:
    digest = hashlib.sha256()
    for name in INPUTS:
        base = ROOT / name
        files = [base] if base.is_file() else sorted(base.rglob("*"))
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    packages = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
    digest.update("\n".join(packages).encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def _bundle(folder: Path, seconds: float, reused: bool) -> Bundle:
    gui, cli = folder / f"{GUI_NAME}{EXE_SUFFIX}", folder / f"{CLI_NAME}{EXE_SUFFIX}"
    for exe in (gui, cli):
        if not exe.is_file():
            raise SystemExit(f"build_bundle: {exe} is missing after the build")
    return Bundle(str(folder), str(gui), str(cli), seconds, folder_size(folder), reused)


def build(dist: Path, work: Path, *, reuse: bool = False, clean: bool = False) -> Bundle:
    folder = dist / version()
    stamp = dist / f".{version()}.fingerprint"  # beside the folder, so it is never shipped
    wanted = fingerprint()
    if reuse and stamp.is_file() and stamp.read_text() == wanted:
        return _bundle(folder, 0.0, reused=True)
    command = [sys.executable, "-m", "PyInstaller", str(ROOT / "build.spec"), "--noconfirm"]
    command += ["--distpath", str(dist), "--workpath", str(work), "--log-level", "WARN"]
    if clean:
        command.append("--clean")
    started = time.perf_counter()
    if subprocess.call(command, cwd=ROOT):
        raise SystemExit("build_bundle: PyInstaller failed; see the messages above")
    seconds = time.perf_counter() - started
    bundle = _bundle(folder, seconds, reused=False)
    stamp.write_text(wanted)
    return bundle


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build dist/ShopDesk-<version>/ with PyInstaller.")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller")
    parser.add_argument("--reuse", action="store_true", help="skip when nothing changed")
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's cache first")
    parser.add_argument("--json", action="store_true", help="also print one JSON line")
    parser.add_argument("--fingerprint", action="store_true", help="print it and stop")
    parser.add_argument("--describe", action="store_true", help="describe a built folder")
    args = parser.parse_args(argv)
    if args.fingerprint:
        print(fingerprint())
        return 0
    if args.describe:
        bundle = _bundle(args.dist.resolve() / version(), 0.0, reused=True)
    else:
        bundle = build(args.dist.resolve(), args.work.resolve(), reuse=args.reuse, clean=args.clean)
    how = "reused (nothing changed)" if bundle.reused else f"built in {bundle.seconds:.1f} s"
    print(f"{bundle.folder}: {how}, {bundle.size_mb:.1f} MB")
    print(f"  windowed app: {bundle.gui}")
    print(f"  command line: {bundle.cli}")
    if args.json:
        print(json.dumps(asdict(bundle)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
