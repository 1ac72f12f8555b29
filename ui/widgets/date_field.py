"""The one date field of the app: typed as the seller likes, or picked on a calendar.

The text is read by the core's parser (``shopdesk.dates``), the same the CLI uses:
06-06-2027, 06062027, 6/6/27, and a month alone (06/2027) where the field allows it.
When the text is not a date the field turns red and says why beneath itself; it
never falls back to another day.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, QEvent, QLocale, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from shopdesk.dates import Month, format_day, parse_day
from shopdesk.errors import ValidationError
from shopdesk.i18n import _
from ui.widgets.icons import painted_icon


class DateField(QWidget):
    """A date (or empty, when ``optional``) for ``field`` (its name in messages).

    ``edited`` is emitted when the seller types a valid date or picks one, never
    for ``set_value``; ``problem()`` is the message of what was typed, or None.
    """

    edited = Signal()

    def __init__(
        self,
        field: str,
        *,
        month: Month = Month.REFUSED,
        optional: bool = False,
        weekday: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.field = field
        self.month = month
        self.optional = optional
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(_("dd-mm-yyyy") if not optional else _("none"))
        self.edit.setToolTip(
            _("Type a date like 06-06-2027, 06062027 or 6/6/27, or pick it on the calendar.")
            + (
                "\n" + _("A month alone (06/2027) means its last day.")
                if month is Month.LAST_DAY
                else ""
            )
        )
        self.edit.setMinimumWidth(self.edit.fontMetrics().horizontalAdvance("00-00-00000") + 16)
        self.edit.setMaximumWidth(self.edit.fontMetrics().horizontalAdvance("00-00-0000") * 2)
        self.edit.textEdited.connect(self._typed)
        self.edit.editingFinished.connect(self._tidy)
        self.edit.installEventFilter(self)
        self.calendar_button = QToolButton()
        self.calendar_button.setIcon(painted_icon("calendar", "#1f3b2d"))
        self.calendar_button.setToolTip(_("Pick the date on a calendar (F4)"))
        self.calendar_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.calendar_button.clicked.connect(self.open_calendar)
        self.weekday = QLabel() if weekday else None
        self.message = QLabel()
        self.message.setObjectName("dateProblem")
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit)
        row.addWidget(self.calendar_button)
        if self.weekday is not None:
            row.addWidget(self.weekday)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.message)
        self.setFocusProxy(self.edit)

    # --- value ------------------------------------------------------------------

    def value(self) -> date | None:
        """The date shown; raises ``ValidationError`` for a wrong or missing one."""
        day = parse_day(self.edit.text(), field=self.field, month=self.month)
        if day is None and not self.optional:
            raise ValidationError(
                _("Type a date for {field}, like 06-06-2027.").format(field=self.field)
            )
        return day

    def set_value(self, day: date | None) -> None:
        self.edit.setText(format_day(day))
        self._show(None)
        self._show_weekday(day)

    def problem(self) -> str | None:
        try:
            self.value()
        except ValidationError as exc:
            return exc.message
        return None

    # --- typing -----------------------------------------------------------------

    def _typed(self) -> None:
        """Keystrokes: a date once the text is one; a half-typed date is not yet an error."""
        self._show(None)
        try:
            day = self.value()
        except ValidationError:
            self._show_weekday(None)
            return
        self._show_weekday(day)
        self.edited.emit()

    def _tidy(self) -> None:
        """Leaving the field: show the date as dd-mm-yyyy, or say what is wrong."""
        problem = self.problem()
        if problem is not None and (self.edit.text().strip() or not self.optional):
            self._show(problem)
            return
        self._show(None)
        if problem is None:
            day = self.value()
            if self.edit.text() != format_day(day):
                self.edit.setText(format_day(day))

    def _show(self, problem: str | None) -> None:
        self.message.setText(problem or "")
        self.message.setVisible(problem is not None)
        self.edit.setStyleSheet("border: 2px solid #b00020;" if problem else "")

    def _show_weekday(self, day: date | None) -> None:
        if self.weekday is not None:
            name = QLocale().dayName(day.isoweekday()) if day else ""
            self.weekday.setText(name)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            step = {Qt.Key.Key_Up: 1, Qt.Key.Key_Down: -1}.get(Qt.Key(event.key()))
            if step is not None:
                return self._step(step)
            if event.key() == Qt.Key.Key_F4:
                self.open_calendar()
                return True
        return super().eventFilter(watched, event)

    def _step(self, days: int) -> bool:
        """Up and Down move a valid date by a day, as Qt's own date fields do."""
        problem = self.problem()
        day = None if problem else self.value()
        if day is None:
            return False
        self.set_value(day + timedelta(days=days))
        self.edited.emit()
        return True

    # --- calendar ---------------------------------------------------------------

    def open_calendar(self) -> None:
        menu = QMenu(self)
        calendar = QCalendarWidget()
        calendar.setGridVisible(True)
        day = None if self.problem() else self.value()
        if day is not None:
            calendar.setSelectedDate(QDate(day.year, day.month, day.day))
        action = QWidgetAction(menu)
        action.setDefaultWidget(calendar)
        menu.addAction(action)

        def picked(chosen: QDate) -> None:
            self.pick(chosen.toPython())
            menu.close()

        calendar.clicked.connect(picked)
        calendar.activated.connect(picked)
        self._menu = menu  # tests reach the open calendar here
        menu.popup(self.edit.mapToGlobal(self.edit.rect().bottomLeft()))
        calendar.setFocus()

    def pick(self, day: date) -> None:
        """What a click on the calendar does."""
        self.set_value(day)
        self.edited.emit()
