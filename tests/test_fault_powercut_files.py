"""Power cuts while files are written: backups, bundles, label PDFs and restores.

``tests/powercut_files.py`` cuts the power at every file call of a real run (or
a sample of them) and puts each watched folder back as the disk would hold it:
a created, renamed or deleted name is lost unless its folder was synced after
it, a file's bytes unless the file was synced (``harsh``), or any earlier state
of each folder survives (``ordered``). After every cut the file a seller relies
on is there, either the old one or the complete new one, never missing or
empty; and once an operation has returned, a cut right after it loses nothing:
every rename it made was followed by a sync of the folder.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import sqlite3
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from shopdesk import backup, catalog, paths, safe_io, store
from shopdesk.export.manifest import verify as verify_bundle
from tests import figures
from tests.conftest import OPERATOR_PASSWORD
from tests.powercut_files import HARSH, ORDERED, FileCrash, PowerCut

SEED = 11_2026
MAX_CUTS = 60  # cut points per operation and mode; fewer when the run has fewer calls
ROUNDS = {HARSH: 1, ORDERED: 2}  # an ordered cut keeps a random earlier state: try twice


def _cut_points(calls: int, rng: random.Random) -> list[int]:
    points = list(range(1, calls + 1))
    return points if calls <= MAX_CUTS else sorted(rng.sample(points, MAX_CUTS))


def _run_cuts(
    request,
    what: str,
    *,
    roots: Callable[[], list[Path]],
    prepare: Callable[[], None],
    operation: Callable[[], Any],
    check: Callable[[Any], None],
    ignore: tuple[str, ...] = (),
    modes: tuple[str, ...] = (HARSH, ORDERED),
) -> Counter:
    """``operation`` under a cut at each call, then ``check(result or None)``."""
    rng = random.Random(SEED)
    prepare()
    with FileCrash(roots(), ignore=ignore) as probe:
        done = operation()
    probe.crash(rng, mode=HARSH)  # the power goes right after it returned
    assert probe.renames_left_unsynced() == [], what
    check(done)
    totals: Counter = Counter(calls=probe.ops)
    for mode in modes:
        for cut_at in _cut_points(probe.ops, rng) * ROUNDS[mode]:
            prepare()
            result = None
            with FileCrash(roots(), cut_at=cut_at, ignore=ignore) as crash:
                try:
                    result = operation()
                except PowerCut:
                    totals["cut"] += 1
            crash.crash(rng, mode=mode)
            try:
                check(result)
            except AssertionError as exc:
                call = crash.log[-1] if crash.log else ()
                exc.add_note(f"{what}: {mode} cut at call {cut_at} of {probe.ops}, {call}")
                raise
            totals[mode] += 1
    figures.report(
        request,
        f"powercut files, {what}: {totals['calls']} file calls per run, cut at "
        f"{totals[HARSH]} points (harsh) and {totals[ORDERED]} (ordered); after every cut "
        "the old file or the complete new one, none missing or empty",
    )
    return totals


# --- the shim itself ------------------------------------------------------------------


def _plain_writer(path: Path, data: bytes, *, sync_file: bool, sync_folder: bool) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        if sync_file:
            os.fsync(handle.fileno())
    os.replace(tmp, path)
    if sync_folder:
        safe_io.fsync_dir(path.parent)


def test_the_shim_loses_renames_and_bytes_that_were_never_synced(tmp_path):
    """Proof that the shim bites: without the folder's sync the new name is lost
    after a cut, without the file's sync its bytes; with both, the new file stays."""
    rng = random.Random(SEED)
    target = tmp_path / "catalog.pdf"
    outcomes = {}
    for sync_file, sync_folder in ((True, False), (False, True), (True, True)):
        target.write_bytes(b"old")
        with FileCrash([tmp_path]) as crash:
            _plain_writer(target, b"new", sync_file=sync_file, sync_folder=sync_folder)
        left = crash.renames_left_unsynced()
        crash.crash(rng, mode=HARSH)
        outcomes[(sync_file, sync_folder)] = (target.read_bytes(), bool(left))
    assert outcomes == {
        (True, False): (b"old", True),  # the rename was never made durable
        (False, True): (b"", False),  # the name moved, the bytes never reached the disk
        (True, True): (b"new", False),
    }


