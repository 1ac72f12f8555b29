"""The restore's work files beside the live database, and what a cut-off restore leaves.

A restore copies the backup's database to ``.restore-XXXX.sqlite3`` in the
data folder (on the live file's drive, so that it can take the live file's
place) and removes it at the end. A kill or a power cut leaves it behind,
perhaps with SQLite's side files (``-journal``); the next start
(``shopdesk.opener``) and ``shopdesk doctor`` remove those.

The files of a restore that still runs are never removed: it holds
``.restore-XXXX.lock`` open for as long as it works, with ``flock`` on Linux
and macOS, and on Windows a file that is open cannot be deleted at all. The
lock is a file of its own so that it never meets SQLite's locks on the database.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from shopdesk.safe_io import storage_error

PREFIX = ".restore-"
SUFFIX = ".sqlite3"
LOCK_SUFFIX = ".lock"

# This process's restores at work: each work file with the handle on its lock.
_mine: dict[Path, int] = {}
_guard = threading.Lock()

if os.name == "nt":  # pragma: no cover - Windows only

    def _hold(fd: int) -> None:
        """Nothing to do: the open lock file cannot be deleted on Windows."""

    @contextlib.contextmanager
    def _claimed(lock: Path) -> Iterator[bool]:
        try:
            os.unlink(lock)  # refused while its restore has it open
        except FileNotFoundError:
            pass
        except OSError:
            yield False
            return
        yield True

else:
    import fcntl

    def _hold(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)

    @contextlib.contextmanager
    def _claimed(lock: Path) -> Iterator[bool]:
        """Whether no restore holds ``lock``. The lock is kept for the block and
        its file goes at the end, so that a restore which has just made it
        waits, then finds it gone and takes another name."""
        try:
            fd = os.open(lock, os.O_RDONLY)
        except FileNotFoundError:
            yield True
            return
        except OSError:
            yield False
            return
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                yield False
                return
            yield True
            with contextlib.suppress(OSError):
                os.unlink(lock)
        finally:
            os.close(fd)


def create(folder: Path) -> Path:
    """A new, empty work file in ``folder``, held until ``remove`` or ``let_go``."""
    while True:
        try:
            fd, lock = tempfile.mkstemp(prefix=PREFIX, suffix=LOCK_SUFFIX, dir=folder)
        except OSError as exc:
            raise storage_error(exc, folder) from exc
        try:
            _hold(fd)  # waits while a cleaner that took it for a leftover removes it
            if os.path.samestat(os.fstat(fd), os.stat(lock)):
                work = Path(lock[: -len(LOCK_SUFFIX)] + SUFFIX)
                os.close(os.open(work, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
                with _guard:
                    _mine[work] = fd
                return work
        except FileNotFoundError:
            pass  # removed between its making and the lock: take another name
        except OSError as exc:
            os.close(fd)
            raise storage_error(exc, folder) from exc
        os.close(fd)


def let_go(work: Path) -> None:
    """Stop holding a work file (before it is renamed: Windows refuses an open one)."""
    with _guard:
        fd = _mine.pop(Path(work), None)
    if fd is not None:
        os.close(fd)


def remove(work: Path) -> None:
    """Remove a work file and its lock at the end of its restore (gone already is fine)."""
    let_go(work)
    for path in (*_files_of(work), _lock_of(work)):
        with contextlib.suppress(OSError):
            path.unlink()


def remove_leftovers(folder: Path) -> list[Path]:
    """Remove the files of restores that do not run any more; returns what went."""
    found: dict[Path, list[Path]] = {}
    with contextlib.suppress(OSError):
        for path in sorted(Path(folder).glob(f"{PREFIX}*")):
            found.setdefault(_lock_of(path), []).append(path)
    removed: list[Path] = []
    for lock, group in found.items():
        removed += _remove_group(lock, group)
    return removed


def _lock_of(path: Path) -> Path:
    """The lock of any file of a restore: ``.restore-XXXX`` then ``.lock``."""
    stem = path.name[len(PREFIX) :].split(".", 1)[0]
    return path.with_name(f"{PREFIX}{stem}{LOCK_SUFFIX}")


def _files_of(work: Path) -> list[Path]:
    return [work, *(Path(f"{work}{side}") for side in ("-journal", "-wal", "-shm"))]


def _remove_group(lock: Path, group: list[Path]) -> list[Path]:
    """Remove one restore's files, unless it still runs (then nothing)."""
    with _guard:
        if any(_lock_of(work) == lock for work in _mine):
            return []
    removed: list[Path] = []
    with _claimed(lock) as free:
        if not free:
            return []
        for path in group:
            if path == lock:
                continue  # removed by the claim (last, on Linux and macOS)
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return [*removed, lock] if lock in group else removed
