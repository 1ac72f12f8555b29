"""The activity log as a read-only table with a range of days and an action filter.

The seller's Aktivitas page shows their shop's entries; the operator's dialog shows
every entry with its shop. Both read ``shopdesk.audit.entries``, which decides what
each may see.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shopdesk import audit
from shopdesk.dates import Month
from shopdesk.errors import ValidationError
from shopdesk.i18n import _
from ui.errors import show_error
from ui.widgets.date_field import DateField
from ui.widgets.feedback import cell, make_table

PAGE_ROWS = 200
FIRST_DAYS = 30  # shown at first: the last month


def _day_field(field: str, day: date, month: Month) -> DateField:
    edit = DateField(field, month=month)
    edit.set_value(day)
    return edit


class AuditView(QWidget):
    """Entries newest first, as ``who`` (a seller's session or the operator's) may see them.

    ``today`` is the viewer's calendar day (the shop's zone, or the PC's for the operator).
    """

    def __init__(
        self,
        who: audit.SellerViewer | audit.OperatorViewer,
        *,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.who = who
        self.with_shop = not isinstance(who, audit.SellerViewer)
        self.limit = PAGE_ROWS
        # A month typed alone: from its first day, until its last.
        self.since = _day_field(
            _("the first day"), today - timedelta(days=FIRST_DAYS), Month.FIRST_DAY
        )
        self.until = _day_field(_("the last day"), today, Month.LAST_DAY)
        self.action = QComboBox()
        self.action.addItem(_("All actions"), None)
        for group in audit.GROUPS:
            self.action.addItem(audit.group_label(group), group)
        headers = [_("When"), _("By"), _("Action"), _("Detail")]
        if self.with_shop:
            headers.insert(1, _("Shop"))
        self.table = make_table(headers, stretch=len(headers) - 1)
        self.more_button = QPushButton(_("Show more"))
        self.more_button.clicked.connect(self._more)
        self.status = QLabel()
        self.status.setObjectName("subtitle")
        for edit in (self.since, self.until):
            edit.edited.connect(self._filter_changed)
        self.action.currentIndexChanged.connect(self._filter_changed)

        filters = QHBoxLayout()
        filters.addWidget(QLabel(_("From")))
        filters.addWidget(self.since)
        filters.addWidget(QLabel(_("to")))
        filters.addWidget(self.until)
        filters.addSpacing(12)
        filters.addWidget(self.action, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.more_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

    def _filter_changed(self) -> None:
        self.limit = PAGE_ROWS
        self.show_entries()

    def _more(self) -> None:
        self.limit += PAGE_ROWS
        self.show_entries()

    def show_entries(self) -> None:
        """``reload``, with a failed read shown as a message."""
        try:
            self.reload()
        except Exception as exc:  # a failed read shows a message, never a traceback
            show_error(exc, self)

    def reload(self) -> None:
        """Read the entries again with the chosen days and action."""
        try:
            since, until = self.since.value(), self.until.value()
        except ValidationError as exc:
            self.table.setRowCount(0)
            self.status.setText(exc.message)
            self.more_button.setEnabled(False)
            return
        if since is None or until is None or until < since:
            self.table.setRowCount(0)
            self.status.setText(_("The last day is before the first day."))
            self.more_button.setEnabled(False)
            return
        rows = audit.entries(
            self.who, since=since, until=until, action=self.action.currentData(), limit=self.limit
        )
        self.table.setRowCount(len(rows))
        for r, entry in enumerate(rows):
            values = [
                entry.local_at.strftime("%d-%m-%Y %H:%M"),
                entry.by,
                entry.label,
                entry.detail,
            ]
            if self.with_shop:
                values.insert(1, entry.shop_name or _("whole PC"))
            for c, text in enumerate(values):
                self.table.setItem(r, c, cell(text, data=entry if c == 0 else None))
        self.status.setText(
            _("{n} entries shown.").format(n=len(rows)) if rows else _("No entries.")
        )
        self.more_button.setEnabled(len(rows) >= self.limit)