def test_safe_io_writes_the_old_file_or_the_new_one_at_every_cut(tmp_path, request):
    target = tmp_path / "out" / "label.pdf"
    target.parent.mkdir()
    old, new = b"%PDF old " * 100, b"%PDF new " * 300

    def check(_result: Any) -> None:
        assert target.read_bytes() in (old, new)

    totals = _run_cuts(
        request,
        "safe_io.write_bytes_atomic",
        roots=lambda: [target.parent],
        prepare=lambda: target.write_bytes(old),
        operation=lambda: safe_io.write_bytes_atomic(target, new),
        check=check,
    )
    assert totals["cut"] > 0


def test_safe_io_without_its_folder_sync_would_lose_an_acknowledged_write(tmp_path, monkeypatch):
    """The same writer with ``fsync_dir`` taken out fails the check above."""
    monkeypatch.setattr(safe_io, "fsync_dir", lambda folder: None)
    target = tmp_path / "label.pdf"
    target.write_bytes(b"old")
    with FileCrash([tmp_path]) as crash:
        safe_io.write_bytes_atomic(target, b"new")
    assert crash.renames_left_unsynced()
    crash.crash(random.Random(SEED), mode=HARSH)
    assert target.read_bytes() == b"old"


def test_new_folders_are_lost_unless_their_parent_is_synced(tmp_path):
    rng = random.Random(SEED)
    with FileCrash([tmp_path]) as crash:
        (tmp_path / "a" / "b").mkdir(parents=True)
        safe_io.write_bytes_atomic(tmp_path / "a" / "b" / "f.bin", b"x")
    crash.crash(rng, mode=HARSH)
    assert not (tmp_path / "a").exists()
    with FileCrash([tmp_path]) as crash:
        safe_io.make_folder(tmp_path / "a" / "b")
        safe_io.write_bytes_atomic(tmp_path / "a" / "b" / "f.bin", b"x")
    crash.crash(rng, mode=HARSH)
    assert (tmp_path / "a" / "b" / "f.bin").read_bytes() == b"x"


# --- backups --------------------------------------------------------------------------


def _backups_in(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.glob("*.zip") if not p.name.startswith(".")}


@pytest.mark.slow
def test_backups_to_a_stick_survive_cuts(operator, seller, tmp_path, request):
    catalog.create_product(seller, name="Kopi Sindoro Robusta", price=35000, sku="KOPI-1")
    stick = tmp_path / "stick"
    stick.mkdir()
    old = backup.backup_now(operator, folder=stick)
    old_bytes = old.path.read_bytes()
    made: list[str] = []

    def prepare() -> None:
        for entry in stick.iterdir():
            entry.unlink()
        old.path.write_bytes(old_bytes)

    def operation() -> backup.BackupInfo:
        info = backup.backup_now(operator, folder=stick)
        made.append(info.name)
        return info

    def check(result: backup.BackupInfo | None) -> None:
        found = _backups_in(stick)
        assert found[old.name] == old_bytes
        for name in found:
            backup.verify(stick / name)  # complete, or not there at all
        if result is not None:
            assert result.name in found

    _run_cuts(
        request,
        "backup to a stick",
        roots=lambda: [stick],
        prepare=prepare,
        operation=operation,
        check=check,
    )


@pytest.mark.slow
def test_the_first_backup_makes_its_folder_durably(seller, tmp_path, request):
    """A seller's first backup creates ``backups/shops``: the new folders count too."""
    catalog.create_product(seller, name="Madu Hutan", price=85000, sku="MADU-1")
    home = paths.data_dir()

    def prepare() -> None:
        shutil.rmtree(paths.backups_dir(), ignore_errors=True)

    def check(result: backup.BackupInfo | None) -> None:
        shops = paths.backups_dir() / "shops"
        found = _backups_in(shops) if shops.is_dir() else {}
        for name in found:
            backup.verify(shops / name)
        if result is not None:
            assert result.name in found

    _run_cuts(
        request,
        "a seller's first backup",
        roots=lambda: [home],
        prepare=prepare,
        operation=lambda: backup.backup_now(seller),
        check=check,
        ignore=("cache", "logs", *_database_files()),
    )


def _database_files() -> tuple[str, ...]:
    name = paths.database_path().name
    return (name, f"{name}-wal", f"{name}-shm", f"{name}-journal")


