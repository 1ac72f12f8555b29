"""Label: choose a product and a batch, see the preview and the warnings, save the PDF
and print through QPrinter at true size; every QR code decodes to the WhatsApp link."""

from __future__ import annotations

from urllib.parse import unquote

import pypdfium2 as pdfium
import pytest
import zxingcpp
from PySide6.QtCore import Qt

from shopdesk import catalog, stock
from tests.stock_factories import ean13, make_product

pytestmark = pytest.mark.usefixtures("answers_yes")


def decode_pages(data: bytes, dpi: int = 200) -> list[list[str]]:
    pdf = pdfium.PdfDocument(data)
    found = []
    for page in pdf:
        image = page.render(scale=dpi / 72).to_pil().convert("L")
        found.append([r.text for r in zxingcpp.read_barcodes(image)])
    return found


def page_size_mm(data: bytes) -> tuple[float, float]:
    width, height = pdfium.PdfDocument(data)[0].get_size()
    return round(width * 25.4 / 72, 1), round(height * 25.4 / 72, 1)


def set_combo(combo, data) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def open_labels(qtbot, window):
    page = window.workspace.open_page("labels")
    assert type(page).__name__ == "LabelsPage"
    return page


def wait_preview(qtbot, page) -> None:
    page.update_preview()
    qtbot.waitUntil(
        lambda: page.rendered is not None and page.rendered.choice == page.choice(), timeout=15000
    )


def test_labels_of_a_batch_saved_as_pdf_decode(qtbot, logged_in, tmp_path):
    session = logged_in.ctx.session
    code = ean13("899123400200")
    sku = make_product(session, name="Kopi Sindoro", shelf_life_days=120, barcode=code)
    catalog.update_product(
        session,
        catalog.get_variant(session, sku).product_id,
        netto="250 g",
        composition="Kopi arabika 100%",
    )
    stock.receive(session, sku=sku, quantity=5, batch_code="K01")
    page = open_labels(qtbot, logged_in)
    qtbot.keyClicks(page.picker.edit, code)
    qtbot.keyClick(page.picker.edit, Qt.Key.Key_Return)
    assert page.items.table.rowCount() == 1
    set_combo(page.items.batch_box(0), "K01")
    assert page.items.copies_box(0).value() == 5  # one label per unit made
    set_combo(page.paper, "a4-3x8")
    set_combo(page.design, "packaging")
    set_combo(page.qr, "whatsapp")
    page.skip.setValue(2)
    wait_preview(qtbot, page)
    assert not page.preview.pixmap().isNull()
    assert page.rendered.labels == 5 and page.rendered.pages == 1
    target = tmp_path / "labels.pdf"
    from ui.widgets import files

    files.answers["save"] = target
    page.pdf_button.click()
    qtbot.waitUntil(lambda: page.feedback.kind == "ok", timeout=10000)
    data = target.read_bytes()
    assert page_size_mm(data) == (210.0, 297.0)
    [codes] = decode_pages(data)
    qr = [c for c in codes if c.startswith("https://wa.me/")]
    assert len(qr) == 5
    assert "6281227001234" in qr[0]
    assert sku in unquote(qr[0])


def test_print_through_qprinter_at_true_size(qtbot, logged_in, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    from ui.widgets import files

    session = logged_in.ctx.session
    sku = make_product(session, name="Madu Hutan")
    page = open_labels(qtbot, logged_in)
    page.add_sku(sku)
    set_combo(page.paper, "roll-50x30")
    set_combo(page.design, "qr-sticker")
    set_combo(page.qr, "whatsapp")
    page.items.copies_box(0).setValue(2)
    wait_preview(qtbot, page)
    out = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    files.answers["printer"] = printer
    page.print_button.click()
    qtbot.waitUntil(lambda: page.feedback.kind == "ok", timeout=20000)
    data = out.read_bytes()
    # the paper's own size (to the point Qt rounds to), not A4 scaled down
    assert page_size_mm(data) == pytest.approx((50.0, 30.0), abs=0.2)
    pages = decode_pages(data, dpi=300)
    assert len(pages) == 2
    assert all(any(c.startswith("https://wa.me/") for c in codes) for codes in pages)


def test_missing_food_fields_are_warned_before_printing(qtbot, logged_in, tmp_path):
    from ui.widgets import ask, files

    sku = make_product(logged_in.ctx.session, name="Keripik Tanpa Komposisi", shelf_life_days=60)
    page = open_labels(qtbot, logged_in)
    page.add_sku(sku)
    set_combo(page.design, "packaging")
    wait_preview(qtbot, page)
    assert page.warnings.count() > 0
    assert page.warnings.isVisibleTo(page)
    ask.set_answer(False)
    files.answers["save"] = tmp_path / "x.pdf"
    page.pdf_button.click()
    assert ask.asked  # the seller saw the warnings and chose to fix first
    assert not (tmp_path / "x.pdf").exists()


def test_calibration_page_saved(qtbot, logged_in, tmp_path):
    from ui.pages.labels_calibration import CalibrationDialog
    from ui.widgets import files

    page = open_labels(qtbot, logged_in)
    dialog = CalibrationDialog(page.ctx, page.current_paper(), "default", page)
    qtbot.addWidget(dialog)
    dialog.x.setValue(1.5)
    dialog.save_offset()
    files.answers["save"] = tmp_path / "cal.pdf"
    dialog.save_page()
    assert (tmp_path / "cal.pdf").read_bytes().startswith(b"%PDF")
    page._paper_changed()
    assert page.offset().x_mm == 1.5
    assert "+1,5" in page.offset_label.text()  # a decimal comma in Indonesian


def test_save_right_after_a_change_waits_for_the_new_pdf(qtbot, logged_in, tmp_path):
    from ui.widgets import files

    sku = make_product(logged_in.ctx.session, name="Sale Pisang")
    page = open_labels(qtbot, logged_in)
    page.add_sku(sku)
    wait_preview(qtbot, page)
    page.items.copies_box(0).setValue(7)  # the preview is now out of date
    files.answers["save"] = tmp_path / "seven.pdf"
    page.save_pdf()
    qtbot.waitUntil(lambda: page.feedback.kind == "ok", timeout=15000)
    assert page.rendered.labels == 7
    assert (tmp_path / "seven.pdf").read_bytes() == page.rendered.pdf


def test_a_whole_category_at_once(qtbot, logged_in):
    session = logged_in.ctx.session
    for name in ("Keripik Talas", "Keripik Sukun"):
        sku = make_product(session, name=name)
        pid = catalog.get_variant(session, sku).product_id
        catalog.update_product(session, pid, category="Keripik")
    make_product(session, name="Kopi Bubuk")
    page = open_labels(qtbot, logged_in)
    page._fill_categories()
    [action] = page.category_menu.actions()
    assert action.text() == "Keripik (2)"
    action.trigger()
    assert page.items.table.rowCount() == 2
