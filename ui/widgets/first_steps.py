"""The home page's "first steps" card: add a product → receive stock → print a label → sell.

Each step is a button to the page that does it; done steps are ticked, the next one
stands out. Read from ``shopdesk.first_steps``, so steps done anywhere count.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from shopdesk import first_steps
from shopdesk.i18n import N_, _
from ui.context import AppContext

NEW_PRODUCT = "new"  # navigate("products", NEW_PRODUCT) opens the editor for a new product
# Where each step is done.
STEP_PAGES = {
    first_steps.PRODUCT: ("products", NEW_PRODUCT),
    first_steps.STOCK: ("stock", None),
    first_steps.LABEL: ("labels", None),
    first_steps.SALE: ("sales", None),
}


HINTS = {
    first_steps.PRODUCT: N_(
        "Start with your first product: a name and a price are enough (15rb is fine)."
    ),
    first_steps.STOCK: N_(
        "Receive stock: how many you made or bought, with the production and expiry dates."
    ),
    first_steps.LABEL: N_(
        "Print labels for that batch: name, price, dates and a QR code for your buyers."
    ),
    first_steps.SALE: N_("Make your first sale: scan or type the product, then F9 to record it."),
}


class FirstStepsCard(QFrame):
    """Four numbered buttons and a line that says what the next one does."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("card")
        title = QLabel(_("First steps"))
        title.setObjectName("cardTitle")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for number, step in enumerate(first_steps.STEPS, start=1):
            button = QPushButton()
            button.setProperty("step", number)
            button.clicked.connect(lambda _c=False, s=step: self.go(s))
            self.buttons[step] = button
            row.addWidget(button)
            if number < len(first_steps.STEPS):
                arrow = QLabel("→")
                arrow.setAlignment(Qt.AlignmentFlag.AlignCenter)
                row.addWidget(arrow)
        row.addStretch(1)
        self.hide_button = QPushButton(_("Hide these steps"))
        self.hide_button.setFlat(True)
        self.hide_button.clicked.connect(self.hide_steps)
        head = QHBoxLayout()  # "Hide" beside the title: the steps' row fits 125 % then
        head.addWidget(title, 1)
        head.addWidget(self.hide_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 8)
        layout.addLayout(head)
        layout.addLayout(row)
        layout.addWidget(self.hint)

    def show_steps(self, steps: first_steps.FirstSteps) -> None:
        self.setVisible(steps.shown)
        for number, step in enumerate(first_steps.STEPS, start=1):
            button = self.buttons[step]
            done = step in steps.done
            mark = "✓" if done else f"{number}."
            button.setText(f"{mark} {first_steps.step_label(step)}")
            button.setProperty("primary", step == steps.next)
            button.setToolTip(_("Done") if done else "")
            button.style().unpolish(button)
            button.style().polish(button)
        self.hint.setText(_(HINTS[steps.next]) if steps.next else "")

    def go(self, step: str) -> None:
        page, item = STEP_PAGES[step]
        self.ctx.navigate(page, item)

    def hide_steps(self) -> None:
        try:
            first_steps.hide(self.ctx.session)
        except Exception as exc:  # a failed write says so, never a traceback
            self.ctx.show_error(exc, self)
            return
        self.setVisible(False)
