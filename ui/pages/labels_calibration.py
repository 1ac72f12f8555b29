"""Calibrate the printer for one paper: print the outlines, measure, save the offset."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shopdesk.errors import ShopDeskError
from shopdesk.i18n import _
from shopdesk.labels.calibration import (
    MAX_OFFSET_MM,
    CalibrationStore,
    Offset,
    calibration_pdf_bytes,
    instructions,
)
from shopdesk.labels.papers import Paper
from shopdesk.labels.service import labels_dir
from shopdesk.safe_io import write_bytes_atomic
from ui.context import AppContext
from ui.widgets.feedback import FeedbackLabel, heading, note_label
from ui.widgets.files import choose_save_pdf
from ui.widgets.print_flow import print_document
from ui.widgets.task_bar import TaskBar


def offset_box() -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(-MAX_OFFSET_MM, MAX_OFFSET_MM)
    box.setSingleStep(0.5)
    box.setDecimals(1)
    box.setSuffix(" mm")
    return box


class CalibrationDialog(QDialog):
    def __init__(self, ctx: AppContext, paper: Paper, printer: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.paper = paper
        self.printer = printer
        self.store = CalibrationStore(labels_dir())
        self.setWindowTitle(_("Calibrate the printer"))
        self.setMinimumWidth(520)
        current = self.store.get(paper.id, printer)
        self.x = offset_box()
        self.x.setValue(current.x_mm)
        self.y = offset_box()
        self.y.setValue(current.y_mm)
        steps = instructions(paper, current)
        self.print_button = QPushButton(_("Print the calibration page…"))
        self.print_button.clicked.connect(self.print_page)
        self.pdf_button = QPushButton(_("Save it as PDF…"))
        self.pdf_button.clicked.connect(self.save_page)
        self.save_button = QPushButton(_("Save the offset"))
        self.save_button.setProperty("primary", True)
        self.save_button.clicked.connect(self.save_offset)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.reject)
        self.bar = TaskBar()
        self.feedback = FeedbackLabel()

        form = QFormLayout()
        form.addRow(_("Move right (x)"), self.x)
        form.addRow(_("Move down (y)"), self.y)
        page_buttons = QHBoxLayout()
        page_buttons.addWidget(self.print_button)
        page_buttons.addWidget(self.pdf_button)
        page_buttons.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(close)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(paper.name))
        layout.addWidget(note_label("\n".join(steps)))
        layout.addLayout(page_buttons)
        layout.addLayout(form)
        layout.addWidget(self.bar)
        layout.addWidget(self.feedback)
        layout.addLayout(buttons)

    def offset(self) -> Offset:
        return Offset(self.x.value(), self.y.value())

    def save_offset(self) -> None:
        try:
            self.store.set(self.paper.id, self.printer, self.offset())
        except ShopDeskError as exc:
            self.ctx.show_error(exc, self)
            return
        self.ctx.notify("settings")
        self.feedback.ok(_("Offset saved for {paper}.").format(paper=self.paper.name))

    def _page(self) -> bytes:
        return calibration_pdf_bytes(self.paper, self.offset())

    def print_page(self) -> None:
        print_document(
            self.ctx,
            self,
            self._page(),
            bar=self.bar,
            title=_("Calibration page"),
            on_done=lambda _pages: self.feedback.ok(_("Calibration page sent to the printer.")),
        )

    def save_page(self) -> None:
        path = choose_save_pdf(self, "labels", f"kalibrasi-{self.paper.id}.pdf")
        if path is None:
            return
        try:
            write_bytes_atomic(path, self._page())
        except ShopDeskError as exc:
            self.ctx.show_error(exc, self)
            return
        self.feedback.ok(_("Calibration page saved: {path}").format(path=path))
