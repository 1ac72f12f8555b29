"""Find a product by scanning its code or typing part of its name.

One field for both: a scan (or a typed SKU or barcode) followed by Enter picks
that product at once through ``catalog.find_by_code``; typed words show the
matches of ``search.search`` below the field. Enter picks the only match, or the
one chosen with Up/Down (or a click); of several matches it picks none and asks
the seller to choose, so it never guesses.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shopdesk import catalog
from shopdesk.catalog import search
from shopdesk.i18n import _
from shopdesk.money import format_number, format_rupiah
from shopdesk.profiles import Session
from ui.widgets.scan_edit import ScanEdit

SEARCH_DELAY_MS = 150


class ProductPicker(QWidget):
    """Emits ``picked(sku)``; shows its own "not found" line."""

    picked = Signal(str)

    def __init__(
        self,
        session: Session,
        parent: QWidget | None = None,
        *,
        max_rows: int = 6,
        placeholder: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.max_rows = max_rows
        self._chosen = False  # a row highlighted by Up/Down, not by default
        self.edit = ScanEdit(keep_text=True)
        self.edit.setObjectName("scanField")
        self.edit.setPlaceholderText(
            placeholder or _("Scan a barcode, or type a name or SKU, then Enter")
        )
        self.results = QListWidget()
        self.results.setObjectName("pickerResults")
        self.results.setVisible(False)
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.results.setUniformItemSizes(True)
        self.message = QLabel()
        self.message.setObjectName("errorText")
        self.message.setVisible(False)
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit)
        layout.addWidget(self.results)
        layout.addWidget(self.message)
        self.setFocusProxy(self.edit)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._search)
        self.edit.textEdited.connect(self._text_edited)
        self.edit.submitted.connect(self._submitted)
        self.edit.navigate.connect(self._move)
        self.results.itemActivated.connect(self._item_picked)
        self.results.itemClicked.connect(self._item_picked)

    # --- typing --------------------------------------------------------------

    def _text_edited(self, text: str) -> None:
        self.message.setVisible(False)
        self._chosen = False  # the rows shown are about to change
        if text.strip():
            self._timer.start()
        else:
            self._timer.stop()
            self._show_rows([])

    def _search(self) -> None:
        text = self.edit.text().strip()
        rows = search.search(self.session, text, limit=self.max_rows * 3) if text else []
        self._show_rows(rows)

    def _show_rows(self, rows) -> None:
        self.results.clear()
        for row in rows:
            text = _("{name}  ·  {sku}  ·  {price}  ·  stock {stock}").format(
                name=row.name,
                sku=row.sku,
                price=format_rupiah(row.price),
                stock=format_number(row.on_hand),
            )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, row.sku)
            self.results.addItem(item)
        self._chosen = False
        if rows:
            # The only match is highlighted (Enter picks it); of several, none until Up/Down.
            self.results.setCurrentRow(0 if len(rows) == 1 else -1)
            height = self.results.sizeHintForRow(0) * min(len(rows), self.max_rows)
            self.results.setFixedHeight(height + 2 * self.results.frameWidth() + 2)
        self.results.setVisible(bool(rows))

    def _move(self, step: int) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self._search()
        count = self.results.count()
        if count:
            row = max(0, min(count - 1, self.results.currentRow() + step))
            self.results.setCurrentRow(row)
            self._chosen = True

    # --- choosing -------------------------------------------------------------

    def _submitted(self, text: str) -> None:
        if self._chosen and (chosen := self._chosen_sku()) is not None:
            self._pick(chosen)  # the seller's own choice comes first
            return
        found = catalog.find_by_code(self.session, text)
        if found is not None:
            self._pick(found.sku)
            return
        if self._scanned(text):
            self._show_rows([])  # only its exact code may match, never a similar name
        elif self._timer.isActive() or self.results.isHidden():
            self._search()
        self._timer.stop()
        chosen = self._chosen_sku()
        if chosen is not None:
            self._pick(chosen)
        elif self.results.count() > 1 and not self.results.isHidden():
            self.show_message(
                _(
                    "Several products match “{text}”: choose one with ↓ and Enter, or click it."
                ).format(text=text)
            )
        else:
            self.show_message(
                _("No product has the code or name “{text}”. Check it and try again.").format(
                    text=text
                )
            )
            QApplication.beep()
            self.edit.selectAll()

    def _scanned(self, text: str) -> bool:
        """A scanner types fast, with no spaces, a code with digits; a quick typist a word."""
        return self.edit.last_was_fast and " " not in text and any(c.isdigit() for c in text)

    def _chosen_sku(self) -> str | None:
        """The highlighted row: the only match, or the one chosen with Up/Down."""
        item = None if self.results.isHidden() else self.results.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def submit_code(self, code: str) -> None:
        """A code scanned elsewhere on the form (into the quantity, say): pick by it."""
        self.edit.last_was_fast = True
        self._chosen = False  # a scan goes by its code, whatever is highlighted
        self._submitted(code)

    def _item_picked(self, item: QListWidgetItem) -> None:
        self._pick(item.data(Qt.ItemDataRole.UserRole))

    def _pick(self, sku: str) -> None:
        self._timer.stop()
        self.edit.clear()
        self._show_rows([])
        self.message.setVisible(False)
        self.picked.emit(sku)
        self.edit.setFocus()

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def clear(self) -> None:
        self._timer.stop()
        self.edit.clear()
        self._show_rows([])
        self.message.setVisible(False)
