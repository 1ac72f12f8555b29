"""One writing ShopDesk app per data folder.

The lock is a file in the data folder (``shopdesk.lock``) held with an OS
advisory lock: ``fcntl.flock`` on POSIX, ``msvcrt.locking`` on Windows. The
OS releases it when the process ends in any way, kill -9 and power cut
included, so a stale lock is simply taken over by the next start: nothing to
clean up. The file also holds who has it (pid, computer, time) for the message
shown to the second window. Fast user switching on Windows can run two
sessions at once; the file in the data folder covers that too.

The GUI calls ``acquire()`` at start and keeps the lock until it quits. The
CLI may write while the GUI runs (IMMEDIATE transactions make that safe); only
a full restore takes the lock (``hold``), because it replaces the file.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from shopdesk import paths
from shopdesk.clock import utcnow
from shopdesk.errors import ShopDeskError
from shopdesk.i18n import _

LOCK_NAME = "shopdesk.lock"
_LOCK_OFFSET = 1 << 20  # Windows locks a byte range; lock one past the text we write

_held: dict[Path, InstanceLock] = {}
_guard = threading.Lock()


class AlreadyRunningError(ShopDeskError):
    exit_code = 9

    def __init__(self, message: str, *, owner: dict[str, object]) -> None:
        super().__init__(message)
        self.owner = owner


class InstanceLock:
    """An acquired lock; ``release()`` (or process exit) frees it."""

    def __init__(self, path: Path, handle: BinaryIO) -> None:
        self.path = path
        self._handle: BinaryIO | None = handle

    @property
    def held(self) -> bool:
        return self._handle is not None

    def release(self) -> None:
        with _guard:
            handle, self._handle = self._handle, None
            if _held.get(self.path.parent) is self:
                del _held[self.path.parent]
        if handle is not None:
            with contextlib.suppress(OSError):
                _unlock(handle)
            # Closing flushes the owner's text again, which a full disk refuses;
            # the OS lock goes with the handle all the same.
            with contextlib.suppress(OSError):
                handle.close()

    def __enter__(self) -> InstanceLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(handle: BinaryIO) -> bool:
        handle.seek(_LOCK_OFFSET)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle: BinaryIO) -> None:
        handle.seek(_LOCK_OFFSET)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: BinaryIO) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(handle: BinaryIO) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def read_owner(folder: Path | None = None) -> dict[str, object]:
    """Who holds (or last held) the lock: pid, host, since. Empty if unknown."""
    path = Path(folder or paths.data_dir()) / LOCK_NAME
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip("\x00 \n")
        data = json.loads(text.splitlines()[0]) if text else {}
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError, IndexError):
        return {}


def in_use(folder: Path | None = None) -> bool:
    """Whether a ShopDesk process holds the lock of a data folder, found without
    writing anything (``shopdesk doctor`` asks)."""
    folder = Path(folder or paths.data_dir()).resolve()
    with _guard:
        if folder in _held:
            return True
    try:
        handle = open(folder / LOCK_NAME, "rb")  # noqa: SIM115 (closed below)
    except OSError:
        return False  # no lock file (or none to read): nobody holds it
    with handle:
        if not _try_lock(handle):
            return True
        with contextlib.suppress(OSError):
            _unlock(handle)
    return False


def acquire(folder: Path | None = None, *, what: str = "app") -> InstanceLock:
    """Take the lock of a data folder or raise ``AlreadyRunningError``."""
    folder = Path(folder or paths.ensure_data_dir()).resolve()
    with _guard:
        if folder in _held:
            raise _already(folder, read_owner(folder))
        path = folder / LOCK_NAME
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handle = open(path, "a+b")  # noqa: SIM115 (kept open while the lock is held)
        except OSError as exc:
            from shopdesk.safe_io import storage_error  # only on failure: keeps start-up light

            raise storage_error(exc, path) from exc
        if not _try_lock(handle):
            handle.close()
            raise _already(folder, read_owner(folder))
        owner = {
            "pid": os.getpid(),
            "host": _host_name(),
            "since": utcnow().isoformat(timespec="seconds") + "Z",
            "what": what,
        }
        # The lock is what matters; the owner's text only improves the message.
        with contextlib.suppress(OSError):
            handle.seek(0)
            handle.truncate(0)
            handle.write((json.dumps(owner) + "\n").encode("utf-8"))
            handle.flush()
        lock = InstanceLock(path, handle)
        _held[folder] = lock
        return lock


@contextlib.contextmanager
def hold(folder: Path | None = None, *, what: str = "restore") -> Iterator[None]:
    """Hold the lock for a block; fine when this process already holds it (the GUI)."""
    folder = Path(folder or paths.ensure_data_dir()).resolve()
    if folder in _held:
        yield
        return
    lock = acquire(folder, what=what)
    try:
        yield
    finally:
        lock.release()


def _already(folder: Path, owner: dict[str, object]) -> AlreadyRunningError:
    if owner.get("pid"):
        message = _(
            "ShopDesk is already open for this data folder (process {pid} on {host}, since "
            "{since} UTC). Switch to that window, or close it and try again."
        ).format(
            pid=owner.get("pid"),
            host=owner.get("host", "?"),
            since=str(owner.get("since", "?")).replace("T", " ").rstrip("Z"),
        )
    else:
        message = _(
            "ShopDesk is already open for this data folder. "
            "Switch to that window, or close it and try again."
        )
    return AlreadyRunningError(message, owner=owner)


def _host_name() -> str:
    """This computer's name for the second window's message; ``socket`` (~3 ms) only off POSIX."""
    if hasattr(os, "uname"):
        return os.uname().nodename  # what socket.gethostname() returns on POSIX
    import socket

    return socket.gethostname()
