"""The one helper that runs work off the GUI thread.

Usage from a page::

    def work(ctl: TaskControl):
        return export.build_bundle(session, target=..., progress=ctl.progress,
                                   cancelled=ctl.is_cancelled)

    task = ctx.tasks.start(work, on_done=self._done, on_error=self._failed,
                           on_progress=self._bar_update)
    cancel_button.clicked.connect(task.cancel)

Contract:
- ``work`` runs in a pool thread and receives a ``TaskControl``: ``progress(done, total, text="")``
  reports back to the GUI thread, ``is_cancelled()`` is the flag to pass to the core function
  (or ``check()`` that raises ``Cancelled``).
- Every callback (``on_done(result)``, ``on_error(exc)``, ``on_progress(done, total, text)``,
  ``on_cancelled()``) runs on the GUI thread, through Qt's queued signals.
- A worker opens its own database connection (peewee keeps one per thread) and closes it when
  the work ends, so pool threads never keep a file handle open.
- Uncaught exceptions that are not ``ShopDeskError`` are written to the log before ``on_error``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

from shopdesk.errors import ShopDeskError


class Cancelled(Exception):
    """Raised by ``TaskControl.check()`` when the user pressed cancel."""


class TaskControl:
    """Handed to the work function: progress out, cancel flag in (thread-safe)."""

    def __init__(self, task: Task) -> None:
        self._task = task
        self._flag = threading.Event()

    def progress(self, done: int, total: int = 0, text: str = "") -> None:
        self._task.report_progress(int(done), int(total), str(text))

    def is_cancelled(self) -> bool:
        return self._flag.is_set()

    def check(self) -> None:
        if self._flag.is_set():
            raise Cancelled()

    def cancel(self) -> None:
        self._flag.set()


class Task(QObject):
    """One piece of background work; its signals arrive on the GUI thread."""

    progress = Signal(int, int, str)
    done = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    finished = Signal()  # after done, failed or cancelled

    # Emitted from the pool thread; relayed by slots of this GUI-thread object so
    # that even lambdas connected to the public signals run on the GUI thread.
    _w_progress = Signal(int, int, str)
    _w_end = Signal(str, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.control = TaskControl(self)
        self.running = True
        self._w_progress.connect(self._relay_progress, Qt.ConnectionType.QueuedConnection)
        self._w_end.connect(self._relay_end, Qt.ConnectionType.QueuedConnection)

    @Slot(int, int, str)
    def _relay_progress(self, done: int, total: int, text: str) -> None:
        if self.running and not self.control.is_cancelled():
            self.progress.emit(done, total, text)

    @Slot(str, object)
    def _relay_end(self, kind: str, value: object) -> None:
        self.running = False
        if kind == "done":
            self.done.emit(value)
        elif kind == "failed":
            self.failed.emit(value)
        else:
            self.cancelled.emit()
        self.finished.emit()

    def cancel(self) -> None:
        self.control.cancel()

    def report_progress(self, done: int, total: int, text: str) -> None:  # pool thread
        self._w_progress.emit(done, total, text)

    def end(self, kind: str, value: object) -> None:  # pool thread
        self._w_end.emit(kind, value)


class _Runnable(QRunnable):
    def __init__(self, task: Task, work: Callable[[TaskControl], Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._task = task
        self._work = work

    def run(self) -> None:  # pool thread
        task = self._task
        stopped = task.control.is_cancelled
        try:
            with _thread_connection():
                result = self._work(task.control)
        except Cancelled:
            task.end("cancelled", None)
        except ShopDeskError as exc:
            task.end("cancelled" if stopped() else "failed", exc)
        except Exception as exc:  # a bug: log it, then tell the GUI
            from shopdesk.logging_setup import log_exception

            log_exception("background task")
            task.end("failed", exc)
        else:
            task.end("cancelled" if stopped() else "done", result)


class _thread_connection:
    """Open this thread's own connection to the app database and close it after."""

    def __enter__(self) -> None:
        from shopdesk import store

        self._db = store.database.obj
        if self._db is not None:
            self._db.connect(reuse_if_open=True)

    def __exit__(self, *exc: object) -> None:
        if self._db is not None and not self._db.is_closed():
            self._db.close()


class TaskRunner(QObject):
    """Starts ``Task``s on a private thread pool and keeps them alive until they end.

    Give it a parent that outlives the work (the main window owns the app's runner)."""

    def __init__(self, parent: QObject | None = None, *, max_threads: int = 2) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._tasks: set[Task] = set()

    def start(
        self,
        work: Callable[[TaskControl], Any],
        *,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
    ) -> Task:
        task = Task(self)
        if on_done:
            task.done.connect(on_done)
        if on_error:
            task.failed.connect(on_error)
        if on_progress:
            task.progress.connect(on_progress)
        if on_cancelled:
            task.cancelled.connect(on_cancelled)
        self._tasks.add(task)
        task.finished.connect(lambda: self._forget(task))
        self._pool.start(_Runnable(task, work))
        return task

    def _forget(self, task: Task) -> None:
        self._tasks.discard(task)
        task.deleteLater()

    def active(self) -> int:
        return len(self._tasks)

    def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()

    def wait(self, msecs: int = -1) -> bool:
        """Block until every task ended (used at shutdown and in tests)."""
        return self._pool.waitForDone(msecs)
