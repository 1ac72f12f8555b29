"""Customers and debts never cross shops (issue 19): every service refuses
another seller's customer, sale or payment; a shop backup carries its own
customers and kasbon only; a restore puts them back and refuses a backup whose
debt rows point into another shop."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest

from shopdesk import backup, debt_reports, debts, i18n, paths, sales, stock
from shopdesk.backup import archive as backup_archive
from shopdesk.errors import DatabaseError, NotFoundError
from shopdesk.store.models import Customer, CustomerBalance, DebtEntry
from tests.stock_factories import make_product


@pytest.fixture(autouse=True)
def english(home):
    i18n.set_language("en")


@pytest.fixture
def two_shops(seller, seller_b):
    """Both shops sell on credit to their own customer."""
    a_sku = make_product(seller, price=10_000)
    b_sku = make_product(seller_b, price=20_000)
    stock.receive(seller, sku=a_sku, quantity=10)
    stock.receive(seller_b, sku=b_sku, quantity=10)
    sri = debts.add_customer(seller, name="Bu Sri", whatsapp="081227009999")
    made = debts.add_customer(seller_b, name="Bu Made", whatsapp="081338001111")
    sales.record_sale(seller, lines=[(a_sku, 3)], paid=10_000, customer=sri.id)
    sales.record_sale(seller_b, lines=[(b_sku, 1)], paid=0, customer=made.id)
    debts.record_payment(seller_b, customer=made.id, amount=5_000)
    return sri, made, a_sku, b_sku


def test_a_seller_never_reaches_another_shops_customers(seller, seller_b, two_shops):
    _sri, made, a_sku, _b = two_shops
    assert [c.name for c in debts.list_customers(seller)] == ["Bu Sri"]
    assert debts.find_customers(seller, "Made") == []
    assert debts.find_customers(seller, "0813 3800") == []
    for ref in (made.id, f"#{made.id}", "Bu Made", "081338001111"):
        with pytest.raises(NotFoundError):
            debts.resolve_customer(seller, ref)
    with pytest.raises(NotFoundError):
        debts.get_customer(seller, made.id)
    with pytest.raises(NotFoundError):
        debts.update_customer(seller, made.id, name="Dicuri")
    with pytest.raises(NotFoundError):
        debts.reminder(seller, made.id)
    with pytest.raises(NotFoundError):
        debts.record_payment(seller, customer=made.id, amount=1_000)
    with pytest.raises(NotFoundError):
        sales.record_sale(seller, lines=[(a_sku, 1)], paid=0, customer=made.id)
    with pytest.raises(NotFoundError):  # payment numbers are per shop: A has none
        debts.void_payment(seller, number=1)
    assert debts.statement(seller, made.id) == []
    assert debts.open_sales(seller, made.id) == []
    assert [r.name for r in debts.debts(seller)] == ["Bu Sri"]
    assert [p.customer for p in debts.payments(seller)] == []
    assert debts.total_owed(seller) == (1, 20_000)
    assert debts.total_owed(seller_b) == (1, 15_000)
    assert debts.check(seller).ok and debts.check(seller_b).ok
    assert debts.rebuild(seller) == 0  # touches nothing of shop B
    assert debts.get_customer(seller_b, made.id).balance == 15_000


def test_exports_hold_only_the_shops_own_rows(tmp_path, seller, seller_b, two_shops):
    for kind in debt_reports.DEBT_TABLES:
        path = tmp_path / f"{kind}.csv"
        debt_reports.export_table(seller, kind, path)
        text = path.read_text(encoding="utf-8-sig")
        assert "Made" not in text and "1338" not in text, kind


def _extract(info: backup.BackupInfo, tmp_path: Path) -> sqlite3.Connection:
    target = tmp_path / f"{info.name}.sqlite3"
    with zipfile.ZipFile(info.path) as sealed:
        target.write_bytes(sealed.read(backup.DB_MEMBER))
    return sqlite3.connect(target)


def test_a_shop_backup_carries_its_customers_and_kasbon_only(tmp_path, seller, seller_b, two_shops):
    info = backup.backup_now(seller, folder=tmp_path)
    con = _extract(info, tmp_path)
    for table in ("customer", "debt_entry", "customer_balance"):
        shops = {r[0] for r in con.execute(f"SELECT DISTINCT shop_id FROM {table}")}
        assert shops == {seller.shop_id}, table
    assert con.execute("SELECT name FROM customer").fetchall() == [("Bu Sri",)]
    assert con.execute("SELECT SUM(amount) FROM debt_entry").fetchone() == (20_000,)
    con.close()
    assert b"Bu Made" not in (tmp_path / f"{info.name}.sqlite3").read_bytes()


def test_a_shop_restore_puts_customers_and_debts_back(seller, seller_b, two_shops):
    sri, made, _a, _b = two_shops
    saved = backup.backup_now(seller)
    debts.record_payment(seller, customer=sri.id, amount=20_000)
    debts.add_customer(seller, name="Pak Baru")
    b_rows = DebtEntry.select().where(DebtEntry.shop == seller_b.shop_id).count()

    backup.restore(seller, path=saved.path)

    assert debts.get_customer(seller, sri.id).balance == 20_000
    assert [c.name for c in debts.list_customers(seller)] == ["Bu Sri"]
    assert debts.check(seller).ok and debts.check(seller_b).ok
    assert DebtEntry.select().where(DebtEntry.shop == seller_b.shop_id).count() == b_rows
    assert debts.get_customer(seller_b, made.id).balance == 15_000
    with pytest.raises(Exception, match="append-only"):  # the guard is back
        DebtEntry.delete().where(DebtEntry.shop == seller.shop_id).execute()
    debts.record_payment(seller, customer=sri.id, amount=20_000)
    assert debts.get_customer(seller, sri.id).balance == 0


@pytest.mark.sqlite_only  # the backup's SQLite file is edited by hand
def test_a_restore_whose_debt_points_at_another_shops_customer_is_refused(
    tmp_path, seller, seller_b, two_shops
):
    _sri, made, _a, _b = two_shops
    saved = backup.backup_now(seller)
    con = _extract(saved, tmp_path)
    con.execute("DROP TRIGGER debt_entry_no_update")
    con.execute("UPDATE debt_entry SET customer_id = ?", (made.id,))
    con.commit()
    con.close()
    import json

    db_file = tmp_path / f"{saved.name}.sqlite3"
    with zipfile.ZipFile(saved.path) as sealed:
        manifest = json.loads(sealed.read("manifest.json"))
    manifest["db"]["sha256"], manifest["db"]["size"] = backup_archive.sha256_file(db_file)
    forged = tmp_path / "forged.zip"
    backup_archive.write_archive(db_file, forged, manifest)
    before = (
        Customer.select().count(),
        DebtEntry.select().count(),
        CustomerBalance.select().count(),
    )
    with pytest.raises(DatabaseError, match="another shop"):
        backup.restore(seller, path=forged)
    after = (
        Customer.select().count(),
        DebtEntry.select().count(),
        CustomerBalance.select().count(),
    )
    assert after == before
    assert paths.database_path().exists()
