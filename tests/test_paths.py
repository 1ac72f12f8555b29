"""Where the data folder is: SHOPDESK_HOME, portable, the installer's shared folder, per user."""

import sys
import types

from shopdesk import paths


def _as_installed_windows(monkeypatch, shared):
    fake_os = types.SimpleNamespace(name="nt", environ={})
    monkeypatch.setattr(paths, "os", fake_os)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(shared.parent / "app" / "ShopDesk.exe"))
    return types.SimpleNamespace(
        site_data_dir=lambda name, appauthor: str(shared),
        user_data_dir=lambda name, appauthor, roaming: str(shared.parent / "user"),
    )


def test_installed_windows_uses_the_shared_folder_the_installer_made(tmp_path, monkeypatch):
    shared = tmp_path / "ProgramData" / "ShopDesk"
    shared.mkdir(parents=True)
    fake_dirs = _as_installed_windows(monkeypatch, shared)
    assert paths._installed_shared_dir(fake_dirs) == shared


def test_without_the_installer_folder_each_account_keeps_its_own(tmp_path, monkeypatch):
    shared = tmp_path / "ProgramData" / "ShopDesk"  # never created
    fake_dirs = _as_installed_windows(monkeypatch, shared)
    assert paths._installed_shared_dir(fake_dirs) is None


def test_shopdesk_home_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SHOPDESK_HOME", str(tmp_path / "toko"))
    assert paths.data_dir() == (tmp_path / "toko").resolve()
    assert paths.database_path().name == "shopdesk.sqlite3"
