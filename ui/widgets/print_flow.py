"""Send a finished PDF to a printer through the system dialog, at its true size."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget

from shopdesk.i18n import _
from ui.context import AppContext
from ui.tasks import Task
from ui.widgets.files import choose_printer
from ui.widgets.pdf_pages import page_size_mm, prepare_printer, print_pdf
from ui.widgets.task_bar import TaskBar, run_owned


def print_document(
    ctx: AppContext,
    parent: QWidget,
    source: bytes | Path,
    *,
    bar: TaskBar,
    title: str,
    on_done: Callable[[int], None],
) -> Task | None:
    """Ask for a printer (paper preset to the PDF's size), then print in the background."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    width, height = page_size_mm(source)
    prepare_printer(printer, width, height)
    if not choose_printer(parent, printer):
        return None
    holder = {"printer": printer}  # kept alive until the work ends

    def work(ctl):
        return print_pdf(
            source, holder["printer"], progress=ctl.progress, cancelled=ctl.is_cancelled
        )

    task = run_owned(ctx, parent, work, on_done=on_done)
    task.finished.connect(holder.clear)
    return bar.attach(task, _("Printing {title}…").format(title=title))
