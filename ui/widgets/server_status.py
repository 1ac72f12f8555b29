"""The status bar's word on the cooperative's server: hidden while the data lives on
this PC or the server answers; when the server stops answering (cable pulled, server
PC off) it says so in red, and goes away by itself once the server is back.

The question goes to the server off the GUI thread (``ui.tasks``) every
``EVERY_MS``, since a server that is gone takes seconds to say nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

from shopdesk.i18n import _
from ui.tasks import TaskRunner

EVERY_MS = 15_000


class ServerStatus(QLabel):
    def __init__(self, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.asking = False
        self.setStyleSheet("color: #a23b2a; font-weight: bold;")
        self.setWordWrap(False)
        self.hide()
        self.timer = QTimer(self)
        self.timer.setInterval(EVERY_MS)
        self.timer.timeout.connect(self.check)

    def start(self) -> None:
        self.timer.start()
        self.check()

    def stop(self) -> None:
        self.timer.stop()
        self.hide()

    def check(self) -> None:
        from shopdesk import server_link  # the store's opener: loaded after the login window

        if self.asking or not server_link.where().on_server:
            return
        self.asking = True
        self.tasks.start(
            lambda _ctl: server_link.problem(), on_done=self.show_problem, on_error=self._failed
        )

    def show_problem(self, problem: str) -> None:
        self.asking = False
        if problem:
            self.setText(_("Server not reachable: nothing can be saved until it is back."))
            self.setToolTip(problem)
            self.show()
        else:
            self.hide()

    def _failed(self, exc: BaseException) -> None:
        self.show_problem(str(exc) or type(exc).__name__)
