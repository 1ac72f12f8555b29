"""A right PIN is never a failure: not on a nearly full disk, not when the
login is killed half-way. Wrong PINs are still counted, and when the disk
cannot take even that, the answer says so truthfully.

The full disk is a small real tmpfs (mounted here as root) or, everywhere, a
child process whose files cannot grow (``RLIMIT_FSIZE``), as in
``tests/test_fault_storage.py``.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from shopdesk import paths, profiles, store
from shopdesk.errors import AuthError, ShopDeskError
from shopdesk.store.models import Seller
from tests import figures
from tests.conftest import ROOT
from tests.test_fault_storage import _fill, _mount_tmpfs, _umount

PIN = "111111"
LOGINS = 8
KILLS = 30
SEED = 20261206


def _counter() -> tuple[int, object]:
    row = Seller.get(Seller.login == "kopi")
    return row.failed_attempts, row.next_attempt_at


@pytest.fixture
def small_tmpfs(home, tmp_path, monkeypatch):
    """A fresh data folder on a 4 MiB tmpfs with an operator and seller "kopi"."""
    disk = tmp_path / "disk"
    if not _mount_tmpfs(disk, 4096):
        pytest.skip("cannot mount a small tmpfs here (not root or no permission)")
    store.close_database()
    monkeypatch.setenv("SHOPDESK_HOME", str(disk))
    store.open_database()
    op = profiles.create_operator(password="rahasia-operator")
    profiles.create_seller(op, login="kopi", display_name="Sri", pin=PIN, shop_name="Kopi")
    yield disk
    store.close_database()
    _umount(disk)


@pytest.mark.parametrize("free_kb", [0, 12])
def test_a_right_pin_logs_in_on_a_nearly_full_disk(small_tmpfs, free_kb, request):
    """12 KiB free is the probe's case: room for a failure, none for clearing it."""
    filler = _fill(small_tmpfs, leave=free_kb * 1024)
    results = []
    for _n in range(LOGINS):
        try:
            results.append(profiles.seller_login(login="kopi", pin=PIN).login)
        except ShopDeskError as exc:
            results.append(exc.message)
    figures.report(request, f"\n{free_kb} KiB free, {LOGINS} right PINs: {results}")
    assert results == ["kopi"] * LOGINS
    assert _counter() == (0, None)

    _fill(small_tmpfs, leave=0)  # not a byte left: a wrong PIN cannot be booked
    with pytest.raises(AuthError) as caught:
        profiles.seller_login(login="kopi", pin="000000")
    assert caught.value.message.startswith("PIN salah.")
    assert "Disk penuh. Tidak ada yang tersimpan." in caught.value.message
    assert _counter() == (0, None)  # ... and indeed nothing was saved

    filler.unlink()  # space again: wrong PINs are counted and earn the wait, as before
    for attempt in range(1, 4):
        with pytest.raises(AuthError) as caught:
            profiles.seller_login(login="kopi", pin="000000")
        assert caught.value.message == "PIN salah."
        assert _counter()[0] == attempt
    with pytest.raises(AuthError) as caught:
        profiles.seller_login(login="kopi", pin=PIN)
    assert "Tunggu" in caught.value.message


FSIZE_CHILD = textwrap.dedent(
    """
    import resource, signal, sys
    from shopdesk import paths, profiles, store
    from shopdesk.errors import ShopDeskError
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of being killed
    store.open_database()
    db = paths.database_path()
    wal = db.with_name(db.name + "-wal")  # every write goes there first (WAL mode)
    limit = wal.stat().st_size if wal.exists() else 0
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))  # and it may not grow
    for pin in sys.argv[1:]:
        try:
            print(profiles.seller_login(login="kopi", pin=pin).login)
        except ShopDeskError as exc:
            print(type(exc).__name__, exc.message)
    """
)


