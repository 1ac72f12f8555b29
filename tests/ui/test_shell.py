"""The shell's helpers and pages: background tasks, error dialogs, Beranda, Cadangan,
Pengaturan, navigation shortcuts and the --self-test entry point."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from shopdesk import catalog, profiles, settings
from shopdesk.errors import ValidationError
from tests.conftest import PIN_A

ROOT = Path(__file__).resolve().parents[2]


def _runner(qtbot):
    """A TaskRunner owned by a widget, as the main window owns the app's."""
    from PySide6.QtWidgets import QWidget

    from ui.tasks import TaskRunner

    owner = QWidget()
    qtbot.addWidget(owner)
    runner = TaskRunner(owner)
    runner.owner = owner  # keep the owner alive as long as the test holds the runner
    return runner


def test_task_runs_off_the_gui_thread_with_progress_and_its_own_connection(qtbot, home):
    from shopdesk import store

    runner = _runner(qtbot)
    seen: dict[str, object] = {}
    progress: list[tuple[int, int, str]] = []

    def work(ctl):
        seen["thread"] = threading.current_thread()
        seen["rows"] = store.database.execute_sql("SELECT COUNT(*) FROM seller").fetchone()[0]
        for i in range(3):
            ctl.progress(i + 1, 3, "step")
        return "done"

    task = runner.start(work, on_progress=lambda *a: progress.append(a))
    with qtbot.waitSignal(task.done, timeout=5000) as result:
        pass
    assert result.args == ["done"]
    assert seen["thread"] is not threading.main_thread()
    assert seen["rows"] == 0
    qtbot.waitUntil(lambda: len(progress) == 3)
    assert runner.wait(2000)
    # the GUI thread's own connection is still open and usable
    assert not store.database.obj.is_closed()
    assert store.database.execute_sql("SELECT 1").fetchone() == (1,)


def test_task_cancel_and_errors(qtbot, home):
    runner = _runner(qtbot)
    started = threading.Event()

    def slow(ctl):
        started.set()
        while True:
            ctl.check()  # raises Cancelled once cancel() is called

    task = runner.start(slow)
    started.wait(5)
    with qtbot.waitSignal(task.cancelled, timeout=5000):
        task.cancel()

    def refuse(_ctl):
        raise ValidationError("Harga kosong.")

    task = runner.start(refuse)
    with qtbot.waitSignal(task.failed, timeout=5000) as failed:
        pass
    assert isinstance(failed.args[0], ValidationError)
    runner.wait(2000)


def test_error_dialog_shows_message_and_copyable_detail(qtbot, home):
    from PySide6.QtGui import QGuiApplication

    from ui import errors

    dialog = errors.show_error(ValidationError("Harga kosong.", detail="parse_rupiah('')"))
    qtbot.addWidget(dialog)
    assert dialog.message_label.text() == "Harga kosong."
    assert not dialog.detail_box.isVisible()
    dialog.detail_button.click()
    assert dialog.detail_box.isVisible()
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == "parse_rupiah('')"
    # a bug shows a calm message, the traceback only in the detail and the log
    try:
        raise KeyError("boom")
    except KeyError as exc:
        bug = errors.show_error(exc)
    qtbot.addWidget(bug)
    assert "Traceback" not in bug.message_label.text()
    assert "KeyError" in bug.detail


def test_home_page_shows_figures_and_chart(qtbot, logged_in):
    session = logged_in.ctx.session
    catalog.create_product(session, name="Kopi Robusta", price=45000, low_stock=5)
    page = logged_in.workspace.open_page("home")
    page.refresh()
    from ui import errors

    try:
        qtbot.waitUntil(lambda: page.low.value.text() == "1", timeout=15000)  # 0 on hand, low 5
    except AssertionError:
        shown = errors.last_dialog()
        raise AssertionError(shown.detail if shown else "no figures and no error") from None
    assert len(page.chart.points) == 30
    qtbot.waitUntil(lambda: page.waiting.value.text() == "1", timeout=5000)
    page.chart.grab()  # paints without error


