"""A progress bar with a text and a Cancel button for one background task at a time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from shopdesk.i18n import _
from ui.context import AppContext
from ui.tasks import Task, TaskControl


def run_owned(
    ctx: AppContext,
    owner: QObject,
    work: Callable[[TaskControl], Any],
    *,
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    on_cancelled: Callable[[], None] | None = None,
) -> Task:
    """``ctx.tasks.start`` for work that belongs to one page or dialog.

    The seller may lock the app or switch seller while it runs: the shell then
    destroys the page (and its context). The task is cancelled, and its answer,
    arriving later, is dropped instead of reaching widgets that no longer exist.
    """

    def alive(fn):
        if fn is None:
            return None

        def call(*args):
            if shiboken6.isValid(owner):
                fn(*args)

        return call

    error = on_error or (lambda exc: ctx.show_error(exc, owner))
    task = ctx.tasks.start(
        work, on_done=alive(on_done), on_error=alive(error), on_cancelled=alive(on_cancelled)
    )
    owner.destroyed.connect(lambda *_a: shiboken6.isValid(task) and task.cancel())
    return task


class TaskBar(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.task: Task | None = None
        self.text = QLabel()
        self.bar = QProgressBar()
        self.bar.setMinimumWidth(220)
        self.bar.setTextVisible(True)
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.setShortcut("Esc")
        self.cancel_button.clicked.connect(self.cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.bar, 2)
        layout.addWidget(self.cancel_button)
        self.setVisible(False)

    def attach(self, task: Task, text: str, *, cancellable: bool = True) -> Task:
        """Show ``task`` running; ``cancellable=False`` for work that must not be left
        halfway in the seller's mind (one transaction: it commits or not)."""
        self.task = task
        self.text.setText(text)
        self.bar.setRange(0, 0)  # busy until the first progress report
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText(_("Cancel"))
        self.cancel_button.setVisible(cancellable)
        task.progress.connect(self._progress)
        task.finished.connect(lambda t=task: shiboken6.isValid(self) and self._finished(t))
        self.setVisible(True)
        return task

    @property
    def busy(self) -> bool:
        return self.task is not None

    def _progress(self, done: int, total: int, text: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        if text:
            self.text.setText(text)

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self.cancel_button.setText(_("Cancelling…"))

    def _finished(self, task: Task) -> None:
        if task is not self.task:  # a newer task took the bar over in ``on_done``
            return
        self.task = None
        self.setVisible(False)
