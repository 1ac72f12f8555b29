"""The operator's "Data location" tab: where this PC's data lives (its own file or a
cooperative's server), and connecting, testing and disconnecting a server.

It only calls ``shopdesk.server_link``; the tests and the switch run off the GUI
thread (``ui.tasks``), since a server that does not answer takes seconds to say
so. ``switched`` fires after the data moved to another place: the start screen
then reloads its sellers. The password field is never filled back in.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shopdesk import server_link
from shopdesk.i18n import _
from ui.errors import show_error
from ui.tasks import TaskRunner
from ui.widgets.ask import ask
from ui.widgets.feedback import BusyStrip

EXAMPLE_URL = "postgresql://toko@192.168.1.10:5432/shopdesk"


def place_text(status: server_link.Status) -> str:
    """Where the data lives, in the operator's words."""
    if status.on_server:
        return _("On the cooperative's server {place}").format(place=status.place)
    return _("On this PC: {path}").format(path=status.place)


class ServerTab(QWidget):
    switched = Signal()  # the data now lives somewhere else

    def __init__(self, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.task = None
        self.place = QLabel()
        self.place.setWordWrap(True)
        self.place.setObjectName("title")
        self.url = QLineEdit()
        self.url.setPlaceholderText(EXAMPLE_URL)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(_("empty: from PostgreSQL's password file"))
        self.test_button = QPushButton(_("Test the connection"))
        self.connect_button = QPushButton(_("Connect this PC"))
        self.connect_button.setProperty("primary", True)
        self.disconnect_button = QPushButton(_("Back to this PC's own file"))
        self.test_button.clicked.connect(self.test)
        self.connect_button.clicked.connect(self.connect_server)
        self.disconnect_button.clicked.connect(self.disconnect_server)
        self.strip = BusyStrip()
        layout = QVBoxLayout(self)
        layout.addWidget(self._where_box())
        layout.addWidget(self._server_box())
        layout.addStretch(1)
        layout.addWidget(self.strip)
        self.show_place()

    def _where_box(self) -> QGroupBox:
        box = QGroupBox(_("Where the data lives"))
        column = QVBoxLayout(box)
        column.addWidget(self.place)
        column.addWidget(self.disconnect_button)
        return box

    def _server_box(self) -> QGroupBox:
        box = QGroupBox(_("A cooperative's server (several PCs, one set of shops)"))
        form = QFormLayout(box)
        hint = QLabel(
            _(
                "Install PostgreSQL on the server PC and make a user and a database first "
                "(README, “Beberapa PC”). Move this PC's shops in with “shopdesk server "
                "move-in” before the other PCs connect."
            )
        )
        hint.setWordWrap(True)
        form.addRow(hint)
        form.addRow(_("Server"), self.url)
        form.addRow(_("Password"), self.password)
        buttons = QHBoxLayout()
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.connect_button)
        buttons.addStretch(1)
        form.addRow(buttons)
        return box

    def show_place(self) -> None:
        status = server_link.where()
        self.place.setText(place_text(status))
        self.disconnect_button.setVisible(status.on_server and not status.from_environment)

    def _secret(self) -> str | None:
        return self.password.text() or None

    def test(self) -> None:
        url, secret = self.url.text(), self._secret()
        self._run(
            lambda: server_link.test(url, secret),
            lambda version: _("The server answers: PostgreSQL {version}.").format(version=version),
        )

    def connect_server(self) -> None:
        url, secret = self.url.text(), self._secret()
        self._run(
            lambda: server_link.connect(url, secret),
            lambda status: place_text(status),
            switched=True,
        )

    def disconnect_server(self) -> None:
        if not ask(
            self,
            _("Data location"),
            _("Use this PC's own file again? The server keeps its data; this PC stops using it."),
            _("Use this PC's file"),
        ):
            return
        self._run(server_link.disconnect, lambda path: place_text(server_link.where()), True)

    def _run(self, work, done_text, switched: bool = False) -> None:
        self._busy(True)

        def done(result) -> None:
            self._busy(False)
            self.password.clear()
            self.strip.message.setText(done_text(result))
            self.show_place()
            if switched:
                self.switched.emit()

        def failed(exc: BaseException) -> None:
            self._busy(False)
            self.strip.message.setText("")
            self.show_place()
            show_error(exc, self)

        self.task = self.tasks.start(lambda _ctl: work(), on_done=done, on_error=failed)

    def _busy(self, busy: bool) -> None:
        if not busy:
            self.task = None
        self.strip.show_busy(busy, _("Working… please wait until it is finished."))
        for button in (self.test_button, self.connect_button, self.disconnect_button):
            button.setEnabled(not busy)
