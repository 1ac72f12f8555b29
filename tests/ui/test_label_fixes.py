"""Labels say what they hold (issue 16, point 6), on the Label page: the warnings dialog
leads to what fills a missing field (Enter takes that way, closing says so), and long
names and batch codes are never cut."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from shopdesk import catalog, profiles, stock
from tests.stock_factories import make_product
from tests.ui.test_pages_labels import open_labels, set_combo, wait_preview
from ui.pages.labels import COL_BATCH, COL_PRODUCT
from ui.widgets import ask, files


@pytest.fixture
def choice():
    yield ask.set_choice
    ask.set_choice(None)


def _food_product(session, name="Keripik Tanpa Komposisi"):
    return make_product(session, name=name, shelf_life_days=60)


def test_enter_on_the_warnings_takes_the_first_way_to_fix(qtbot, logged_in):
    """The real dialog, no preset: Enter presses the first way, never "nothing"."""
    picked: list[str] = []

    def press_enter() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        box.defaultButton().click()  # what Enter does on a message box

    QTimer.singleShot(0, press_enter)
    picked.append(ask.choose(None, "t", "x", [("product", "Fill in"), ("print", "Print anyway")]))
    assert picked == ["product"]


def test_a_missing_product_field_opens_the_editor_on_it(
    qtbot, logged_in, choice, monkeypatch, tmp_path
):
    from ui.dialogs.product_editor import ProductEditor

    sku = _food_product(logged_in.ctx.session)
    page = open_labels(qtbot, logged_in)
    page.add_sku(sku)
    set_combo(page.design, "packaging")
    wait_preview(qtbot, page)
    seen = {}

    def fill_in(editor):  # the seller sees the missing field and types it
        seen["tab"] = editor.tabs.tabText(editor.tabs.currentIndex())
        seen["focus"] = editor.focusWidget()
        editor.netto.setText("100 g")
        editor.composition.setPlainText("Singkong, minyak, garam")
        editor.save()
        return editor.result()

    monkeypatch.setattr(ProductEditor, "exec", fill_in)
    choice("product")
    files.answers["save"] = tmp_path / "x.pdf"
    page.pdf_button.click()
    assert seen["tab"] == "Label pangan" and seen["focus"] is page.last_editor.netto
    assert not (tmp_path / "x.pdf").exists()  # nothing printed while fixing
    product = catalog.get_product(
        logged_in.ctx.session, catalog.get_variant(logged_in.ctx.session, sku).product_id
    )
    assert (product.netto, product.composition) == ("100 g", "Singkong, minyak, garam")
    assert page.rendered is None  # the PDF made before the fix is never printed
    wait_preview(qtbot, page)
    assert not [w for w in page.rendered.warnings if w.field in ("netto", "composition")]


def test_closing_the_warnings_says_nothing_was_printed(qtbot, logged_in, choice, tmp_path):
    page = open_labels(qtbot, logged_in)
    page.add_sku(_food_product(logged_in.ctx.session))
    set_combo(page.design, "packaging")
    wait_preview(qtbot, page)
    choice("")
    files.answers["save"] = tmp_path / "x.pdf"
    page.pdf_button.click()
    assert page.feedback.kind == "note" and "Tidak ada yang dicetak" in page.feedback.text()
    assert not (tmp_path / "x.pdf").exists()


def test_a_halal_mark_without_a_number_leads_to_the_shop_details(qtbot, logged_in, choice):
    session = logged_in.ctx.session
    catalog.create_product(
        session, name="Dodol Durian", sku="DODL-0001", price=20000, is_food=True, halal=True,
        netto="250 g", composition="Durian, ketan, gula aren",
    )  # fmt: skip
    profiles.update_shop(session, halal_cert_number="")
    page = open_labels(qtbot, logged_in)
    page.add_sku("DODL-0001")
    set_combo(page.design, "packaging")
    wait_preview(qtbot, page)
    assert any(w.field == "halal" for w in page.rendered.warnings)
    choice("shop")
    page.print_button.click()
    settings_page = logged_in.workspace.current_page()
    assert type(settings_page).__name__ == "SettingsPage"
    assert settings_page.focusWidget() is settings_page.shop_fields["halal_cert_number"]


def test_missing_batch_dates_lead_to_the_batch_list(qtbot, logged_in, choice):
    session = logged_in.ctx.session
    sku = _food_product(session)
    catalog.update_product(
        session, catalog.get_variant(session, sku).product_id, netto="1 kg", composition="x"
    )
    page = open_labels(qtbot, logged_in)
    page.add_sku(sku)
    set_combo(page.design, "packaging")
    wait_preview(qtbot, page)
    choice("batch")
    page.print_button.click()
    assert page.focusWidget() is page.items.batch_box(0)
    page.items.batch_box(0).hidePopup()


def test_long_names_and_batch_codes_are_not_cut(qtbot, logged_in):
    session = logged_in.ctx.session
    sku = make_product(session, name="Keripik Singkong Pedas Daun Jeruk Purut Kemasan Ekonomis")
    stock.receive(
        session, sku=sku, quantity=12, batch_code="KSP-2612-A-LONG", expires_on="2027-04-05"
    )
    logged_in.resize(1366, 768)
    page = open_labels(qtbot, logged_in)
    page.add_sku(sku, "KSP-2612-A-LONG")
    qtbot.waitUntil(lambda: page.items.table.rowCount() == 1)
    table = page.items.table
    table.resizeRowsToContents()
    box = page.items.batch_box(0)
    assert "KSP-2612-A-LONG" in box.currentText()
    assert table.columnWidth(COL_BATCH) >= box.sizeHint().width()
    item = table.item(0, COL_PRODUCT)
    assert item.text().splitlines() == [
        "Keripik Singkong Pedas Daun Jeruk Purut Kemasan Ekonomis",
        sku,
    ]
    metrics = table.fontMetrics()
    rect = table.visualItemRect(item)
    needed = metrics.boundingRect(
        rect.adjusted(0, 0, -8, 0), 0x1000 | 0x0001, item.text()
    )  # word wrap, left: the text as the cell lays it out
    assert needed.height() <= rect.height()
    assert table.rowHeight(0) > metrics.height() * 2


def test_a_compressed_glabels_file_adds_papers_from_settings(qtbot, logged_in, tmp_path):
    import gzip
    from pathlib import Path

    source = Path(__file__).resolve().parent.parent / "fixtures" / "glabels"
    packed = tmp_path / "Testco.glabels"  # as gLabels saves it: gzip
    packed.write_bytes(gzip.compress((source / "plain-templates.xml").read_bytes()))
    labels = open_labels(qtbot, logged_in)
    assert labels.paper.findData("gl-testco-l7159") < 0
    settings_page = logged_in.workspace.open_page("settings")
    files.answers["open"] = [packed]
    settings_page.glabels_button.click()
    assert "Testco L7159" in settings_page.message.text()
    assert settings_page.paper.findData("gl-testco-l7159") >= 0
    logged_in.workspace.open_page("labels")
    assert labels.paper.findData("gl-testco-l7159") >= 0
    files.answers["open"] = [tmp_path / "missing.glabels"]
    settings_page = logged_in.workspace.open_page("settings")
    settings_page.glabels_button.click()  # a clear message, nothing added, no traceback
    from ui import errors

    dialog = errors.last_dialog()
    assert dialog is not None and "missing.glabels" in dialog.message_label.text()
