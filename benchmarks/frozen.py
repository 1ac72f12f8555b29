"""The frozen build: build time, folder size, start-up frozen vs from source.

    python -m benchmarks frozen

Builds the bundle with ``tools/build_bundle.py`` into ``build/frozen-test/<fingerprint>/``
(reused when the spec, sources, resources and installed packages did not change; the smoke test
``tests/test_frozen_build.py`` shares it), then starts the windowed app on the offscreen
platform with ``--startup-probe`` from the bundle and from source, in the same run and on the
same data folder, the two in turn (five runs after a warm-up, medians). The command line
the same way: ``--version``, ``--help`` and a real command (``labels print``: the seller's
PIN check, the catalog, reportlab, one label sheet to a PDF), each as wall time and as the
process's CPU time (steadier on a shared machine). The floor of each figure is the same
start from source (goal: at most 1.2x); ``--version`` also against
``python -c "import shopdesk"``, the command line's own floor.
``python -m benchmarks`` measures it whenever a build of the current sources exists and
says so when none does.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.timing import bytecode_env

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "build" / "frozen-test"
BUILD_TIMEOUT = 15 * 60
RUN_TIMEOUT = 120
RUNS = 5
CLI_RUNS = 9  # short processes: more runs for a steady median
DEMO_OPERATOR_PASSWORD = "operator-demo"


@dataclass(frozen=True)
class Bundle:
    folder: Path
    gui: Path
    cli: Path
    seconds: float  # 0.0 when reused
    size_bytes: int
    reused: bool


def _fingerprint() -> str:
    return _call([sys.executable, str(ROOT / "tools" / "build_bundle.py"), "--fingerprint"])


def built(cache: Path = CACHE) -> bool:
    """A frozen build of the current sources exists (the default run then measures it)."""
    try:
        return (cache / _fingerprint().strip()[:16]).is_dir()
    except (RuntimeError, OSError, subprocess.SubprocessError):
        return False


def build_bundle(cache: Path = CACHE) -> Bundle:
    """Build (or reuse) the bundle through tools/build_bundle.py, as people do.

    Each build goes to ``cache/<fingerprint>/`` and is only moved there once complete, and a
    finished folder is never rebuilt in place: test runs started at the same time in one
    working tree (or a benchmark) never pull a bundle from under each other's feet.
    """
    tool = [sys.executable, str(ROOT / "tools" / "build_bundle.py")]
    key = _fingerprint().strip()[:16]
    dist = cache / key
    seconds, reused = 0.0, dist.is_dir()
    if reused:
        os.utime(dist)  # in use again: not old, whatever other runs clean up
    else:
        cache.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix="staging-", dir=cache))
        try:
            out = _call([*tool, "--json", "--dist", staging / "dist", "--work", staging / "work"])
            seconds = json.loads(out.strip().splitlines()[-1])["seconds"]
            # When a run started at the same time finished first, use that one.
            with contextlib.suppress(OSError):
                (staging / "dist").rename(dist)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        _forget_old_builds(cache, keep=dist)
    info = json.loads(_call([*tool, "--json", "--describe", "--dist", dist]).splitlines()[-1])
    return Bundle(
        folder=Path(info["folder"]),
        gui=Path(info["gui"]),
        cli=Path(info["cli"]),
        seconds=seconds,
        size_bytes=info["size_bytes"],
        reused=reused,
    )


def _call(command: Sequence[object]) -> str:
    done = subprocess.run(
        [str(c) for c in command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{command} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _forget_old_builds(cache: Path, keep: Path) -> None:
    """Builds of older sources, once no run can still be using them (half an hour)."""
    for folder in cache.iterdir():
        old = time.time() - folder.stat().st_mtime > 30 * 60
        if (
            folder != keep
            and old
            and (len(folder.name) == 16 or folder.name.startswith("staging-"))
        ):
            shutil.rmtree(folder, ignore_errors=True)


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a run: one data folder, offscreen Qt, no inherited secrets,
    compiled modules kept (``bytecode_env``: a fair floor for the runs from source)."""
    env = {
        k: v
        for k, v in bytecode_env(os.environ).items()
        if not k.startswith("SHOPDESK_") and k not in ("PYTHONPATH", "PYTHONHOME")
    }
    env.update(SHOPDESK_HOME=str(home), QT_QPA_PLATFORM="offscreen", SHOPDESK_LANG="en")
    env.update(extra)
    return env


def run_command(command: Sequence[object], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(c) for c in command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )


def gui_command(bundle: Bundle | None) -> list[object]:
    """The windowed app: frozen when a bundle is given, else from source."""
    return [bundle.gui] if bundle else [sys.executable, "-m", "ui.app"]


