"""Cadangan: make, check and restore backups of this seller's shop (and, with the operator
password, of the whole PC). Work runs off the GUI thread through ``ctx.run``."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shopdesk import backup
from shopdesk.i18n import N_, _
from ui.context import AppContext
from ui.pages.base import Page
from ui.widgets.backup_list import BackupTable
from ui.widgets.feedback import BusyStrip
from ui.widgets.files import choose_folder


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
        self.table = BackupTable()
        self.table.horizontalHeader().resizeSection(0, 170)
        self.table.horizontalHeader().resizeSection(1, 220)
        self.strip = BusyStrip()
        self.message = self.strip.message

        # Making a backup above the list, what acts on the chosen one below it: two short
        # rows that fit 1366x768 at 125 % (one row of five buttons did not).
        actions = QHBoxLayout()
        actions.addWidget(self.make_button)
        actions.addWidget(self.usb_button)
        actions.addStretch(1)
        actions.addWidget(self.pc_button)
        chosen = QHBoxLayout()
        chosen.addWidget(self.verify_button)
        chosen.addWidget(self.restore_button)
        chosen.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(intro)
        layout.addLayout(actions)
        layout.addWidget(self.strip)
        layout.addWidget(self.table, 1)
        layout.addLayout(chosen)
        self.task = None

    def primary_widget(self) -> QWidget:
        return self.make_button

    def refresh(self) -> None:
        rows = backup.list_backups(self.ctx.session)
        self.table.fill(rows, zone=self.ctx.session.timezone)
        if not rows:
            self.message.setText(
                _("This shop has no backup of its own yet. Press “Make a backup now”.")
            )

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
        self.strip.show_busy(busy, _("Working… you can keep using ShopDesk."))
        for button in (self.make_button, self.usb_button, self.restore_button, self.pc_button):
            button.setEnabled(not busy)

    def make_backup(self, folder: Path | None = None) -> None:
        session = self.ctx.session
        self._run(
            lambda: backup.backup_now(session, folder=folder),
            lambda info: _("Backup saved and checked: {name}").format(name=info.name),
        )

    def backup_to_folder(self) -> None:
        folder = choose_folder(self, "backups", _("Choose the USB stick or folder"))
        if folder is not None:
            self.make_backup(folder)

    def verify_selected(self) -> None:
        path = self.table.selected_path()
        if path is None:
            return
        self._run(
            lambda: backup.verify(path),
            lambda info: _("{name} is complete and readable.").format(name=info.name),
        )

    def restore_selected(self) -> None:
        path = self.table.selected_path()
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
        folder = choose_folder(
            self, "backups", _("Choose the USB stick or folder (Cancel: the backups folder)")
        )
        self._run(
            lambda: backup.backup_now(op, folder=folder),
            lambda info: _("Whole-PC backup saved and checked: {path}").format(path=info.path),
        )