def test_navigation_shortcuts_and_pages_open(qtbot, logged_in):
    from ui import errors

    workspace = logged_in.workspace
    qtbot.keyClick(workspace, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert workspace.current_page() is workspace.pages["products"]
    for key in ("backups", "settings", "home"):
        workspace.open_page(key)
        assert workspace.title.text() == workspace.pages[key].page_title()
    assert errors.last_dialog() is None
    qtbot.keyClick(workspace, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert logged_in.workspace is None


def test_backup_page_makes_a_backup_in_the_background(qtbot, logged_in):
    page = logged_in.workspace.open_page("backups")
    page.refresh()
    assert page.table.rowCount() == 0
    page.make_backup()
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=15000)
    assert page.make_button.isEnabled()
    page.verify_selected()
    qtbot.waitUntil(lambda: page.make_button.isEnabled(), timeout=15000)
    from ui import errors

    shown = errors.last_dialog()
    assert "lengkap" in page.message.text(), (
        shown.message_label.text() if shown else page.message.text()
    )


def test_settings_save_shop_and_language_rebuilds_the_window(qtbot, logged_in):
    window = logged_in
    page = window.workspace.open_page("settings")
    page.refresh()
    page.shop_fields["name"].setText("Kopi Sindoro Jaya")
    page.save_shop()
    assert profiles.shop_info(window.ctx.session).name == "Kopi Sindoro Jaya"
    assert "Kopi Sindoro Jaya" in window.workspace.seller_label.text()
    assert "Kopi Sindoro Jaya" in window.status_seller.text()
    old = window.workspace
    page.language.setCurrentIndex(page.language.findData("en"))
    page.change_language()
    qtbot.waitUntil(lambda: window.workspace is not None and window.workspace is not old)
    assert window.workspace.switch_button.text() == "Switch seller"
    window.lock()  # back to the PC's language
    assert window.start.picker.buttons
    from shopdesk import i18n

    assert i18n.get_language() == "id"


def test_label_settings_and_base_url_are_saved(qtbot, logged_in):
    page = logged_in.workspace.open_page("settings")
    page.refresh()
    page.offset_x.setValue(1.5)
    page.save_labels()
    page.base_url.setText("https://kopi.example/foto/")
    page.save_base_url()
    session = logged_in.ctx.session
    assert settings.get(session, "listing_base_url") == "https://kopi.example/foto/"
    page.refresh()
    assert page.offset_x.value() == 1.5


def test_self_test_flag_logs_in_the_demo_seller_and_exits_0(tmp_path):
    env = {**os.environ, "SHOPDESK_HOME": str(tmp_path / "data"), "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-m", "ui.app", "--self-test"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
    assert "self-test ok" in out.stdout
    # again on the demo shop it made: the login window now comes before the data is opened
    again = subprocess.run(
        [sys.executable, "-m", "ui.app", "--self-test"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert again.returncode == 0, again.stdout + again.stderr
    assert "self-test ok" in again.stdout


def test_pin_of_the_logged_in_seller_stays_valid(qtbot, logged_in):
    # locking and logging in again works (the lock throws away the pages)
    from tests.ui.conftest import login

    logged_in.lock()
    login(qtbot, logged_in, "kopi", PIN_A)
    assert logged_in.workspace is not None


def test_uncaught_exception_is_logged_and_shown_without_traceback(qtbot, home):
    from shopdesk.logging_setup import logger
    from ui import app, errors

    try:
        raise ZeroDivisionError("division by zero in a slot")
    except ZeroDivisionError:
        app.excepthook(*sys.exc_info())
    dialog = errors.last_dialog()
    qtbot.addWidget(dialog)
    assert "Traceback" not in dialog.message_label.text()
    assert "ZeroDivisionError" in dialog.detail
    handler = logger().handlers[0]  # the log file of the process (first data folder)
    handler.flush()
    assert "division by zero in a slot" in Path(handler.baseFilename).read_text(encoding="utf-8")


def test_photo_files_dropped_on_the_editor_are_added(qtbot, logged_in, tmp_path):
    from PIL import Image
    from PySide6.QtCore import QMimeData, QPoint, QUrl
    from PySide6.QtGui import QDropEvent

    from ui.dialogs.product_editor import ProductEditor

    photo = tmp_path / "drop.jpg"
    Image.new("RGB", (300, 300), "green").save(photo)
    editor = ProductEditor(logged_in.ctx.session)
    qtbot.addWidget(editor)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(photo))])
    event = QDropEvent(
        QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    editor.photos.dropEvent(event)
    assert editor.photos.entries() == [(None, str(photo))]
    editor.name.setText("Teh Kelor")
    editor.price.setText("12rb")
    editor.save()
    assert editor.saved is not None and len(editor.saved.photos) == 1


def test_a_damaged_database_gives_a_clear_dialog_and_no_traceback(qtbot, tmp_path, monkeypatch):
    from ui import app, errors

    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "shopdesk.sqlite3").write_bytes(b"this is not a database" * 100)
    monkeypatch.setenv("SHOPDESK_HOME", str(folder))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # main() installs its own
    assert app.main(["shopdesk-gui"]) == 2
    dialog = errors.last_dialog()
    qtbot.addWidget(dialog)
    assert "shopdesk.sqlite3" in dialog.message_label.text()
    assert "Traceback" not in dialog.message_label.text()


@pytest.mark.sqlite_only
def test_a_damaged_file_found_after_the_window_opened_ends_the_app(qtbot, tmp_path, monkeypatch):
    # The check runs once the login window is up (its time grows with the shop): a damaged
    # file still gets the clear dialog naming the backup, and the app ends with status 2.
    from shopdesk import profiles, store
    from shopdesk.store import health
    from tests.conftest import damage_table
    from ui import app, errors
    from ui.main_window import MainWindow

    events: list[str] = []
    check, show = health.check_now, MainWindow.show_with_saved_geometry
    monkeypatch.setattr(health, "check_now", lambda path: (events.append("check"), check(path)))
    monkeypatch.setattr(
        MainWindow, "show_with_saved_geometry", lambda w: (events.append("window"), show(w))
    )
    folder = tmp_path / "data"
    monkeypatch.setenv("SHOPDESK_HOME", str(folder))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    store.open_database()
    profiles.create_operator(password="rahasia-operator")
    store.close_database()
    damage_table(folder / "shopdesk.sqlite3", "movement")
    events.clear()
    assert app.main(["shopdesk-gui"]) == 2
    assert events == ["window", "check"]
    dialog = errors.last_dialog()
    qtbot.addWidget(dialog)
    assert "rusak" in dialog.message_label.text()
    assert "Traceback" not in dialog.message_label.text()


def test_a_second_window_on_the_same_data_folder_is_refused(qtbot, home, monkeypatch):
    from shopdesk import instance_lock
    from ui import app, errors

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    held = instance_lock.acquire()
    try:
        assert app.main(["shopdesk-gui"]) == 3
    finally:
        held.release()
    dialog = errors.last_dialog()
    qtbot.addWidget(dialog)
    assert dialog.message_label.text()
