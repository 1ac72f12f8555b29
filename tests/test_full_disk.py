"""A data disk 100% full: read-only work goes on and writes nothing in the data
folder, writes are refused with "the disk is full" and change nothing, doctor
reports the full disk instead of crashing, and no ``-shm``/``-wal`` stubs stay.

Two full disks, each running the real command line in a child process:
``tmpfs``, a small real filesystem filled to the last byte (mounted as root; CI
runs so), and ``fsize``, which runs everywhere: the child sees its disk as full
(``shutil.disk_usage`` answers 0 bytes free) and cannot grow any file past 3000
bytes (``RLIMIT_FSIZE``), so SQLite's first page of a write does not fit.
"""

from __future__ import annotations

import csv
import logging
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from shopdesk import backup, catalog, instance_lock, paths, profiles, sales, stock, store
from tests import figures
from tests.conftest import OPERATOR_PASSWORD, PIN_A, ROOT
from tests.test_fault_storage import _fill, _mount_tmpfs, _umount

FSIZE_LIMIT = 3000
FSIZE_CLI = f"""
import resource, shutil, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of being killed
usage = shutil.disk_usage("/")
shutil.disk_usage = lambda path: type(usage)(usage.total, usage.total, 0)
resource.setrlimit(resource.RLIMIT_FSIZE, ({FSIZE_LIMIT}, {FSIZE_LIMIT}))
from shopdesk.cli import main
sys.exit(main(sys.argv[1:]))
"""

READS = [
    ("sale", "list", "--seller", "kopi"),
    ("sale", "summary", "--seller", "kopi"),
    ("report", "stock-value", "--seller", "kopi"),
    ("report", "low-stock", "--seller", "kopi"),
    ("report", "daily", "--seller", "kopi"),
    ("stock", "history", "--seller", "kopi"),
    ("product", "list", "--seller", "kopi"),
    ("whoami", "--seller", "kopi"),
    ("backup", "list"),
]
WRITES = [
    ("sale", "record", "--seller", "kopi", "KOPI-1:1"),
    ("stock", "in", "--seller", "kopi", "KOPI-1", "5"),
    ("product", "add", "--seller", "kopi", "--price", "5000", "Gula Aren"),
]


@dataclass
class FullDisk:
    kind: str
    home: Path  # the data folder, on the full disk
    other: Path  # another drive, with room
    run: Callable[..., subprocess.CompletedProcess[str]]
    make_room: Callable[[], None]


def _make_shop(home: Path, monkeypatch) -> None:
    monkeypatch.setenv("SHOPDESK_HOME", str(home))
    store.open_database()
    op = profiles.create_operator(password=OPERATOR_PASSWORD)
    profiles.create_seller(op, login="kopi", display_name="Sri", pin=PIN_A, shop_name="Kopi")
    seller = profiles.seller_login(login="kopi", pin=PIN_A)
    catalog.create_product(seller, name="Kopi Sindoro", price=35000, sku="KOPI-1")
    stock.receive(seller, sku="KOPI-1", quantity=50)
    sales.record_sale(seller, lines=[("KOPI-1", 2)])
    sales.record_sale(seller, lines=[("KOPI-1", 1)])
    backup.backup_now(op)
    store.close_database()


def _runner(home: Path, prefix: list[str]) -> Callable[..., subprocess.CompletedProcess[str]]:
    env = dict(
        os.environ,
        SHOPDESK_HOME=str(home),
        SHOPDESK_PIN=PIN_A,
        SHOPDESK_OPERATOR_PASSWORD=OPERATOR_PASSWORD,
        PYTHONDONTWRITEBYTECODE="1",
    )

    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *prefix, *map(str, argv)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    return run


@pytest.fixture(params=["tmpfs", "fsize"])
def full_disk(request, tmp_path, monkeypatch):
    other = tmp_path / "stick"
    other.mkdir()
    plain = ["-m", "shopdesk"]
    if request.param == "tmpfs":
        disk = tmp_path / "disk"
        if not _mount_tmpfs(disk, 4096):
            pytest.skip("cannot mount a small tmpfs here (needs root on Linux); fsize covers it")
        home = disk / "home"
        _make_shop(home, monkeypatch)
        filler = _fill(disk)
        assert os.statvfs(disk).f_bavail == 0  # 100% full
        yield FullDisk("tmpfs", home, other, _runner(home, plain), filler.unlink)
        _umount(disk)
    else:
        if os.name == "nt":
            pytest.skip("RLIMIT_FSIZE is POSIX's")
        home = tmp_path / "home"
        _make_shop(home, monkeypatch)
        state = {"run": _runner(home, ["-c", FSIZE_CLI])}

        def make_room() -> None:
            state["run"] = _runner(home, plain)

        yield FullDisk("fsize", home, other, lambda *argv: state["run"](*argv), make_room)


def _snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every folder and file below ``folder``, files with their bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes() if p.is_file() else None
        for p in sorted(folder.rglob("*"))
    }


def _clean(done: subprocess.CompletedProcess[str]) -> bool:
    text = done.stdout + done.stderr
    return "Traceback" not in text and "Logging error" not in text


