"""The login window comes first; the data is opened behind it (``ui.app``, ``store.glance``).

The same opening, checks and messages as before a window: a failure still ends the app
with the seller's message, and the picker ends up as ``profiles`` lists the sellers.
"""

from __future__ import annotations

import sys

import pytest

from shopdesk import opener, store
from shopdesk.errors import DatabaseError
from shopdesk.store import glance

pytestmark = pytest.mark.sqlite_only  # a server data folder opens before its window


@pytest.fixture
def shown(monkeypatch):
    """What happened, in order: the window shown (with its picker's sellers), the opening."""
    from ui.main_window import MainWindow

    events: list[object] = []
    windows: list[MainWindow] = []
    open_data, show = opener.open_data, MainWindow.show_with_saved_geometry

    def opening(*args, **kwargs):
        events.append("open")
        return open_data(*args, **kwargs)

    def showing(window):
        events.append(("window", sorted(window.start.picker.buttons)))
        windows.append(window)
        show(window)

    monkeypatch.setattr(opener, "open_data", opening)
    monkeypatch.setattr(MainWindow, "show_with_saved_geometry", showing)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # main() installs its own
    store.close_database()  # the app opens it itself
    return events, windows


def test_the_login_window_is_shown_before_the_data_is_opened(
    qtbot, seller, shown, capsys, tmp_path, monkeypatch
):
    from ui import app

    events, windows = shown
    assert app.main(["shopdesk-gui", "--startup-probe"]) == 0
    assert events == [("window", ["kopi"]), "open"]
    out = dict(line.split() for line in capsys.readouterr().out.splitlines())
    assert float(out["startup-shown"]) <= float(out["startup-ready"])
    qtbot.addWidget(windows[0])
    # a data folder without operator is opened first: the first-run wizard needs it
    monkeypatch.setenv("SHOPDESK_HOME", str(tmp_path / "new"))
    store.open_database()
    store.close_database()
    events.clear()
    assert app.main(["shopdesk-gui", "--startup-probe"]) == 4
    assert events == ["open"]


def test_the_picker_follows_the_database_once_it_is_open(qtbot, seller, shown, monkeypatch):
    from ui import app

    events, windows = shown
    read = glance.glance()
    ghost = glance.Seat("hantu", "Hantu", "Aaa Toko Hilang", "")
    stale = glance.Glance(read.operator, read.language, (ghost, *read.sellers))
    monkeypatch.setattr(glance, "glance", lambda: stale)  # a seller changed in between
    assert app.main(["shopdesk-gui", "--startup-probe"]) == 0
    assert events == [("window", ["hantu", "kopi"]), "open"]
    qtbot.addWidget(windows[0])
    assert sorted(windows[0].start.picker.buttons) == ["kopi"]


def test_a_failure_opening_behind_the_window_ends_the_app_with_its_message(
    qtbot, seller, shown, monkeypatch
):
    from ui import app, errors

    events, windows = shown

    def refused(*_args, **_kwargs):
        events.append("open")
        raise DatabaseError("Disk penuh. Kosongkan ruang, lalu buka lagi.")

    monkeypatch.setattr(opener, "open_data", refused)
    assert app.main(["shopdesk-gui"]) == 2
    assert events == [("window", ["kopi"]), "open"]
    qtbot.addWidget(windows[0])
    dialog = errors.last_dialog()
    qtbot.addWidget(dialog)
    assert "Disk penuh" in dialog.message_label.text()
    assert not windows[0].isVisible()


def test_a_logo_only_in_the_data_appears_once_the_data_is_open(
    qtbot, seller, shown, tmp_path, monkeypatch
):
    # The window comes before the database: it shows the logos this PC keeps, and a logo
    # kept only in the data (a new PC of a server, an emptied cache) once the data is open.
    from PIL import Image

    from shopdesk import paths, profiles
    from ui import app
    from ui.main_window import MainWindow

    events, windows = shown
    store.open_database()
    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 120), "#2f6f4f").save(logo)
    name = profiles.set_shop_logo(seller, image_path=logo).logo
    store.close_database()
    cached = paths.media_dir() / "logos" / name
    early: list[bool] = []
    show = MainWindow.show_with_saved_geometry
    monkeypatch.setattr(
        MainWindow,
        "show_with_saved_geometry",
        lambda w: (early.append(w.start.picker.logos_missing), show(w)),
    )
    assert not cached.is_file()  # kept in the data; this PC has no copy yet
    assert app.main(["shopdesk-gui", "--startup-probe"]) == 0
    assert early == [True]  # initials first: no database is asked before the window
    assert cached.is_file()  # taken out of the data once it was open
    assert not windows[-1].start.picker.logos_missing  # and the picker shows it
    assert app.main(["shopdesk-gui", "--startup-probe"]) == 0
    assert early == [True, False]  # next time this PC's copy is there at once
    assert events.count("open") == 2
    for window in windows:
        qtbot.addWidget(window)
