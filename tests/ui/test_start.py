"""Start: first-run wizard, seller creation, login, wrong-PIN delay, switch seller, idle lock."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from shopdesk import profiles, settings
from tests.conftest import OPERATOR_PASSWORD, PIN_A, PIN_B
from tests.ui.conftest import login


def test_first_run_wizard_creates_operator_seller_and_logs_in(qtbot, home, tmp_path):
    from PIL import Image

    from ui.wizard import FirstRunWizard

    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 120), "#2f6f4f").save(logo)
    wizard = FirstRunWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    next_button = wizard.button(QWizard.WizardButton.NextButton)

    qtbot.keyClicks(wizard.password, "short")
    qtbot.keyClicks(wizard.password2, "short")
    next_button.click()
    assert wizard.currentPage() is wizard.page_operator  # too short: refused with a message
    assert wizard.page_operator.error.text()

    wizard.password.setText(OPERATOR_PASSWORD)
    wizard.password2.setText(OPERATOR_PASSWORD)
    next_button.click()
    assert wizard.currentPage() is wizard.page_seller

    form = wizard.seller_form
    qtbot.keyClicks(form.display_name, "Sri Wahyuni")
    assert form.login.text() == "sri"  # suggested from the name
    qtbot.keyClicks(form.pin, "135790")
    qtbot.keyClicks(form.pin2, "135799")
    next_button.click()
    assert wizard.currentPage() is wizard.page_seller  # PINs differ
    form.pin2.setText("135790")
    next_button.click()
    assert wizard.currentPage() is wizard.page_shop

    shop = wizard.shop_form
    qtbot.keyClicks(shop.shop_name, "Kopi Sindoro")
    qtbot.keyClicks(shop.whatsapp, "12")
    next_button.click()
    assert wizard.currentPage() is wizard.page_shop  # invalid WhatsApp number
    shop.whatsapp.setText("0812 2700 1234")
    shop.set_logo(str(logo))
    next_button.click()
    assert wizard.currentPage() is wizard.page_paper
    next_button.click()
    assert wizard.currentPage() is wizard.page_done
    assert len(wizard.code_label.text()) == 14  # XXXX-XXXX-XXXX shown once
    wizard.button(QWizard.WizardButton.FinishButton).click()

    assert profiles.operator_exists()
    assert wizard.session is not None and wizard.session.shop_name == "Kopi Sindoro"
    info = profiles.shop_info(wizard.session)
    assert info.whatsapp == "+6281227001234"
    assert info.logo
    assert settings.get(wizard.session, "label_paper") == wizard.paper.currentData()


def test_operator_adds_a_seller_who_then_logs_in(qtbot, window, operator):
    from ui.wizard import AddSellerDialog

    dialog = AddSellerDialog(operator)
    qtbot.addWidget(dialog)
    dialog.seller_form.display_name.setText("Made")
    dialog.seller_form.login.setText("made")
    dialog.seller_form.pin.setText("246810")
    dialog.seller_form.pin2.setText("246810")
    dialog.shop_form.shop_name.setText("Madu Bangli")
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.error.text()

    window.show_start()
    assert "made" in window.start.picker.buttons
    login(qtbot, window, "made", "246810")
    assert window.workspace is not None
    assert window.ctx.session.shop_name == "Madu Bangli"


def test_login_with_pin_pad_buttons(qtbot, window, seller):
    window.show_start()
    window.start.picker.buttons["kopi"].click()
    pad = window.start.pad
    for digit in PIN_A:
        pad.keys[digit].click()
    pad.keys["OK"].click()
    assert window.workspace is not None
    assert "Kopi Sindoro" in window.status_seller.text()


def test_wrong_pin_shows_growing_delay(qtbot, window, seller):
    window.show_start()
    window.start.picker.buttons["kopi"].click()
    pad = window.start.pad
    messages = []
    for _attempt in range(4):
        qtbot.keyClicks(pad.field, "000000")
        qtbot.keyClick(pad.field, Qt.Key.Key_Return)
        messages.append(pad.message.text())
    assert window.workspace is None
    assert messages[0] == "PIN salah."
    # after the free attempts the core makes the seller wait, and the pad says so
    assert "Tunggu" in messages[-1] or "tunggu" in messages[-1]
    # even the right PIN is refused while waiting
    qtbot.keyClicks(pad.field, PIN_A)
    qtbot.keyClick(pad.field, Qt.Key.Key_Return)
    assert window.workspace is None
    assert "unggu" in pad.message.text()


def test_escape_goes_back_to_picker(qtbot, window, seller):
    window.show_start()
    window.start.picker.buttons["kopi"].click()
    assert window.start.stack.currentWidget() is window.start.pad
    qtbot.keyClick(window.start.pad.field, Qt.Key.Key_Escape)
    assert window.start.stack.currentWidget() is window.start.picker


def test_idle_lock_returns_to_picker(qtbot, logged_in, operator):
    window = logged_in
    settings.put(operator, "idle_lock_minutes", 0.003)  # about 0.2 s
    window.lock()
    login(qtbot, window, "kopi", PIN_A)
    assert window.workspace is not None
    qtbot.waitUntil(lambda: window.workspace is None, timeout=5000)
    assert window.stack.currentWidget() is window.start
    assert window.start.stack.currentWidget() is window.start.picker


def test_activity_keeps_the_app_unlocked(qtbot, logged_in, operator):
    window = logged_in
    settings.put(operator, "idle_lock_minutes", 0.03)  # 1.8 s
    window.lock()
    login(qtbot, window, "kopi", PIN_A)
    for _ in range(8):  # 2.4 s of typing, a key every 0.3 s: longer than the idle time
        qtbot.wait(300)
        qtbot.keyClick(window.workspace.seller_label, Qt.Key.Key_A)
    assert window.workspace is not None
    qtbot.waitUntil(lambda: window.workspace is None, timeout=10000)  # then it locks


def test_switch_seller_shows_none_of_the_first_sellers_data(qtbot, logged_in, seller_b):
    from shopdesk import catalog

    window = logged_in
    catalog.create_product(window.ctx.session, name="Kopi Robusta Sindoro", price="45rb")
    products = window.workspace.open_page("products")
    products.apply_search()
    assert products.model.rowCount() == 1
    old_workspace = window.workspace

    window.workspace.switch_button.click()
    assert window.workspace is None
    assert window.stack.currentWidget() is window.start
    login(qtbot, window, "madu", PIN_B)
    assert window.workspace is not None and window.workspace is not old_workspace
    assert "Madu Bangli" in window.status_seller.text()
    products = window.workspace.open_page("products")
    products.apply_search()
    assert products.model.rowCount() == 0
    qtbot.keyClicks(products.search, "Kopi")
    products.find_now()
    assert products.model.rowCount() == 0


def test_idle_lock_closes_an_open_editor_and_waits_for_running_work(qtbot, logged_in, operator):
    import threading

    from PySide6.QtCore import QTimer

    from ui.dialogs.product_editor import ProductEditor

    window = logged_in
    settings.put(operator, "idle_lock_minutes", 0.003)
    window.lock()
    # background work keeps the app open past the idle time (started before the login,
    # so a slow PC cannot reach the idle time between the two)
    release = threading.Event()
    window.tasks.start(lambda _ctl: release.wait(10))
    login(qtbot, window, "kopi", PIN_A)
    qtbot.wait(600)
    assert window.workspace is not None
    release.set()
    qtbot.waitUntil(lambda: window.tasks.active() == 0, timeout=5000)
    # an open modal editor is closed by the lock, and its exec() returns
    editor_result = []

    def open_editor():
        editor = ProductEditor(window.ctx.session, None, window)
        editor_result.append(editor.exec())

    QTimer.singleShot(0, open_editor)
    qtbot.waitUntil(lambda: window.workspace is None, timeout=5000)
    qtbot.waitUntil(lambda: editor_result == [0], timeout=5000)


def test_forgotten_pin_is_reset_with_the_recovery_code(qtbot, window, operator):
    from ui.wizard import ResetPinDialog

    _profile, code = profiles.create_seller(
        operator, login="teh", display_name="Teh", pin="123123", shop_name="Teh Kelor"
    )
    dialog = ResetPinDialog("teh")
    qtbot.addWidget(dialog)
    dialog.code.setText("AAAA-BBBB-CCCC")
    dialog.pin.setText("456456")
    dialog.pin2.setText("456456")
    dialog.save()
    assert dialog.result() != dialog.DialogCode.Accepted and dialog.error.text()
    dialog.code.setText(code.lower())  # typed in small letters still works
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.error.text()
    assert dialog.new_code and dialog.new_code != code
    window.show_start()
    login(qtbot, window, "teh", "456456")
    assert window.workspace is not None


def test_picker_works_from_the_keyboard(qtbot, window, seller, seller_b):
    window.show_start()
    picker = window.start.picker
    qtbot.keyClick(picker.buttons["madu"], Qt.Key.Key_Return)
    assert window.start.stack.currentWidget() is window.start.pad
    assert window.start.pad.who.text() == "Madu Bangli"


def test_the_picker_shows_a_logo_kept_only_in_the_data(qtbot, window, seller, tmp_path):
    """Another PC of a server (or this one with its media/ folder gone) never had the
    logo's file: the picker takes it out of the data."""
    import shutil

    from PIL import Image

    from shopdesk import paths
    from ui.start import logo_pixmap

    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 120), "#2f6f4f").save(logo)
    name = profiles.set_shop_logo(seller, image_path=logo).logo
    shutil.rmtree(paths.media_dir(), ignore_errors=True)
    pixmap = logo_pixmap(name)
    assert pixmap is not None and pixmap.toImage().pixelColor(32, 32).name() == "#2f6f4f"
    assert logo_pixmap("f" * 64 + ".png") is None  # named, but not in the data: initials
    window.resize(1366, 768)
    window.show_start()
    assert "kopi" in window.start.picker.buttons
    qtbot.wait(50)
    window.grab().save(str(tmp_path / "start.png"))
    assert (paths.media_dir() / "logos" / name).is_file()
