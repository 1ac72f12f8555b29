"""Where the data lives, in the app (issue 14, point 8): the Settings page and the
operator's "Tempat data" tab say it; the operator tests, connects and disconnects a
real PostgreSQL server there; the status bar says when the server stops answering
and stops saying it once the server is back.

The server parts run on the test server (``SHOPDESK_TEST_SERVER``: .ci/postgres-tests).
"""

from __future__ import annotations

import pytest

from shopdesk import server_link, store
from shopdesk.store import location
from tests.conftest import server_admin_url
from ui.dialogs.server_tab import ServerTab
from ui.tasks import TaskRunner
from ui.widgets.server_status import ServerStatus

needs_server = pytest.mark.skipif(not server_admin_url(), reason="needs a PostgreSQL test server")


def test_settings_say_the_data_lives_on_this_pc(qtbot, logged_in):
    logged_in.workspace.open_page("settings")
    page = logged_in.workspace.current_page()
    if store.on_server():
        assert page.data_place.text().startswith("Di server koperasi")
    else:
        assert page.data_place.text().startswith("Di PC ini:")
        assert str(store.database.database) in page.data_place.text()


@pytest.fixture
def tab(qtbot, home, monkeypatch):
    runner = TaskRunner()
    widget = ServerTab(runner)
    qtbot.addWidget(widget)
    widget.resize(900, 560)
    yield widget
    qtbot.waitUntil(lambda: widget.task is None, timeout=20000)
    runner.wait()


def _done(qtbot, tab) -> str:
    qtbot.waitUntil(lambda: tab.task is None, timeout=20000)
    return tab.strip.message.text()


def test_a_wrong_address_is_told_and_changes_nothing(qtbot, tab, monkeypatch):
    from ui import errors

    monkeypatch.delenv("SHOPDESK_DATABASE_URL", raising=False)
    tab.url.setText("postgresql://toko@127.0.0.1:1/shopdesk")
    tab.connect_button.click()
    _done(qtbot, tab)
    shown = errors.last_dialog()
    assert shown is not None
    qtbot.addWidget(shown)
    assert "tidak bisa dihubungi" in shown.message_label.text()
    assert tab.place.text().startswith("Di PC ini:")
    assert not tab.disconnect_button.isVisibleTo(tab)


@needs_server
def test_the_operator_connects_the_server_and_goes_back(qtbot, tab, monkeypatch, server_database):
    url = location.configured()
    monkeypatch.delenv("SHOPDESK_DATABASE_URL")
    switched = []
    tab.switched.connect(lambda: switched.append(True))
    tab.url.setText(url)
    tab.test_button.click()
    assert "PostgreSQL" in _done(qtbot, tab)
    tab.connect_button.click()
    assert _done(qtbot, tab).startswith("Di server koperasi")
    assert switched and server_link.where().on_server and store.on_server()
    assert tab.disconnect_button.isVisibleTo(tab)

    from ui.widgets import ask

    ask.set_answer(True)
    try:
        tab.disconnect_button.click()
    finally:
        ask.set_answer(None)
    assert _done(qtbot, tab).startswith("Di PC ini:")
    assert not server_link.where().on_server and not store.on_server()


@needs_server
def test_the_status_bar_says_when_the_server_is_gone_and_when_it_is_back(qtbot, home, monkeypatch):
    url = location.configured()
    server, _pw = location.parse(url)
    monkeypatch.delenv("SHOPDESK_DATABASE_URL")
    label = ServerStatus(TaskRunner())
    label.tasks.setParent(label)  # one lifetime: no task may outlive the label it reports to
    qtbot.addWidget(label)
    runner = label.tasks
    location.save(location.Server(server.user, server.host, 1, server.dbname), None)  # gone
    label.start()
    qtbot.waitUntil(lambda: not label.isHidden(), timeout=20000)
    assert "Server tidak terjangkau" in label.text()
    location.save(server, None)  # back
    label.check()
    qtbot.waitUntil(lambda: label.isHidden(), timeout=20000)
    label.stop()
    runner.wait()
    qtbot.wait(50)  # the last task's queued end is delivered while the label still exists
