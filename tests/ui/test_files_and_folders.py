"""Files and folders (issue 16, point 8): every file dialog starts in the seller's own
Documents (or Desktop, or the folder last used for that kind), never in the program's
folder; the export destination takes a typed path; "Aman dicabut" only for a stick."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtWidgets import QFileDialog

from shopdesk.export.manifest import verify
from tests.stock_factories import make_product

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def user_home(tmp_path, monkeypatch):
    """A seller's home folder with Documents and Desktop; the program runs from ROOT."""
    home = tmp_path / "ibu"
    for name in ("Documents", "Desktop"):
        (home / name).mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.chdir(ROOT)
    return home


@pytest.fixture
def dialogs(monkeypatch):
    """Qt's file dialogs replaced by a recorder: the folder each opened in; it answers the
    ``pick`` file (or folder) as a seller would."""
    seen: list[str] = []
    pick: dict[str, str] = {}

    def open_one(_parent, _title, folder, _filters=""):
        seen.append(folder)
        return pick.get("file", ""), ""

    def open_many(parent, title, folder, filters=""):
        chosen, _f = open_one(parent, title, folder, filters)
        return ([chosen] if chosen else []), ""

    def folder_dialog(_parent, _title, folder):
        seen.append(folder)
        return pick.get("folder", "")

    monkeypatch.setattr(QFileDialog, "getOpenFileName", open_one)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", open_many)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", open_one)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", folder_dialog)
    return seen, pick


def test_dialogs_start_in_documents_then_where_the_seller_was(user_home, home, qapp):
    from ui.widgets import files

    assert files.start_folder("photos") == user_home / "Documents"
    (user_home / "Documents").rmdir()
    assert files.start_folder("photos") == user_home / "Desktop"
    (user_home / "Desktop").rmdir()
    assert files.start_folder("photos") == user_home


def test_every_dialog_of_the_app_opens_in_the_sellers_folders(
    qtbot, logged_in, user_home, dialogs, tmp_path
):
    seen, pick = dialogs
    ws = logged_in.workspace
    export, settings, backups = (ws.open_page(k) for k in ("export", "settings", "backups"))
    documents = str(user_home / "Documents")
    export.choose_template("shopee")
    settings.choose_logo()
    backups.backup_to_folder()
    settings.save_calibration_page()
    assert seen == [
        documents,
        documents,
        documents,
        str(user_home / "Documents" / "kalibrasi.pdf"),
    ]
    assert not any(s.startswith(str(ROOT)) for s in seen), "never the program's folder"
    photos = tmp_path / "foto kopi"
    photos.mkdir()
    logo = photos / "logo.png"
    Image.new("RGB", (64, 64), "green").save(logo)
    pick["file"] = str(logo)
    settings.choose_logo()
    settings.choose_logo()  # the second time it opens where the logo was found
    assert seen[-1] == str(photos)
    export.choose_template("shopee")  # another kind keeps its own place
    assert seen[-1] == documents


def test_no_file_dialog_outside_the_one_place_that_picks_the_start(qapp):
    direct = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "ui").rglob("*.py")
        if "QFileDialog" in p.read_text(encoding="utf-8") and p.name != "files.py"
    ]
    assert direct == []


def product_with_photo(session, tmp_path) -> None:
    from shopdesk import catalog

    sku = make_product(session, name="Keripik Tempe")
    pid = catalog.get_variant(session, sku).product_id
    catalog.update_product(session, pid, description="Keripik renyah, dibuat tiap pagi.")
    photo = tmp_path / "keripik.jpg"
    Image.new("RGB", (800, 600), "orange").save(photo)
    catalog.add_photo(session, product_id=pid, image_path=photo)


def export_to_typed(qtbot, page, text: str) -> None:
    for target, box in page.targets.items():
        box.setChecked(target == "generic")
    page.folder_field.clear()
    qtbot.keyClicks(page.folder_field, text)
    page.export_button.click()
    qtbot.waitUntil(lambda: not page.bar.busy, timeout=60000)


@pytest.mark.usefixtures("answers_yes")
def test_a_typed_destination_and_the_banner_for_the_pcs_own_disk(qtbot, logged_in, tmp_path):
    product_with_photo(logged_in.ctx.session, tmp_path)
    page = logged_in.workspace.open_page("export")
    missing = tmp_path / "tidak ada"
    export_to_typed(qtbot, page, str(missing))
    assert page.feedback.kind == "error" and str(missing) in page.feedback.text()
    assert not missing.exists() and not page.banner.isVisibleTo(page)
    export_to_typed(qtbot, page, "ekspor")  # relative: would land in the program's folder
    assert page.feedback.kind == "error" and not (ROOT / "ekspor").exists()
    out = tmp_path / "Dokumen toko"
    out.mkdir()
    export_to_typed(qtbot, page, str(out))
    [bundle] = list(out.iterdir())
    assert verify(bundle).ok
    assert page.banner.isVisibleTo(page)
    assert page.banner.title.text() == "Bundel siap"  # tmp_path is on the PC's own disk
    assert "cabut" not in page.banner.detail.text().lower()


@pytest.mark.usefixtures("answers_yes")
def test_safe_to_remove_only_on_a_removable_drive(qtbot, logged_in, tmp_path, monkeypatch):
    from shopdesk import drives

    product_with_photo(logged_in.ctx.session, tmp_path)
    stick = tmp_path / "stick"
    stick.mkdir()
    monkeypatch.setattr(drives, "is_removable", lambda folder: Path(folder) == stick)
    page = logged_in.workspace.open_page("export")
    export_to_typed(qtbot, page, str(stick))
    assert page.banner.title.text() == "Aman dicabut"
    assert "Flashdisk boleh dicabut" in page.banner.detail.text()
