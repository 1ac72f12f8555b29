"""Stok: stock in with a batch whose expiry comes from the shelf life, stock out with a
reason, history, and a stocktake counted by scanner and posted after the review."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from shopdesk import catalog, stock
from shopdesk.stock import stocktake
from tests.stock_factories import ean13, make_product
from tests.ui.conftest import scan

pytestmark = pytest.mark.usefixtures("answers_yes")


def open_stock(window):
    page = window.workspace.open_page("stock")
    assert type(page).__name__ == "StockPage"
    return page


def test_stock_in_creates_a_batch_with_expiry_from_shelf_life(qtbot, logged_in):
    session = logged_in.ctx.session
    barcode = ean13("899123400001")
    sku = make_product(session, name="Kopi Robusta 250 g", shelf_life_days=180, barcode=barcode)
    page = open_stock(logged_in)
    tab = page.stock_in
    scan(qtbot, tab.picker.edit, barcode)
    assert tab.info is not None and tab.info.sku == sku
    produced = tab.produced.value()
    assert tab.expires.value() == produced + timedelta(days=180)
    tab.quantity.setValue(24)
    qtbot.keyClicks(tab.code, "RB-01")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert tab.feedback.kind == "ok", tab.feedback.text()
    [batch] = stock.batches(session, sku=sku)
    assert (batch.code, batch.on_hand, batch.quantity) == ("RB-01", 24, 24)
    assert batch.expires_on == produced + timedelta(days=180)
    assert tab.batches.table.rowCount() == 1
    assert catalog.get_variant(session, sku).on_hand == 24
    assert tab.labels_button.isVisibleTo(tab)
    tab.labels_button.click()  # on to the Label page with this batch, one label per unit
    labels = logged_in.workspace.current_page()
    assert type(labels).__name__ == "LabelsPage"
    assert labels.items.rows() == ((sku, "RB-01", 24),)


def test_stock_in_by_typed_name_then_stock_out_with_reason(qtbot, logged_in):
    session = logged_in.ctx.session
    sku = make_product(session, name="Gula Aren Cair")
    stock.receive(session, sku=sku, quantity=10)
    page = open_stock(logged_in)
    page.tabs.setCurrentWidget(page.stock_out)
    tab = page.stock_out
    qtbot.keyClicks(tab.picker.edit, "gula are")
    qtbot.keyClick(tab.picker.edit, Qt.Key.Key_Return)
    assert tab.info is not None and tab.info.sku == sku
    tab.quantity.setValue(3)
    tab.reason.setCurrentIndex(tab.reason.findData(stock.DAMAGED))
    qtbot.keyClicks(tab.note, "pecah")
    tab.save_button.click()
    assert catalog.get_variant(session, sku).on_hand == 7
    page.tabs.setCurrentWidget(page.history)
    history = page.history
    assert history.table.rowCount() == 2
    assert history.table.item(0, 2).text() == "-3"
    assert history.table.item(0, 3).text() == stock.reason_label(stock.DAMAGED)


def test_stock_out_below_zero_asks_first(qtbot, logged_in):
    from ui.widgets import ask

    session = logged_in.ctx.session
    sku = make_product(session)
    page = open_stock(logged_in)
    tab = page.stock_out
    tab.choose(sku)
    tab.quantity.setValue(2)
    ask.set_answer(False)
    tab.save_button.click()
    assert ask.asked, "the seller was asked before going below zero"
    assert catalog.get_variant(session, sku).on_hand == 0
    ask.set_answer(True)
    tab.save_button.click()
    assert catalog.get_variant(session, sku).on_hand == -2


def test_stocktake_by_scanner_review_and_post(qtbot, logged_in):
    session = logged_in.ctx.session
    code_a = ean13("899123400010")
    sku_a = make_product(session, name="Keripik Balado", barcode=code_a)
    sku_b = make_product(session, name="Keripik Original")
    stock.receive(session, sku=sku_a, quantity=5)
    stock.receive(session, sku=sku_b, quantity=4)
    page = open_stock(logged_in)
    page.tabs.setCurrentWidget(page.count)
    tab = page.count
    assert tab.stack.currentWidget() is tab.start_panel
    tab.start_panel.start_button.click()
    assert tab.stack.currentWidget() is tab.count_panel
    field = tab.count_panel.scan
    model = tab.model
    for _i in range(3):
        scan(qtbot, field, code_a)
    assert field.text() == ""
    line = next(x for x in stocktake.get_count(session).lines if x.sku == sku_a)
    assert line.counted == 3
    assert "3" in tab.count_panel.last.text()
    scan(qtbot, field, "0000000000000")  # unknown: a message, nothing counted
    assert "0000000000000" in tab.count_panel.picker.message.text()
    tab.count_panel.only_open.setChecked(True)  # the counted line leaves the list
    assert model.row_of(sku_a) == -1 and model.row_of(sku_b) >= 0
    tab.count_panel.only_open.setChecked(False)
    # typing works too: the SKU of B by hand, then its count typed in the table
    scan(qtbot, field, sku_b.lower())
    row = model.row_of(sku_b)
    assert model.setData(model.index(row, 5), "6")  # typed into the "Counted" cell
    assert next(x for x in stocktake.get_count(session).lines if x.sku == sku_b).counted == 6
    tab.count_panel.review_button.click()
    assert tab.stack.currentWidget() is tab.review_panel
    assert tab.review_panel.table.rowCount() == 2
    tab.review_panel.post_button.click()
    assert catalog.get_variant(session, sku_a).on_hand == 3
    assert catalog.get_variant(session, sku_b).on_hand == 6
    assert tab.stack.currentWidget() is tab.start_panel
    assert tab.start_panel.past.rowCount() == 1


def test_count_sheet_printed_at_a4(qtbot, logged_in, tmp_path):
    import pypdfium2 as pdfium
    from PySide6.QtPrintSupport import QPrinter

    from ui.widgets import files

    session = logged_in.ctx.session
    make_product(session, name="Kopi Sangrai")
    stocktake.start_count(session)
    page = open_stock(logged_in)
    page.tabs.setCurrentWidget(page.count)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    files.answers["printer"] = printer
    page.count.count_panel.sheet_button.click()
    qtbot.waitUntil(lambda: page.count.feedback.kind == "ok", timeout=20000)
    width, height = pdfium.PdfDocument(str(tmp_path / "printed.pdf"))[0].get_size()
    assert round(width * 25.4 / 72) == 210 and round(height * 25.4 / 72) == 297


def test_count_sheet_saved_as_pdf_in_background(qtbot, logged_in, tmp_path):
    import pypdfium2 as pdfium

    from ui.widgets import files

    session = logged_in.ctx.session
    make_product(session, name="Teh Kayu Aro")
    stocktake.start_count(session)
    page = open_stock(logged_in)
    page.tabs.setCurrentWidget(page.count)
    target = tmp_path / "sheet.pdf"
    files.answers["save"] = target
    page.count.count_panel.sheet_pdf_button.click()
    qtbot.waitUntil(lambda: page.count.feedback.kind == "ok", timeout=10000)
    assert (
        pdfium.PdfDocument(target.read_bytes())[0]
        .get_textpage()
        .get_text_range()
        .count("Teh Kayu Aro")
    )


def test_a_scan_into_the_quantity_picks_the_next_product(qtbot, logged_in):
    session = logged_in.ctx.session
    code_b = ean13("899123400077")
    sku_a = make_product(session, name="Kerupuk Udang")
    sku_b = make_product(session, name="Kerupuk Ikan", barcode=code_b)
    page = open_stock(logged_in)
    tab = page.stock_in
    tab.choose(sku_a)
    tab.quantity.setValue(5)
    tab.quantity.lineEdit().selectAll()
    scan(qtbot, tab.quantity, code_b)  # the seller scanned the next pack instead
    assert tab.info.sku == sku_b
    assert tab.quantity.value() <= 5  # not 899123...
    tab.quantity.selectAll()
    qtbot.keyClicks(tab.quantity, "12")  # typed by hand: an ordinary quantity
    qtbot.keyClick(tab.quantity, Qt.Key.Key_Return)
    assert tab.quantity.value() == 12 and tab.info.sku == sku_b
