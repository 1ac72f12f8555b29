"""Errors a seller understands: a translated message, and a copyable "Detail" for a helper.

``ShopDeskError`` carries its own translated message (and maybe a technical ``detail``).
Anything else is a bug: it is written to the log file, and the seller sees a calm message
that says where the log is. Never a traceback in the message itself.
"""

from __future__ import annotations

import traceback

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from shopdesk.errors import ShopDeskError
from shopdesk.i18n import _


def describe(exc: BaseException) -> tuple[str, str]:
    """(message for the seller, detail for a helper)."""
    if isinstance(exc, ShopDeskError):
        detail = exc.detail or f"{type(exc).__name__}: {exc.message}"
        return exc.message, detail
    from shopdesk.logging_setup import log_exception

    log = log_exception("ui", (type(exc), exc, exc.__traceback__))
    message = _(
        "Something went wrong and this action was not finished. Your saved data is safe. "
        "Try again; if it happens again, show the details to a helper."
    )
    detail = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    if log is not None:  # None: no log could be written (a full disk), the detail is all
        detail = _("Log file: {path}").format(path=log) + "\n\n" + detail
    return message, detail


class ErrorDialog(QDialog):
    """Message first; the detail stays folded until asked for, and can be copied."""

    def __init__(self, message: str, detail: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorDialog")
        self.setWindowTitle(_("Something went wrong"))
        self.setMinimumWidth(460)
        icon = QLabel()
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(40, 40)
        )
        self.message_label = QLabel(message)
        self.message_label.setWordWrap(True)
        self.message_label.setObjectName("errorMessage")
        top = QHBoxLayout()
        top.addWidget(icon, 0)
        top.addWidget(self.message_label, 1)

        self.detail_box = QPlainTextEdit(detail)
        self.detail_box.setReadOnly(True)
        self.detail_box.setVisible(False)
        self.detail_box.setMinimumHeight(160)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        self.detail_button = QPushButton(_("Detail"))
        self.detail_button.setCheckable(True)
        self.detail_button.toggled.connect(self._toggle_detail)
        self.copy_button = QPushButton(_("Copy detail"))
        self.copy_button.clicked.connect(self.copy_detail)
        self.copy_button.setVisible(False)
        if detail:
            buttons.addButton(self.detail_button, QDialogButtonBox.ButtonRole.ActionRole)
            buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.detail_box)
        layout.addWidget(buttons)
        self.detail = detail

    def _toggle_detail(self, on: bool) -> None:
        self.detail_box.setVisible(on)
        self.copy_button.setVisible(on)
        self.adjustSize()

    def copy_detail(self) -> None:
        QGuiApplication.clipboard().setText(self.detail)


def show_error(exc: BaseException, parent: QWidget | None = None) -> ErrorDialog:
    """Show ``exc`` to the seller (modal). Returns the dialog (tests read it)."""
    message, detail = describe(exc)
    dialog = ErrorDialog(message, detail, parent)
    _last_dialogs.append(dialog)
    del _last_dialogs[:-3]
    if _modal:
        dialog.exec()
    else:
        dialog.show()
    return dialog


# Tests switch dialogs to non-modal (ui.errors.set_modal(False)) and read the last ones.
_modal = True
_last_dialogs: list[ErrorDialog] = []


def set_modal(modal: bool) -> None:
    global _modal
    _modal = modal


def last_dialog() -> ErrorDialog | None:
    return _last_dialogs[-1] if _last_dialogs else None
