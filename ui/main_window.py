"""The thin shell: start screen or workspace, sidebar navigation, status bar, idle lock.

A workspace (sidebar + pages) is built for one logged-in seller and thrown away on lock or
"Ganti penjual", so no page can ever show the previous seller's data.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from shopdesk import APP_NAME, settings
from shopdesk.i18n import N_, _
from shopdesk.profiles import Session
from ui.context import AppContext
from ui.pages.base import Page
from ui.start import StartScreen
from ui.tasks import TaskRunner


@dataclass(frozen=True)
class PageSpec:
    key: str
    module: str
    cls: str
    title: str  # N_ id, used when the page module is missing
    icon: QStyle.StandardPixmap


_SP = QStyle.StandardPixmap
PAGE_SPECS = (
    PageSpec("home", "ui.pages.home", "HomePage", N_("Home"), _SP.SP_DirHomeIcon),
    PageSpec(
        "products",
        "ui.pages.products",
        "ProductsPage",
        N_("Products"),
        _SP.SP_FileDialogDetailedView,
    ),
    PageSpec("stock", "ui.pages.stock", "StockPage", N_("Stock"), _SP.SP_DriveHDIcon),
    PageSpec(
        "sales",
        "ui.pages.sales",
        "SalesPage",
        N_("Sales"),
        _SP.SP_DialogApplyButton,
    ),
    PageSpec("labels", "ui.pages.labels", "LabelsPage", N_("Labels"), _SP.SP_FileIcon),
    PageSpec("export", "ui.pages.export", "ExportPage", N_("Export"), _SP.SP_ArrowUp),
    PageSpec(
        "backups",
        "ui.pages.backups",
        "BackupsPage",
        N_("Backups"),
        _SP.SP_DialogSaveButton,
    ),
    PageSpec(
        "settings",
        "ui.pages.settings",
        "SettingsPage",
        N_("Settings"),
        _SP.SP_FileDialogContentsView,
    ),
)


def page_class(spec: PageSpec) -> type[Page] | None:
    """The page class, or None while its module is still being written."""
    try:
        module = importlib.import_module(spec.module)
    except ModuleNotFoundError as exc:
        if exc.name == spec.module:
            return None
        raise
    return getattr(module, spec.cls, None)


class PlaceholderPage(Page):
    """Stands in for a page that is not in this build yet."""

    def __init__(self, ctx: AppContext, title: str) -> None:
        super().__init__(ctx)
        self.title = title
        label = QLabel(_("This page is coming soon."))
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        QVBoxLayout(self).addWidget(label)


class IdleWatcher(QObject):
    """Any key or mouse input restarts the timer; when it runs out, ``idle`` fires."""

    idle = Signal()
    _INPUT = frozenset(
        {
            QEvent.Type.KeyPress,
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseMove,
            QEvent.Type.Wheel,
            QEvent.Type.TouchBegin,
        }
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.idle.emit)

    def start(self, minutes: float) -> None:
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
        if event.type() in self._INPUT:
            self.poke()
        return False


class Workspace(QWidget):
    """Sidebar and pages for one seller."""

    switch_requested = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("workspace")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.pages: dict[str, Page] = {}
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setIconSize(QSize(20, 20))
        self.sidebar.setFixedWidth(190)
        self.stack = QStackedWidget()
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.seller_label = QLabel(
            _("{seller} · {shop}").format(
                seller=ctx.session.display_name, shop=ctx.session.shop_name
            )
        )
        self.seller_label.setObjectName("subtitle")
        self.switch_button = QPushButton(_("Switch seller"))
        self.switch_button.setObjectName("switchSeller")
        self.switch_button.setToolTip(_("Lock and let another seller log in (Ctrl+L)"))
        self.switch_button.clicked.connect(self.switch_requested.emit)

        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.seller_label)
        header.addSpacing(12)
        header.addWidget(self.switch_button)
        right = QVBoxLayout()
        right.setContentsMargins(16, 10, 16, 6)
        right.addLayout(header)
        right.addWidget(self.stack, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.sidebar)
        layout.addLayout(right, 1)

        self.specs = list(PAGE_SPECS)
        for number, spec in enumerate(self.specs, start=1):
            item = QListWidgetItem(self.style().standardIcon(spec.icon), _(spec.title))
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            item.setToolTip(f"Ctrl+{number}")
            self.sidebar.addItem(item)
        self.sidebar.currentRowChanged.connect(self._row_changed)
        ctx.navigate_requested.connect(self.open_page)

        for number, spec in enumerate(self.specs, start=1):
            action = QAction(self)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _c=False, key=spec.key: self.open_page(key))
            self.addAction(action)
        refresh = QAction(self)
        refresh.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        refresh.triggered.connect(self.refresh_current)
        self.addAction(refresh)
        lock = QAction(self)
        lock.setShortcut(QKeySequence("Ctrl+L"))
        lock.triggered.connect(self.switch_requested.emit)
        self.addAction(lock)

    def page(self, key: str) -> Page:
        """The page for ``key``, built on first use."""
        if key not in self.pages:
            spec = next(s for s in self.specs if s.key == key)
            cls = page_class(spec)
            page = cls(self.ctx) if cls else PlaceholderPage(self.ctx, spec.title)
            self.pages[key] = page
            self.stack.addWidget(page)
        return self.pages[key]

    def open_page(self, key: str, item: object = None) -> Page:
        row = next(i for i, s in enumerate(self.specs) if s.key == key)
        if self.sidebar.currentRow() != row:
            self.sidebar.setCurrentRow(row)  # builds and shows it through _row_changed
        page = self.page(key)
        if item is not None:
            page.show_item(item)
        return page

    def _row_changed(self, row: int) -> None:
        if row < 0:
            return
        page = self.page(self.specs[row].key)
        self.stack.setCurrentWidget(page)
        self.title.setText(page.page_title())
        focus = page.primary_widget()
        if focus is not None:
            focus.setFocus()

    def current_page(self) -> Page | None:
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, Page) else None

    def refresh_current(self) -> None:
        page = self.current_page()
        if page is not None:
            page.mark_stale()


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
        self.stack = QStackedWidget()
        self.stack.addWidget(self.start)
        self.setCentralWidget(self.stack)
        self.workspace: Workspace | None = None
        self.ctx: AppContext | None = None
        self.idle = IdleWatcher(self)
        self.idle.idle.connect(self.lock)
        self.start.logged_in.connect(self.open_session)
        self.status_seller = QLabel()
        self.status_listings = QLabel()
        self.statusBar().addWidget(self.status_seller, 1)
        self.statusBar().addPermanentWidget(self.status_listings)
        self.statusBar().hide()

    def show_start(self) -> None:
        self.start.show_picker()
        self.stack.setCurrentWidget(self.start)

    def open_session(self, session: Session) -> None:
        from shopdesk import i18n

        if session.language and session.language != i18n.get_language():
            from ui.app import install_language

            install_language(session.language)
        self.ctx = AppContext(session, self.tasks, self)
        self.ctx.activity_seen.connect(self.idle.poke)
        self.ctx.changed.connect(self._data_changed)
        self.ctx.rebuild_requested.connect(self.rebuild, Qt.ConnectionType.QueuedConnection)
        self.workspace = Workspace(self.ctx)
        self.workspace.switch_requested.connect(self.lock)
        self.stack.addWidget(self.workspace)
        self.stack.setCurrentWidget(self.workspace)
        self.workspace.open_page("home")
        self.statusBar().show()
        self.update_status()
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

    def lock(self) -> None:
        """Back to the picker; the seller's pages are destroyed."""
        self.idle.stop()
        self._drop_workspace()
        from ui.app import install_language

        install_language(settings.get(None, "language"))
        self.statusBar().hide()
        self.show_start()
        self.locked.emit()

    def _drop_workspace(self) -> None:
        if self.workspace is not None:
            self.stack.removeWidget(self.workspace)
            self.workspace.deleteLater()
            self.workspace = None
        if self.ctx is not None:
            self.ctx.deleteLater()
            self.ctx = None

    def _data_changed(self, topic: str) -> None:
        if topic in ("exports", "products", "shop", "settings"):
            self.update_status()

    def update_status(self) -> None:
        if self.ctx is None:
            return
        s = self.ctx.session
        self.status_seller.setText(
            _("Seller: {seller}   Shop: {shop}").format(seller=s.display_name, shop=s.shop_name)
        )
        waiting = listings_waiting(s)
        self.status_listings.setText(
            "" if waiting is None else _("Listings waiting: {count}").format(count=waiting)
        )

    def closeEvent(self, event: QCloseEvent) -> None:  # Qt name
        self.tasks.cancel_all()
        self.tasks.wait(5000)
        super().closeEvent(event)


def listings_waiting(session: Session) -> int | None:
    """Products whose listing changed since the last bundle (None until the core offers it)."""
    from ui import core_bridge

    return core_bridge.listings_waiting(session)
