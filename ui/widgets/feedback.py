"""Small pieces the stock, sales, label and export pages share."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QProgressBar,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shopdesk.clock import to_local

OK_STYLE = "color: #1f6f3f; font-weight: bold;"
ERROR_STYLE = "color: #b3261e; font-weight: bold;"
NOTE_STYLE = "color: #4a5a50;"


class FeedbackLabel(QLabel):
    """One line that says what just happened: green when it worked, red when not."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kind = ""

    def ok(self, text: str) -> None:
        self._show(text, OK_STYLE, "ok")

    def error(self, text: str) -> None:
        self._show(text, ERROR_STYLE, "error")

    def note(self, text: str) -> None:
        self._show(text, NOTE_STYLE, "note")

    def _show(self, text: str, style: str, kind: str) -> None:
        self.kind = kind
        self.setStyleSheet(style)
        self.setText(text)


class BusyStrip(QWidget):
    """A running bar while background work goes on, above the line that says what happened.

    Both sit in the caller's layout as before: no margins of their own, so the strip
    looks the same as the bar and the label placed there one by one.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # no steps: it only shows that work is running
        self.progress.setVisible(False)
        self.progress.setMaximumHeight(14)
        self.message = FeedbackLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)

    def show_busy(self, busy: bool, text: str) -> None:
        """The bar runs while ``busy``; on starting, ``text`` says what to wait for."""
        self.progress.setVisible(busy)
        if busy:
            self.message.setText(text)


def note_label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(NOTE_STYLE)
    return label


def heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-size: 12pt; font-weight: bold; color: #1f3b2d;")
    return label


def read_only_view(view: QTableView, stretch: int) -> QTableView:
    """``view`` read-only with whole-row single selection and no row numbers; column
    ``stretch`` takes the spare width, the others keep the width they are given."""
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


def read_only_table(table: QTableWidget, headers: list[str], stretch: int) -> QTableWidget:
    """A ``read_only_view`` of ``table`` with these column ``headers``."""
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(headers)
    read_only_view(table, stretch)
    return table


def fit_columns(view: QTableView, stretch: int) -> None:
    """Striped rows, columns that fit their contents; column ``stretch`` takes the spare width."""
    view.setAlternatingRowColors(True)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    view.setWordWrap(False)


def make_table(headers: list[str], *, stretch: int = 0) -> QTableWidget:
    """A read-only table with striped rows whose columns fit their contents; column
    ``stretch`` takes the spare width."""
    table = read_only_table(QTableWidget(0, len(headers)), headers, stretch)
    fit_columns(table, stretch)
    return table


def cell(text: object, *, right: bool = False, data: object = None) -> QTableWidgetItem:
    item = QTableWidgetItem("" if text is None else str(text))
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


def local_time(moment, zone: str) -> str:
    """A stored UTC time as the shop's wall clock: 29-11-2026 08:15."""
    return to_local(moment, zone).strftime("%d-%m-%Y %H:%M") if moment else ""


def day_text(day) -> str:
    return day.strftime("%d-%m-%Y") if day else ""


def signed(quantity: int) -> str:
    return f"+{quantity}" if quantity > 0 else str(quantity)