# --- bundles --------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("as_zip", [True, False], ids=["zip", "folder"])
def test_bundles_survive_cuts(seller, tmp_path, request, as_zip):
    from shopdesk.export import service
    from shopdesk.export.bundle import ExportOptions

    for n in range(3):
        catalog.create_product(seller, name=f"Keripik Pisang {n}", price=15000)
    options = ExportOptions(
        cache_dir=tmp_path / "cache", workers=1, targets=("generic", "meta"), as_zip=as_zip
    )
    stick = tmp_path / "stick"
    stick.mkdir()
    old = service.export_for_seller(seller, out_dir=stick, options=options).path
    kept = tmp_path / "kept"
    _copy(old, kept / old.name)

    def prepare() -> None:
        for entry in stick.iterdir():
            _remove(entry)
        _copy(kept / old.name, old)

    def check(result: Any) -> None:
        names = [e.name for e in stick.iterdir() if not e.name.startswith(".")]
        assert old.name in names
        for name in names:
            report = verify_bundle(stick / name)
            assert report.ok, (name, report.problems[:3])
        if result is not None:
            assert result.path.name in names

    _run_cuts(
        request,
        f"bundle export ({'zip' if as_zip else 'folder'})",
        roots=lambda: [stick],
        prepare=prepare,
        operation=lambda: service.export_for_seller(seller, out_dir=stick, options=options),
        check=check,
    )


@pytest.mark.slow
@pytest.mark.parametrize("as_zip", [True, False], ids=["zip", "folder"])
def test_setting_a_bundles_url_survives_cuts(seller, tmp_path, request, as_zip):
    """``bundle set-url`` rewrites a bundle in place: the old one or the new one."""
    from shopdesk.export import service
    from shopdesk.export.bundle import ExportOptions, set_url

    catalog.create_product(seller, name="Keripik Tempe", price=12000)
    options = ExportOptions(
        cache_dir=tmp_path / "cache", workers=1, targets=("generic",), as_zip=as_zip
    )
    stick = tmp_path / "stick"
    stick.mkdir()
    bundle = service.export_for_seller(seller, out_dir=stick, options=options).path
    kept = tmp_path / "kept" / bundle.name
    _copy(bundle, kept)

    def prepare() -> None:
        for entry in stick.iterdir():
            _remove(entry)
        _copy(kept, bundle)

    def check(result: Any) -> None:
        report = verify_bundle(bundle)
        assert report.ok, report.problems[:3]
        if result is not None:
            assert report.manifest["base_url"] == "https://kopi.example.id"

    # A folder cannot be swapped with one rename: between the two renames both
    # copies exist only under hidden names, so the ordered cuts would find no
    # bundle there. A zip is replaced with one rename and takes both kinds of cut.
    modes = (HARSH, ORDERED) if as_zip else (HARSH,)
    _run_cuts(
        request,
        f"bundle set-url ({'zip' if as_zip else 'folder'})",
        roots=lambda: [stick],
        prepare=prepare,
        operation=lambda: set_url(bundle, "https://kopi.example.id"),
        check=check,
        modes=modes,
    )


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        shutil.copyfile(source, target)


def _remove(entry: Path) -> None:
    if entry.is_dir():
        shutil.rmtree(entry)
    else:
        entry.unlink()


# --- label PDFs -----------------------------------------------------------------------


@pytest.mark.slow
def test_label_pdfs_survive_cuts(seller, tmp_path, request):
    import pypdfium2

    from shopdesk.labels.service import PrintRequest, prepare_print, write_print

    catalog.create_product(seller, name="Gula Aren Cair", price=20000, sku="GULA-1")
    catalog.create_product(seller, name="Gula Semut", price=25000, sku="GULA-2")
    out = tmp_path / "prints"
    out.mkdir()
    target = out / "label.pdf"
    write_print(seller, prepare_print(seller, PrintRequest(skus=("GULA-1",))), target)
    old = target.read_bytes()
    job = prepare_print(seller, PrintRequest(skus=("GULA-1", "GULA-2"), copies=40))

    def check(_result: Any) -> None:
        data = target.read_bytes()
        if data == old:
            return
        document = pypdfium2.PdfDocument(data)
        try:
            assert len(document) == job.page_count
        finally:
            document.close()

    _run_cuts(
        request,
        "label PDF",
        roots=lambda: [out],
        prepare=lambda: target.write_bytes(old),
        operation=lambda: write_print(seller, job, target),
        check=check,
    )


# --- restores -------------------------------------------------------------------------


