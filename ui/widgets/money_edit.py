"""A price field that accepts what sellers type: 15000, 15.000, 15rb, Rp 15.000,-."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QWidget

from shopdesk.errors import ValidationError
from shopdesk.i18n import _
from shopdesk.money import format_number, parse_rupiah


class MoneyEdit(QLineEdit):
    """Shows ``15.000`` after leaving the field; ``value()`` parses through the core."""

    def __init__(self, parent: QWidget | None = None, *, required: bool = True) -> None:
        super().__init__(parent)
        self.required = required
        self.setPlaceholderText(_("e.g. 15.000 or 15rb"))
        self.editingFinished.connect(self._tidy)

    def _tidy(self) -> None:
        try:
            amount = self.value()
        except ValidationError:
            self.setStyleSheet("border: 1px solid #b3261e;")
            return
        self.setStyleSheet("")
        if amount is not None:
            self.setText(format_number(amount))

    def value(self) -> int | None:
        text = self.text().strip()
        if not text and not self.required:
            return None
        return parse_rupiah(text)

    def set_value(self, amount: int | None) -> None:
        self.setText("" if amount is None else format_number(amount))
