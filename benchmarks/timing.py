"""Timing helpers shared by the benchmarks: interleaved runs, medians, p95."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Mapping, Sequence


def interleaved(runs: int, *works: Callable[[], object], warm: bool = True) -> list[list[float]]:
    """Seconds of each work per run, taken in turn (a, b, a, b, ...) after one warm-up each,
    so that a busy moment on a shared machine hits the figure and its floor alike."""
    if warm:
        for work in works:
            work()
    times: list[list[float]] = [[] for _ in works]
    for _run in range(runs):
        for index, work in enumerate(works):
            started = time.perf_counter()
            work()
            times[index].append(time.perf_counter() - started)
    return times


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def p95(values: Sequence[float]) -> float:
    """The 95th percentile, nearest rank: with 20 runs, the second slowest."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def ms(values: Sequence[float]) -> list[float]:
    return [v * 1000 for v in values]


def bytecode_env(env: Mapping[str, str]) -> dict[str, str]:
    """The environment for a measured Python process that keeps its compiled modules.

    Where ``PYTHONDONTWRITEBYTECODE=1`` is set (some dev containers), every run from
    source would compile ShopDesk's modules again, a cost neither an installed app nor
    the frozen build pays: the warm-up run writes the ``.pyc`` files the others read.
    """
    return {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
