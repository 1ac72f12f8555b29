"""A WhatsApp message ready to send: the text, a button that opens the wa.me link
when the PC is online, and the same link as a QR code for the seller's phone."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QGuiApplication, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shopdesk.errors import ValidationError
from shopdesk.i18n import _
from shopdesk.labels import qr
from ui.widgets.feedback import FeedbackLabel

QR_PIXELS = 260
opened: list[str] = []  # links opened (tests read it instead of starting a browser)
open_for_real = True


def open_link(link: str) -> bool:
    """Hand the link to the PC's browser or WhatsApp app."""
    opened.append(link)
    if not open_for_real:
        return True
    return QDesktopServices.openUrl(QUrl(link))


def qr_pixmap(payload: str, pixels: int = QR_PIXELS) -> QPixmap:
    """The payload as a QR code with its quiet zone; raises ValidationError when too long."""
    symbol = qr.encode(payload)
    modules = symbol.size + 2 * qr.QUIET_MODULES
    image = QImage(pixels, pixels, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    unit = pixels / modules
    for row, col, length in symbol.runs:
        x = (col + qr.QUIET_MODULES) * unit
        y = (row + qr.QUIET_MODULES) * unit
        painter.fillRect(QRectF(x, y, length * unit + 0.5, unit + 0.5), QColor("black"))
    painter.end()
    return QPixmap.fromImage(image)


class LinkDialog(QDialog):
    """Shows a message and its wa.me link: open it, copy it, or scan the QR code."""

    def __init__(self, parent: QWidget | None, title: str, text: str, link: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.link = link
        self.text = QPlainTextEdit(text)
        self.text.setReadOnly(True)
        self.text.setMinimumWidth(360)
        self.qr = QLabel()
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        try:
            self.qr.setPixmap(qr_pixmap(link))
            hint = _("Scan with the phone's camera to open WhatsApp there.")
        except ValidationError:
            hint = _("The message is too long for a QR code: open or copy the link.")
        self.qr_hint = QLabel(hint)
        self.qr_hint.setWordWrap(True)
        self.feedback = FeedbackLabel()
        self.open_button = QPushButton(_("Open in WhatsApp"))
        self.open_button.setProperty("primary", True)
        self.open_button.clicked.connect(self.open_link)
        self.copy_button = QPushButton(_("Copy link"))
        self.copy_button.clicked.connect(self.copy_link)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        right = QVBoxLayout()
        right.addWidget(self.qr)
        right.addWidget(self.qr_hint)
        right.addStretch(1)
        body = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self.text, 1)
        row = QHBoxLayout()
        row.addWidget(self.open_button)
        row.addWidget(self.copy_button)
        row.addStretch(1)
        left.addLayout(row)
        left.addWidget(self.feedback)
        body.addLayout(left, 1)
        body.addLayout(right)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(buttons)
        self.resize(700, 380)

    def open_link(self) -> None:
        if open_link(self.link):
            self.feedback.ok(_("WhatsApp is opening. Press Send there."))
        else:
            self.feedback.error(
                _("The link could not be opened on this PC: scan the QR code or copy the link.")
            )

    def copy_link(self) -> None:
        QGuiApplication.clipboard().setText(self.link)
        self.feedback.ok(_("Link copied."))
