"""The kasbon story from the command line (issue 19): an underpaid sale recorded
as kasbon, the reminder link, two partial payments, a zero balance, the check."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from shopdesk import debts, stock
from tests.conftest import PIN_A, PIN_B
from tests.stock_factories import make_product


def run(cli, *argv, seller="kopi", pin=PIN_A):
    return cli("--lang", "en", *argv, "--seller", seller, pin=pin)


def test_underpaid_sale_as_kasbon_reminder_two_payments_zero(cli, seller, seller_b, tmp_path):
    sku = make_product(seller, sku="KOPI-0001", price=63_000)
    stock.receive(seller, sku=sku, quantity=5)
    code, out, err = run(cli, "customer", "add", "Bu Sri", "--whatsapp", "0812 2700 9999")
    assert code == 0 and "Customer #1 added: Bu Sri (+6281227009999)" in out, err
    code, _out, err = run(cli, "sale", "record", f"{sku}:1", "--cash", "50rb")
    assert code == 2 and "Rp 13.000 short" in err
    code, out, err = run(
        cli,
        "sale",
        "record",
        f"{sku}:1",
        "--cash",
        "50rb",
        "--paid",
        "50rb",
        "--customer",
        "Bu Sri",
    )
    assert code == 0, err
    assert "Customer: Bu Sri; paid Rp 50.000, kasbon Rp 13.000" in out
    assert "Change to give: Rp 0" in out

    code, out, _err = run(cli, "debt", "list")
    assert code == 0 and "Bu Sri" in out and "1 customers owe Rp 13.000 in all." in out
    code, out, _err = run(cli, "debt", "remind", "Bu Sri")
    link = out.strip().splitlines()[-1]
    assert code == 0 and link.startswith("https://wa.me/6281227009999?text=")
    assert "Rp 13.000" in parse_qs(urlparse(link).query)["text"][0]

    code, out, _err = run(cli, "debt", "pay", "Bu Sri", "8rb")
    assert code == 0 and "Payment 1: Rp 8.000 from Bu Sri (sale 1: Rp 8.000)." in out
    assert "Bu Sri still owes Rp 5.000." in out
    code, _out, err = run(cli, "debt", "pay", "Bu Sri", "6rb")
    assert code == 2 and "owes only Rp 5.000" in err
    code, out, _err = run(cli, "debt", "pay", "#1", "5000", "--method", "qris")
    assert code == 0 and "Bu Sri still owes Rp 0." in out
    code, out, _err = run(cli, "debt", "check")
    assert code == 0 and "Every balance matches its entries." in out
    assert "3 entries" in out

    code, out, _err = run(cli, "customer", "show", "Bu Sri")
    assert code == 0 and "Owes: Rp 0" in out and out.count("payment") == 2
    code, out, _err = run(cli, "debt", "payments")
    assert code == 0 and "QRIS" in out
    code, out, _err = run(cli, "debt", "void", "2", "--reason", "salah")
    assert code == 0 and "owes Rp 5.000 again" in out
    code, _out, err = run(cli, "debt", "void", "2")
    assert code == 2 and "already voided" in err
    code, out, _err = run(cli, "debt", "cash-in", "--days", "2")
    assert code == 0 and "Rp 58.000" in out  # 50.000 at the till + 8.000 paid back

    target = tmp_path / "debts.xlsx"
    code, out, _err = run(cli, "debt", "export", "entries", "-o", target)
    assert code == 0 and "4 rows" in out and target.exists()

    # Seller B sees none of it.
    code, out, _err = run(cli, "customer", "list", seller="madu", pin=PIN_B)
    assert code == 0 and "Sri" not in out
    code, _out, err = run(cli, "debt", "pay", "#1", "1000", seller="madu", pin=PIN_B)
    assert code != 0 and "no customer number 1" in err
    assert debts.get_customer(seller, 1).balance == 5_000


def test_check_reports_a_wrong_balance_and_rebuild_fixes_it(cli, seller):
    from shopdesk.store.models import CustomerBalance

    sku = make_product(seller, sku="KOPI-0001", price=10_000)
    stock.receive(seller, sku=sku, quantity=5)
    run(cli, "customer", "add", "Pak Joko")
    code, _out, err = run(cli, "sale", "record", f"{sku}:2", "--paid", "0", "--customer", "#1")
    assert code == 0, err
    CustomerBalance.update(balance=5).execute()
    code, out, _err = run(cli, "debt", "check")
    assert code == 1 and "Pak Joko: balance Rp 5, ledger Rp 20.000" in out
    code, out, _err = run(cli, "debt", "rebuild")
    assert code == 0 and "1 balances were wrong" in out
    assert run(cli, "debt", "check")[0] == 0


def test_the_demo_shop_has_one_customer_with_a_kasbon(cli, home):
    code, out, err = cli("--lang", "en", "demo")
    assert code == 0 and "Bu Warsini owes Rp 30.000 (kasbon)." in out, err
    code, out, _err = cli("--lang", "en", "debt", "list", "--seller", "kopi", pin="123456")
    assert code == 0 and "Bu Warsini" in out and "1 customers owe Rp 30.000 in all." in out
    code, out, _err = cli("--lang", "en", "debt", "list", "--seller", "madu", pin="654321")
    assert code == 0 and "0 customers owe Rp 0 in all." in out


def _kasbon_finding(operator):
    from shopdesk import doctor, i18n

    i18n.set_language("en")
    kasbon = [f for f in doctor.run(operator) if f.what.startswith(("Kasbon:", "The protection"))]
    return kasbon[-1]


@pytest.mark.sqlite_only  # doctor reads the SQLite file itself
def test_doctor_finds_a_wrong_kasbon_balance_and_a_lost_guard(cli, operator, seller):
    from shopdesk import doctor, sales, store
    from shopdesk.store.models import CustomerBalance
    from tests.conftest import OPERATOR_PASSWORD

    sku = make_product(seller, sku="KOPI-0001", price=10_000)
    stock.receive(seller, sku=sku, quantity=5)
    buyer = debts.add_customer(seller, name="Pak Joko")
    sales.record_sale(seller, lines=[(sku, 1)], paid=0, customer=buyer.id)
    kasbon = _kasbon_finding(operator)
    assert kasbon.status == doctor.OK
    CustomerBalance.update(balance=1).execute()
    code, out, _err = cli("--lang", "en", "doctor", password=OPERATOR_PASSWORD)
    assert code == 1 and "Kasbon: 1 balances differ from their entries (sellers: kopi)" in out
    assert "shopdesk debt rebuild --seller NAME" in out
    debts.rebuild(seller)
    with store.transaction():
        store.database.execute_sql("DROP TRIGGER debt_entry_no_delete")
    kasbon = _kasbon_finding(operator)
    assert kasbon.status == doctor.FAIL and "debt_entry_no_delete" in kasbon.what