def _photo(tmp_path: Path, name: str, colour: tuple[int, int, int]) -> Path:
    from PIL import Image

    path = tmp_path / name
    Image.new("RGB", (64, 48), colour).save(path, "JPEG")
    return path


def _media_is_whole() -> list[str]:
    """Every media file is named by its SHA-256: a wrong one is damaged."""
    return [
        path.name
        for path in paths.media_dir().rglob("*")
        if path.is_file()
        and not path.name.startswith(".")
        and hashlib.sha256(path.read_bytes()).hexdigest() != path.stem
    ]


def _names(session) -> set[str]:
    return {p.name for p in catalog.list_products(session)}


@pytest.mark.slow
def test_restores_survive_cuts(operator, seller, tmp_path, request):
    """A full restore of a backup carrying photos this PC has lost (its cache)."""
    product = catalog.create_product(seller, name="Kopi Lanang", price=40000, sku="KOPI-9")
    photo = catalog.add_photo(
        seller, product_id=product.id, image_path=_photo(tmp_path, "p.jpg", (160, 90, 40))
    )
    stick = tmp_path / "stick"
    stick.mkdir()
    saved = backup.backup_now(operator, folder=stick)
    shutil.rmtree(paths.media_dir(), ignore_errors=True)  # its cache: the data holds them
    catalog.create_product(seller, name="Teh Kemuning", price=12000, sku="TEH-1")
    home = paths.data_dir()
    store.close_database()
    template = tmp_path / "template"
    shutil.copytree(home, template)
    store.open_database()

    def prepare() -> None:
        store.close_database()
        shutil.rmtree(home)
        shutil.copytree(template, home)
        store.open_database()

    def operation() -> Any:
        try:
            return backup.restore(operator, path=saved.path)
        finally:
            store.close_database()  # the disk is rebuilt under no open connection

    def check(result: Any) -> None:
        store.open_database()
        assert _media_is_whole() == []
        for name in _backups_in(paths.backups_dir()):
            backup.verify(paths.backups_dir() / name)
        names = _names(seller)
        assert names in ({"Kopi Lanang", "Teh Kemuning"}, {"Kopi Lanang"})
        if names == {"Kopi Lanang"}:  # restored: its photo came back with it
            assert catalog.photos.photo_file(seller, photo).is_file()
        if result is not None:
            assert names == {"Kopi Lanang"}

    _run_cuts(
        request,
        "full restore",
        roots=lambda: [home],
        prepare=prepare,
        operation=operation,
        check=check,
        ignore=("cache", "logs", "shopdesk.lock"),
    )


def _product_names(database: Path) -> set[str] | None:
    """The products in a database file, or None when it is damaged or missing."""
    if not database.is_file():
        return None
    con = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)
    try:
        if con.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
            return None
        return {row[0] for row in con.execute("SELECT name FROM product")}
    except sqlite3.DatabaseError:
        return None
    finally:
        con.close()


@pytest.mark.slow
def test_restores_over_a_damaged_database_survive_cuts(operator, seller, tmp_path, request):
    """The damaged file is renamed aside and the backup's copy takes its name: the
    live database is at every cut the damaged one or the restored one, never gone."""
    catalog.create_product(seller, name="Kopi Lanang", price=40000, sku="KOPI-9")
    stick = tmp_path / "stick"
    stick.mkdir()
    saved = backup.backup_now(operator, folder=stick)
    store.close_database()
    live = paths.database_path()
    con = sqlite3.connect(live)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    damaged = bytearray(live.read_bytes())
    damaged[4096 * 3 : 4096 * 3 + 300] = random.Random(SEED).randbytes(300)
    live.write_bytes(bytes(damaged))
    home = paths.data_dir()
    template = tmp_path / "template"
    shutil.copytree(home, template)

    def prepare() -> None:
        store.close_database()
        shutil.rmtree(home)
        shutil.copytree(template, home)

    def operation() -> Any:
        try:
            return backup.restore_over_damaged(path=saved.path, password=OPERATOR_PASSWORD)
        finally:
            store.close_database()

    def check(result: Any) -> None:
        if live.is_file() and live.read_bytes() == damaged:
            assert result is None
            return
        assert _product_names(live) == {"Kopi Lanang"}, "the live database is missing or wrong"

    _run_cuts(
        request,
        "restore over a damaged database",
        roots=lambda: [home],
        prepare=prepare,
        operation=operation,
        check=check,
        ignore=("cache", "logs", "shopdesk.lock"),
    )
    store.open_database()
