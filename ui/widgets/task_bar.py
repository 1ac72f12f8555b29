"""A progress bar with a text and a Cancel button for one background task at a time."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from shopdesk.i18n import _
from ui.tasks import Task


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

    def attach(self, task: Task, text: str) -> Task:
        self.task = task
        self.text.setText(text)
        self.bar.setRange(0, 0)  # busy until the first progress report
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText(_("Cancel"))
        task.progress.connect(self._progress)
        task.finished.connect(lambda t=task: self._finished(t))
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
