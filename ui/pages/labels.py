"""Label: choose products or a batch, paper, design and copies; see the first page live;
read the warnings; print at true size or save as PDF; calibrate the printer.

The labels come from the same core calls as ``shopdesk labels print``:
``service.label_items`` → ``job.prepare_job`` → ``pdf.render_pdf_bytes`` with the
printer's calibration offset. The preview is that very PDF, drawn by pdfium.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from shopdesk import catalog, first_steps, i18n, settings, stock
from shopdesk.errors import ShopDeskError
from shopdesk.i18n import N_, _
from shopdesk.labels import notices
from shopdesk.labels import pdf as label_pdf
from shopdesk.labels.calibration import DEFAULT_PRINTER, CalibrationStore, Offset
from shopdesk.labels.designs import Design, list_designs
from shopdesk.labels.job import prepare_job
from shopdesk.labels.notices import LabelWarning
from shopdesk.labels.papers import ROLL, Paper, list_papers
from shopdesk.labels.payloads import KINDS
from shopdesk.labels.service import MAX_COPIES, label_items, labels_dir, user_papers_dir
from ui.context import AppContext
from ui.pages.base import Page
from ui.widgets.ask import choose
from ui.widgets.feedback import FeedbackLabel, cell, heading, make_table, note_label
from ui.widgets.files import choose_save_pdf
from ui.widgets.pdf_pages import render_fit
from ui.widgets.print_flow import print_document
from ui.widgets.product_picker import ProductPicker
from ui.widgets.scan_edit import ScanAwareSpinBox
from ui.widgets.task_bar import TaskBar, run_owned

PREVIEW_DELAY_MS = 350
MAX_ROWS = 200  # rows of the list at once; a bigger run is printed in parts
DESIGN_NAMES = {
    "packaging": N_("Packaging label (food)"),
    "price-tag": N_("Price tag"),
    "shelf-card": N_("Shelf card with QR"),
    "qr-sticker": N_("QR sticker"),
}
QR_NAMES = {
    "whatsapp": N_("WhatsApp order link"),
    "listing": N_("Listing page"),
    "info": N_("Product information (offline)"),
    "vcard": N_("Shop contact card"),
}
COL_PRODUCT, COL_BATCH, COL_COPIES, COL_REMOVE = range(4)


def label_fixes(warnings: tuple[LabelWarning, ...]) -> list[tuple[str, LabelWarning]]:
    """One way to fix per kind (product, shop, batch), first warning of each, in order."""
    fixes: dict[str, LabelWarning] = {}
    for warning in warnings:
        if warning.owner and warning.owner not in fixes:
            fixes[warning.owner] = warning
    return list(fixes.items())


def fix_label(owner: str, warning: LabelWarning) -> str:
    if owner == notices.SHOP:
        return _("Fill in the shop details…")
    if owner == notices.BATCH:
        return _("Choose a batch")
    return _("Fill in the product {sku}…").format(sku=warning.sku)


@dataclass(frozen=True)
class Choice:
    """Everything a run depends on; equal choices give the same PDF."""

    rows: tuple[tuple[str, str | None, int], ...]  # (sku, batch code, copies)
    paper_id: str
    design_id: str
    qr_kind: str | None
    skip: int
    offset: tuple[float, float]


@dataclass(frozen=True)
class Rendered:
    choice: Choice
    pdf: bytes
    pages: int
    labels: int
    warnings: tuple[LabelWarning, ...]
    image: object  # QImage of the first page


def design_label(design: Design) -> str:
    return _(DESIGN_NAMES[design.id]) if design.id in DESIGN_NAMES else design.name


def build_pdf(session, choice: Choice, papers: dict[str, Paper], designs: dict[str, Design]):
    """The core calls of ``shopdesk labels print``, for the rows of the page."""
    items = []
    for sku, batch, copies in choice.rows:
        items.extend(label_items(session, skus=[sku], batch_code=batch, copies=copies))
    job = prepare_job(
        items,
        paper=papers[choice.paper_id],
        design=designs[choice.design_id],
        skip=choice.skip,
        qr_kind=choice.qr_kind,
    )
    data, pages = label_pdf.render_pdf_bytes(job, offset_mm=choice.offset)
    return data, pages, job.label_count, job.warnings


class ItemsTable(QWidget):
    """The products to print: one row each, with an optional batch and the copies."""

    scanned = Signal(str)  # a code scanned into a copies field by mistake

    def __init__(self, ctx: AppContext, on_change) -> None:
        super().__init__()
        self.ctx = ctx
        self.on_change = on_change
        self.table = make_table([_("Product"), _("Batch"), _("Copies"), ""], stretch=0)
        header = self.table.horizontalHeader()
        # Nothing is cut: the name wraps over two lines above its SKU, and the batch
        # column is as wide as its longest choice ("KSP-2612-A · kdl. 05-04-27").
        header.setSectionResizeMode(COL_PRODUCT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_BATCH, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        rows.setMinimumSectionSize(34)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)

    def add(self, sku: str, batch_code: str | None = None) -> None:
        info = catalog.get_variant(self.ctx.session, sku)
        for row in range(self.table.rowCount()):
            if self.table.item(row, COL_PRODUCT).data(Qt.ItemDataRole.UserRole) == info.sku:
                box = self.copies_box(row)
                box.setValue(box.value() + 1)
                return
        row = self.table.rowCount()
        self.table.insertRow(row)
        name = cell(f"{info.name}\n{info.sku}", data=info.sku)
        name.setToolTip(f"{info.name} ({info.sku})")
        self.table.setItem(row, COL_PRODUCT, name)
        batch = QComboBox()
        batch.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        batch.addItem(_("no batch"), None)
        quantities: dict[str, int] = {}
        for b in stock.batches(self.ctx.session, sku=info.sku, include_empty=True):
            batch.addItem(
                _("{code} · exp. {expiry}").format(
                    code=b.code,
                    expiry=b.expires_on.strftime("%d-%m-%y") if b.expires_on else "-",
                ),
                b.code,
            )
            quantities[b.code] = b.quantity or b.on_hand
        copies = ScanAwareSpinBox()
        copies.scanned.connect(self.scanned)
        copies.setRange(1, MAX_COPIES)
        copies.setValue(1)
        copies.valueChanged.connect(self.on_change)

        def batch_chosen(_index: int, combo=batch, spin=copies) -> None:
            code = combo.currentData()
            if code and quantities.get(code):
                spin.setValue(quantities[code])  # one label per unit made in the run
            self.on_change()

        batch.currentIndexChanged.connect(batch_chosen)
        self.table.setCellWidget(row, COL_BATCH, batch)
        self.table.setCellWidget(row, COL_COPIES, copies)
        remove = QPushButton("✕")
        remove.setToolTip(_("Remove this line"))
        remove.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        remove.clicked.connect(lambda _c=False, s=info.sku: self.remove_sku(s))
        self.table.setCellWidget(row, COL_REMOVE, remove)
        if batch_code:
            index = batch.findData(batch_code)
            if index >= 0:
                batch.setCurrentIndex(index)
        self.on_change()

    def remove_sku(self, sku: str) -> None:
        for row in range(self.table.rowCount()):
            if self.table.item(row, COL_PRODUCT).data(Qt.ItemDataRole.UserRole) == sku:
                self.table.removeRow(row)
                break
        self.on_change()

    def copies_box(self, row: int) -> QSpinBox:
        return self.table.cellWidget(row, COL_COPIES)

    def batch_box(self, row: int) -> QComboBox:
        return self.table.cellWidget(row, COL_BATCH)

    def rows(self) -> tuple[tuple[str, str | None, int], ...]:
        return tuple(
            (
                self.table.item(r, COL_PRODUCT).data(Qt.ItemDataRole.UserRole),
                self.batch_box(r).currentData(),
                self.copies_box(r).value(),
            )
            for r in range(self.table.rowCount())
        )


class LabelsPage(Page):
    title = N_("Labels")
    refresh_on = ("products", "stock", "shop", "settings")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        session = ctx.session
        self.papers = {p.id: p for p in list_papers(user_papers_dir())}
        self.designs = {d.id: d for d in list_designs()}
        self.printer_name = settings.get(session, "label_printer") or DEFAULT_PRINTER
        self.rendered: Rendered | None = None
        self._generation = 0
        self._preview_task = None
        self._after_render = None

        self.picker = ProductPicker(session, max_rows=4)
        self.picker.picked.connect(self.add_sku)
        self.category_button = QPushButton()
        self.category_button.setText(_("Whole category"))
        self.category_button.setToolTip(
            _("Add every product of a category (price tags for a shelf)")
        )
        self.category_menu = QMenu(self.category_button)
        self.category_menu.aboutToShow.connect(self._fill_categories)
        self.category_button.setMenu(self.category_menu)
        self.items = ItemsTable(ctx, self.schedule_preview)
        self.items.scanned.connect(self.picker.submit_code)
        self.paper = QComboBox()
        self._fill_papers()
        wanted = settings.get(session, "label_paper")
        self.paper.setCurrentIndex(max(0, self.paper.findData(wanted)))
        self.paper.setMinimumContentsLength(24)
        self.design = QComboBox()
        for design in self.designs.values():
            self.design.addItem(design_label(design), design.id)
        self.qr = QComboBox()
        self.qr.addItem(_("as the design says"), None)
        for kind in KINDS:
            self.qr.addItem(_(QR_NAMES.get(kind, kind)), kind)
        self.skip = QSpinBox()
        self.skip.setToolTip(_("Labels already used on a partly used sheet"))
        self.offset_label = note_label()
        self.calibrate_button = QPushButton(_("Calibrate…"))
        self.calibrate_button.clicked.connect(self.calibrate)

        self.preview = QLabel()
        self.preview.setObjectName("labelPreview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(300, 280)  # all of it on 1366x768 at 125 %
        self.preview.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.preview.setStyleSheet("background: #d9ddd9; border: 1px solid #c9d3cc;")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.warnings = QListWidget()
        self.warnings.setObjectName("labelWarnings")
        self.warnings.setMaximumHeight(110)
        self.warnings.setWordWrap(True)
        self.print_button = QPushButton(_("Print… (Ctrl+P)"))
        self.print_button.setProperty("primary", True)
        self.print_button.setShortcut(QKeySequence.StandardKey.Print)
        self.print_button.clicked.connect(self.print_labels)
        self.pdf_button = QPushButton(_("Save as PDF… (Ctrl+S)"))
        self.pdf_button.setShortcut(QKeySequence.StandardKey.Save)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.bar = TaskBar()
        self.feedback = FeedbackLabel()

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.update_preview)
        self.paper.currentIndexChanged.connect(self._paper_changed)
        for combo in (self.design, self.qr):
            combo.currentIndexChanged.connect(self.schedule_preview)
        self.skip.valueChanged.connect(self.schedule_preview)
        self._layout()
        self._paper_changed()

    def _layout(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(_("Paper"), self.paper)
        form.addRow(_("Design"), self.design)
        form.addRow(_("QR code"), self.qr)
        skip_row = QHBoxLayout()
        skip_row.addWidget(self.skip)
        skip_row.addWidget(note_label(_("labels already used on this sheet")), 1)
        form.addRow(_("Skip"), skip_row)
        calib = QHBoxLayout()
        calib.addWidget(self.offset_label, 1)
        calib.addWidget(self.calibrate_button)
        form.addRow(_("Printer"), calib)
        left = QVBoxLayout()
        left.addWidget(heading(_("What to print")))
        pick_row = QHBoxLayout()
        pick_row.addWidget(self.picker, 1)
        pick_row.addWidget(self.category_button, 0, Qt.AlignmentFlag.AlignTop)
        left.addLayout(pick_row)
        left.addWidget(self.items, 1)
        left.addLayout(form)
        right = QVBoxLayout()
        right.addWidget(heading(_("Preview of the first page")))
        right.addWidget(self.preview, 1)
        right.addWidget(self.summary)
        right.addWidget(self.warnings)
        buttons = QHBoxLayout()
        buttons.addWidget(self.pdf_button)
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        right.addWidget(self.bar)
        right.addLayout(buttons)
        right.addWidget(self.feedback)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(left, 5)
        layout.addLayout(right, 4)
        self.setTabOrder(self.picker.edit, self.items.table)
        self.setTabOrder(self.items.table, self.paper)
        self.setTabOrder(self.paper, self.design)
        self.setTabOrder(self.design, self.qr)
        self.setTabOrder(self.qr, self.skip)
        self.setTabOrder(self.skip, self.calibrate_button)
        self.setTabOrder(self.calibrate_button, self.pdf_button)
        self.setTabOrder(self.pdf_button, self.print_button)

    def primary_widget(self) -> QWidget:
        return self.picker.edit

    def refresh(self) -> None:
        """Products, stock or shop changed: the PDF made before is stale even for the same
        choices (a product just filled in), so it is never printed as it was."""
        self.rendered = None
        self._buttons()
        self._reload_papers()
        self.schedule_preview()

    def _reload_papers(self) -> None:
        """Papers added since (a gLabels file in Settings) join the list."""
        papers = {p.id: p for p in list_papers(user_papers_dir())}
        if papers.keys() == self.papers.keys():
            return
        self.papers = papers
        current = self.paper.currentData()
        self.paper.blockSignals(True)
        self._fill_papers()
        self.paper.setCurrentIndex(max(0, self.paper.findData(current)))
        self.paper.blockSignals(False)

    def _fill_papers(self) -> None:
        self.paper.clear()
        for paper in sorted(self.papers.values(), key=lambda p: (p.kind != "sheet", p.name)):
            text = paper.name
            if paper.check_against_pack:
                text = _("{name} (check against the pack)").format(name=paper.name)
            self.paper.addItem(text, paper.id)

    def show_item(self, item: object) -> None:
        """``navigate("labels", sku)`` or ``(sku, batch_code)`` adds that product."""
        if isinstance(item, str):
            self.add_sku(item)
        elif isinstance(item, tuple) and len(item) == 2:
            self.add_sku(item[0], item[1])

    # --- choices --------------------------------------------------------------------

    def add_sku(self, sku: str, batch_code: str | None = None) -> None:
        try:
            self.items.add(sku, batch_code)
        except ShopDeskError as exc:
            self.ctx.show_error(exc, self)

    def _fill_categories(self) -> None:
        self.category_menu.clear()
        for category in catalog.list_categories(self.ctx.session):
            if not category.product_count:
                continue
            action = self.category_menu.addAction(
                _("{name} ({count})").format(name=category.name, count=category.product_count)
            )
            action.triggered.connect(lambda _c=False, n=category.name: self.add_category(n))
        if self.category_menu.isEmpty():
            self.category_menu.addAction(_("No categories yet")).setEnabled(False)

    def add_category(self, name: str) -> None:
        """One row per variant of the category's products, up to MAX_ROWS."""
        products = catalog.list_products(self.ctx.session, category=name)
        skus = [v.sku for p in products for v in p.active_variants]
        for sku in skus[:MAX_ROWS]:
            self.add_sku(sku)
        if len(skus) > MAX_ROWS:
            self.feedback.note(
                _("Only the first {limit} of {count} products were added.").format(
                    limit=MAX_ROWS, count=len(skus)
                )
            )

    def current_paper(self) -> Paper:
        return self.papers[self.paper.currentData()]

    def offset(self) -> Offset:
        try:
            return CalibrationStore(labels_dir()).get(self.current_paper().id, self.printer_name)
        except ShopDeskError:
            return Offset()

    def _paper_changed(self) -> None:
        paper = self.current_paper()
        per_page = paper.labels_per_page
        self.skip.setRange(0, max(0, per_page - 1))
        self.skip.setEnabled(paper.kind != ROLL and per_page > 1)
        if paper.kind == ROLL:
            self.skip.setValue(0)
        offset = self.offset()
        printer = (
            _("default printer") if self.printer_name == DEFAULT_PRINTER else self.printer_name
        )
        self.offset_label.setText(
            _("{printer}: offset x {x} mm, y {y} mm").format(
                printer=printer,
                x=i18n.decimal(offset.x_mm, "+.1f"),
                y=i18n.decimal(offset.y_mm, "+.1f"),
            )
        )
        self.schedule_preview()

    def choice(self) -> Choice:
        return Choice(
            rows=self.items.rows(),
            paper_id=self.paper.currentData(),
            design_id=self.design.currentData(),
            qr_kind=self.qr.currentData(),
            skip=self.skip.value(),
            offset=self.offset().as_tuple(),
        )

    # --- preview ----------------------------------------------------------------------

    def schedule_preview(self, *_args) -> None:
        self._timer.start()

    def update_preview(self) -> None:
        """Build the PDF and draw its first page in the background; newest choice wins."""
        self._timer.stop()
        choice = self.choice()
        self._generation += 1
        generation = self._generation
        if self._preview_task is not None:
            self._preview_task.cancel()
        if not choice.rows:
            self.rendered = None
            self.preview.setPixmap(QPixmap())
            self.preview.setText(_("Scan or search a product to see its labels here."))
            self.summary.setText("")
            self.warnings.clear()
            self._buttons()
            return
        session, papers, designs = self.ctx.session, self.papers, self.designs
        size = self.preview.size()
        width, height = max(size.width() - 12, 200), max(size.height() - 12, 200)

        def work(ctl):
            data, pages, labels, warnings = build_pdf(session, choice, papers, designs)
            ctl.check()
            image = render_fit(data, width, height)
            return Rendered(choice, data, pages, labels, warnings, image)

        def done(result: Rendered) -> None:
            if generation == self._generation:
                self._show(result)

        def failed(exc: BaseException) -> None:
            if generation != self._generation:
                return
            self.rendered = None
            self._after_render = None
            self.preview.setPixmap(QPixmap())
            message = exc.message if isinstance(exc, ShopDeskError) else str(exc)
            self.preview.setText(message)
            self.preview.setWordWrap(True)
            self._buttons()
            if not isinstance(exc, ShopDeskError):
                self.ctx.show_error(exc, self)

        self._preview_task = run_owned(self.ctx, self, work, on_done=done, on_error=failed)
        self.print_button.setEnabled(False)
        self.pdf_button.setEnabled(False)

    def _show(self, result: Rendered) -> None:
        self.rendered = result
        self.preview.setPixmap(QPixmap.fromImage(result.image))
        self.summary.setText(
            _("{labels} labels on {pages} pages ({paper}).").format(
                labels=result.labels, pages=result.pages, paper=self.current_paper().name
            )
        )
        self.warnings.clear()
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        for warning in result.warnings:
            item = QListWidgetItem(icon, str(warning))
            item.setForeground(QColor("#8a4500"))
            self.warnings.addItem(item)
        self.warnings.setVisible(bool(result.warnings))
        self._buttons()
        action, self._after_render = self._after_render, None
        if action is not None and result.choice == self.choice():
            action()

    def _buttons(self) -> None:
        ready = self.rendered is not None and not self.bar.busy
        self.print_button.setEnabled(ready)
        self.pdf_button.setEnabled(ready)

    def fresh(self, then=None) -> Rendered | None:
        """The rendered PDF when it still matches the choices on screen; otherwise
        render it now and run ``then`` (the button that was pressed) when it is ready."""
        if self.rendered is not None and self.rendered.choice == self.choice():
            return self.rendered
        self._after_render = then
        self.update_preview()
        return None

    def _accept_warnings(self, rendered: Rendered) -> bool:
        """True to print; otherwise the seller is taken to what fixes the warnings.

        The fix is the default button (Enter): the product editor on the missing field,
        the shop details, or the batch list. Closing says so: never silently nothing.
        """
        if not rendered.warnings:
            return True
        lines = "\n".join(f"• {w}" for w in rendered.warnings[:8])
        fixes = label_fixes(rendered.warnings)
        answer = choose(
            self,
            _("Check the labels"),
            _("These labels have warnings:\n{lines}").format(lines=lines),
            [(owner, fix_label(owner, warning)) for owner, warning in fixes]
            + [("print", _("Print anyway"))],
            yes="print",
        )
        if answer == "print":
            return True
        fix = dict(fixes).get(answer)
        if fix is None:
            self.feedback.note(_("Nothing printed: fix the warnings, or print anyway."))
        else:
            self.fix(answer, fix)
        return False

    def fix(self, owner: str, warning: LabelWarning) -> None:
        """Open what fills the missing field of ``warning``."""
        if owner == notices.SHOP:
            self.ctx.navigate("settings", warning.field)
        elif owner == notices.BATCH:
            row = next(i for i, r in enumerate(self.items.rows()) if r[0] == warning.sku)
            box = self.items.batch_box(row)
            box.setFocus()
            box.showPopup()
        else:
            self.edit_product(warning.sku, warning.field)

    def edit_product(self, sku: str, field: str) -> None:
        from ui.dialogs.product_editor import ProductEditor

        try:
            editor = ProductEditor(
                self.ctx.session, catalog.get_variant(self.ctx.session, sku).product_id, self
            )
        except ShopDeskError as exc:
            self.ctx.show_error(exc, self)
            return
        editor.focus_field(field)
        self.last_editor = editor
        if editor.exec() and editor.saved is not None:
            self.ctx.notify("products")

    # --- output -------------------------------------------------------------------------

    def save_pdf(self) -> None:
        rendered = self.fresh(then=self.save_pdf)
        if rendered is None or not self._accept_warnings(rendered):
            return
        path = choose_save_pdf(self, "labels", "label.pdf")
        if path is None:
            return
        from shopdesk.safe_io import write_bytes_atomic

        def work(ctl):
            write_bytes_atomic(path, rendered.pdf)
            return path

        def done(written) -> None:
            self.feedback.ok(_("Labels saved: {path}").format(path=written))
            self._printed()
            self._buttons()

        self.bar.attach(run_owned(self.ctx, self, work, on_done=done), _("Saving the labels…"))
        self.bar.task.finished.connect(self._buttons)

    def print_labels(self) -> None:
        rendered = self.fresh(then=self.print_labels)
        if rendered is None or not self._accept_warnings(rendered):
            return

        def done(pages: int) -> None:
            self.feedback.ok(_("Sent to the printer: {pages} pages.").format(pages=pages))
            self._printed()

        task = print_document(
            self.ctx, self, rendered.pdf, bar=self.bar, title=_("Labels"), on_done=done
        )
        if task is not None:
            self._buttons()
            task.finished.connect(self._buttons)

    def _printed(self) -> None:
        """Labels saved or printed: the shop's "print a label" first step is done (the page
        writes its own PDF, so it tells the core as ``write_print`` does for the CLI)."""
        try:
            first_steps.mark_label_printed(self.ctx.session)
        except ShopDeskError as exc:  # the labels are out; a failed mark only says so
            self.ctx.show_error(exc, self)
        self.ctx.notify("labels")

    def calibrate(self) -> None:
        from ui.pages.labels_calibration import CalibrationDialog

        dialog = CalibrationDialog(self.ctx, self.current_paper(), self.printer_name, self)
        dialog.exec()
        self._paper_changed()


__all__ = ["LabelsPage"]
