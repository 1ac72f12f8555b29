"""End to end through the CLI on a real database: stock, batches, sales, count."""

from __future__ import annotations

import pypdfium2
import pytest

from shopdesk import i18n, stock
from tests.conftest import PIN_A
from tests.stock_factories import make_product


@pytest.fixture
def shop(cli, seller):
    i18n.set_language("en")
    return make_product(seller, sku="KOPI-0001", price=35_000, cost=20_000, shelf_life_days=90)


def run(cli, *argv):
    return cli("--lang", "en", *argv, "--seller", "kopi", pin=PIN_A)


def test_stock_in_out_void_and_check(cli, seller, shop):
    code, out, _err = run(cli, "stock", "in", shop, "12", "--produced", "2026-03-01")
    assert code == 0 and "batch P260301" in out and "On hand of KOPI-0001: 12" in out
    code, out, _err = run(cli, "batch", "list")
    assert "2026-05-30" in out  # expiry = production + 90 days
    code, out, err = run(cli, "stock", "out", shop, "20", "--reason", "damaged")
    assert code == 2 and "Only 12" in err
    # the batch expired on 2026-05-30: no sample of it to a customer, but damaged it goes out
    code, out, _err = run(cli, "stock", "out", shop, "2", "--reason", "damaged")
    assert code == 0 and "-2" in out
    moved = stock.history(seller)[0].id
    assert run(cli, "stock", "void", str(moved))[0] == 0
    code, _out, err = run(cli, "stock", "void", str(moved))
    assert code == 2 and "already voided" in err
    code, out, _err = run(cli, "stock", "adjust", shop, "-1", "--note", "dimakan tikus")
    assert code == 0 and "On hand of KOPI-0001: 11" in out
    code, out, _err = run(cli, "stock", "check")
    assert code == 0 and out.startswith("OK")
    assert run(cli, "stock", "in", shop, "0")[0] == 2
    assert run(cli, "stock", "in", "NOPE", "1")[0] == 3
    code, _out, err = run(
        cli, "stock", "in", shop, "1", "--produced", "2026-03-02", "--expires", "2026-03-01"
    )
    assert code == 2 and "before the production date" in err


def test_sale_record_void_and_summary(cli, shop):
    run(cli, "stock", "in", shop, "10")
    code, out, _err = run(
        cli, "sale", "record", f"{shop}:2", f"{shop}:1:30rb:1.000", "--payment", "qris"
    )
    assert code == 0 and "Rp 99.000" in out
    code, out, _err = run(cli, "sale", "summary")
    assert "Revenue: Rp 99.000" in out and "Margin: Rp 39.000" in out
    assert run(cli, "sale", "void", "1", "--reason", "batal")[0] == 0
    code, _out, err = run(cli, "sale", "void", "1")
    assert code == 2 and "already voided" in err
    code, out, _err = run(cli, "report", "stock-value")
    assert "At cost: Rp 200.000" in out
    assert run(cli, "sale", "record", "KOPI-0001")[0] == 2


def test_count_with_scans_and_sheet(cli, shop, tmp_path):
    run(cli, "stock", "in", shop, "5")
    assert run(cli, "count", "start")[0] == 0
    code, out, _err = run(cli, "count", "scan", shop, shop, shop)
    assert code == 0 and "counted 3, expected 5, difference -2" in out
    code, out, _err = run(cli, "count", "sheet", str(tmp_path / "sheet.pdf"))
    assert code == 0 and len(pypdfium2.PdfDocument(str(tmp_path / "sheet.pdf"))) == 1
    code, out, _err = run(cli, "count", "review")
    assert "-2" in out and "1 of 1 products counted" in out
    code, out, _err = run(cli, "count", "post")
    assert code == 0 and "-2 units" in out
    code, out, _err = run(cli, "stock", "show", shop)
    assert "On hand: 3" in out
