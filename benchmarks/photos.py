"""Photos kept in the database (issue 14, point 5), each figure against a floor timed in
the same run, on a fresh SQLite data folder with 60 photos of 2 megapixels (about 1.5 MB
each, noise that JPEG cannot shrink, like a phone's photo):

- adding a photo (``catalog.add_photo``: checked, upright, its bytes and its row in one
  transaction) against the old way's work: the same check and the bytes written to a
  file of their own (``media.prepare_image`` + ``safe_io.write_bytes_atomic``);
- reading a photo on a PC that never had it (``media_store.local_file``: out of the
  database into the cache) against bare ``sqlite3`` reading the blob and writing it out;
- reading it again (the cache: what exports, labels and thumbnails pay) against
  ``Path.is_file``;
- a full backup of the data with its photos (the database stored, not deflated, when it
  is mostly photos) against the old way's bare equivalent: a zip of the same data
  without them, deflated, and the photo files beside it, stored, synced and read back
  once (sizes too).

Run with ``python -m benchmarks photos``.
"""

from __future__ import annotations

import os
import random
import sqlite3
import tempfile
import time
from pathlib import Path

from benchmarks.timing import interleaved, median

PHOTOS = 60
SIZE = (1600, 1200)


def _photos(folder: Path) -> list[Path]:
    from PIL import Image

    rng = random.Random(5)
    made = []
    for n in range(PHOTOS):
        path = folder / f"p{n}.jpg"
        Image.frombytes("RGB", SIZE, rng.randbytes(SIZE[0] * SIZE[1] * 3)).save(
            path, "JPEG", quality=85
        )
        made.append(path)
    return made


def run(report) -> None:
    old_home = os.environ.get("SHOPDESK_HOME")
    try:
        with tempfile.TemporaryDirectory(prefix="shopdesk-bench-photos-") as folder:
            os.environ["SHOPDESK_HOME"] = str(Path(folder) / "home")
            _run(report, Path(folder))
    finally:
        if old_home is None:
            os.environ.pop("SHOPDESK_HOME", None)
        else:
            os.environ["SHOPDESK_HOME"] = old_home


def _run(report, folder: Path) -> None:
    from shopdesk import catalog, profiles, store

    sources = _photos(folder)
    store.open_database()
    try:
        op = profiles.create_operator(password="bench-operator-password")
        profiles.create_seller(op, login="kopi", display_name="Kopi", pin="111111",
                               shop_name="Kopi Sindoro")  # fmt: skip
        session = profiles.seller_login(login="kopi", pin="111111")
        products = [
            catalog.create_product(session, name=f"Produk {n}", price=10_000).id
            for n in range(PHOTOS // 6)
        ]
        _adding(report, session, products, sources, folder)
        _reading(report, session, products)
        _backups(report, folder)
    finally:
        store.close_database()


def _adding(report, session, products, sources, folder: Path) -> None:
    from shopdesk import catalog
    from shopdesk.media import prepare_image
    from shopdesk.safe_io import write_bytes_atomic

    app, floor = [], []
    (folder / "floor").mkdir()
    for n, source in enumerate(sources):  # the app and the floor in turn
        started = time.perf_counter()
        catalog.add_photo(session, product_id=products[n % len(products)], image_path=source)
        app.append(time.perf_counter() - started)
        started = time.perf_counter()
        image = prepare_image(source)
        write_bytes_atomic(folder / "floor" / image.filename, image.data)
        floor.append(time.perf_counter() - started)
    report("add a 2 MP photo (median)", median(app) * 1000, median(floor) * 1000, "ms")


def _reading(report, session, products) -> None:
    import shutil

    from shopdesk import catalog, paths
    from shopdesk.safe_io import write_bytes_atomic

    photos = [p for pid in products for p in catalog.get_product(session, pid).photos]
    shutil.rmtree(paths.media_dir(), ignore_errors=True)  # another PC: nothing cached
    raw = sqlite3.connect(paths.database_path())
    out = Path(paths.cache_dir()) / "floor-read"
    out.mkdir(parents=True, exist_ok=True)
    cold, floor = [], []
    for photo in photos:
        started = time.perf_counter()
        catalog.photos.photo_file(session, photo)
        cold.append(time.perf_counter() - started)
        started = time.perf_counter()
        data = raw.execute(
            "SELECT data FROM media WHERE shop_id = ? AND kind = 'photos' AND filename = ?",
            (session.shop_id, photo.filename),
        ).fetchone()[0]
        write_bytes_atomic(out / photo.filename, data)
        floor.append(time.perf_counter() - started)
    raw.close()
    report("first read on another PC (median)", median(cold) * 1000, median(floor) * 1000, "ms")
    first = photos[0]
    warm, bare = interleaved(
        200,
        lambda: catalog.photos.photo_file(session, first),
        lambda: (paths.media_dir() / "photos" / first.filename).is_file(),
    )
    report("read again, from the cache (median)", median(warm) * 1000, median(bare) * 1000, "ms")


def _bare_zip(db_file: Path, photos: list[Path], target: Path) -> int:
    """The floor: a zip of the database without photos and the photo files, synced,
    then read back whole (the app also checks its backup after writing it)."""
    import hashlib
    import zipfile

    with open(target, "wb") as handle:
        with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            archive.write(db_file, "shopdesk.sqlite3")
            for photo in photos:
                archive.write(photo, f"media/photos/{photo.name}", zipfile.ZIP_STORED)
        handle.flush()
        os.fsync(handle.fileno())
    with zipfile.ZipFile(target) as archive:
        for name in archive.namelist():
            hashlib.sha256(archive.read(name))
    size = target.stat().st_size
    target.unlink()
    return size


def _backups(report, folder: Path) -> None:
    from shopdesk import paths, store
    from shopdesk.backup.create import create_backup

    bare_file = folder / "without-photos.sqlite3"
    store.database.execute_sql(f"VACUUM INTO '{bare_file}'")
    con = sqlite3.connect(bare_file)
    con.execute("DELETE FROM media")
    con.commit()
    con.execute("VACUUM")
    con.close()
    photos = sorted((paths.media_dir() / "photos").iterdir())
    (folder / "b1").mkdir()
    made: dict[str, int] = {}

    def app() -> None:
        info = create_backup(reason="bench", folder=folder / "b1")
        made["app"] = info.path.stat().st_size
        info.path.unlink()

    def bare() -> None:
        made["bare"] = _bare_zip(bare_file, photos, folder / "bare.zip")

    times, floor = interleaved(3, app, bare)
    report(f"full backup with {PHOTOS} photos (median)", median(times), median(floor), "s")
    report("  its size", made["app"] / 1e6, made["bare"] / 1e6, "MB")
