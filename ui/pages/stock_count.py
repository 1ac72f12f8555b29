"""Stok opname: count the shelf by scanning, review the differences, post them.

Each scan (or a code typed and Enter, or a name picked from its matches) is
``stocktake.scan``: one more of that product. A count typed into the "Counted" column replaces it
(``stocktake.enter_count``). Posting is ``stocktake.post_count``, after a review
of exactly what it will change. The count sheet PDF is made in the background.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from shopdesk.errors import NotFoundError, ShopDeskError
from shopdesk.i18n import _
from shopdesk.money import format_number
from shopdesk.stock import stocktake
from shopdesk.stock.stocktake import CountInfo, CountLineInfo
from ui.context import AppContext
from ui.models.count_lines import CountLinesModel, line_name
from ui.widgets.ask import ask
from ui.widgets.feedback import (
    FeedbackLabel,
    cell,
    heading,
    local_time,
    make_table,
    note_label,
    signed,
)
from ui.widgets.files import choose_save_pdf
from ui.widgets.print_flow import print_document
from ui.widgets.product_picker import ProductPicker
from ui.widgets.task_bar import TaskBar, run_owned

GREEN = QColor("#1f6f3f")
RED = QColor("#b3261e")
LAST_STYLE = "font-size: 13pt; font-weight: bold;"


class StartPanel(QWidget):
    """No count is open: start one, see the earlier ones."""

    def __init__(self, tab: StocktakeTab) -> None:
        super().__init__()
        self.tab = tab
        self.note = QLineEdit()
        self.note.setPlaceholderText(_("e.g. end of month"))
        self.start_button = QPushButton(_("Start a stocktake of all products"))
        self.start_button.setProperty("primary", True)
        self.start_button.clicked.connect(tab.start)
        self.past = make_table(
            [_("No"), _("Status"), _("Started"), _("Posted"), _("Note")], stretch=4
        )
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Note")))
        row.addWidget(self.note, 1)
        row.addWidget(self.start_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Stocktake (stock opname)")))
        layout.addWidget(
            note_label(
                _(
                    "Count what is on the shelf while the shop stays open: scan each pack "
                    "(every scan counts one more) or type the number. Sales made during the "
                    "count are taken into account. You review the differences before anything "
                    "changes."
                )
            )
        )
        layout.addLayout(row)
        layout.addSpacing(8)
        layout.addWidget(heading(_("Earlier stocktakes")))
        layout.addWidget(self.past, 1)

    def show_counts(self, counts: list[CountInfo], zone: str) -> None:
        self.past.setRowCount(len(counts))
        for r, c in enumerate(counts):
            values = [
                c.id,
                stocktake.status_label(c.status),
                local_time(c.started_at, zone),
                local_time(c.posted_at, zone),
                c.note,
            ]
            for col, value in enumerate(values):
                self.past.setItem(r, col, cell(value))


class CountPanel(QWidget):
    """The open count: scan field, lines, and the way to the review."""

    def __init__(self, tab: StocktakeTab) -> None:
        super().__init__()
        self.tab = tab
        self.title = heading("")
        self.progress = QLabel()
        # The cashier's picker: scans count at once, a typed name shows its matches.
        self.picker = ProductPicker(
            tab.ctx.session,
            max_rows=5,
            placeholder=_("Scan or type a code, then Enter: each scan counts one more"),
        )
        self.picker.setMinimumWidth(380)
        self.scan = self.picker.edit
        self.scan.setObjectName("countScan")
        self.last = QLabel()
        self.last.setObjectName("lastScan")
        self.last.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.last.setWordWrap(True)
        self.only_open = QCheckBox(_("Only products not counted yet"))
        self.table = QTableView()
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(
            QTableView.EditTrigger.DoubleClicked
            | QTableView.EditTrigger.EditKeyPressed
            | QTableView.EditTrigger.AnyKeyPressed
        )
        self.table.setToolTip(_("Double-click a number in “Counted” to type the count."))
        self.sheet_button = QPushButton(_("Print count sheet…"))
        self.sheet_pdf_button = QPushButton(_("Save as PDF…"))
        self.sheet_pdf_button.setToolTip(_("Save the count sheet as a PDF file"))
        self.review_button = QPushButton(_("Review differences"))
        self.review_button.setToolTip(_("Review what posting will change (Ctrl+Enter)"))
        self.review_button.setProperty("primary", True)
        self.review_button.setShortcut(QKeySequence("Ctrl+Return"))
        self.cancel_button = QPushButton(_("Cancel stocktake…"))
        self.bar = TaskBar()

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.progress)
        scan_row = QHBoxLayout()
        scan_row.addWidget(self.picker, 3, Qt.AlignmentFlag.AlignTop)
        scan_row.addWidget(self.last, 2, Qt.AlignmentFlag.AlignTop)
        filters = QHBoxLayout()
        filters.addWidget(self.only_open)
        filters.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sheet_button)
        buttons.addWidget(self.sheet_pdf_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.review_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(scan_row)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.bar)
        layout.addLayout(buttons)
        self.setTabOrder(self.scan, self.only_open)
        self.setTabOrder(self.only_open, self.table)
        self.setTabOrder(self.table, self.sheet_button)
        self.setTabOrder(self.sheet_button, self.sheet_pdf_button)
        self.setTabOrder(self.sheet_pdf_button, self.cancel_button)
        self.setTabOrder(self.cancel_button, self.review_button)


class ReviewPanel(QWidget):
    """What posting will change, line by line, before it changes anything."""

    def __init__(self, tab: StocktakeTab) -> None:
        super().__init__()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-size: 11.5pt;")
        self.table = make_table(
            [_("Product"), _("SKU"), _("Expected"), _("Counted"), _("Difference")], stretch=0
        )
        self.back_button = QPushButton(_("Back to counting"))
        self.back_button.setShortcut(QKeySequence("Esc"))
        self.post_button = QPushButton(_("Post the adjustments"))
        self.post_button.setToolTip(_("Book every difference in one go (Ctrl+Enter)"))
        self.post_button.setProperty("primary", True)
        self.post_button.setShortcut(QKeySequence("Ctrl+Return"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.post_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Review the differences")))
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def show_count(self, info: CountInfo) -> None:
        diffs = info.differences
        added = sum(d.difference for d in diffs if d.difference > 0)
        removed = -sum(d.difference for d in diffs if d.difference < 0)
        not_counted = len(info.lines) - info.counted_lines
        text = _(
            "{lines} products differ: {added} units will be added and {removed} taken off. "
            "{same} counted products match."
        ).format(
            lines=len(diffs),
            added=format_number(added),
            removed=format_number(removed),
            same=info.counted_lines - len(diffs),
        )
        if not_counted:
            text += " " + _(
                "{count} products were not counted: their stock stays as it is."
            ).format(count=not_counted)
        self.summary.setText(text)
        self.table.setRowCount(len(diffs))
        for r, line in enumerate(diffs):
            self.table.setItem(r, 0, cell(line_name(line)))
            self.table.setItem(r, 1, cell(line.sku))
            self.table.setItem(r, 2, cell(format_number(line.expected), right=True))
            self.table.setItem(r, 3, cell(format_number(line.counted), right=True))
            diff = cell(signed(line.difference), right=True)
            diff.setForeground(GREEN if line.difference > 0 else RED)
            self.table.setItem(r, 4, diff)
        self.post_button.setEnabled(info.counted_lines > 0)


class StocktakeTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.info: CountInfo | None = None
        self.model = CountLinesModel(self._typed, self)
        self.start_panel = StartPanel(self)
        self.count_panel = CountPanel(self)
        self.review_panel = ReviewPanel(self)
        self.feedback = FeedbackLabel()
        self.stack = QStackedWidget()
        for panel in (self.start_panel, self.count_panel, self.review_panel):
            self.stack.addWidget(panel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.feedback)

        p = self.count_panel
        p.picker.picked.connect(self.scanned)
        p.table.setModel(self.model)
        header = p.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        p.only_open.toggled.connect(self.model.set_only_open)
        p.review_button.clicked.connect(self.review)
        p.cancel_button.clicked.connect(self.cancel_count)
        p.sheet_button.clicked.connect(self.print_sheet)
        p.sheet_pdf_button.clicked.connect(self.save_sheet)
        r = self.review_panel
        r.back_button.clicked.connect(lambda: self.stack.setCurrentWidget(self.count_panel))
        r.post_button.clicked.connect(self.post)

    def primary_widget(self) -> QWidget:
        if self.stack.currentWidget() is self.count_panel:
            return self.count_panel.scan
        if self.stack.currentWidget() is self.review_panel:
            return self.review_panel.post_button
        return self.start_panel.start_button

    # --- state -------------------------------------------------------------------

    def reload(self) -> None:
        try:
            self.info = stocktake.get_count(self.ctx.session)
        except NotFoundError:
            self.info = None
        if self.info is None:
            self.start_panel.show_counts(
                stocktake.list_counts(self.ctx.session, limit=50), self.ctx.session.timezone
            )
            self.stack.setCurrentWidget(self.start_panel)
            return
        self._fill_lines()
        if self.stack.currentWidget() is self.review_panel:
            self.review_panel.show_count(self.info)
        else:
            self.stack.setCurrentWidget(self.count_panel)

    def _fill_lines(self) -> None:
        info = self.info
        p = self.count_panel
        started = local_time(info.started_at, self.ctx.session.timezone)
        p.title.setText(_("Stocktake {id} · started {time}").format(id=info.id, time=started))
        self.model.set_lines(info.lines)
        self._update_progress()

    def _update_progress(self) -> None:
        self.count_panel.progress.setText(
            _("Counted {done} of {total} products").format(
                done=self.model.counted_lines(), total=len(self.model.lines)
            )
        )

    def _replace_line(self, line: CountLineInfo) -> None:
        """Show one changed line without reading the whole count again."""
        row = self.model.replace(line)
        self._update_progress()
        if row >= 0:
            index = self.model.index(row, 0)
            self.count_panel.table.scrollTo(index)
            self.count_panel.table.selectRow(row)

    # --- actions ---------------------------------------------------------------

    def start(self) -> None:
        try:
            stocktake.start_count(self.ctx.session, note=self.start_panel.note.text())
        except ShopDeskError as exc:
            self.ctx.show_error(exc, self)
            return
        self.start_panel.note.clear()
        self.feedback.ok(_("Stocktake started. Scan the first product."))
        self.ctx.notify("stock")  # the Stock page reloads this tab
        self.stack.setCurrentWidget(self.count_panel)
        self.count_panel.scan.setFocus()

    def scanned(self, code: str) -> None:
        if self.info is None:
            return
        self.ctx.activity()
        try:
            line = stocktake.scan(self.ctx.session, code=code, count_id=self.info.id)
        except ShopDeskError as exc:
            QApplication.beep()
            self.count_panel.last.setStyleSheet(
                "font-size: 13pt; font-weight: bold; color: #b3261e;"
            )
            self.count_panel.last.setText(exc.message)
            return
        self.count_panel.last.setStyleSheet(LAST_STYLE + "color: #1f6f3f;")
        self.count_panel.last.setText(
            _("{name}: {counted}").format(
                name=line_name(line),
                counted=format_number(line.counted),
            )
        )
        self._replace_line(line)

    def _typed(self, sku: str, text: str) -> bool:
        """A count typed into the table replaces the earlier one."""
        try:
            line = stocktake.enter_count(
                self.ctx.session, sku=sku, counted=text.replace(".", ""), count_id=self.info.id
            )
        except ShopDeskError as exc:
            self.feedback.error(exc.message)
            return False
        self.feedback.ok(
            _("{sku} counted: {counted}").format(sku=sku, counted=format_number(line.counted))
        )
        self._replace_line(line)
        return True

    def review(self) -> None:
        if self.info is None:
            return
        try:
            self.info = stocktake.review(self.ctx.session, count_id=self.info.id)
        except ShopDeskError as exc:
            self.ctx.show_error(exc, self)
            return
        self.review_panel.show_count(self.info)
        self.stack.setCurrentWidget(self.review_panel)
        self.review_panel.post_button.setFocus()

    def post(self) -> None:
        if self.info is None:
            return
        info = self.info
        question = _(
            "Post stocktake {id}? {lines} products get a stocktake movement. "
            "This cannot be undone except by new corrections."
        ).format(id=info.id, lines=len(info.differences))
        if not ask(self, _("Post stocktake"), question, _("Post")):
            return
        try:
            result = stocktake.post_count(self.ctx.session, count_id=info.id)
        except ShopDeskError as exc:
            self.ctx.show_error(exc, self)
            return
        self.feedback.ok(
            _(
                "Stocktake {id} posted: {lines} products adjusted, +{added} and -{removed} units."
            ).format(
                id=result.count_id,
                lines=result.lines_posted,
                added=format_number(result.units_added),
                removed=format_number(result.units_removed),
            )
        )
        self.ctx.notify("stock")  # the Stock page reloads this tab: no count open

    def cancel_count(self) -> None:
        if self.info is None:
            return
        question = _("Cancel stocktake {id}? The counts are dropped and no stock changes.").format(
            id=self.info.id
        )
        if not ask(
            self, _("Cancel stocktake"), question, _("Cancel the stocktake"), _("Keep counting")
        ):
            return
        try:
            stocktake.cancel_count(self.ctx.session, count_id=self.info.id)
        except ShopDeskError as exc:
            self.ctx.show_error(exc, self)
            return
        self.feedback.note(_("Stocktake {id} cancelled.").format(id=self.info.id))
        self.ctx.notify("stock")  # the Stock page reloads this tab

    # --- the count sheet ------------------------------------------------------

    def _sheet_task(self, path: Path, on_done) -> None:
        session, count_id = self.ctx.session, self.info.id

        def work(ctl):
            ctl.progress(0, 0, _("Making the count sheet…"))
            return stocktake.count_sheet(session, path=path, count_id=count_id)

        bar = self.count_panel.bar
        if bar.busy:
            return
        bar.attach(run_owned(self.ctx, self, work, on_done=on_done), _("Making the count sheet…"))

    def save_sheet(self) -> None:
        if self.info is None:
            return
        path = choose_save_pdf(self, "count-sheet", f"stok-opname-{self.info.id}.pdf")
        if path is None:
            return
        self._sheet_task(
            path, lambda p: self.feedback.ok(_("Count sheet saved: {path}").format(path=p))
        )

    def print_sheet(self) -> None:
        if self.info is None:
            return
        folder = Path(tempfile.mkdtemp(prefix="shopdesk-sheet-"))
        path = folder / f"count-{self.info.id}.pdf"

        def made(done_path: Path) -> None:
            data = Path(done_path).read_bytes()
            print_document(
                self.ctx,
                self,
                data,
                bar=self.count_panel.bar,
                title=_("Count sheet"),
                on_done=lambda pages: self.feedback.ok(
                    _("Count sheet sent to the printer ({pages} pages).").format(pages=pages)
                ),
            )

        self._sheet_task(path, made)
