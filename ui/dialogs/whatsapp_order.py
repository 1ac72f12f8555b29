"""Paste a WhatsApp order: the buyer's message from a label's WhatsApp QR code."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from shopdesk.i18n import _


class WhatsAppOrderDialog(QDialog):
    """A box to paste the message into; ``text()`` is what was pasted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("WhatsApp order"))
        self.resize(520, 320)
        intro = QLabel(
            _(
                "Paste the buyer's WhatsApp message here. Every line like “Pesan Kopi Robusta "
                "(KOPI-0001), Rp 15.000” goes into the cart, at today's price; “2x” before the "
                "product or “x2” at the end is the quantity."
            )
        )
        intro.setWordWrap(True)
        self.edit = QPlainTextEdit()
        self.edit.setPlaceholderText("Pesan Kopi Robusta 250 g (KOPI-0001), Rp 15.000")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Put into the cart"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.edit, 1)
        layout.addWidget(buttons)

    def text(self) -> str:
        return self.edit.toPlainText()