def cli_command(bundle: Bundle | None) -> list[object]:
    return [bundle.cli] if bundle else [sys.executable, "-m", "shopdesk"]


def prepare_home(home: Path, bundle: Bundle | None = None) -> None:
    """A data folder with the demo shop, so the login window comes up (not the wizard)."""
    if (home / "shopdesk.sqlite3").exists():
        return
    home.mkdir(parents=True, exist_ok=True)
    done = run_command([*cli_command(bundle), "demo"], clean_env(home))
    if done.returncode != 0:
        raise RuntimeError(f"demo failed: {done.stdout}\n{done.stderr}")


@dataclass(frozen=True)
class Startup:
    shown: float  # process start -> login window shown (the app's own --startup-probe)
    wall: float  # launch -> process gone, as a seller waits for it
    cpu: float = 0.0  # user + system time of the process (0.0 where not measured)


def _timed(command: Sequence[object], env: dict[str, str]) -> tuple[Startup, str]:
    """Wall and CPU seconds of one run, and its output; a failed run raises."""
    before = _children_cpu()
    started = time.perf_counter()
    done = run_command(command, env)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{command} failed: {done.stdout}\n{done.stderr}")
    return Startup(elapsed, elapsed, _children_cpu() - before), done.stdout


def _children_cpu() -> float:
    try:
        import resource
    except ImportError:  # Windows: no CPU figures
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _startup_once(command: Sequence[object], home: Path) -> Startup:
    timed, out = _timed([*command, "--startup-probe"], clean_env(home))
    probe = [line for line in out.splitlines() if line.startswith("startup-shown ")]
    if not probe:
        raise RuntimeError(f"start-up probe printed nothing: {out}")
    return Startup(float(probe[-1].split()[1]), timed.wall, timed.cpu)


# The demo shop's seller (benchmarks/cli.py prints the same label sheet).
DEMO_SELLER, DEMO_PIN = "kopi", "123456"


def cli_cases(home: Path) -> dict[str, list[str]]:
    labels = ["labels", "print", "--seller", DEMO_SELLER, "--sku", "KOPI-0001"]
    return {
        "--version": ["--version"],
        "--help": ["--help"],
        "labels print": [*labels, "--copies", "24", "-o", str(home / "bench-labels.pdf")],
    }


def _cli_once(command: Sequence[object], home: Path) -> Startup:
    return _timed(command, clean_env(home, SHOPDESK_PIN=DEMO_PIN))[0]


def interleaved(
    once: Callable[[Sequence[object], Path], Startup],
    source: Sequence[object],
    frozen: Sequence[object],
    home: Path,
    runs: int = RUNS,
) -> tuple[Startup, Startup]:
    """From source and frozen in turn, after one warm-up each: the medians of each."""
    taken: tuple[list[Startup], list[Startup]] = ([], [])
    for index in range(runs + 1):
        for kept, command in zip(taken, (source, frozen), strict=True):
            result = once(command, home)
            if index:
                kept.append(result)
    medians = [
        Startup(*(statistics.median(getattr(s, f) for s in k) for f in ("shown", "wall", "cpu")))
        for k in taken
    ]
    return medians[0], medians[1]


def run(report: Callable[..., None]) -> None:
    bundle = build_bundle()
    report("frozen: build time (0 = reused)", bundle.seconds, None, "s")
    report("frozen: folder size", bundle.size_bytes / 1_000_000, None, "MB")
    home = CACHE / "bench-home"
    prepare_home(home, bundle)
    source, frozen = interleaved(_startup_once, gui_command(None), gui_command(bundle), home)
    report(
        "frozen: GUI start to login window shown", frozen.shown, source.shown, "s", goal="<= 1.2x"
    )
    report("frozen: GUI start to exit (wall)", frozen.wall, source.wall, "s")
    if frozen.cpu:
        report("frozen: GUI start to exit (CPU)", frozen.cpu, source.cpu, "s")
    for name, args in cli_cases(home).items():
        commands = [*cli_command(None), *args], [*cli_command(bundle), *args]
        source, frozen = interleaved(_cli_once, *commands, home, runs=CLI_RUNS)
        report(f"frozen: CLI {name} (wall)", frozen.wall, source.wall, "s", goal="<= 1.2x")
        if frozen.cpu:
            report(f"frozen: CLI {name} (CPU)", frozen.cpu, source.cpu, "s", goal="<= 1.2x")
    floor = [sys.executable, "-c", "import shopdesk"]
    commands = floor, [*cli_command(bundle), "--version"]
    imported, frozen = interleaved(_cli_once, *commands, home, runs=CLI_RUNS)
    report("frozen: CLI --version vs import shopdesk", frozen.wall, imported.wall, "s")
