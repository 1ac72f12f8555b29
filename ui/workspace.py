"""The seller's workspace: sidebar navigation and the pages, built for one session.

Imported when a seller logs in (not at start-up, to keep the login window fast).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from shopdesk.i18n import _
from ui.context import AppContext
from ui.pages.audit import AuditPage
from ui.pages.backups import BackupsPage
from ui.pages.base import Page
from ui.pages.debts import DebtsPage
from ui.pages.export import ExportPage
from ui.pages.home import HomePage
from ui.pages.labels import LabelsPage
from ui.pages.orders import OrdersPage
from ui.pages.products import ProductsPage
from ui.pages.sales import SalesPage
from ui.pages.settings import SettingsPage
from ui.pages.stock import StockPage
from ui.widgets.icons import painted_icon


@dataclass(frozen=True)
class PageSpec:
    key: str  # also the name of its painted icon (ui.widgets.icons)
    cls: type[Page]


PAGE_SPECS = (
    PageSpec("home", HomePage),
    PageSpec("products", ProductsPage),
    PageSpec("stock", StockPage),
    PageSpec("sales", SalesPage),
    PageSpec("orders", OrdersPage),
    PageSpec("debts", DebtsPage),
    PageSpec("labels", LabelsPage),
    PageSpec("export", ExportPage),
    PageSpec("backups", BackupsPage),
    PageSpec("audit", AuditPage),
    PageSpec("settings", SettingsPage),  # last, as on most desktops; no digit is left
)


def page_shortcut(number: int) -> str:
    """Ctrl+1 ... Ctrl+9 for the first nine pages and Ctrl+0 for the tenth, as the
    digit row runs on the keyboard; none after that."""
    return f"Ctrl+{number % 10}" if number <= 10 else ""


def page_scroll(page: Page) -> QScrollArea:
    """``page`` in a scroll area that gives it all the room there is and scrolls only when
    the window is smaller than the page's least size (1366x768 at 125 %: 1093x614 minus
    the taskbar), so nothing is ever cut off and the window never outgrows the screen."""
    scroll = QScrollArea()
    scroll.setObjectName("pageScroll")
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setStyleSheet(
        "QScrollArea#pageScroll, QScrollArea#pageScroll > QWidget > QWidget "
        "{ background: transparent; }"
    )
    scroll.setWidget(page)
    return scroll


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
        self.sidebar.setIconSize(QSize(22, 22))
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
            item = QListWidgetItem(painted_icon(spec.key), _(spec.cls.title))
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            item.setToolTip(page_shortcut(number))
            self.sidebar.addItem(item)
        self.sidebar.currentRowChanged.connect(self._row_changed)
        ctx.navigate_requested.connect(self.open_page)
        ctx.changed.connect(self._changed)

        for number, spec in enumerate(self.specs, start=1):
            if not page_shortcut(number):
                continue
            action = QAction(self)
            action.setShortcut(QKeySequence(page_shortcut(number)))
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

    def _changed(self, topics: tuple[str, ...]) -> None:
        if "shop" in topics:  # the shop's name may have changed in Pengaturan
            who = self.ctx.session
            self.seller_label.setText(
                _("{seller} · {shop}").format(seller=who.display_name, shop=who.shop_name)
            )

    def page(self, key: str) -> Page:
        """The page for ``key``, built on first use."""
        if key not in self.pages:
            spec = next(s for s in self.specs if s.key == key)
            page = spec.cls(self.ctx)
            self.pages[key] = page
            self.stack.addWidget(page_scroll(page))
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
        self.stack.setCurrentWidget(page.parentWidget().parentWidget())  # its scroll area
        self.title.setText(page.page_title())
        focus = page.primary_widget()
        if focus is not None:
            focus.setFocus()

    def current_page(self) -> Page | None:
        scroll = self.stack.currentWidget()
        widget = scroll.widget() if isinstance(scroll, QScrollArea) else None
        return widget if isinstance(widget, Page) else None

    def refresh_current(self) -> None:
        page = self.current_page()
        if page is not None:
            page.mark_stale()
