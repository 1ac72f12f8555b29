"""Disk full, read-only media and a stick pulled out mid-write.

A small real filesystem (tmpfs mounted here as root) plays the full disk and
the small stick; where mounting is not allowed, a child process with
``RLIMIT_FSIZE`` plays the full disk instead. Each case checks: a clear message
in Indonesian, nothing acknowledged lost, nothing half written.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from shopdesk import backup, catalog, paths, sales, stock, store
from shopdesk.errors import ShopDeskError, StorageError
from shopdesk.store.models import Bundle, ListingState, Sale
from tests import figures
from tests.conftest import ROOT


def _mount_tmpfs(folder: Path, size_kb: int) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    if os.name == "nt" or os.geteuid() != 0:
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(folder)],
        capture_output=True,
    )
    return done.returncode == 0


def _umount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], capture_output=True)


@pytest.fixture
def small_disk(tmp_path):
    """Factory: a tmpfs of ``size_kb``; skips when this machine cannot mount."""
    mounted: list[Path] = []

    def make(name: str, size_kb: int) -> Path:
        folder = tmp_path / name
        if not _mount_tmpfs(folder, size_kb):
            pytest.skip("cannot mount a small tmpfs here (not root or no permission)")
        mounted.append(folder)
        return folder

    yield make
    for folder in mounted:
        _umount(folder)


def _fill(folder: Path, leave: int = 0) -> Path:
    """Fill a filesystem until at most ``leave`` bytes are free."""
    filler = folder / "filler.bin"
    with open(filler, "ab") as handle:
        for block in (65536, 4096, 512):
            while os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize > leave + block:
                try:
                    handle.write(b"\0" * block)
                    handle.flush()
                except OSError:
                    break
    return filler


def _stocked(seller, sku="KOPI-1"):
    catalog.create_product(seller, name="Kopi Sindoro", price=35000, sku=sku)
    stock.receive(seller, sku=sku, quantity=500)


def _open_on(folder: Path, monkeypatch) -> None:
    store.close_database()
    monkeypatch.setenv("SHOPDESK_HOME", str(folder))
    store.open_database()


def _healthy(path: Path) -> bool:
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        con.close()


def test_sale_on_a_full_disk_says_so_and_loses_nothing(small_disk, monkeypatch, request):
    from shopdesk import profiles

    disk = small_disk("disk", 4096)
    _open_on(disk, monkeypatch)
    op = profiles.create_operator(password="rahasia-operator")
    profiles.create_seller(op, login="kopi", display_name="Sri", pin="111111", shop_name="Kopi")
    seller = profiles.seller_login(login="kopi", pin="111111")
    _stocked(seller)
    filler = _fill(disk, leave=400 * 1024)
    acked, error = [], None
    for _n in range(5000):
        try:
            sale = sales.record_sale(
                seller, lines=[("KOPI-1", 1)], note="catatan panjang " * 28, allow_negative=True
            )
        except ShopDeskError as exc:
            error = exc
            break
        acked.append(sale.number)
    figures.report(
        request, f"\ndisk full: {len(acked)} sales saved before the disk was full; error: {error}"
    )
    assert isinstance(error, StorageError)
    assert error.message.startswith("Disk penuh") and "Nothing" not in error.message
    numbers = [s.number for s in Sale.select().order_by(Sale.number)]
    assert numbers == acked  # every acknowledged sale, and no half sale
    assert stock.check(seller).ok
    filler.unlink()  # the seller frees space: the next sale goes through
    sales.record_sale(seller, lines=[("KOPI-1", 1)])
    store.close_database()
    assert _healthy(disk / paths.DB_FILENAME)


FSIZE_CHILD = textwrap.dedent(
    """
    import resource, signal, sys
    from shopdesk import paths, sales, store
    from shopdesk.errors import ShopDeskError
    from shopdesk.profiles import Session
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
    store.open_database()
    session = Session(1, 1, "kopi", "Sri", "Kopi", "WIB", "id")
    limit = paths.database_path().stat().st_size + 40_000
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    saved = 0
    try:
        for _ in range(5000):
            sales.record_sale(session, lines=[("KOPI-1", 1)], note="x" * 480, allow_negative=True)
            saved += 1
    except ShopDeskError as exc:
        print(saved)
        print(type(exc).__name__, exc.message)
    """
)


def test_sale_when_the_file_size_limit_is_hit_in_a_child(home, seller, request):
    """The fallback full disk (no mount needed): RLIMIT_FSIZE in a child process."""
    _stocked(seller)
    store.close_database()
    done = subprocess.run(
        [sys.executable, "-c", FSIZE_CHILD],
        cwd=ROOT,
        env=dict(os.environ, SHOPDESK_HOME=str(home)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = done.stdout.splitlines()
    assert len(lines) == 2, done.stdout + done.stderr
    saved, message = int(lines[0]), lines[1]
    figures.report(request, f"\nRLIMIT_FSIZE: {saved} sales saved, then: {message}")
    assert message.startswith(("StorageError", "DatabaseError"))
    assert "Traceback" not in done.stderr
    store.open_database()
    assert Sale.select().count() == saved
    assert stock.check(seller).ok


def test_backup_to_a_full_stick_leaves_nothing_behind(small_disk, operator, seller):
    _stocked(seller)
    stick = small_disk("stick", 1024)
    _fill(stick, leave=6 * 1024)
    before = sorted(p.name for p in stick.iterdir())
    with pytest.raises(StorageError) as caught:
        backup.backup_now(operator, folder=stick)
    assert caught.value.message.startswith("Disk penuh") and str(stick) in caught.value.message
    assert sorted(p.name for p in stick.iterdir()) == before


def test_backup_to_a_read_only_stick(readonly_dir, operator, seller):
    with pytest.raises(StorageError) as caught:
        backup.backup_now(seller, folder=readonly_dir)
    assert "hanya-baca" in caught.value.message or "ditolak" in caught.value.message
    assert list(readonly_dir.iterdir()) == []


def test_stick_pulled_out_during_a_backup(tmp_path, operator, seller, monkeypatch):
    _stocked(seller)
    stick = tmp_path / "stick"
    stick.mkdir()

    def pulled(fd):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", pulled)
    with pytest.raises(StorageError) as caught:
        backup.backup_now(operator, folder=stick)
    monkeypatch.undo()
    assert "dicabut" in caught.value.message and str(stick) in caught.value.message
    assert list(stick.iterdir()) == []  # no half file under the final name or a temporary one


def test_data_on_a_read_only_drive_is_refused_before_any_sale(home, seller, tmp_path, request):
    """Linux refuses to remount a drive read-only while the database is open for
    writing, so the read-only data drive is met when ShopDesk opens it: clear
    message, the file untouched."""
    _stocked(seller)
    sales.record_sale(seller, lines=[("KOPI-1", 2)])
    store.close_database()
    ro = tmp_path / "ro-data"
    ro.mkdir()
    con = sqlite3.connect(home / paths.DB_FILENAME)
    con.backup(sqlite3.connect(ro / paths.DB_FILENAME))
    con.close()
    if os.geteuid() == 0:
        subprocess.run(["mount", "--bind", str(ro), str(ro)], check=True)
        subprocess.run(["mount", "-o", "remount,bind,ro", str(ro)], check=True)
    else:
        ro.chmod(0o555)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "shopdesk", "sale", "list", "--seller", "kopi"],
            cwd=ROOT,
            env=dict(os.environ, SHOPDESK_HOME=str(ro), SHOPDESK_PIN="111111"),
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        if os.geteuid() == 0:
            subprocess.run(["umount", str(ro)], check=True)
        else:
            ro.chmod(0o755)
    figures.report(request, f"\nread-only data drive: {done.stderr.strip()}")
    assert done.returncode == StorageError.exit_code and "Traceback" not in done.stderr
    assert "tidak bisa menulis ke folder datanya" in done.stderr
    assert sorted(p.name for p in ro.iterdir()) == [paths.DB_FILENAME]


def _export_options(tmp_path, **kw):
    from shopdesk.export.bundle import ExportOptions

    return ExportOptions(cache_dir=tmp_path / "photo-cache", workers=1, targets=("generic",), **kw)


@pytest.mark.parametrize("as_zip", [False, True])
def test_export_to_a_full_stick_writes_no_half_bundle(
    small_disk, seller, tmp_path, as_zip, request
):
    from shopdesk.export import service

    for n in range(30):
        catalog.create_product(
            seller, name=f"Keripik {n}", price=12000, description="Renyah dan gurih. " * 80
        )
    stick = small_disk("export-stick", 512)
    _fill(stick, leave=12 * 1024)
    before_state = [(r.product_id, r.target, r.waiting) for r in ListingState.select()]
    with pytest.raises(StorageError) as caught:
        service.export_for_seller(
            seller, out_dir=stick, options=_export_options(tmp_path, as_zip=as_zip)
        )
    figures.report(request, f"\nexport to a full stick: {caught.value.message}")
    assert "penuh" in caught.value.message.lower()
    assert sorted(p.name for p in stick.iterdir()) == ["filler.bin"]
    assert [(r.product_id, r.target, r.waiting) for r in ListingState.select()] == before_state
    assert Bundle.select().count() == 0


def test_export_to_a_read_only_stick(readonly_dir, seller, tmp_path):
    from shopdesk.export import service

    catalog.create_product(seller, name="Keripik Tempe", price=12000)
    with pytest.raises(StorageError):
        service.export_for_seller(seller, out_dir=readonly_dir, options=_export_options(tmp_path))
    assert list(readonly_dir.iterdir()) == []
    assert Bundle.select().count() == 0


@pytest.mark.parametrize(
    "code,words",
    [
        (errno.ENOSPC, "Disk penuh"),
        (errno.EROFS, "hanya-baca"),
        (errno.EACCES, "Akses ditolak"),
        (errno.EIO, "dicabut"),
    ],
)
def test_every_storage_failure_has_its_own_message(code, words):
    from shopdesk.safe_io import storage_error

    error = storage_error(OSError(code, os.strerror(code)), Path("E:/cadangan.zip"))
    assert words in error.message and "E:/cadangan.zip" in error.message


def test_database_errors_are_unwrapped_by_result_code():
    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorcode = 13
    try:
        try:
            raise full
        except sqlite3.OperationalError:
            raise sqlite3.OperationalError("cannot rollback - no transaction is active")  # noqa: B904
    except sqlite3.OperationalError as outer:
        assert isinstance(store.translate_error(outer), StorageError)
    readonly = sqlite3.OperationalError("attempt to write a readonly database")
    readonly.sqlite_errorcode = 8
    assert "hanya-baca" in store.translate_error(readonly).message
    assert "Disk penuh" in store.translate_error(OSError(errno.ENOSPC, "No space")).message


@pytest.mark.parametrize("as_zip", [False, True])
def test_stick_pulled_out_during_an_export(seller, tmp_path, monkeypatch, as_zip):
    from shopdesk.export import service

    catalog.create_product(seller, name="Keripik Tempe", price=12000)
    stick = tmp_path / "stick"
    stick.mkdir()
    before_state = [(r.product_id, r.target, r.waiting) for r in ListingState.select()]

    def pulled(fd):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", pulled)
    with pytest.raises(StorageError) as caught:
        service.export_for_seller(
            seller, out_dir=stick, options=_export_options(tmp_path, as_zip=as_zip)
        )
    monkeypatch.undo()
    assert "dicabut" in caught.value.message
    assert list(stick.iterdir()) == []
    assert [(r.product_id, r.target, r.waiting) for r in ListingState.select()] == before_state
    assert Bundle.select().count() == 0
