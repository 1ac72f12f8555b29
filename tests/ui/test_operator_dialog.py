"""The operator's dialog from the start screen: disable/enable sellers, whole-PC backup
and restore, through the real password dialog, real widgets and a real SQLite file."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from shopdesk import backup, profiles
from tests.conftest import OPERATOR_PASSWORD


def open_operator(qtbot, start, password: str, actions: Callable | None = None) -> list[str]:
    """Press the start screen's operator button, type ``password`` in the real password
    dialog, run ``actions(dialog)`` in the operator's dialog, then close it.
    Returns the password dialog's error messages (wrong passwords)."""
    from ui.wizard import OperatorPasswordDialog

    seen: list[str] = []
    failures: list[BaseException] = []

    def in_operator_dialog() -> None:
        dialog = start.operator_dialog
        try:
            if actions is not None:
                actions(dialog)
        except BaseException as exc:  # reported after the modal loops have ended
            failures.append(exc)
        finally:
            qtbot.waitUntil(lambda: dialog.task is None, timeout=20000)
            dialog.reject()

    def type_password() -> None:
        asking = QApplication.activeModalWidget()
        if not isinstance(asking, OperatorPasswordDialog):
            failures.append(AssertionError(f"expected the password dialog, got {asking!r}"))
            if asking is not None:
                asking.close()
            return
        asking.field.setText(password)
        asking.check()
        if asking.result() == QDialog.DialogCode.Accepted:
            QTimer.singleShot(0, in_operator_dialog)
        else:
            seen.append(asking.error.text())
            asking.reject()

    QTimer.singleShot(0, type_password)
    start.operator_button.click()
    assert start.operator_dialog is None  # closed and gone
    if failures:
        raise failures[0]
    return seen


def select_seller(dialog, login: str) -> None:
    for row in range(dialog.sellers.rowCount()):
        if dialog.sellers.item(row, 1).text() == login:
            dialog.sellers.selectRow(row)
            return
    raise AssertionError(f"{login} is not in the operator's list")


def logins() -> list[str]:
    return sorted(p.login for p in profiles.list_profiles())


def test_disabling_a_seller_hides_them_and_enabling_brings_them_back(
    qtbot, window, seller, seller_b, answers_yes
):
    from ui.widgets import ask

    start = window.start
    start.show_picker()
    assert set(start.picker.buttons) == {"kopi", "madu"}

    def disable(dialog) -> None:
        assert dialog.sellers.rowCount() == 2
        select_seller(dialog, "madu")
        assert dialog.disable_button.isEnabled() and not dialog.enable_button.isEnabled()
        dialog.disable_button.click()
        assert ask.asked and "Madu Bangli" in ask.asked[-1]  # asked before disabling
        assert logins() == ["kopi"]
        assert dialog.sellers.rowCount() == 2  # the operator still sees them, as disabled
        select_seller(dialog, "madu")
        assert dialog.sellers.item(dialog.sellers.currentRow(), 3).text() == "nonaktif"
        assert dialog.enable_button.isEnabled() and not dialog.disable_button.isEnabled()

    open_operator(qtbot, start, OPERATOR_PASSWORD, disable)
    assert set(start.picker.buttons) == {"kopi"}  # the picker reloaded
    assert [p.disabled for p in profiles.list_profiles(include_disabled=True)] == [False, True]

    def enable(dialog) -> None:
        select_seller(dialog, "madu")
        dialog.enable_button.click()
        assert logins() == ["kopi", "madu"]
        assert "Madu" in dialog.message.text()

    open_operator(qtbot, start, OPERATOR_PASSWORD, enable)
    assert set(start.picker.buttons) == {"kopi", "madu"}


def test_answering_no_keeps_the_seller(qtbot, window, seller, seller_b):
    from ui.widgets import ask

    ask.set_answer(False)
    try:

        def refuse(dialog) -> None:
            select_seller(dialog, "kopi")
            dialog.disable_button.click()

        open_operator(qtbot, window.start, OPERATOR_PASSWORD, refuse)
    finally:
        ask.set_answer(None)
    assert logins() == ["kopi", "madu"]


