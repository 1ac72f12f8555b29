"""The seller's downloaded Shopee template, filled as it is (issue 15, point 1):
couriers, Produk Berbahaya, weight in the header's unit, pre-order days."""

from __future__ import annotations

from dataclasses import replace

import pytest
from openpyxl import load_workbook

from shopdesk.errors import ValidationError
from shopdesk.export.bundle import export_bundle, set_url
from shopdesk.export.sheets import SHOPEE_FILE
from tests.export.factory import SHOP
from tests.export.marketplace_files import HEADER_FILL, SHOPEE_BASIC, shopee_basic

KEYS = [k for k, _h in SHOPEE_BASIC]
COL = {k: i for i, k in enumerate(KEYS)}


@pytest.fixture
def template(tmp_path):
    return shopee_basic(tmp_path / "Shopee_mass_upload_basic_template.xlsx")


def _export(products, stick, options, template, **kw):
    opts = replace(options, shopee_template=template, targets=("shopee",), **kw)
    return export_bundle(products, shop=SHOP, out_dir=stick, options=opts)


def _rows(path):
    ws = load_workbook(path / SHOPEE_FILE)["Template"]
    return ws, list(ws.iter_rows(min_row=7, values_only=True))


def test_shopee_basic_template_is_filled_below_its_instruction_rows(
    products, stick, options, template
):
    before = load_workbook(template)
    result = _export(products, stick, options, template,
                     shopee_channels=frozenset({"channel_id.8003", "channel_id.8005"}))  # fmt: skip
    wb = load_workbook(result.path / SHOPEE_FILE)
    assert wb.sheetnames == ["Petunjuk", "Template", "Kategori"]
    assert wb["Kategori"].sheet_state == "hidden"
    assert [list(r) for r in wb["Kategori"].values] == [list(r) for r in before["Kategori"].values]
    ws, rows = _rows(result.path)
    for row in range(1, 7):  # keys, Shopee's ids, headers and guides untouched
        assert [c.value for c in ws[row]] == [c.value for c in before["Template"][row]]
    assert ws.row_dimensions[1].hidden and ws.row_dimensions[2].hidden
    assert ws["A3"].font.b and ws["A3"].fill.fgColor.rgb == HEADER_FILL  # styles kept
    assert len(ws.data_validations.dataValidation) == 1
    first = rows[0]
    assert first[COL["ps_product_name"]] == "Kopi Robusta Temanggung Bubuk"
    assert first[COL["ps_weight"]] == pytest.approx(0.27)  # the guide says kg
    assert first[COL["ps_dangerous_goods"]] == "No (ID)"  # the template's own word
    couriers = {k: first[COL[k]] for k in KEYS if k.startswith("channel_id")}
    assert couriers == {
        "channel_id.8003": "Aktif", "channel_id.8005": "Aktif", "channel_id.8001": "Nonaktif",
        "channel_id.8002": "Nonaktif", "channel_id.8000": "Nonaktif",
    }  # fmt: skip
    assert all(r[COL["channel_id.8003"]] == "Aktif" for r in rows)
    assert first[COL["ps_product_pre_order_dts"]] is None  # ready stock
    assert first[COL["et_title_reason"]] is None
    layout = result.manifest["targets"]["shopee"]["layout"]
    assert layout["first_row"] == 7 and layout["weight_unit"] == "kg"
    assert layout["channels"] == ["channel_id.8003", "channel_id.8005"]


def test_dangerous_goods_pre_order_and_grams(products, stick, options, tmp_path):
    template = shopee_basic(tmp_path / "g.xlsx", weight_guide="Berat dalam gram")
    products = [replace(products[0], dangerous=True, preorder_days=7), *products[1:]]
    result = _export(products, stick, options, template,
                     shopee_channels=frozenset({"channel_id.8000"}))  # fmt: skip
    _ws, rows = _rows(result.path)
    assert rows[0][COL["ps_dangerous_goods"]] == "Yes (ID)"
    assert rows[0][COL["ps_product_pre_order_dts"]] == 7
    assert rows[0][COL["ps_weight"]] == 270
    assert rows[1][COL["ps_dangerous_goods"]] == "No (ID)"
    assert rows[0][COL["channel_id.8000"]] == "Aktif"


def test_no_active_courier_is_refused_before_anything_is_written(
    products, stick, options, template
):
    with pytest.raises(ValidationError) as err:
        _export(products, stick, options, template)
    assert "Reguler (Cashless), Hemat Kargo, Same Day, Next Day, Instant" in err.value.message
    assert list(stick.iterdir()) == []
    unknown = frozenset({"channel_id.9999"})  # a courier the template does not have
    with pytest.raises(ValidationError):
        _export(products, stick, options, template, shopee_channels=unknown)
    assert list(stick.iterdir()) == []


def test_set_url_keeps_couriers_and_details(products, stick, options, template):
    products = [replace(products[0], dangerous=True, preorder_days=5), *products[1:]]
    opts = dict(shopee_channels=frozenset({"channel_id.8001"}), base_url="")
    result = _export(products, stick, options, template, **opts)
    assert "shopdesk " not in (result.path / "README.txt").read_text(encoding="utf-8")
    set_url(result.path, "https://toko.example.id/katalog")
    _ws, rows = _rows(result.path)
    assert rows[0][COL["ps_item_cover_image"]].startswith("https://toko.example.id/katalog/")
    assert rows[0][COL["channel_id.8001"]] == "Aktif"
    assert rows[0][COL["channel_id.8003"]] == "Nonaktif"
    assert rows[0][COL["ps_dangerous_goods"]] == "Yes (ID)"
    assert rows[0][COL["ps_product_pre_order_dts"]] == 5
