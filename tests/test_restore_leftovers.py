"""What a restore cut off by kill -9 leaves beside the database goes at the next
start, and ``shopdesk doctor`` names it; the files of a restore that still runs
are never touched."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import time

import pytest

from shopdesk import backup, doctor, i18n, paths, store
from shopdesk.backup import workfiles
from tests import figures
from tests.conftest import OPERATOR_PASSWORD, ROOT
from tests.test_fault_kill9 import CACHE_VS_LEDGER, RESTORER

SEED = 20261206


def _on_hand():
    return store.database.execute_sql("SELECT sum(on_hand) FROM lot_stock").fetchone()[0]


def _leftovers(home):
    return sorted(p.name for p in home.glob(".restore-*"))


def _wait_for_work_file(home, before, child):
    """Until the child's restore has made its work file (or the child ended)."""
    while child.poll() is None:
        if set(home.glob(".restore-*.sqlite3")) - before:
            return
        time.sleep(0.005)


def _shopdesk(*argv, home, **env):
    return subprocess.run(
        [sys.executable, "-m", "shopdesk", "--lang", "en", *argv],
        cwd=ROOT,
        env=dict(os.environ, SHOPDESK_HOME=str(home), **env),
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_restores_killed_leave_nothing_after_the_next_start(home, operator, two_states, request):
    state_a, state_b = two_states
    rng = random.Random(SEED)
    kills = 12
    for _kill in range(kills):
        child = subprocess.Popen(
            [sys.executable, "-c", RESTORER, str(state_a), str(state_b)],
            cwd=ROOT,
            env=dict(os.environ, SHOPDESK_HOME=str(home)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_for_work_file(home, set(home.glob(".restore-*.sqlite3")), child)
        time.sleep(rng.uniform(0, 0.3))  # somewhere in the copy, the checks or the swap
        child.kill()
        child.wait()
    left = _leftovers(home)
    assert left  # the kills landed while restores were at work

    # The next start: doctor opens the data as every command does, and names what went.
    done = _shopdesk("doctor", home=home, SHOPDESK_OPERATOR_PASSWORD=OPERATOR_PASSWORD)
    assert "Traceback" not in done.stderr + done.stdout, done.stderr
    assert _leftovers(home) == []
    assert all(name in done.stdout for name in left), done.stdout
    con = sqlite3.connect(paths.database_path())
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("SELECT sum(on_hand) FROM lot_stock").fetchone()[0] in (10, 15)
        assert con.execute(CACHE_VS_LEDGER).fetchone()[0] == 0
    finally:
        con.close()
    figures.report(
        request,
        f"\nrestore leftovers: {kills} restores killed, {len(left)} files left, "
        f"0 after the next start",
    )
    store.open_database()
    backup.restore(operator, path=state_b)  # and restoring still works
    assert _on_hand() == 15


HOLDER = """
import sys, time
from pathlib import Path
from shopdesk.backup import workfiles
work = workfiles.create(Path(sys.argv[1]))
print(work, flush=True)
time.sleep(600)
"""


def test_a_running_restore_keeps_its_files_and_a_dead_one_loses_them(home):
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(home)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        work = holder.stdout.readline().strip()
        running = set(_leftovers(home))
        assert len(running) == 2  # the work file and its lock
        assert backup.remove_restore_leftovers(home) == []
        assert set(_leftovers(home)) == running
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    removed = backup.remove_restore_leftovers(home)
    assert sorted(p.name for p in removed) == sorted(running)
    assert _leftovers(home) == []
    assert work.endswith(".sqlite3")


def test_this_process_own_restore_is_left_alone(home):
    work = workfiles.create(home)
    assert backup.remove_restore_leftovers(home) == []
    assert work.exists()
    workfiles.remove(work)
    assert _leftovers(home) == []


def test_doctor_names_and_removes_the_files_of_a_cut_off_restore(home, operator):
    i18n.set_language("en")
    # An older release's work file and its hot journal: no lock beside them.
    (home / ".restore-k2v9x1.sqlite3").write_bytes(b"SQLite format 3\x00" + b"\0" * 100)
    (home / ".restore-k2v9x1.sqlite3-journal").write_bytes(b"\0" * 512)
    finding = next(f for f in doctor.run(operator) if "Restores" in f.what)
    assert finding.status == doctor.WARN
    assert ".restore-k2v9x1.sqlite3" in finding.what
    assert ".restore-k2v9x1.sqlite3-journal" in finding.what
    assert _leftovers(home) == []
    again = next(f for f in doctor.run(operator) if "Restores" in f.what)
    assert again.status == doctor.OK