def test_whole_pc_backup_then_restore_brings_the_old_sellers_back(
    qtbot, window, seller, operator, answers_yes, tmp_path
):
    from ui.widgets import files

    start = window.start
    stick = tmp_path / "usb"
    stick.mkdir()
    files.answers["folder"] = str(stick)

    def make_backups(dialog) -> None:
        assert dialog.backups.rowCount() == 0
        dialog.make_button.click()
        assert not dialog.close_button.isEnabled()  # no closing while the backup runs
        qtbot.waitUntil(lambda: dialog.task is None, timeout=20000)
        assert dialog.backups.rowCount() == 1
        assert "shopdesk-full-" in dialog.message.text()
        dialog.backup_to_folder()  # the USB stick
        qtbot.waitUntil(lambda: dialog.task is None, timeout=20000)
        assert str(stick) in dialog.message.text()

    open_operator(qtbot, start, OPERATOR_PASSWORD, make_backups)
    assert len(list(stick.glob("shopdesk-full-*.zip"))) == 1
    [(made, _info)] = backup.list_backups(operator)

    # a change after the backup: a new seller
    profiles.create_seller(operator, login="teh", display_name="Teh", pin="123123", shop_name="Teh")
    start.show_picker()
    assert "teh" in start.picker.buttons

    def restore(dialog) -> None:
        dialog.backups.selectRow(0)
        assert dialog.backups.selected_path() == made
        dialog.restore_button.click()
        qtbot.waitUntil(lambda: dialog.task is None, timeout=20000)
        assert "teh" not in start.picker.buttons  # reloaded while the dialog is still open
        shown = {dialog.sellers.item(r, 1).text() for r in range(dialog.sellers.rowCount())}
        assert shown == {"kopi"}
        assert made.name in dialog.message.text()

    open_operator(qtbot, start, OPERATOR_PASSWORD, restore)
    assert logins() == ["kopi"]
    assert set(start.picker.buttons) == {"kopi"}
    reasons = sorted(info.reason for _p, info in backup.list_backups(operator))
    assert reasons == ["before-restore", "manual"]  # the safety backup of the state before
    assert "teh" in _sellers_in(next(p for p, i in backup.list_backups(operator)))


def _sellers_in(path) -> set[str]:
    """Logins stored in a backup's database (the safety backup keeps the replaced state)."""
    import sqlite3
    import zipfile

    from shopdesk.backup.archive import DB_MEMBER

    target = path.with_suffix(".check.sqlite3")
    with zipfile.ZipFile(path) as archive:
        target.write_bytes(archive.read(DB_MEMBER))
    con = sqlite3.connect(target)
    try:
        return {row[0] for row in con.execute("SELECT login FROM seller")}
    finally:
        con.close()
        target.unlink()


def test_a_sellers_own_backup_is_refused_with_a_message(
    qtbot, window, seller, answers_yes, tmp_path
):
    from ui import errors

    shop_backup = backup.backup_now(seller, folder=tmp_path)

    def restore_shop_file(dialog) -> None:
        dialog.choose_backup_file = lambda: shop_backup.path
        dialog.restore_file_button.click()
        qtbot.waitUntil(lambda: dialog.task is None, timeout=20000)

    open_operator(qtbot, window.start, OPERATOR_PASSWORD, restore_shop_file)
    shown = errors.last_dialog()
    assert shown is not None
    qtbot.addWidget(shown)
    assert shop_backup.name in shown.message_label.text()
    assert "Traceback" not in shown.message_label.text()
    assert logins() == ["kopi"]


def test_a_wrong_operator_password_changes_nothing(qtbot, window, seller, seller_b, answers_yes):
    window.start.show_picker()
    opened: list[object] = []
    messages = open_operator(qtbot, window.start, "salah-sekali", opened.append)
    assert opened == []  # the operator's dialog never opened
    assert messages and messages[0]  # the core's message, in the dialog
    assert logins() == ["kopi", "madu"]
    assert backup.list_backups(profiles.operator_login(password=OPERATOR_PASSWORD)) == []
    assert set(window.start.picker.buttons) == {"kopi", "madu"}