def test_read_only_work_goes_on_and_writes_nothing(full_disk, request):
    before = _snapshot(full_disk.home)
    ran = 0
    for argv in READS:
        done = full_disk.run(*argv)
        assert done.returncode == 0 and _clean(done), (argv, done.stderr)
        ran += 1
    listed = full_disk.run("sale", "list", "--seller", "kopi").stdout
    assert len([line for line in listed.splitlines() if "Rp" in line]) == 2
    for table in ("products", "stock", "movements", "sales"):
        target = full_disk.other / f"{table}.csv"
        done = full_disk.run("table-export", table, "--seller", "kopi", "-o", target)
        assert done.returncode == 0 and _clean(done), (table, done.stderr)
        with open(target, encoding="utf-8-sig", newline="") as handle:
            assert len(list(csv.reader(handle))) >= 2  # header and rows
        ran += 1
    if full_disk.kind == "tmpfs":  # an XLSX is bigger than the fsize child may write
        import openpyxl

        target = full_disk.other / "sales.xlsx"
        done = full_disk.run(
            "table-export", "sales", "--seller", "kopi", "--format", "xlsx", "-o", target
        )
        assert done.returncode == 0 and _clean(done), done.stderr
        assert openpyxl.load_workbook(target).active.max_row >= 2
        ran += 1
    done = full_disk.run("doctor")
    assert done.returncode == 1 and _clean(done), done.stdout + done.stderr  # a FAIL: the disk
    assert "disk penuh" in done.stdout.lower(), done.stdout
    if full_disk.kind == "tmpfs":  # the newest backup is checked in the temp folder
        assert "Cadangan: 1" in done.stdout, done.stdout
    assert _snapshot(full_disk.home) == before  # not a byte, not a -shm or -wal stub
    figures.report(
        request,
        f"\nfull disk ({full_disk.kind}): {ran} read-only commands and doctor ran, "
        "0 bytes written to the data folder",
    )


def test_writes_are_refused_as_a_full_disk_and_change_nothing(full_disk):
    before = _snapshot(full_disk.home)
    for argv in WRITES:
        done = full_disk.run(*argv)
        assert done.returncode != 0 and _clean(done), (argv, done.stderr)
        assert "Disk penuh" in done.stderr, (argv, done.stderr)
    assert _snapshot(full_disk.home) == before
    full_disk.make_room()
    done = full_disk.run("sale", "record", "--seller", "kopi", "KOPI-1:1")
    assert done.returncode == 0, done.stderr
    con = sqlite3.connect(full_disk.home / paths.DB_FILENAME)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("SELECT count(*) FROM sale").fetchone()[0] == 3
    finally:
        con.close()


def test_stubs_left_by_an_older_release_go(full_disk):
    if full_disk.kind != "tmpfs":
        pytest.skip("the stubs are what a real full disk leaves")
    live = full_disk.home / paths.DB_FILENAME
    database = live.read_bytes()
    full_disk.make_room()
    Path(f"{live}-shm").write_bytes(b"\0\0\0")  # what SQLite leaves when the disk refuses more
    Path(f"{live}-wal").write_bytes(b"")
    _fill(full_disk.home.parent)
    done = full_disk.run("sale", "list", "--seller", "kopi")
    assert done.returncode == 0 and _clean(done), done.stderr
    assert sorted(p.name for p in full_disk.home.glob(f"{paths.DB_FILENAME}*")) == [
        paths.DB_FILENAME
    ]
    assert live.read_bytes() == database


LOG_CHILD = """
import sys
from shopdesk.logging_setup import log_exception
try:
    raise RuntimeError("the disk is full of sacks of coffee")
except RuntimeError:
    print(log_exception("test"))
"""


def test_the_log_goes_to_the_temp_folder_when_the_data_disk_is_full(full_disk, tmp_path):
    if full_disk.kind != "tmpfs":
        pytest.skip("needs a disk that refuses every byte")
    temp = tmp_path / "temp"
    temp.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", LOG_CHILD],
        cwd=ROOT,
        env=dict(os.environ, SHOPDESK_HOME=str(full_disk.home), TMPDIR=str(temp)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and "Logging error" not in done.stderr, done.stderr
    assert done.stdout.strip() == str(temp / "shopdesk.log")
    assert "sacks of coffee" in (temp / "shopdesk.log").read_text(encoding="utf-8")


def test_the_instance_lock_is_released_on_a_full_disk(full_disk):
    if full_disk.kind != "tmpfs":
        pytest.skip("needs a disk that refuses every byte")
    lock = instance_lock.acquire(full_disk.home)
    lock.release()  # closing flushes the owner's text, which the disk refuses
    assert not lock.held


def test_the_log_falls_back_without_a_traceback_of_its_own(tmp_path, monkeypatch, capsys):
    """The same chain, deterministic: log files that cannot be opened."""
    from shopdesk import logging_setup

    home = tmp_path / "home"
    (home / "logs" / "shopdesk.log").mkdir(parents=True)  # a folder where the file should be
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setenv("SHOPDESK_HOME", str(home))
    monkeypatch.setattr(logging_setup.tempfile, "gettempdir", lambda: str(temp))
    log = logging.getLogger("shopdesk")
    saved = log.handlers[:]

    def logged(text: str) -> Path | None:
        for handler in log.handlers:  # a fresh start of the log, as in a new process
            handler.close()
        log.handlers.clear()
        try:
            raise RuntimeError(text)
        except RuntimeError:
            return logging_setup.log_exception("test")

    try:
        assert logged("first") == temp / "shopdesk.log"
        assert "first" in (temp / "shopdesk.log").read_text(encoding="utf-8")
        (temp / "shopdesk.log").unlink()
        (temp / "shopdesk.log").mkdir()
        assert logged("second") is None
        err = capsys.readouterr().err
        assert "second" in err and "Logging error" not in err
    finally:
        for handler in log.handlers:
            handler.close()
        log.handlers[:] = saved
