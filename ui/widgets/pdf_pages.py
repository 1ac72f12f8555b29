"""PDF pages as images, and printing a PDF at its true size through QPrinter.

PySide6-Essentials has no QtPdf, and QPrinter cannot print a PDF file by
itself, so pages are drawn with pdfium (``pypdfium2``, a runtime dependency:
one small wheel per platform). pdfium is not thread-safe, so every call here
holds one lock; the functions may run in a ``ui.tasks`` worker (QImage and
painting on a QPrinter are allowed outside the GUI thread).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter

from shopdesk.errors import StorageError
from shopdesk.i18n import _

_lock = threading.Lock()
MM_PER_PT = 25.4 / 72.0
MAX_PRINT_DPI = 300  # enough for 0.3 mm QR modules; more only costs memory


def _document(source: bytes | Path) -> pdfium.PdfDocument:
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    return pdfium.PdfDocument(data)


def page_count(source: bytes | Path) -> int:
    with _lock:
        pdf = _document(source)
        try:
            return len(pdf)
        finally:
            pdf.close()


def page_size_mm(source: bytes | Path, index: int = 0) -> tuple[float, float]:
    with _lock:
        pdf = _document(source)
        try:
            width, height = pdf[index].get_size()
        finally:
            pdf.close()
    return width * MM_PER_PT, height * MM_PER_PT


def _to_qimage(page: pdfium.PdfPage, scale: float) -> QImage:
    image = page.render(scale=scale).to_pil().convert("RGB")
    width, height = image.size
    data = image.tobytes()
    return QImage(data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()


def render_page(source: bytes | Path, index: int = 0, *, dpi: float = 96.0) -> QImage:
    """One page as an image at ``dpi`` (white background)."""
    with _lock:
        pdf = _document(source)
        try:
            return _to_qimage(pdf[index], dpi / 72.0)
        finally:
            pdf.close()


def render_fit(source: bytes | Path, width_px: int, height_px: int, index: int = 0) -> QImage:
    """One page scaled to fit a box of pixels (the live preview)."""
    w_mm, h_mm = page_size_mm(source, index)
    scale_mm = min(width_px / w_mm, height_px / h_mm)
    return render_page(source, index, dpi=max(10.0, scale_mm * 25.4))


def prepare_printer(printer: QPrinter, width_mm: float, height_mm: float) -> None:
    """The paper of the PDF, no margins: a label sheet must not be scaled to fit."""
    size = QPageSize(
        QSizeF(width_mm, height_mm), QPageSize.Unit.Millimeter, "", QPageSize.ExactMatch
    )
    orientation = (
        QPageLayout.Orientation.Landscape
        if width_mm > height_mm and size.id() != QPageSize.PageSizeId.Custom
        else QPageLayout.Orientation.Portrait
    )
    printer.setPageLayout(
        QPageLayout(size, orientation, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    )
    printer.setFullPage(True)


def print_pdf(
    source: bytes | Path,
    printer: QPrinter,
    *,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Draw every page at its true size in millimetres; returns the pages printed."""
    dpi = min(printer.resolution(), MAX_PRINT_DPI)
    painter = QPainter()
    with _lock:
        pdf = _document(source)
        try:
            total = len(pdf)
            if not painter.begin(printer):
                raise StorageError(
                    _("The printer could not be opened. Check that it is on and try again.")
                )
            try:
                for index in range(total):
                    if cancelled and cancelled():
                        printer.abort()
                        return index
                    if index:
                        printer.newPage()
                    page = pdf[index]
                    w_pt, h_pt = page.get_size()
                    image = _to_qimage(page, dpi / 72.0)
                    # Device pixels per millimetre of the printer, so 1 mm stays 1 mm.
                    per_mm = printer.resolution() / 25.4
                    target = QRectF(0, 0, w_pt * MM_PER_PT * per_mm, h_pt * MM_PER_PT * per_mm)
                    painter.drawImage(target, image)
                    if progress:
                        progress(index + 1, total, "")
            finally:
                painter.end()
        finally:
            pdf.close()
    return total
