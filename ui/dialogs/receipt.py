"""A sale's receipt: saved as a PDF (58 mm roll or A6) to print, or sent as a
WhatsApp message (the link, or its QR code for the phone)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from shopdesk.errors import ShopDeskError
from shopdesk.i18n import N_, _
from shopdesk.money import format_rupiah
from shopdesk.receipts import content, pdf, whatsapp
from ui.context import AppContext
from ui.widgets.feedback import FeedbackLabel
from ui.widgets.files import choose_save_pdf
from ui.widgets.link_dialog import LinkDialog

PAPERS = {"58mm": N_("58 mm thermal roll"), "a6": N_("A6 sheet")}


class ReceiptDialog(QDialog):
    def __init__(self, ctx: AppContext, number: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.receipt = content.receipt_for(ctx.session, number=number)
        self.saved = None
        self.link_dialog: LinkDialog | None = None
        self.setWindowTitle(_("Receipt of sale {number}").format(number=number))
        r = self.receipt
        summary = _("Total {total}, paid {paid}").format(
            total=format_rupiah(r.total), paid=format_rupiah(r.paid)
        )
        if r.on_credit:
            summary += " · " + _("kasbon left {amount}").format(amount=format_rupiah(r.still_owed))
        self.summary = QLabel(summary)
        self.summary.setObjectName("cardTitle")
        self.papers = QButtonGroup(self)
        paper_row = QHBoxLayout()
        for index, (code, label) in enumerate(PAPERS.items()):
            button = QRadioButton(_(label))
            button.setProperty("code", code)
            button.setChecked(index == 0)
            self.papers.addButton(button, index)
            paper_row.addWidget(button)
        paper_row.addStretch(1)
        self.pdf_button = QPushButton(_("Save receipt PDF…"))
        self.pdf_button.setProperty("primary", True)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.wa_button = QPushButton(_("Send by WhatsApp…"))
        self.wa_button.clicked.connect(self.send_whatsapp)
        self.feedback = FeedbackLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        actions = QHBoxLayout()
        actions.addWidget(self.pdf_button)
        actions.addWidget(self.wa_button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(paper_row)
        layout.addLayout(actions)
        layout.addWidget(self.feedback)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)

    def paper(self) -> str:
        return str(self.papers.checkedButton().property("code"))

    def save_pdf(self) -> None:
        name = f"nota-{self.receipt.number}-{self.paper()}.pdf"
        path = choose_save_pdf(self, "receipts", name)
        if path is None:
            return
        try:
            self.saved = pdf.write_receipt(self.receipt, path, self.paper())
        except ShopDeskError as exc:
            self.feedback.error(exc.message)
            return
        self.feedback.ok(_("Receipt saved: {path}").format(path=path))

    def send_whatsapp(self) -> None:
        title = _("Receipt of sale {number}").format(number=self.receipt.number)
        text = whatsapp.receipt_text(self.receipt)
        self.link_dialog = LinkDialog(self, title, text, whatsapp.receipt_link(self.receipt))
        self.link_dialog.open()
