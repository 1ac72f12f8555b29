"""Labels from the catalog for a logged-in seller, and the ``shopdesk labels`` commands."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from shopdesk import catalog, stock
from shopdesk.errors import NotFoundError, ValidationError
from shopdesk.labels.barcodes import validate_ean13
from shopdesk.labels.service import assign_in_store_ean13, label_content, label_items

from ..conftest import PIN_A, PIN_B
from .helpers import decode, render_page

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "glabels"


@pytest.fixture
def kopi(seller):
    catalog.create_product(
        seller,
        name="Kopi Robusta Temanggung Bubuk",
        price=35000,
        category="Kopi",
        sku="KOPI-0001",
        is_food=True,
        netto="250 g",
        composition="Biji kopi robusta sangrai 100%",
        shelf_life_days=365,
        halal=True,
    )
    catalog.create_product(
        seller, name="Keripik Tempe", price=12500, sku="KRPK-0001", is_food=True, shelf_life_days=60
    )
    catalog.create_product(seller, name="Tas Pandan", price=85000, sku="TAS-0001", is_food=False)
    stock.receive(
        seller, sku="KOPI-0001", quantity=5, batch_code="KR2611A", produced_on=date(2026, 11, 2)
    )
    return seller


@pytest.fixture
def labels_cli(cli):
    """The real CLI, which registers the labels group itself."""
    from shopdesk import cli as cli_module

    assert "shopdesk.cli.labels" in cli_module.GROUPS
    return cli


def test_content_comes_from_catalog_batch_and_shop(kopi):
    (item,) = label_items(kopi, skus=["kopi-0001"], batch_code="kr2611a")
    content = item.content
    assert item.copies == 5  # one label per unit made in the batch
    assert content.name == "Kopi Robusta Temanggung Bubuk" and content.price == 35000
    assert content.producer_name == "Kopi Sindoro"
    assert "Temanggung" in content.producer_address
    assert content.pirt == "2063201010123-28"
    assert content.halal_cert == "ID33110000123450224"
    assert content.production_code == "KR2611A"
    assert content.production_date == date(2026, 11, 2)
    assert content.best_before == date(2027, 11, 2) and content.best_before_text() == "11-2027"
    assert content.whatsapp
    plain = label_content(kopi, sku="KRPK-0001")
    assert plain.halal_cert == "" and plain.production_code == ""
    assert label_content(kopi, sku="TAS-0001").pirt == ""
    (item,) = label_items(kopi, skus=["KOPI-0001"], batch_code="KR2611A", copies=2)
    assert item.copies == 2


def test_other_shops_cannot_be_read(kopi, seller_b):
    with pytest.raises(NotFoundError):
        label_content(seller_b, sku="KOPI-0001")
    with pytest.raises(NotFoundError):
        label_items(kopi, skus=["KOPI-0001"], batch_code="NOPE")
    with pytest.raises(ValidationError):
        label_items(kopi, skus=["KOPI-0001"], copies=0)


def test_assign_in_store_ean13(kopi, seller_b):
    catalog.create_product(seller_b, name="Madu", price=90000, sku="MADU-0001")
    planned = assign_in_store_ean13(kopi, dry_run=True)
    assert [a.sku for a in planned] == ["KOPI-0001", "KRPK-0001", "TAS-0001"]
    assert catalog.get_variant(kopi, "KOPI-0001").barcode == ""
    done = assign_in_store_ean13(kopi)
    assert done == planned
    for item in done:
        assert item.barcode.startswith("20") and validate_ean13(item.barcode) == item.barcode
        assert catalog.get_variant(kopi, item.sku).barcode == item.barcode
    assert assign_in_store_ean13(kopi) == []
    assert catalog.get_variant(seller_b, "MADU-0001").barcode == ""
    catalog.create_product(kopi, name="Gula Aren", price=25000, sku="GULA-0001")
    (new,) = assign_in_store_ean13(kopi)
    assert int(new.barcode[2:12]) == max(int(a.barcode[2:12]) for a in done) + 1


def test_cli_print_pdf_with_batch_and_skip(kopi, labels_cli, tmp_path):
    out = tmp_path / "labels.pdf"
    code, stdout, stderr = labels_cli(
        "labels", "print", "--seller", "kopi", "--paper", "a4-3x8", "--design", "packaging",
        "--sku", "KOPI-0001", "--batch", "KR2611A", "--skip", "2", "-o", out, pin=PIN_A,
    )  # fmt: skip
    assert code == 0, stderr
    assert out.exists() and "5" in stdout
    _pdf, _page, image = render_page(out.read_bytes())
    found = decode(image)
    assert len([f for f in found if f.format == "QRCode"]) == 5
    assert all(f.text.startswith("https://wa.me/6281227001234?text=") for f in found)


def test_cli_price_tags_tspl_and_strict(kopi, labels_cli, tmp_path):
    out = tmp_path / "tags.tspl"
    code, _stdout, stderr = labels_cli(
        "labels", "print", "--seller", "kopi", "--paper", "roll-50x30", "--design", "price-tag",
        "--sku", "KRPK-0001", "--sku", "TAS-0001", "--copies", "3", "--tspl", "-o", out,
        pin=PIN_A,
    )  # fmt: skip
    assert code == 0, stderr
    text = out.read_text()
    assert text.count("PRINT 1,3") == 2 and "SIZE 50 mm,30 mm" in text
    code, _out, stderr = labels_cli(
        "labels", "print", "--seller", "kopi", "--paper", "a4-3x8", "--design", "packaging",
        "--sku", "KRPK-0001", "--strict", "-o", tmp_path / "strict.pdf", pin=PIN_A,
    )  # fmt: skip
    assert code == 2 and not (tmp_path / "strict.pdf").exists()
    assert "KRPK-0001" in stderr


def test_cli_errors_are_one_clear_line(kopi, seller_b, labels_cli, tmp_path):
    code, _out, err = labels_cli(
        "labels", "print", "--seller", "kopi", "--paper", "nope", "--sku", "KOPI-0001",
        "-o", tmp_path / "x.pdf", pin=PIN_A,
    )  # fmt: skip
    assert code == 3 and "nope" in err
    code, _out, err = labels_cli(
        "labels", "print", "--seller", "kopi", "--paper", "a4-3x8", "--design", "poster",
        "--sku", "KOPI-0001", "-o", tmp_path / "x.pdf", pin=PIN_A,
    )  # fmt: skip
    assert code == 3 and "poster" in err
    code, _out, err = labels_cli(
        "labels", "print", "--seller", "madu", "--paper", "a4-3x8", "--sku", "KOPI-0001",
        "-o", tmp_path / "x.pdf", pin=PIN_B,
    )  # fmt: skip
    assert code == 3 and "KOPI-0001" in err


def test_cli_papers_designs_calibrate_import_add(home, labels_cli, tmp_path):
    code, out, _err = labels_cli("labels", "papers")
    assert code == 0 and "tj-103" in out and "roll-58x40" in out
    code, out, _err = labels_cli("labels", "designs")
    assert code == 0 and "shelf-card" in out
    code, out, err = labels_cli(
        "labels",
        "calibrate",
        "--paper",
        "tj-103",
        "--printer",
        "Epson",
        "--x",
        "1.5",
        "--y",
        "-0.5",
    )
    assert code == 0, err
    cal = tmp_path / "cal.pdf"
    code, out, err = labels_cli(
        "labels", "calibrate", "--paper", "tj-103", "--printer", "Epson", "-o", cal
    )
    assert code == 0 and cal.exists() and "1.5" in out
    code, out, err = labels_cli("labels", "import-glabels", FIXTURES / "namespaced-templates.xml")
    assert code == 0, err
    code, out, _err = labels_cli("labels", "papers")
    assert "gl-nsco-a4-24b" in out
    bad = tmp_path / "bad.xml"
    bad.write_text("<nope")
    code, _out, err = labels_cli("labels", "import-glabels", bad)
    assert code == 2 and "bad.xml" in err
    code, out, err = labels_cli(
        "labels", "add-paper", "warung-2x5", "--page", "165x215", "--label", "70x38",
        "--grid", "2x5", "--first", "10,8", "--gap", "5,3",
    )  # fmt: skip
    assert code == 0, err
    code, out, _err = labels_cli("labels", "papers")
    assert "warung-2x5" in out
    code, _out, err = labels_cli(
        "labels", "add-paper", "too-big", "--page", "100x100", "--label", "70x38", "--grid", "2x5"
    )
    assert code == 2 and err


def test_cli_assign_ean(kopi, labels_cli):
    code, out, _err = labels_cli("labels", "assign-ean", "--seller", "kopi", "--dry-run", pin=PIN_A)
    assert code == 0 and "KOPI-0001" in out and "200000000001" in out
    code, out, _err = labels_cli(
        "labels", "assign-ean", "--seller", "kopi", "--sku", "TAS-0001", pin=PIN_A
    )
    assert code == 0 and "TAS-0001" in out
    assert catalog.get_variant(kopi, "TAS-0001").barcode.startswith("20")


def test_prepare_and_write_print_apply_the_printers_offset(kopi, tmp_path):
    from shopdesk.labels.calibration import CalibrationStore, Offset
    from shopdesk.labels.service import PrintRequest, labels_dir, prepare_print, write_print

    request = PrintRequest(skus=("KOPI-0001",), design_id="qr-sticker", paper_id="a4-3x8")
    job = prepare_print(kopi, request)
    plain = write_print(kopi, job, tmp_path / "plain.pdf")
    CalibrationStore(labels_dir()).set("a4-3x8", "Epson", Offset(1.5, 2.5))
    moved = write_print(kopi, job, tmp_path / "moved.pdf", printer="Epson")
    (a,) = decode(render_page(plain.path.read_bytes())[2])
    (b,) = decode(render_page(moved.path.read_bytes())[2])
    assert b.corners_mm[0][0] - a.corners_mm[0][0] == pytest.approx(1.5, abs=0.2)
    assert b.corners_mm[0][1] - a.corners_mm[0][1] == pytest.approx(2.5, abs=0.2)
    CalibrationStore(labels_dir()).set("roll-50x30", "Epson", Offset(1.5, 2.5))
    roll = prepare_print(kopi, replace(request, paper_id="roll-50x30"))
    tspl = write_print(kopi, roll, tmp_path / "x.tspl", printer="Epson", tspl=True)
    assert "REFERENCE 12,20" in tspl.path.read_text()
    assert "SIZE 50 mm,30 mm" in tspl.path.read_text()
    with pytest.raises(ValidationError):
        write_print(kopi, job, tmp_path / "sheet.tspl", tspl=True)


def test_a_products_own_sku_prints_every_variant(seller):
    catalog.create_product(
        seller,
        name="Keripik Singkong",
        price=15000,
        sku="KRPK-0001",
        option1_name="Rasa",
        variants=[{"option1_value": "Original"}, {"option1_value": "Balado"}],
    )
    skus = sorted(v.sku for v in catalog.list_variants(seller))
    assert len(skus) == 2 and "KRPK-0001" not in skus
    items = label_items(seller, skus=["krpk-0001"], copies=3)
    assert sorted(i.content.sku for i in items) == skus
    assert {i.content.variant for i in items} == {"Original", "Balado"}
    assert all(i.copies == 3 for i in items)
    with pytest.raises(NotFoundError):
        label_items(seller, skus=["KRPK-9999"])
