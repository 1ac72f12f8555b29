"""The operator's dialog: sellers (disable, enable, add), backups of the whole PC, the
PC's activity log (every shop's entries, read-only), and where the data lives (this
PC's file or a cooperative's server, ``ui.dialogs.server_tab``).

Opened from the start screen after the operator password. It only calls the core
(``shopdesk.profiles`` and ``shopdesk.backup``); backups and restores run off the GUI
thread through ``ui.tasks``. ``pc_changed`` fires after a whole-PC restore, so the
start screen reloads its sellers (the restored file may have other ones).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from shopdesk import backup, profiles
from shopdesk.backup.archive import FULL, BackupInfo
from shopdesk.i18n import _
from shopdesk.profiles import OperatorSession
from ui.dialogs.server_tab import ServerTab
from ui.errors import show_error
from ui.tasks import TaskRunner
from ui.widgets.ask import ask
from ui.widgets.audit_view import AuditView
from ui.widgets.backup_list import BackupTable
from ui.widgets.drives import fill_stick_menu
from ui.widgets.feedback import BusyStrip, read_only_table
from ui.widgets.files import choose_folder, choose_open_file

DISABLED_COLOR = QColor("#a23b2a")


def _fit_columns(table: QTableWidget) -> None:
    """Columns as wide as their text plus some air (the stretched one takes the rest)."""
    header = table.horizontalHeader()
    for column in range(table.columnCount()):
        if header.sectionResizeMode(column) != QHeaderView.ResizeMode.Stretch:
            width = max(table.sizeHintForColumn(column), header.sectionSizeHint(column))
            header.resizeSection(column, width + 16)


def _button_column(*buttons: QPushButton) -> QVBoxLayout:
    column = QVBoxLayout()
    for button in buttons:
        column.addWidget(button)
    column.addStretch(1)
    return column


class OperatorDialog(QDialog):
    """Sellers of this PC and backups of the whole PC, for the logged-in operator."""

    pc_changed = Signal()  # a whole-PC restore replaced the data: reload the sellers

    def __init__(
        self, op: OperatorSession, tasks: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Manage this PC (operator)"))
        self.setMinimumSize(900, 620)
        self.op = op
        self.tasks = tasks
        self.task = None
        self.sellers_changed = False  # the start screen reloads its picker when True
        intro = QLabel(
            _(
                "The operator looks after the sellers of this PC and the backups of the whole "
                "PC. No shop's products or sales are shown here."
            )
        )
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self._tabs(), 1)
        self._same_width(
            self.disable_button,
            self.enable_button,
            self.add_button,
            self.make_button,
            self.usb_button,
            self.restore_button,
            self.restore_file_button,
        )
        self.strip = BusyStrip()
        self.message = self.strip.message
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        self.close_button = close.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setText(_("Close"))
        layout.addWidget(self.strip)
        layout.addWidget(close)
        self.load_sellers()
        self.load_backups()

    # --- layout ---------------------------------------------------------------------

    def _tabs(self) -> QTabWidget:
        """Sellers and backups on the first tab, the PC's activity log on the second."""
        manage = QWidget()
        column = QVBoxLayout(manage)
        column.addWidget(self._sellers_box(), 1)
        column.addWidget(self._backups_box(), 1)
        self.activity = AuditView(self.op, today=date.today())  # the PC's own calendar
        self.tabs = QTabWidget()
        self.tabs.addTab(manage, _("Sellers and backups"))
        self.tabs.addTab(self.activity, _("Activity log"))
        self.server_tab = ServerTab(self.tasks)
        self.server_tab.switched.connect(self._data_moved)
        self.tabs.addTab(self.server_tab, _("Data location"))
        self.tabs.currentChanged.connect(self._tab_shown)
        return self.tabs

    def _data_moved(self) -> None:
        """The data lives somewhere else now: other sellers, another operator. The
        start screen reloads; this dialog's operator login no longer holds."""
        self.pc_changed.emit()
        self.accept()

    def _tab_shown(self, index: int) -> None:
        if self.tabs.widget(index) is self.activity:
            self.activity.show_entries()

    def _sellers_box(self) -> QGroupBox:
        box = QGroupBox(_("Sellers"))
        headers = [_("Seller"), _("Login name"), _("Shop"), _("Status")]
        self.sellers = read_only_table(QTableWidget(), headers, 2)
        self.sellers.itemSelectionChanged.connect(self._seller_buttons)
        self.disable_button = QPushButton(_("Disable seller…"))
        self.disable_button.clicked.connect(self.disable_selected)
        self.enable_button = QPushButton(_("Enable seller"))
        self.enable_button.clicked.connect(self.enable_selected)
        self.add_button = QPushButton(_("Add a seller…"))
        self.add_button.clicked.connect(self.add_seller)
        note = QLabel(_("A disabled seller cannot log in. Their shop's data stays on this PC."))
        note.setWordWrap(True)
        note.setObjectName("subtitle")
        row = QHBoxLayout()
        row.addWidget(self.sellers, 1)
        row.addLayout(_button_column(self.disable_button, self.enable_button, self.add_button))
        column = QVBoxLayout(box)
        column.addLayout(row)
        column.addWidget(note)
        return box

    def _backups_box(self) -> QGroupBox:
        box = QGroupBox(_("Backups of the whole PC"))
        self.backups = BackupTable(path_tips=True)
        self.backups.itemSelectionChanged.connect(self._backup_buttons)
        self.make_button = QPushButton(_("Make a backup now"))
        self.make_button.setProperty("primary", True)
        self.make_button.clicked.connect(lambda: self.make_backup())
        self.usb_button = QPushButton(_("Backup to a USB stick…"))
        self.usb_menu = QMenu(self.usb_button)
        self.usb_menu.aboutToShow.connect(self._fill_sticks)
        self.usb_button.setMenu(self.usb_menu)
        self.restore_button = QPushButton(_("Restore the chosen backup…"))
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_file_button = QPushButton(_("Restore from a file…"))
        self.restore_file_button.clicked.connect(self.restore_from_file)
        note = QLabel(
            _(
                "A whole-PC backup holds every shop, seller and PIN. Restoring one puts all of "
                "them back as they were; a safety backup of the current state is made first."
            )
        )
        note.setWordWrap(True)
        note.setObjectName("subtitle")
        row = QHBoxLayout()
        row.addWidget(self.backups, 1)
        row.addLayout(
            _button_column(
                self.make_button, self.usb_button, self.restore_button, self.restore_file_button
            )
        )
        column = QVBoxLayout(box)
        column.addLayout(row)
        column.addWidget(note)
        return box

    @staticmethod
    def _same_width(*buttons: QPushButton) -> None:
        """Both button columns line up, whatever the language makes the longest label."""
        width = max(button.sizeHint().width() for button in buttons)
        for button in buttons:
            button.setMinimumWidth(width)

    # --- sellers --------------------------------------------------------------------

    def load_sellers(self) -> None:
        keep = self.selected_login()
        rows = profiles.list_profiles(include_disabled=True)
        self.sellers.setRowCount(len(rows))
        for r, profile in enumerate(rows):
            status = _("disabled") if profile.disabled else _("active")
            cells = [profile.display_name, profile.login, profile.shop_name, status]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, profile.login)
                if profile.disabled:
                    item.setForeground(DISABLED_COLOR)
                self.sellers.setItem(r, c, item)
            if profile.login == keep:
                self.sellers.selectRow(r)
        if rows and self.sellers.currentRow() < 0:
            self.sellers.selectRow(0)
        _fit_columns(self.sellers)
        self._seller_buttons()

    def selected_login(self) -> str | None:
        row = self.sellers.currentRow()
        item = self.sellers.item(row, 0) if row >= 0 else None
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _selected_profile(self) -> profiles.SellerProfile | None:
        login = self.selected_login()
        found = [p for p in profiles.list_profiles(include_disabled=True) if p.login == login]
        return found[0] if found else None

    def _seller_buttons(self) -> None:
        row = self.sellers.currentRow()
        status = self.sellers.item(row, 3) if row >= 0 else None
        disabled = status is not None and status.text() == _("disabled")
        busy = self.task is not None
        self.disable_button.setEnabled(status is not None and not disabled and not busy)
        self.enable_button.setEnabled(disabled and not busy)
        self.add_button.setEnabled(not busy)

    def disable_selected(self) -> None:
        profile = self._selected_profile()
        if profile is None or profile.disabled:
            return
        if not ask(
            self,
            _("Disable seller"),
            _(
                "Disable {seller} ({shop})? A disabled seller cannot log in and no longer "
                "appears on the start screen. Their shop's data stays on this PC, and you can "
                "enable them again at any time."
            ).format(seller=profile.display_name, shop=profile.shop_name),
            _("Disable"),
        ):
            return
        self._set_disabled(profile, True)

    def enable_selected(self) -> None:
        profile = self._selected_profile()
        if profile is None or not profile.disabled:
            return
        self._set_disabled(profile, False)

    def _set_disabled(self, profile: profiles.SellerProfile, disabled: bool) -> None:
        try:
            profiles.set_seller_disabled(self.op, login=profile.login, disabled=disabled)
        except Exception as exc:  # shown through the app's error path
            show_error(exc, self)
            return
        self.sellers_changed = True
        text = (
            _("{seller} is disabled and can no longer log in.")
            if disabled
            else _("{seller} is enabled and can log in again.")
        )
        self.message.setText(text.format(seller=profile.display_name))
        self.load_sellers()

    def add_seller(self) -> None:
        from ui.wizard import add_seller_as

        if add_seller_as(self.op, self):
            self.sellers_changed = True
            self.load_sellers()

    # --- backups --------------------------------------------------------------------

    def load_backups(self) -> None:
        try:
            rows = backup.list_backups(self.op)
        except Exception as exc:
            show_error(exc, self)
            rows = []
        # Only whole-PC backups can be restored here; a seller restores their own shop.
        rows = [(p, i) for p, i in rows if not isinstance(i, BackupInfo) or i.kind == FULL]
        # The PC's own clock zone: the operator looks after the PC, not one shop.
        self.backups.fill(rows, zone=None)
        _fit_columns(self.backups)
        self._backup_buttons()

    def _backup_buttons(self) -> None:
        idle = self.task is None
        for button in (self.make_button, self.usb_button, self.restore_file_button):
            button.setEnabled(idle)
        self.restore_button.setEnabled(idle and self.backups.selected_path() is not None)

    def _fill_sticks(self) -> None:
        fill_stick_menu(self.usb_menu, self.make_backup)
        self.usb_menu.addSeparator()
        self.usb_menu.addAction(_("Choose a folder…"), self.backup_to_folder)

    def backup_to_folder(self) -> None:
        folder = choose_folder(self, "backups", _("Choose the USB stick or folder"))
        if folder is not None:
            self.make_backup(folder)

    def make_backup(self, folder: Path | None = None) -> None:
        op = self.op
        self._run(
            lambda: backup.backup_now(op, folder=folder),
            lambda info: _("Whole-PC backup saved and checked: {path}").format(path=info.path),
        )

    def choose_backup_file(self) -> Path | None:
        """A backup file from a USB stick or another folder (tests replace this)."""
        return choose_open_file(
            self, "backups", _("Choose a backup of the whole PC"), _("ShopDesk backups (*.zip)")
        )

    def restore_from_file(self) -> None:
        path = self.choose_backup_file()
        if path is not None:
            self.restore(path)

    def restore_selected(self) -> None:
        path = self.backups.selected_path()
        if path is not None:
            self.restore(path)

    def restore(self, path: Path) -> None:
        if not ask(
            self,
            _("Restore the whole PC"),
            _(
                "Every shop on this PC goes back to how it was in {name}: all sellers, their "
                "PINs, products, stock and sales, and the operator password. Changes made "
                "after that backup are replaced, for every seller. A safety backup of the "
                "current state is made first. Continue?"
            ).format(name=path.name),
            _("Restore the whole PC"),
        ):
            return
        op = self.op

        def restored(result: backup.RestoreResult) -> str:
            self.sellers_changed = True
            self.load_sellers()
            self.pc_changed.emit()
            return _("Restored {name}. Safety backup: {safety}").format(
                name=result.restored.name, safety=result.safety_backup.name
            )

        self._run(lambda: backup.restore(op, path=path), restored)

    # --- background work --------------------------------------------------------------

    def _run(self, work, done_text) -> None:
        self._busy(True)

        def done(result) -> None:
            self._busy(False)
            self.message.setText(done_text(result))
            self.load_backups()

        def failed(exc: BaseException) -> None:
            self._busy(False)
            self.message.setText("")
            self.load_backups()
            show_error(exc, self)

        self.task = self.tasks.start(lambda _ctl: work(), on_done=done, on_error=failed)
        self._backup_buttons()
        self._seller_buttons()

    def _busy(self, busy: bool) -> None:
        if not busy:
            self.task = None
        self.strip.show_busy(busy, _("Working… please wait until it is finished."))
        self.close_button.setEnabled(not busy)
        self._backup_buttons()
        self._seller_buttons()

    def reject(self) -> None:  # Qt name: Esc and Close; never while a backup or restore runs
        if self.task is not None or self.server_tab.task is not None:
            return
        super().reject()
