"""The app on a PC whose data lives on a server that answers but whose data cannot
be opened (issue 14): the one start-up dialog names the server and the way back
(the app's backup zip into the server, or pg_restore there), with no traceback,
and a SQLite file left in the data folder is neither opened nor touched.

On the tests' own cluster (tests/pg_cluster.py), wherever PostgreSQL is installed.
"""

from __future__ import annotations

import sys

from shopdesk import profiles, store


def test_unusable_server_data_gives_the_way_back_and_touches_no_local_file(
    qtbot, pg_database, pg_cluster, tmp_path, monkeypatch
):
    from ui import app, errors

    name, url = pg_database
    folder = tmp_path / "data"
    monkeypatch.setenv("SHOPDESK_HOME", str(folder))
    monkeypatch.setenv("SHOPDESK_DATABASE_URL", url)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # main() installs its own
    store.open_database()
    profiles.create_operator(password="rahasia-operator")
    store.close_database()
    left = folder / "shopdesk.sqlite3"
    left.write_bytes(b"this is not a database" * 100)  # from before the move to the server
    pg_cluster.query(name, "DROP TABLE schema_version")

    assert app.main(["shopdesk-gui"]) == 2
    dialog = errors.last_dialog()
    qtbot.addWidget(dialog)
    text = dialog.message_label.text()
    host = url.split("@", 1)[1].split("/", 1)[0]
    assert host in text and "pg_restore" in text and "Pulihkan dari berkas" in text
    assert "Traceback" not in text and "shopdesk.sqlite3" not in text
    assert left.read_bytes() == b"this is not a database" * 100
    dialog.resize(1366 // 2, 300)
    dialog.grab().save(str(tmp_path / "dialog.png"))
