"""Cadangan: make, check and restore backups of this seller's shop (and, with the operator
password, of the whole PC). Work runs off the GUI thread through ``ctx.run``."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shopdesk import backup
from shopdesk.clock import to_local
from shopdesk.errors import ShopDeskError
from shopdesk.i18n import N_, _
from ui.context import AppContext
from ui.pages.base import Page

REASONS = {
    "open": N_("automatic (app opened)"),
    "manual": N_("made by hand"),
    "before-restore": N_("before a restore"),
    "before-import": N_("before an import"),
    "before-migrate": N_("before an upgrade"),
}


def _size(n: int) -> str:
    return _("{n} MB").format(n=f"{n / 1_000_000:.1f}".replace(".", ",")) if n else "–"


class BackupsPage(Page):
    title = N_("Backups")
    refresh_on = ("backups",)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        intro = QLabel(
            _(
                "A backup is a copy of your shop's data. ShopDesk makes one each time it opens. "
                "Keep a copy on a USB stick too, in case this PC breaks."
            )
        )
        intro.setWordWrap(True)
        self.make_button = QPushButton(_("Make a backup now"))
        self.make_button.setProperty("primary", True)
        self.make_button.clicked.connect(lambda: self.make_backup())
        self.usb_button = QPushButton(_("Backup to a USB stick…"))
        self.usb_button.clicked.connect(self.backup_to_folder)
        self.verify_button = QPushButton(_("Check the chosen backup"))
        self.verify_button.clicked.connect(self.verify_selected)
        self.restore_button = QPushButton(_("Restore the chosen backup…"))
        self.restore_button.clicked.connect(self.restore_selected)
        self.pc_button = QPushButton(_("Whole PC (operator)…"))
        self.pc_button.setToolTip(_("A backup of every shop on this PC; needs the operator."))
        self.pc_button.clicked.connect(self.backup_whole_pc)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([_("When"), _("Kind"), _("Size"), _("File")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().resizeSection(0, 170)
        self.table.horizontalHeader().resizeSection(1, 220)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setVisible(False)
        self.progress.setMaximumHeight(14)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        actions = QHBoxLayout()
        for button in (self.make_button, self.usb_button, self.verify_button, self.restore_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.pc_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(intro)
        layout.addLayout(actions)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        self.task = None

    def primary_widget(self) -> QWidget:
        return self.make_button

    def refresh(self) -> None:
        rows = backup.list_backups(self.ctx.session)
        self.table.setRowCount(len(rows))
        for r, (path, info) in enumerate(rows):
            if isinstance(info, ShopDeskError):
                cells = ["?", _("damaged"), "–", path.name]
            else:
                when = to_local(info.created_at, self.ctx.session.timezone)
                reason = _(REASONS[info.reason]) if info.reason in REASONS else info.reason
                cells = [when.strftime("%d/%m/%Y %H:%M"), reason, _size(info.db_size), path.name]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, str(path))
                self.table.setItem(r, c, item)
        if rows:
            self.table.selectRow(0)
        else:
            self.message.setText(
                _("This shop has no backup of its own yet. Press “Make a backup now”.")
            )

    def selected_path(self) -> Path | None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        return Path(item.data(Qt.ItemDataRole.UserRole)) if item else None

    # --- actions (off the GUI thread) -------------------------------------

    def _run(self, work, done_text) -> None:
        self._busy(True)

        def done(result) -> None:
            self._busy(False)
            self.message.setText(done_text(result))
            self.ctx.notify("backups")

        def failed(exc: BaseException) -> None:
            self._busy(False)
            self.message.setText("")
            self.ctx.show_error(exc, self)

        self.task = self.ctx.run(lambda _ctl: work(), on_done=done, on_error=failed)

    def _busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        for button in (self.make_button, self.usb_button, self.restore_button, self.pc_button):
            button.setEnabled(not busy)
        if busy:
            self.message.setText(_("Working… you can keep using ShopDesk."))

    def make_backup(self, folder: Path | None = None) -> None:
        session = self.ctx.session
        self._run(
            lambda: backup.backup_now(session, folder=folder),
            lambda info: _("Backup saved and checked: {name}").format(name=info.name),
        )

    def backup_to_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Choose the USB stick or folder"))
        if folder:
            self.make_backup(Path(folder))

    def verify_selected(self) -> None:
        path = self.selected_path()
        if path is None:
            return
        self._run(
            lambda: backup.verify(path),
            lambda info: _("{name} is complete and readable.").format(name=info.name),
        )

    def restore_selected(self) -> None:
        path = self.selected_path()
        if path is None:
            return
        answer = QMessageBox.question(
            self,
            _("Restore backup"),
            _(
                "Your shop's data will go back to how it was in {name}. Changes made after it "
                "are replaced (a safety copy of today's data is made first). Continue?"
            ).format(name=path.name),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        session = self.ctx.session

        def restored(result) -> str:
            self.ctx.notify("products", "stock", "sales", "settings", "shop")
            return _("Restored {name}. Safety copy: {safety}").format(
                name=result.restored.name, safety=result.safety_backup.name
            )

        self._run(lambda: backup.restore(session, path=path), restored)

    def backup_whole_pc(self) -> None:
        from ui.wizard import ask_operator

        op = ask_operator(self)
        if op is None:
            return
        folder = QFileDialog.getExistingDirectory(
            self, _("Choose the USB stick or folder (Cancel: the backups folder)")
        )
        self._run(
            lambda: backup.backup_now(op, folder=Path(folder) if folder else None),
            lambda info: _("Whole-PC backup saved and checked: {path}").format(path=info.path),
        )