def test_a_right_pin_logs_in_when_the_journal_may_not_grow(home, operator, request):
    """The full disk without a mount: a child whose write-ahead log cannot grow. Its hash
    is weaker than the child's settings (it was made with the test set), so the
    login also tries to replace it: that rides in the same refused transaction."""
    profiles.create_seller(operator, login="kopi", display_name="Sri", pin=PIN, shop_name="Kopi")
    weak_hash = Seller.get(Seller.login == "kopi").pin_hash
    store.close_database()
    done = subprocess.run(
        [sys.executable, "-c", FSIZE_CHILD, *[PIN] * LOGINS, "000000"],
        cwd=ROOT,
        env=dict(os.environ, SHOPDESK_HOME=str(home)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = done.stdout.splitlines()
    figures.report(request, f"\nthe journal may not grow: {lines}")
    assert "Traceback" not in done.stderr, done.stderr
    assert lines[:LOGINS] == ["kopi"] * LOGINS
    wrong = lines[LOGINS]
    assert wrong.startswith("AuthError PIN salah.") and "tidak ada yang tersimpan" in wrong.lower()
    store.open_database()
    assert _counter() == (0, None)
    assert Seller.get(Seller.login == "kopi").pin_hash == weak_hash


LOGIN_SERVER = textwrap.dedent(
    """
    import os, sys, time
    from shopdesk import profiles, store
    from shopdesk.errors import AuthError, ShopDeskError

    def logins(ack_path):
        fd = os.open(ack_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        store.open_database()
        while True:
            try:
                profiles.seller_login(login="kopi", pin=sys.argv[1])
            except AuthError:
                os.write(fd, b"REFUSED\\n")
                time.sleep(0.05)
            else:
                os.write(fd, b"IN\\n")

    for line in sys.stdin:
        pid = os.fork()
        if pid == 0:
            try:
                logins(line.strip())
            finally:
                os._exit(3)
        print(pid, flush=True)
        print(os.waitpid(pid, 0)[1], flush=True)
    """
)


def _first_line(ack: Path, child: int) -> None:
    """Wait until the child has finished a first attempt (its work has begun)."""
    deadline = time.monotonic() + 60
    while not (ack.exists() and ack.read_bytes()):
        if time.monotonic() > deadline:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)
            pytest.fail("the login child made no attempt within 60 s")
        time.sleep(0.01)


@pytest.mark.slow
def test_killing_right_pin_logins_books_no_failure(home, operator, tmp_path, monkeypatch, request):
    """A fork server starts a child per kill; each child logs in with the right
    PIN again and again and is killed with SIGKILL at a random moment. After
    every kill the seller has no failure booked and no wait."""
    monkeypatch.delenv("SHOPDESK_FAST_HASH")  # a real argon2 check: a wide middle to land in
    profiles.create_seller(operator, login="kopi", display_name="Sri", pin=PIN, shop_name="Kopi")
    store.close_database()
    server = subprocess.Popen(
        [sys.executable, "-c", LOGIN_SERVER, PIN],
        cwd=ROOT,
        env=dict(os.environ, SHOPDESK_HOME=str(home)),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    rng = random.Random(SEED)
    booked = logins = refused = not_killed = 0
    try:
        for kill in range(KILLS):
            ack = tmp_path / f"ack-{kill}.txt"
            server.stdin.write(f"{ack}\n")
            server.stdin.flush()
            child = int(server.stdout.readline())
            _first_line(ack, child)
            time.sleep(rng.uniform(0.0, 0.3))
            os.kill(child, signal.SIGKILL)
            status = int(server.stdout.readline())
            not_killed += not (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL)
            lines = ack.read_text().split()
            logins += lines.count("IN")
            refused += lines.count("REFUSED")
            con = sqlite3.connect(paths.database_path(), timeout=5)
            try:
                failed, wait = con.execute(
                    "SELECT failed_attempts, next_attempt_at FROM seller WHERE login = 'kopi'"
                ).fetchone()
            finally:
                con.close()
            booked += failed > 0 or wait is not None
    finally:
        server.stdin.close()
        server.wait(timeout=30)
    figures.report(
        request,
        f"\nkilled right-PIN logins: {KILLS} kills, {logins} logins, {refused} refused, "
        f"a failure left booked after {booked} kills",
    )
    assert not_killed == 0
    assert logins >= KILLS  # every child logged in before its kill
    assert booked == 0 and refused == 0
    store.open_database()
    Seller.update(next_attempt_at=None).execute()
    assert profiles.seller_login(login="kopi", pin=PIN).login == "kopi"
