"""First run leads somewhere (issue 16, point 7): the wizard's help is whole, its end names
the first steps, the home page walks them, an empty product list says what to do, and a
new product offers its stock and labels."""

from __future__ import annotations

import pytest

from shopdesk import first_steps, sales, stock
from tests.stock_factories import make_product
from ui.widgets import ask


@pytest.fixture
def choice():
    yield ask.set_choice
    ask.set_choice(None)


def test_wizard_help_is_never_cut(qtbot, home):
    from ui.wizard import FirstRunWizard

    wizard = FirstRunWizard()
    qtbot.addWidget(wizard)
    wizard.resize(wizard.minimumSize())
    wizard.show()
    qtbot.waitExposed(wizard)
    for page in (wizard.page_operator, wizard.page_seller, wizard.page_shop, wizard.page_paper):
        assert page.subTitle() == "" and page.help.text()  # Qt's subtitle cut "… Minimal 8"
    help_label = wizard.page_operator.help
    assert help_label.text().endswith("Minimal 8 karakter.")
    assert help_label.wordWrap()
    assert help_label.height() >= help_label.heightForWidth(help_label.width())
    steps = wizard.page_done.findChild(type(help_label), "firstStepsText")
    assert "1. Tambah produk" in steps.text() and "4. " in steps.text()


def test_home_walks_the_first_steps(qtbot, logged_in, choice, monkeypatch, tmp_path):
    from ui.dialogs.product_editor import ProductEditor

    session = logged_in.ctx.session
    home = logged_in.workspace.open_page("home")
    logged_in.tasks.wait(5000)
    qtbot.waitUntil(lambda: home.first_steps.isVisibleTo(home))
    first = home.first_steps.buttons[first_steps.PRODUCT]
    assert first.property("primary") and first.text().startswith("1.")

    def type_a_product(editor):  # what the seller does in the (modal) editor
        qtbot.keyClicks(editor.name, "Keripik Tempe")
        qtbot.keyClicks(editor.price, "15rb")
        editor.save()
        return editor.result()

    monkeypatch.setattr(ProductEditor, "exec", type_a_product)
    choice("stock")
    first.click()  # → the product editor → "Receive stock"
    assert "Keripik Tempe" in ask.asked[0]
    page = logged_in.workspace.current_page()
    assert type(page).__name__ == "StockPage"
    assert page.stock_in.info is not None and page.stock_in.info.name == "Keripik Tempe"
    sku = page.stock_in.info.sku

    logged_in.workspace.open_page("home")
    logged_in.tasks.wait(5000)
    qtbot.waitUntil(lambda: home.first_steps.buttons[first_steps.PRODUCT].text().startswith("✓"))
    assert home.first_steps.buttons[first_steps.STOCK].property("primary")
    stock.receive(session, sku=sku, quantity=3)
    sales.record_sale(session, lines=[(sku, 1)])
    logged_in.ctx.notify("sales")
    logged_in.tasks.wait(5000)
    qtbot.waitUntil(lambda: not home.first_steps.isVisibleTo(home))


def test_an_empty_product_list_says_what_to_do(qtbot, logged_in, choice, monkeypatch):
    page = logged_in.workspace.open_page("products")
    assert page.empty.isVisibleTo(page) and not page.table.isVisibleTo(page)
    assert "Tambah produk pertama" in " ".join(
        b.text() for b in page.empty.findChildren(type(page.add_button))
    )
    qtbot.keyClicks(page.search, "zzz")
    page.apply_search()
    assert not page.empty.isVisibleTo(page)  # a search that finds nothing is not an empty shop
    make_product(logged_in.ctx.session, name="Gula Aren")
    page.search.clear()
    logged_in.ctx.notify("products")
    page.apply_search()
    assert page.table.isVisibleTo(page) and not page.empty.isVisibleTo(page)


def test_a_new_product_offers_print_labels(qtbot, logged_in, choice, monkeypatch):
    from ui.dialogs.product_editor import ProductEditor

    def type_a_product(editor):
        qtbot.keyClicks(editor.name, "Madu Klanceng")
        qtbot.keyClicks(editor.price, "85000")
        editor.save()
        return editor.result()

    monkeypatch.setattr(ProductEditor, "exec", type_a_product)
    choice("labels")
    page = logged_in.workspace.open_page("products")
    page.add_button.click()
    labels = logged_in.workspace.current_page()
    assert type(labels).__name__ == "LabelsPage"
    assert [sku for sku, _batch, _n in labels.items.rows()] == [
        page.last_editor.saved.variants[0].sku
    ]


def test_labels_saved_from_the_label_page_tick_the_label_step(qtbot, logged_in, tmp_path):
    from tests.ui.test_pages_labels import open_labels, wait_preview
    from ui.widgets import files

    session = logged_in.ctx.session
    sku = make_product(session, name="Tas Pandan")
    assert first_steps.LABEL not in first_steps.first_steps(session).done
    page = open_labels(qtbot, logged_in)
    page.add_sku(sku)
    wait_preview(qtbot, page)
    ask.set_answer(True)  # print anyway, whatever the warnings
    files.answers["save"] = tmp_path / "tas.pdf"
    try:
        page.pdf_button.click()
        qtbot.waitUntil(lambda: page.feedback.kind == "ok", timeout=10000)
    finally:
        ask.set_answer(None)
        files.answers.clear()
    assert (tmp_path / "tas.pdf").read_bytes().startswith(b"%PDF")
    assert first_steps.LABEL in first_steps.first_steps(session).done
