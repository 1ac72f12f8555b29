"""One writing app per data folder, and no lost update when the CLI writes beside it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from shopdesk import instance_lock
from shopdesk.instance_lock import AlreadyRunningError
from tests import figures
from tests.conftest import ROOT

HOLDER = (
    "import sys; from shopdesk import instance_lock; instance_lock.acquire(); "
    "print('held', flush=True); sys.stdin.read()"
)


def _holder(folder):
    env = dict(os.environ, SHOPDESK_HOME=str(folder))
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_second_app_gets_a_clear_message_and_a_killed_one_leaves_no_stale_lock(tmp_path):
    folder = tmp_path / "data"
    proc = _holder(folder)
    try:
        with pytest.raises(AlreadyRunningError) as caught:
            instance_lock.acquire(folder)
        message = caught.value.message
        assert str(proc.pid) in message and "sudah terbuka" in message
        assert caught.value.owner["pid"] == proc.pid
    finally:
        proc.send_signal(signal.SIGKILL)  # a crash: no clean-up at all
        proc.wait(timeout=10)
    assert (folder / instance_lock.LOCK_NAME).exists()  # the file stays ...
    lock = instance_lock.acquire(folder)  # ... but the lock is free
    try:
        assert instance_lock.read_owner(folder)["pid"] == os.getpid()
        with pytest.raises(AlreadyRunningError):
            instance_lock.acquire(folder)  # not twice in one process either
    finally:
        lock.release()
    instance_lock.acquire(folder).release()


def test_hold_is_reentrant_for_the_process_that_has_the_lock(tmp_path):
    """A restore inside the GUI (which holds the lock) goes ahead and leaves the GUI's
    lock held; without a holder, hold takes the lock for the block only."""
    with instance_lock.acquire(tmp_path) as app:
        with instance_lock.hold(tmp_path):
            assert app.held
        assert app.held  # the block did not release the app's lock
        with pytest.raises(AlreadyRunningError):
            instance_lock.acquire(tmp_path)
    assert not app.held
    with instance_lock.hold(tmp_path):
        assert instance_lock.read_owner(tmp_path)["what"] == "restore"
        with pytest.raises(AlreadyRunningError):
            instance_lock.acquire(tmp_path)
    instance_lock.acquire(tmp_path).release()  # free again after the block


def test_lock_in_another_data_folder_is_independent(tmp_path):
    """Another program holding folder a refuses a, not b; this process holds both."""
    proc = _holder(tmp_path / "a")
    try:
        with pytest.raises(AlreadyRunningError):
            instance_lock.acquire(tmp_path / "a")
        with instance_lock.acquire(tmp_path / "b") as lock:
            assert lock.held
            assert instance_lock.read_owner(tmp_path / "b")["pid"] == os.getpid()
            assert instance_lock.read_owner(tmp_path / "a")["pid"] == proc.pid
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    with instance_lock.acquire(tmp_path / "a"), instance_lock.acquire(tmp_path / "b") as b:
        assert b.held


INCREMENTS = textwrap.dedent(
    """
    import sys
    from shopdesk import store, settings
    from shopdesk.profiles import OperatorSession
    store.open_database()
    op = OperatorSession(1, sys.argv[2])
    for _ in range(int(sys.argv[1])):
        with store.transaction():  # BEGIN IMMEDIATE: read-then-write
            value = settings.get(op, "counter") or 0
            settings.put(op, "counter", value + 1)
    print("done", flush=True)
    """
)


def test_gui_and_cli_writing_at_once_lose_no_update(home, operator, request):
    """Two processes do read-then-write increments of one counter, 2 x 300 times."""
    from shopdesk import settings, store

    n = 300
    env = dict(os.environ, SHOPDESK_HOME=str(home))
    store.close_database()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", INCREMENTS, str(n), who],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for who in ("gui", "cli")
    ]
    outputs = [p.communicate(timeout=240) for p in procs]
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
    store.open_database()
    total = settings.get(operator, "counter")
    figures.report(
        request,
        f"concurrent increments: 2 processes x {n}, final counter {total}, lost {2 * n - total}",
    )
    assert total == 2 * n


OPENER = textwrap.dedent(
    """
    import sys, time
    from shopdesk import store
    from shopdesk.store import migrations
    time.sleep(max(0.0, float(sys.argv[1]) - time.time()))
    store.open_database()
    print(migrations.user_version(store.database.obj))
    """
)


def test_programs_opening_a_new_data_folder_together_all_succeed(tmp_path):
    """The GUI and a command started at the same moment on a fresh (or old) folder."""
    import time

    from shopdesk.store import migrations

    start = time.time() + 2
    env = dict(os.environ, SHOPDESK_HOME=str(tmp_path / "fresh"))
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", OPENER, str(start)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _n in range(4)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert [r[0].strip() for r in results] == [str(migrations.LATEST_VERSION)] * 4, results
