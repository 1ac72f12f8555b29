"""The thin shell: start screen or workspace, sidebar navigation, status bar, idle lock.

A workspace (sidebar + pages) is built for one logged-in seller and thrown away on lock or
"Ganti penjual", so no page can ever show the previous seller's data.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMainWindow, QStackedWidget

from shopdesk import APP_NAME
from shopdesk.i18n import _
from ui.language import install_language
from ui.local_settings import ui_settings
from ui.start import StartScreen
from ui.tasks import TaskRunner
from ui.widgets.server_status import ServerStatus

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QCloseEvent

    from shopdesk.profiles import Session
    from shopdesk.store.glance import Seat
    from ui.context import AppContext
    from ui.workspace import Workspace


class IdleWatcher(QObject):
    """Any key or mouse input restarts the timer; when it runs out, ``idle`` fires."""

    idle = Signal()
    _input: frozenset = frozenset()  # QEvent types, filled at the first start() (QEvent: ~2 ms)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.idle.emit)

    def start(self, minutes: float) -> None:
        if not self._input:
            from PySide6.QtCore import QEvent

            IdleWatcher._input = frozenset(
                {
                    QEvent.Type.KeyPress,
                    QEvent.Type.MouseButtonPress,
                    QEvent.Type.MouseMove,
                    QEvent.Type.Wheel,
                    QEvent.Type.TouchBegin,
                }
            )
        self.timer.setInterval(max(int(float(minutes) * 60_000), 50))
        self.timer.start()
        QApplication.instance().installEventFilter(self)

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def poke(self) -> None:
        if self.timer.isActive():
            self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt name
        if event.type() in self._input:
            self.poke()
        return False


class MainWindow(QMainWindow):
    """Start screen first; after a login, the seller's workspace."""

    session_started = Signal(object)
    locked = Signal()

    def __init__(self, tasks: TaskRunner | None = None) -> None:
        super().__init__()
        self.setWindowTitle(APP_NAME)
        self.resize(1280, 720)
        self.setMinimumSize(1000, 600)
        self.tasks = tasks or TaskRunner(self)
        self.start = StartScreen()
        self.stack = CurrentStack()
        self.stack.addWidget(self.start)
        self.setCentralWidget(self.stack)
        self.workspace: Workspace | None = None  # built per login
        self.ctx: AppContext | None = None
        self.idle = IdleWatcher(self)
        self.idle.idle.connect(self.idle_lock)
        self.start.logged_in.connect(self.open_session)
        self.status_seller = QLabel()
        self.status_listings = QLabel()
        self.status_server = ServerStatus(self.tasks)
        self.statusBar().addWidget(self.status_seller, 1)
        self.statusBar().addPermanentWidget(self.status_server)
        self.statusBar().addPermanentWidget(self.status_listings)
        self.statusBar().hide()

    def show_start(self, sellers: Sequence[Seat] | None = None) -> None:
        """The picker, with ``sellers`` when they were read before the database was opened
        (``store.glance``); else from ``profiles``."""
        self.start.show_picker(sellers)
        self.stack.setCurrentWidget(self.start)

    def open_session(self, session: Session) -> None:
        from shopdesk import i18n, settings

        if session.language and session.language != i18n.get_language():
            install_language(session.language)
        from shopdesk import store
        from ui.context import AppContext

        # One seller at a time: on a server, no other shop's row is even visible.
        store.set_shop_scope(session.shop_id)

        self.ctx = AppContext(session, self.tasks, self)
        self.ctx.activity_seen.connect(self.idle.poke)
        self.ctx.changed.connect(self._data_changed)
        self.ctx.rebuild_requested.connect(self.rebuild, Qt.ConnectionType.QueuedConnection)
        from ui.workspace import Workspace

        self.workspace = Workspace(self.ctx)
        self.workspace.switch_requested.connect(self.lock)
        self.stack.addWidget(self.workspace)
        self.stack.setCurrentWidget(self.workspace)
        self.workspace.open_page("home")
        self.statusBar().show()
        self.update_status()
        self.status_server.start()
        self.idle.start(settings.get(None, "idle_lock_minutes") or 5)
        self.session_started.emit(session)

    def rebuild(self, session: Session) -> None:
        """Build the workspace again (after a language change), on the same page."""
        key = "home"
        if self.workspace and self.workspace.current_page():
            current = self.workspace.current_page()
            key = next((k for k, p in self.workspace.pages.items() if p is current), "home")
        self._drop_workspace()
        self.open_session(session)
        if self.workspace:
            self.workspace.open_page(key)

    def idle_lock(self) -> None:
        """The idle time ran out: lock, unless background work (an export, a backup) is
        still running for this seller; then wait another idle period."""
        if self.tasks.active():
            self.idle.timer.start()
            return
        self.lock()

    def lock(self) -> None:
        """Back to the picker; the seller's pages and open dialogs are closed."""
        from shopdesk import settings, store

        self.idle.stop()
        self.tasks.cancel_all()  # results of running work no longer reach the closed pages
        self._close_dialogs()
        self._drop_workspace()
        store.set_shop_scope(None)
        self.status_server.stop()
        install_language(settings.get(None, "language"))
        self.statusBar().hide()
        self.show_start()
        self.locked.emit()

    def _close_dialogs(self) -> None:
        """Close the seller's modal dialogs (editor, questions): their exec() returns."""
        for _attempt in range(20):
            modal = QApplication.activeModalWidget()
            if modal is None or modal is self:
                return
            if isinstance(modal, QDialog):
                modal.reject()
            else:
                modal.close()

    def _drop_workspace(self) -> None:
        if self.workspace is not None:
            self.stack.removeWidget(self.workspace)
            self.workspace.deleteLater()
            self.workspace = None
        if self.ctx is not None:
            self.ctx.deleteLater()
            self.ctx = None

    def _data_changed(self, topics: tuple[str, ...]) -> None:
        if any(topic in ("exports", "products", "shop", "settings") for topic in topics):
            self.update_status()

    def update_status(self) -> None:
        if self.ctx is None:
            return
        s = self.ctx.session
        self.status_seller.setText(
            _("Seller: {seller}   Shop: {shop}").format(seller=s.display_name, shop=s.shop_name)
        )
        self.tasks.start(
            lambda _ctl: listings_waiting(s), on_done=self._show_waiting, on_error=lambda _e: None
        )

    def _show_waiting(self, count: int) -> None:
        if self.ctx is not None:
            self.status_listings.setText(_("Listings waiting: {count}").format(count=count))

    def show_with_saved_geometry(self) -> None:
        """Where the window was last time (QSettings); maximized the first time, which on
        the usual 1366x768 screen is the only size that shows everything."""
        saved = ui_settings().value("window/geometry")
        if saved is not None and self.restoreGeometry(saved) and self.fits_the_screen():
            self.show()
        else:  # first start, or saved on a bigger screen (a projector, the old PC)
            self.showMaximized()

    def fits_the_screen(self) -> bool:
        screen = self.screen() or QApplication.primaryScreen()
        return screen is None or screen.availableGeometry().contains(self.frameGeometry())

    def closeEvent(self, event: QCloseEvent) -> None:  # Qt name
        ui_settings().setValue("window/geometry", self.saveGeometry())
        self.tasks.cancel_all()
        self.tasks.wait(5000)
        super().closeEvent(event)


class CurrentStack(QStackedWidget):
    """A stack as small as the widget it shows: the PIN pad, kept behind the workspace,
    must not make the working window taller (1366x768 at 125 % has about 560 px)."""

    def __init__(self) -> None:
        super().__init__()
        self.currentChanged.connect(lambda _index: self.updateGeometry())

    def minimumSizeHint(self) -> QSize:  # Qt name
        current = self.currentWidget()
        return current.minimumSizeHint() if current is not None else super().minimumSizeHint()

    def sizeHint(self) -> QSize:  # Qt name
        current = self.currentWidget()
        return current.sizeHint() if current is not None else super().sizeHint()


def listings_waiting(session: Session) -> int:
    from ui import core_bridge

    return core_bridge.listings_waiting(session)
