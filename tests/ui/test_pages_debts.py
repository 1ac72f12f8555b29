"""Kasbon in the app (issue 19): the cashier's underpaid-sale question records the
rest as the customer's kasbon; the Kasbon page lists it with its age, sends the
WhatsApp reminder, takes two partial payments down to zero, voids a payment; the
home page shows the total; receipts from the cashier. Real widgets, real database."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pypdfium2 as pdfium
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from shopdesk import debts, sales, stock
from tests.stock_factories import make_product
from ui.widgets import ask, files, link_dialog


@pytest.fixture
def shop(qtbot, logged_in):
    session = logged_in.ctx.session
    sku = make_product(session, name="Beras Pandan 5 kg", price=63_000)
    stock.receive(session, sku=sku, quantity=10)
    sri = debts.add_customer(session, name="Bu Sri", whatsapp="0812 2700 9999")
    link_dialog.open_for_real = False
    link_dialog.opened.clear()
    yield logged_in, sku, sri
    ask.set_answer(None)
    files.answers.clear()
    link_dialog.open_for_real = True


def press_f9(qtbot, checkout) -> None:
    with qtbot.waitSignal(checkout.record_button.clicked):
        qtbot.keyClick(checkout.paid, Qt.Key.Key_F9)


def sell_on_kasbon(qtbot, window, sku, customer) -> None:
    checkout = window.workspace.open_page("sales").checkout
    window.activateWindow()
    checkout.add_sku(sku)
    checkout.set_customer(customer)
    checkout.paid.setFocus()
    qtbot.keyClicks(checkout.paid, "50rb")
    assert "Rp 13.000" in checkout.change.text()
    ask.set_answer(True)  # "Catat sisanya sebagai kasbon"
    press_f9(qtbot, checkout)
    assert any("Bu Sri" in q and "Rp 13.000" in q for q in ask.asked)
    assert "Rp 13.000" in checkout.feedback.text() and "Bu Sri" in checkout.feedback.text()
    assert checkout.cart.lines == [] and checkout.customer is None


def pay(qtbot, tab, amount: str) -> None:
    tab.pay()
    dialog = tab.payment_dialog
    qtbot.keyClicks(dialog.amount, amount)
    with qtbot.waitSignal(dialog.accepted):
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()


def test_underpaid_sale_kasbon_reminder_two_payments_zero(qtbot, shop):
    window, sku, sri = shop
    session = window.ctx.session
    sell_on_kasbon(qtbot, window, sku, sri)
    [sale] = sales.list_sales(session)
    assert (sale.total, sale.paid, sale.on_credit, sale.customer_name) == (
        63_000,
        50_000,
        13_000,
        "Bu Sri",
    )

    page = window.workspace.open_page("debts")
    tab = page.debts
    assert [r.name for r in tab.rows] == ["Bu Sri"]
    assert tab.total.value.text() == "Rp 13.000" and tab.week.value.text() == "Rp 13.000"
    assert tab.table.item(0, 1).text() == "Rp 13.000"
    tab.table.selectRow(0)
    assert "Bu Sri" in tab.customer_title.text() and tab.pay_button.isEnabled()

    tab.remind()
    reminder = tab.link_dialog
    assert reminder.qr.pixmap() is not None and not reminder.qr.pixmap().isNull()
    reminder.open_button.click()
    [link] = link_dialog.opened
    assert link.startswith("https://wa.me/6281227009999?text=")
    text = parse_qs(urlparse(link).query)["text"][0]
    assert "Rp 13.000" in text and session.shop_name in text
    reminder.close()

    pay(qtbot, tab, "8rb")
    assert debts.get_customer(session, sri.id).balance == 5_000
    assert "Rp 5.000" in tab.feedback.text() and tab.total.value.text() == "Rp 5.000"
    tab.table.selectRow(0)
    pay(qtbot, tab, "5000")
    assert debts.get_customer(session, sri.id).balance == 0
    assert tab.rows == [] and tab.total.value.text() == "Rp 0"
    assert "Rp 0" in tab.customer_title.text()  # still shown: a payment can be voided
    assert not tab.pay_button.isEnabled()
    assert debts.check(session).ok

    # Void the last payment: a reversing entry, and Bu Sri owes Rp 5.000 again.
    kinds = [tab.entries.item(r, 1).data(Qt.ItemDataRole.UserRole) for r in range(3)]
    assert kinds == ["payment", "payment", "sale"]  # newest first
    tab.entries.selectRow(0)
    ask.set_answer(True)
    tab.void_payment()
    assert debts.get_customer(session, sri.id).balance == 5_000
    assert [r.balance for r in tab.rows] == [5_000]
    assert debts.check(session).ok


def test_no_to_the_kasbon_question_keeps_the_cart_and_records_nothing(qtbot, shop):
    window, sku, sri = shop
    checkout = window.workspace.open_page("sales").checkout
    window.activateWindow()
    checkout.add_sku(sku)
    checkout.set_customer(sri)
    checkout.paid.setFocus()
    qtbot.keyClicks(checkout.paid, "50rb")
    ask.set_answer(False)
    press_f9(qtbot, checkout)
    assert sales.list_sales(window.ctx.session) == []
    assert len(checkout.cart.lines) == 1 and checkout.paid.hasFocus()


def test_choose_customer_dialog_finds_by_number_and_adds_new(qtbot, shop):
    from ui.dialogs.customers import ChooseCustomerDialog, CustomerDialog

    window, _sku, sri = shop
    dialog = ChooseCustomerDialog(window.ctx, None, "Siapa?")
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.search, "0812 2700")
    assert dialog.found.count() == 1
    dialog.take_current()
    assert dialog.chosen.id == sri.id

    editor = CustomerDialog(window.ctx, None, name="Pak Joko")
    qtbot.addWidget(editor)
    editor.whatsapp.setText("12345")
    editor.save()
    assert "not a valid phone number" in editor.feedback.text() or "nomor" in editor.feedback.text()
    assert editor.saved is None
    editor.whatsapp.setText("0813 1111 2222")
    editor.save()
    assert editor.saved.whatsapp == "+6281311112222"


def test_home_shows_the_kasbon_total_and_the_customers_tab_exports(qtbot, shop, tmp_path):
    from openpyxl import load_workbook

    window, sku, sri = shop
    session = window.ctx.session
    sales.record_sale(session, lines=[(sku, 1)], paid=0, customer=sri.id)
    window.ctx.notify("sales")  # as the cashier does
    home = window.workspace.open_page("home")
    qtbot.waitUntil(lambda: home.kasbon.value.text() == "Rp 63.000", timeout=5000)
    assert "Bu Sri" in home.kasbon.lines.text()

    page = window.workspace.open_page("debts")
    page.tabs.setCurrentWidget(page.customers)
    assert page.customers.table.rowCount() == 1
    files.answers["save"] = str(tmp_path / "pelanggan.xlsx")
    page.customers.export()
    sheet = load_workbook(tmp_path / "pelanggan.xlsx").active
    assert [c.value for c in sheet[2]][:3] == [sri.id, "Bu Sri", "+6281227009999"]
    page.tabs.setCurrentWidget(page.cash_in)
    assert page.cash_in.table.item(0, 2).text() == "Rp 63.000"


def test_receipt_of_the_last_sale_as_pdf_and_whatsapp(qtbot, shop, tmp_path):
    from ui.dialogs.receipt import ReceiptDialog

    window, sku, sri = shop
    sell_on_kasbon(qtbot, window, sku, sri)
    checkout = window.workspace.pages["sales"].checkout
    assert checkout.receipt_button.isEnabled() and checkout.last_sale == 1
    dialog = ReceiptDialog(window.ctx, checkout.last_sale)
    qtbot.addWidget(dialog)
    assert "Rp 13.000" in dialog.summary.text()
    files.answers["save"] = str(tmp_path / "nota.pdf")
    dialog.save_pdf()
    page = pdfium.PdfDocument(tmp_path / "nota.pdf")[0]
    assert round(page.get_size()[0] / 72 * 25.4) == 58
    assert "Rp 13.000" in page.get_textpage().get_text_range()
    dialog.send_whatsapp()
    dialog.link_dialog.open_button.click()
    [link] = link_dialog.opened
    text = parse_qs(urlparse(link).query)["text"][0]
    assert link.startswith("https://wa.me/6281227009999?text=")
    assert "Rp 63.000" in text and "Rp 50.000" in text and "Rp 13.000" in text


def test_kasbon_question_without_a_customer_asks_who(qtbot, shop, monkeypatch):
    """No customer chosen: yes to the question opens the customer search; Bu Sri is found
    by her number and the sale is recorded as her kasbon."""
    from ui.dialogs.customers import ChooseCustomerDialog

    window, sku, sri = shop

    def choose_by_number(dialog):
        qtbot.keyClicks(dialog.search, "0812 2700")
        dialog.take_current()
        return dialog.result()

    monkeypatch.setattr(ChooseCustomerDialog, "exec", choose_by_number)
    checkout = window.workspace.open_page("sales").checkout
    window.activateWindow()
    checkout.add_sku(sku)
    checkout.paid.setFocus()
    qtbot.keyClicks(checkout.paid, "0")
    ask.set_answer(True)
    press_f9(qtbot, checkout)
    [sale] = sales.list_sales(window.ctx.session)
    assert (sale.paid, sale.on_credit, sale.customer_id) == (0, 63_000, sri.id)


def test_seller_b_sees_none_of_seller_as_customers_or_kasbon(qtbot, window, seller, seller_b):
    from tests.conftest import PIN_A, PIN_B
    from tests.ui.conftest import login

    window.show_start()
    login(qtbot, window, "kopi", PIN_A)
    a = window.ctx.session
    sku = make_product(a, name="Kopi Rahasia", price=20_000)
    stock.receive(a, sku=sku, quantity=5)
    sri = debts.add_customer(a, name="Bu Sri Rahasia", whatsapp="081227009999")
    sales.record_sale(a, lines=[(sku, 1)], paid=0, customer=sri.id)
    page = window.workspace.open_page("debts")
    assert [r.name for r in page.debts.rows] == ["Bu Sri Rahasia"]

    window.lock()
    window.show_start()
    login(qtbot, window, "madu", PIN_B)
    ws = window.workspace
    page = ws.open_page("debts")
    assert page.debts.rows == [] and page.debts.total.value.text() == "Rp 0"
    page.debts.show_entries(sri.id)  # A's customer by id: refused, nothing shown
    assert page.debts.who is None and page.debts.entries.rowCount() == 0
    page.tabs.setCurrentWidget(page.customers)
    assert page.customers.table.rowCount() == 0
    page.tabs.setCurrentWidget(page.cash_in)
    cells = [page.cash_in.table.item(r, 1).text() for r in range(page.cash_in.table.rowCount())]
    assert set(cells) == {"Rp 0"}
    checkout = ws.open_page("sales").checkout
    from ui.dialogs.customers import ChooseCustomerDialog

    chooser = ChooseCustomerDialog(window.ctx, checkout)
    qtbot.addWidget(chooser)
    qtbot.keyClicks(chooser.search, "Sri")
    assert chooser.found.count() == 0
    home = ws.open_page("home")
    qtbot.waitUntil(lambda: home.kasbon.value.text() == "Rp 0", timeout=5000)


def test_customers_tab_archives_a_paid_up_customer_and_refuses_one_who_owes(qtbot, shop):
    from ui.dialogs.customers import ChooseCustomerDialog

    window, sku, sri = shop
    session = window.ctx.session
    sales.record_sale(session, lines=[(sku, 1)], paid=50_000, customer=sri.id)
    page = window.workspace.open_page("debts")
    page.tabs.setCurrentWidget(page.customers)
    tab = page.customers
    tab.table.selectRow(0)
    assert tab.archive_button.isEnabled()
    widths = [tab.table.columnWidth(c) for c in range(tab.table.columnCount())]
    assert sum(widths) >= tab.table.viewport().width() - 2  # the note takes the spare width
    tab.archive_button.click()
    assert "masih berutang Rp 13.000" in tab.feedback.text()
    assert not debts.get_customer(session, sri.id).archived

    debts.record_payment(session, customer=sri.id, amount=13_000)
    tab.reload()
    tab.table.selectRow(0)
    tab.archive_button.click()
    assert debts.get_customer(session, sri.id).archived
    assert tab.customers == []  # hidden unless asked for
    chooser = ChooseCustomerDialog(window.ctx, None)
    qtbot.addWidget(chooser)
    qtbot.keyClicks(chooser.search, "Sri")
    assert chooser.found.count() == 0  # the cashier no longer finds her
    assert len(debts.statement(session, sri.id)) == 2  # her history is kept

    tab.show_archived.setChecked(True)
    assert [c.id for c in tab.customers] == [sri.id]
    tab.table.selectRow(0)
    assert tab.archive_button.text() == "Tampilkan kembali"  # Indonesian by default
    tab.archive_button.click()
    assert not debts.get_customer(session, sri.id).archived


def test_a_long_name_takes_the_spare_width_keeps_the_ages_in_view_and_shows_in_full(qtbot, shop):
    window, sku, _sri = shop
    session = window.ctx.session
    long_name = "Ibu Sri Wahyuningsih binti Haji Abdurrahman (warung depan masjid)"
    who = debts.add_customer(session, name=long_name)
    sales.record_sale(session, lines=[(sku, 1)], paid=50_000, customer=who.id)
    window.resize(1366, 768)
    page = window.workspace.open_page("debts")
    page.refresh()
    qtbot.wait(10)
    table = page.debts.table
    widths = [table.columnWidth(c) for c in range(table.columnCount())]
    assert table.horizontalScrollBar().maximum() == 0  # "> 30 days" stays in view
    assert sum(widths) >= table.viewport().width() - 2  # the name takes what is left
    assert widths[0] == max(widths)
    assert table.item(0, 0).toolTip() == long_name


def test_part_payment_by_qris_asks_like_cash_and_records_the_rest_as_kasbon(qtbot, shop):
    window, sku, sri = shop
    session = window.ctx.session
    checkout = window.workspace.open_page("sales").checkout
    window.activateWindow()
    checkout.add_sku(sku)
    [qris] = [b for b in checkout.payment.buttons() if b.property("code") == "qris"]
    qris.click()
    assert checkout.paid.isEnabled() and checkout.paid_label.text() == "Dibayar sekarang"
    checkout.paid.setFocus()
    qtbot.keyClicks(checkout.paid, "70rb")  # more than the total by QRIS: refused
    press_f9(qtbot, checkout)
    assert "Rp 70.000" in checkout.feedback.text() and sales.list_sales(session) == []
    checkout.paid.clear()
    qtbot.keyClicks(checkout.paid, "40rb")
    assert checkout.change.text() == "Rp 23.000"  # still unpaid
    ask.set_answer(False)  # "Perbaiki jumlahnya": nothing recorded, the cursor waits
    press_f9(qtbot, checkout)
    assert "QRIS" in ask.asked[-1] and "Rp 23.000" in ask.asked[-1]
    assert sales.list_sales(session) == [] and checkout.paid.hasFocus()
    ask.set_answer(True)  # the rest as kasbon: no customer yet, so the chooser opens
    checkout.set_customer(sri)
    press_f9(qtbot, checkout)
    [sale] = sales.list_sales(session)
    assert (sale.payment, sale.total, sale.paid, sale.on_credit) == ("qris", 63_000, 40_000, 23_000)
    assert debts.get_customer(session, sri.id).balance == 23_000
    assert checkout.customer is None and checkout.paid.text() == ""


def test_daily_summary_shows_the_days_kasbon_as_the_money_in_tab(qtbot, shop):
    from shopdesk import debt_reports

    window, sku, sri = shop
    session = window.ctx.session
    sales.record_sale(session, lines=[(sku, 1)], paid=50_000, customer=sri.id)  # 13rb kasbon
    sales.record_sale(session, lines=[(sku, 1)])  # paid in full
    page = window.workspace.open_page("sales")
    page.tabs.setCurrentWidget(page.summary)
    line = page.summary.kasbon
    assert line.isVisibleTo(page.summary)
    assert "Kasbon diberikan: Rp 13.000" in line.text()
    assert "Uang masuk: Rp 113.000" in line.text()
    debts.record_payment(session, customer=sri.id, amount=8_000)
    window.ctx.notify("debts")  # a payment on the Kasbon page: the summary follows
    assert "Kasbon dibayar: Rp 8.000" in line.text() and "Rp 121.000" in line.text()
    [today] = debt_reports.cash_in(session, days=1)
    assert (today.on_credit, today.repaid, today.cash_in) == (13_000, 8_000, 121_000)
