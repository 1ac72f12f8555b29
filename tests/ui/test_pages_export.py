"""Ekspor: waiting counts, the validation list with a way to the product, a bundle
written and verified before "Aman dicabut", and a cancelled export that writes nothing."""

from __future__ import annotations

import threading

import pytest
from PIL import Image
from PySide6.QtCore import Qt

from shopdesk import catalog
from shopdesk.export import service
from shopdesk.export.manifest import verify
from tests.stock_factories import make_product

pytestmark = pytest.mark.usefixtures("answers_yes")


def product_with_photo(session, tmp_path, name: str) -> int:
    sku = make_product(session, name=name)
    pid = catalog.get_variant(session, sku).product_id
    catalog.update_product(
        session, pid, description="Keripik renyah dari Temanggung, dibuat tiap pagi.", weight_g=250
    )
    photo = tmp_path / f"{pid}.jpg"
    Image.new("RGB", (800, 600), "orange").save(photo)
    catalog.add_photo(session, product_id=pid, image_path=photo)
    return pid


def open_export(window):
    page = window.workspace.open_page("export")
    assert type(page).__name__ == "ExportPage"
    return page


def only_targets(page, *targets) -> None:
    for target, box in page.targets.items():
        box.setChecked(target in targets)


def test_export_a_bundle_and_see_safe_to_remove(qtbot, logged_in, tmp_path, monkeypatch):
    from shopdesk import drives

    monkeypatch.setattr(drives, "is_removable", lambda _folder: True)  # a stick
    session = logged_in.ctx.session
    product_with_photo(session, tmp_path, "Keripik Tempe")
    product_with_photo(session, tmp_path, "Keripik Pisang")
    page = open_export(logged_in)
    assert page.waiting["generic"].text().startswith("2")
    only_targets(page, "generic", "shopify")
    stick = tmp_path / "stick"
    stick.mkdir()
    page.set_folder(stick)
    assert not page.banner.isVisibleTo(page)
    page.export_button.click()
    qtbot.waitUntil(lambda: not page.bar.busy, timeout=60000)
    assert page.banner.isVisibleTo(page), page.feedback.text()
    assert page.banner.title.text() == "Aman dicabut"
    [bundle] = [p for p in stick.iterdir() if not p.name.startswith(".")]
    assert verify(bundle).ok
    assert str(bundle) in page.banner.detail.text()
    assert page.waiting["generic"].text().startswith("0")
    assert page.waiting["shopee"].text().startswith("2")


def test_validation_list_opens_the_product(qtbot, logged_in, tmp_path):
    session = logged_in.ctx.session
    sku = make_product(session, name="Kopi")  # no photo, no description, no weight
    pid = catalog.get_variant(session, sku).product_id
    page = open_export(logged_in)
    only_targets(page, "shopee")
    page.check_button.click()
    qtbot.waitUntil(lambda: not page.bar.busy, timeout=30000)
    assert page.issues.rowCount() > 0
    row = next(
        r
        for r in range(page.issues.rowCount())
        if page.issues.item(r, 0).data(0x0100).product_id == pid
    )
    page.issues.selectRow(row)
    assert page.open_button.isEnabled()
    page.product_requested.disconnect()  # the shell would open the (modal) product editor
    with qtbot.waitSignal(page.product_requested) as signal:
        page.open_button.click()
    assert signal.args == [pid]


def start_held_export(logged_in, tmp_path, monkeypatch):
    """Start a generic export into tmp_path/stick whose photo step waits for `release`."""
    from shopdesk.export import bundle

    real = bundle.process_photos
    release = threading.Event()

    def slow_photos(*args, **kwargs):
        release.wait(10)  # a big shop's photos: long enough to press Cancel
        return real(*args, **kwargs)

    monkeypatch.setattr(bundle, "process_photos", slow_photos)
    page = open_export(logged_in)
    only_targets(page, "generic")
    stick = tmp_path / "stick"
    stick.mkdir()
    page.set_folder(stick)
    page.export_button.click()
    return page, stick, release


def test_cancel_a_long_export_writes_nothing(qtbot, logged_in, tmp_path, monkeypatch):
    session = logged_in.ctx.session
    product_with_photo(session, tmp_path, "Gula Aren")
    page, stick, release = start_held_export(logged_in, tmp_path, monkeypatch)
    assert page.bar.isVisibleTo(page) and page.bar.busy
    assert not page.export_button.isEnabled()
    qtbot.mouseClick(page.bar.cancel_button, Qt.MouseButton.LeftButton)
    release.set()
    qtbot.waitUntil(lambda: not page.bar.busy, timeout=30000)
    assert list(stick.iterdir()) == []
    assert not page.banner.isVisibleTo(page)
    assert page.feedback.kind == "note" and page.feedback.text()
    assert service.waiting_counts(session)[-1].waiting == 1  # the outbox is unchanged
    assert page.export_button.isEnabled()


def test_a_plugged_stick_is_one_click_away(qtbot, logged_in, tmp_path, monkeypatch):
    from ui.widgets import drives

    stick = tmp_path / "KINGSTON"
    stick.mkdir()
    monkeypatch.setattr(
        drives, "removable_volumes", lambda: [drives.Volume("KINGSTON", stick, 8_000_000_000)]
    )
    page = open_export(logged_in)
    page._fill_sticks()
    [action] = page.stick_menu.actions()
    assert "KINGSTON" in action.text()
    action.trigger()
    assert page.folder == stick and page.folder_field.text() == str(stick)


def test_locking_during_an_export_cancels_it_quietly(qtbot, logged_in, tmp_path, monkeypatch):
    from ui import errors

    session = logged_in.ctx.session
    product_with_photo(session, tmp_path, "Kopi Lanang")
    _page, stick, release = start_held_export(logged_in, tmp_path, monkeypatch)
    logged_in.lock()  # the seller walks away; the idle lock or "Ganti penjual"
    release.set()
    assert logged_in.tasks.wait(30000)
    qtbot.wait(200)  # let the queued answers arrive: they must find nobody
    assert errors.last_dialog() is None
    assert list(stick.iterdir()) == []
    assert service.waiting_counts(session)[-1].waiting == 1
