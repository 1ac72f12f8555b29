"""Ekspor, marketplaces (issue 15, points 1-3 in the app): the template chosen once and
kept, couriers ticked, per-product details, the photo address with links filled into a
bundle, and the stock update dialog (list in, ids kept, update file out)."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialogButtonBox, QSpinBox

from shopdesk import catalog, stock
from shopdesk.export import marketplace, mass_update
from shopdesk.export.sheets import SHOPEE_FILE
from tests.export.marketplace_files import SHOPEE_BASIC, shopee_basic, shopee_sales_info
from tests.ui.test_pages_export import only_targets, open_export, product_with_photo
from ui.dialogs.marketplace import CouriersDialog, ProductDetailsDialog, StockUpdateDialog

pytestmark = pytest.mark.usefixtures("answers_yes")
COL = {k: i for i, (k, _h) in enumerate(SHOPEE_BASIC)}


def test_template_couriers_details_and_a_filled_bundle(qtbot, logged_in, tmp_path):
    session = logged_in.ctx.session
    pid = product_with_photo(session, tmp_path, "Keripik Tempe")
    page = open_export(logged_in)
    assert not page.couriers_button.isEnabled()  # no template, no couriers to choose
    template = shopee_basic(tmp_path / "Shopee_mass_upload_basic.xlsx")
    page.set_template("shopee", template)
    template.unlink()  # the stick is pulled out
    assert "Shopee_mass_upload_basic" in page.template_buttons["shopee"].toolTip()
    assert page.couriers_button.isEnabled()

    couriers = CouriersDialog(session, page)
    qtbot.addWidget(couriers)
    couriers.save()  # none ticked: refused, nothing saved
    assert couriers.feedback.text() and marketplace.couriers(session) == []
    couriers.boxes["channel_id.8005"].setChecked(True)
    couriers.save()
    assert marketplace.couriers(session) == ["channel_id.8005"]
    page.refresh()
    assert "Hemat Kargo" in page.couriers_button.toolTip()

    details = ProductDetailsDialog(session, page)
    qtbot.addWidget(details)
    [(row_pid, dangerous, days, shopee, _toko)] = details.rows
    assert row_pid == pid and isinstance(shopee, QComboBox) and isinstance(days, QSpinBox)
    dangerous.setChecked(True)
    days.setValue(2)  # below 3: refused, nothing saved
    details.save()
    assert details.feedback.text() and marketplace.details(session) == {}
    days.setValue(10)
    shopee.setCurrentIndex(shopee.findData("100636"))
    details.save()
    assert marketplace.detail(session, pid) == marketplace.ProductDetail(pid, True, 10, "100636")

    page.base_url.setText("https://toko.example.id/katalog")
    page.save_base_url()
    only_targets(page, "shopee")
    stick = tmp_path / "stick"
    stick.mkdir()
    page.set_folder(stick)
    page.export_button.click()
    qtbot.waitUntil(lambda: not page.bar.busy, timeout=60000)
    [bundle] = [p for p in stick.iterdir() if not p.name.startswith(".")]
    row = next(
        load_workbook(bundle / SHOPEE_FILE)["Template"].iter_rows(min_row=7, values_only=True)
    )
    assert row[COL["ps_dangerous_goods"]] == "Yes (ID)"
    assert row[COL["ps_product_pre_order_dts"]] == 10 and row[COL["ps_category"]] == "100636"
    assert row[COL["channel_id.8005"]] == "Aktif" and row[COL["channel_id.8003"]] == "Nonaktif"
    assert row[COL["ps_item_cover_image"]].startswith("https://toko.example.id/katalog/")

    page.base_url.setText("https://cdn.example.id/toko")
    page.save_base_url()
    page.fill_links_in(bundle)
    row = next(
        load_workbook(bundle / SHOPEE_FILE)["Template"].iter_rows(min_row=7, values_only=True)
    )
    assert row[COL["ps_item_cover_image"]].startswith("https://cdn.example.id/toko/")


def test_a_wrong_template_or_address_changes_nothing(qtbot, logged_in, tmp_path):
    session = logged_in.ctx.session
    page = open_export(logged_in)
    wrong = tmp_path / "laporan.xlsx"
    wrong.write_text("not a workbook")
    page.set_template("shopee", wrong)
    assert "laporan.xlsx" in page.feedback.text()
    assert marketplace.template(session, "shopee") is None
    page.base_url.setText("toko saya")
    assert not page.save_base_url()
    assert marketplace.base_url(session) == ""


def test_stock_update_dialog(qtbot, logged_in, tmp_path):
    session = logged_in.ctx.session
    sku = catalog.get_variant(session, _product(session)).sku
    stock.receive(session, sku=sku, quantity=20)
    dialog = StockUpdateDialog(session)
    qtbot.addWidget(dialog)
    bad = shopee_sales_info(tmp_path / "bad.xlsx", [("123", "Kopi", "x1", "", "", sku, 1, 1)])
    dialog.open_list(bad)
    assert "Baris 7, kolom Kode Variasi" in dialog.feedback.text()
    assert not dialog.keep_button.isEnabled() and mass_update.links(session) == []
    good = shopee_sales_info(
        tmp_path / "list.xlsx",
        [("123", "Kopi", 0, "", "", sku, 1, 1), ("124", "Lain", 0, "", "", "LAIN-1", 1, 1)],
    )
    dialog.open_list(good)
    assert dialog.table.rowCount() == 2 and dialog.keep_button.isEnabled()
    dialog.keep()
    assert [x.item_id for x in mass_update.links(session)] == ["123"]
    dialog.buffer.setValue(3)
    out = tmp_path / "out"
    out.mkdir()
    dialog.write_to(out)
    sheet = load_workbook(dialog.result.path).active
    assert [c.value for c in sheet[7]][5:8] == [sku, 15000, 17]
    assert marketplace.buffer(session) == 3


def _product(session) -> str:
    info = catalog.create_product(session, name="Kopi Bubuk", price=15000, sku="KOPI-9")
    return info.variants[0].sku


def test_couriers_without_a_template_say_what_to_do(qtbot, logged_in):
    dialog = CouriersDialog(logged_in.ctx.session)
    qtbot.addWidget(dialog)
    assert dialog.boxes == {} and dialog.findChildren(QCheckBox) == []
    assert not dialog.findChild(QDialogButtonBox).buttons()[0].isEnabled()
