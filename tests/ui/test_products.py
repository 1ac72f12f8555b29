"""Produk: add a product with a variant and a photo through the editor, search as you
type, and a barcode scanner in the list."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from shopdesk import catalog


def _photo(tmp_path: Path, name: str, colour: str) -> Path:
    from PIL import Image

    path = tmp_path / name
    Image.new("RGB", (400, 300), colour).save(path)
    return path


def test_add_product_with_variant_and_photo(qtbot, logged_in, tmp_path):
    from ui.dialogs.product_editor import ProductEditor

    session = logged_in.ctx.session
    editor = ProductEditor(session)
    qtbot.addWidget(editor)
    qtbot.keyClicks(editor.name, "Keripik Singkong")
    editor.category.setCurrentText("Keripik")
    qtbot.keyClicks(editor.price, "15rb")
    editor.price.editingFinished.emit()
    assert editor.price.text() == "15.000"
    qtbot.keyClicks(editor.option1, "Rasa")
    row = editor.add_variant_row()
    editor.set_variant_cell(row, "option1_value", "Balado")
    editor.set_variant_cell(row, "price", "Rp 16.500,-")
    editor.set_variant_cell(row, "barcode", "8991234567891")
    row = editor.add_variant_row()
    editor.set_variant_cell(row, "option1_value", "Original")
    editor.photos.add_file(_photo(tmp_path, "a.jpg", "red"))
    editor.photos.add_file(_photo(tmp_path, "b.png", "blue"))
    editor.photos.setCurrentRow(1)
    editor.photos.move_selected(-1)  # blue first
    editor.save()
    assert editor.error.text() == ""
    product = editor.saved
    assert product is not None
    assert product.category == "Keripik"
    assert [v.option1_value for v in product.variants] == ["Balado", "Original"]
    assert [v.price for v in product.variants] == [16500, 15000]
    assert len(product.photos) == 2
    first = Path(catalog.thumbnail(session, photo_id=product.photos[0].id, size=96))
    from PIL import Image

    r, _g, b = Image.open(first).convert("RGB").getpixel((48, 48))
    assert b > 200 and r < 60  # the blue photo was moved to the front


def test_editor_refuses_a_bad_price_and_keeps_the_input(qtbot, logged_in):
    from ui.dialogs.product_editor import ProductEditor

    editor = ProductEditor(logged_in.ctx.session)
    qtbot.addWidget(editor)
    editor.name.setText("Gula Aren")
    editor.price.setText("abc")
    editor.save()
    assert editor.saved is None
    assert editor.error.text()
    assert editor.name.text() == "Gula Aren"
    assert catalog.count_products(logged_in.ctx.session) == 0


def test_edit_existing_product_adds_variant_and_removes_photo(qtbot, logged_in, tmp_path):
    from ui.dialogs.product_editor import ProductEditor

    session = logged_in.ctx.session
    made = catalog.create_product(
        session, name="Madu", price="50rb", option1_name="Ukuran",
        variants=[{"option1_value": "250 ml"}],
    )  # fmt: skip
    catalog.add_photo(session, product_id=made.id, image_path=_photo(tmp_path, "m.jpg", "gold"))
    editor = ProductEditor(session, made.id)
    qtbot.addWidget(editor)
    assert editor.photos.count() == 1
    editor.photos.setCurrentRow(0)
    editor._remove_photo()
    row = editor.add_variant_row()
    editor.set_variant_cell(row, "option1_value", "500 ml")
    editor.set_variant_cell(row, "price", "95.000")
    editor.save()
    assert editor.error.text() == ""
    product = catalog.get_product(session, made.id)
    assert [v.option1_value for v in product.variants] == ["250 ml", "500 ml"]
    assert product.variants[1].price == 95000
    assert product.photos == ()
    # removing a saved variant archives it
    editor = ProductEditor(session, made.id)
    qtbot.addWidget(editor)
    editor.variants.setCurrentCell(0, 0)
    editor._remove_variant_row()
    editor.save()
    assert editor.error.text() == ""
    variants = catalog.get_product(session, made.id).variants
    assert [(v.option1_value, v.archived) for v in variants] == [
        ("250 ml", True),
        ("500 ml", False),
    ]


def _some_products(session):
    catalog.create_product(
        session, name="Kopi Robusta Sindoro", price=45000, barcode="8991111111117"
    )
    catalog.create_product(session, name="Kopi Arabika Kledung", price=60000, category="Kopi")
    catalog.create_product(session, name="Gula Aren Cair", price=25000, barcode="8992222222228")


def test_search_as_you_type(qtbot, logged_in):
    _some_products(logged_in.ctx.session)
    page = logged_in.workspace.open_page("products")
    page.refresh()
    assert page.model.rowCount() == 3
    qtbot.keyClicks(page.search, "kop")
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=2000)
    qtbot.keyClicks(page.search, " ara")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=2000)
    assert page.model.row_at(0).product_name == "Kopi Arabika Kledung"
    page.search.clear()
    qtbot.keyClicks(page.search, "gula")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=2000)
    # filters: category and stock state
    page.search.clear()
    page.category.setCurrentIndex(page.category.findData("Kopi"))
    page._filters_changed()
    assert page.model.rowCount() == 1
    page.category.setCurrentIndex(0)
    page.stock.setCurrentIndex(page.stock.findData("out"))
    page._filters_changed()
    assert page.model.rowCount() == 3  # nothing received yet


def test_sort_by_price(qtbot, logged_in):
    _some_products(logged_in.ctx.session)
    page = logged_in.workspace.open_page("products")
    page.refresh()
    page.table.sortByColumn(3, Qt.SortOrder.DescendingOrder)
    assert [page.model.row_at(i).price for i in range(3)] == [60000, 45000, 25000]


def test_scanner_in_the_product_list_finds_the_product(qtbot, logged_in):
    _some_products(logged_in.ctx.session)
    page = logged_in.workspace.open_page("products")
    page.refresh()
    assert page.search.hasFocus() or page.primary_widget() is page.search
    # a USB scanner types the digits quickly and presses Enter
    qtbot.keyClicks(page.search, "8992222222228", delay=1)
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    found = page.current_row()
    assert found is not None and found.product_name == "Gula Aren Cair"
    assert found.exact
    # the next scan replaces the previous code
    qtbot.keyClicks(page.search, "8991111111117")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert page.current_row().product_name == "Kopi Robusta Sindoro"
    # an unknown code says so
    qtbot.keyClicks(page.search, "0000000000000")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert "0000000000000" in page.info.text()


def test_lazy_model_reads_windows_only(qtbot, logged_in, monkeypatch):
    from ui.models import product_list

    session = logged_in.ctx.session
    for i in range(25):
        catalog.create_product(session, name=f"Produk {i:03d}", price=1000 + i)
    monkeypatch.setattr(product_list, "PAGE", 10)
    calls = []
    real = product_list.search.search
    monkeypatch.setattr(
        product_list.search, "search", lambda *a, **k: calls.append(k["offset"]) or real(*a, **k)
    )
    model = product_list.ProductListModel(session)
    model.set_query("")
    assert model.rowCount() == 10 and model.canFetchMore()
    assert calls == [0]
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == 25 and not model.canFetchMore()
    assert calls == [0, 10, 20]
    assert model.row_at(24).product_name == "Produk 024"


def test_item_count_arrives_from_the_background(qtbot, logged_in, monkeypatch):
    from ui.models import product_list

    session = logged_in.ctx.session
    for i in range(12):
        catalog.create_product(session, name=f"Teh {i:02d}", price=5000)
    monkeypatch.setattr(product_list, "PAGE", 5)
    page = logged_in.workspace.open_page("products")
    page.refresh()
    assert page.model.rowCount() == 5
    qtbot.waitUntil(lambda: page.info.text().startswith("12 "), timeout=5000)
    qtbot.waitUntil(lambda: page.categories_loaded, timeout=5000)
