"""Listing bundle speed: ``python -m benchmarks export`` or ``python -m benchmarks.export``.

100 products with 3 twelve-megapixel JPEGs each (``--quick``: 60 products; ``--full``:
1,000 products, one run), five runs, the median of each figure:
- floor: a plain script that decodes, resizes and encodes the same photos with
  Pillow on all cores (JPEG draft decoding, ``Image.thumbnail`` + JPEG encode in a
  process pool);
- the whole bundle (photos, every target, site, PDF, manifest, fsync, read-back)
  with an empty photo cache: goal at most 1.3 x the floor;
- the same export again with nothing changed: goal at most 5 % of the first.
Each run takes the floor and the bundle in turn (every other run bundle first), then
the unchanged re-export, so a busy moment of the shared machine hits both alike.

The photos are generated once into ``.benchmarks-data/export`` (outside git):
a few dozen distinct 12 MP pictures with photo-like noise, each copied to many
files that differ by a JPEG comment, so every file has its own content hash
(no cache hit between them) and decodes like a real photo.

Where the bundle's CPU goes beyond the floor's (per 12 MP photo, 2-core PC): the
floor ~56 ms (draft decode to 2000x1500, bicubic resize, encode); the bundle resized
with Lanczos (+12 ms, now bicubic as Pillow's thumbnail), and also makes the 320 px
thumbnail, hashes the source and its outputs (cache, manifest) and writes three cache
files, ~10 ms together.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

try:
    import resource
except ImportError:  # Windows
    resource = None  # type: ignore[assignment]

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / ".benchmarks-data" / "export"
PHOTO_SIZE = (4000, 3000)  # 12 megapixels
BASE_PHOTOS = 24
PRODUCTS = 100  # 300 photos: five runs of floor and bundle in a few minutes
FULL_PRODUCTS = 1000
QUICK_PRODUCTS = 60
RUNS = 5
PHOTOS_PER_PRODUCT = 3


def _base_photo(index: int) -> bytes:
    width, height = PHOTO_SIZE
    hue = (index * 47) % 255
    im = Image.linear_gradient("L").resize(PHOTO_SIZE).convert("RGB")
    tint = Image.new("RGB", PHOTO_SIZE, (hue, 140, 255 - hue))
    im = Image.blend(im, tint, 0.55)
    draw = ImageDraw.Draw(im)
    for k in range(12):
        x, y = (k * 331 + index * 97) % width, (k * 211 + index * 53) % height
        draw.ellipse([x, y, x + 700, y + 500], fill=((hue + k * 20) % 255, 90 + k * 10, 60))
    noise = Image.effect_noise(PHOTO_SIZE, 28).convert("RGB")
    im = Image.blend(im, noise, 0.18).filter(ImageFilter.SMOOTH)
    buffer = io.BytesIO()
    im.save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def _with_comment(jpeg: bytes, text: str) -> bytes:
    """The same picture with a COM segment: another file, another content hash."""
    payload = text.encode()
    segment = b"\xff\xfe" + (len(payload) + 2).to_bytes(2, "big") + payload
    return jpeg[:2] + segment + jpeg[2:]


def ensure_photos(count: int) -> list[Path]:
    folder = DATA / f"photos-{PHOTO_SIZE[0]}x{PHOTO_SIZE[1]}"
    folder.mkdir(parents=True, exist_ok=True)
    bases = [folder / f"base-{i:02d}.jpg" for i in range(BASE_PHOTOS)]
    missing = [i for i, p in enumerate(bases) if not p.exists()]
    if missing:
        print(f"# generating {len(missing)} base photos of 12 MP (once)", flush=True)
        with ProcessPoolExecutor() as pool:
            for i, data in zip(missing, pool.map(_base_photo, missing), strict=True):
                bases[i].write_bytes(data)
    paths = [folder / f"photo-{n:05d}.jpg" for n in range(count)]
    base_data: dict[int, bytes] = {}
    for n, path in enumerate(paths):
        if not path.exists():
            b = n % BASE_PHOTOS
            if b not in base_data:
                base_data[b] = bases[b].read_bytes()
            path.write_bytes(_with_comment(base_data[b], f"ShopDesk benchmark photo {n}"))
    return paths


def _products(photos: list[Path], count: int):
    from shopdesk.export.listing import ListingProduct, ListingVariant

    categories = ["Kopi", "Keripik", "Madu", "Sambal", "Kerajinan"]
    products = []
    for i in range(count):
        sku = f"PRD-{i + 1:04d}"
        mine = tuple(photos[i * PHOTOS_PER_PRODUCT : (i + 1) * PHOTOS_PER_PRODUCT])
        if i % 5 == 0:
            variants = tuple(
                ListingVariant(f"{sku}-{c}", 15000 + 1000 * k, 10 + k, (flavour,))
                for k, (c, flavour) in enumerate((("ORI", "Original"), ("BAL", "Balado")))
            )
            names: tuple[str, ...] = ("Rasa",)
        else:
            variants = (ListingVariant(sku, 10000 + 500 * (i % 40), 5 + i % 30),)
            names = ()
        products.append(
            ListingProduct(
                product_id=i + 1,
                sku=sku,
                name=f"Produk Desa Nomor {i + 1} {categories[i % 5]}",
                variants=variants,
                option_names=names,
                category=categories[i % 5],
                description=(
                    "Produk buatan warga desa, dikemas rapi dan dikirim dari Temanggung. "
                    f"Nomor {i + 1}."
                ),
                unit="bungkus",
                weight_g=250 + i % 300,
                photos=mine,
            )
        )
    return products


def _floor_one(path: str) -> int:
    with Image.open(path) as im:
        im.draft("RGB", (1024, 1024))  # JPEG draft decoding, as the bundle uses
        im.thumbnail((1024, 1024))
        buffer = io.BytesIO()
        im.convert("RGB").save(buffer, "JPEG", quality=85)
    return buffer.tell()


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the pool's workers)."""
    if resource is None:  # Windows: this process only
        return time.process_time()
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


class _Timer:
    """Wall and CPU time of a block: CPU time stays fair when other work shares the machine."""

    def __enter__(self) -> _Timer:
        self.wall, self.cpu = time.perf_counter(), _cpu()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = _cpu() - self.cpu


def floor_run(photos: list[Path]) -> _Timer:
    with _Timer() as timer, ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        total = sum(pool.map(_floor_one, [str(p) for p in photos], chunksize=8))
    assert total > 0
    return timer


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _bundle(products, shop, work: Path, expected: int) -> _Timer:
    from shopdesk.export.bundle import ExportOptions, export_bundle

    options = ExportOptions(cache_dir=work / "cache", base_url="https://toko.example.id")
    (work / "stick").mkdir(exist_ok=True)
    with _Timer() as timer:
        done = export_bundle(products, shop=shop, out_dir=work / "stick", options=options)
    assert done.photos_processed == expected
    return timer


def _bundle_runs(products, photos: list[Path], runs: int) -> dict[str, list[_Timer]]:
    """Floor, bundle (empty cache) and the unchanged re-export, taken in turn ``runs``
    times: a busy moment of the shared machine hits the figure and its floor alike."""
    from shopdesk.export.listing import ShopInfo

    shop = ShopInfo("Toko Desa Benchmark", "081227001234", "Temanggung")
    timers: dict[str, list[_Timer]] = {"floor": [], "bundle": [], "again": []}
    for run in range(runs):
        work = Path(tempfile.mkdtemp(prefix="export-", dir=DATA))
        try:
            if run % 2:  # half the runs the other way round
                timers["bundle"].append(_bundle(products, shop, work, len(photos)))
                timers["floor"].append(floor_run(photos))
            else:
                timers["floor"].append(floor_run(photos))
                timers["bundle"].append(_bundle(products, shop, work, len(photos)))
            timers["again"].append(_bundle(products, shop, work, 0))
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return timers


def run(report, *, quick: bool | None = None, full: bool = False) -> None:
    if quick is None:
        quick = bool(os.environ.get("SHOPDESK_BENCH_QUICK"))
    count = QUICK_PRODUCTS if quick else FULL_PRODUCTS if full else PRODUCTS
    photos = ensure_photos(count * PHOTOS_PER_PRODUCT)
    products = _products(photos, count)
    runs = 1 if full else RUNS
    timers = _bundle_runs(products, photos, runs)
    wall = {k: _median([t.wall for t in v]) for k, v in timers.items()}
    cpu = {k: _median([t.cpu for t in v]) for k, v in timers.items()}
    of = f"median of {runs}" if runs > 1 else "one run"
    report(f"export floor: Pillow resize {len(photos)} photos ({of})", wall["floor"], None, "s")
    name = f"export bundle {count}x{PHOTOS_PER_PRODUCT} photos"
    report(name, wall["bundle"], wall["floor"], "s", goal="<= 1.3x")
    report("export again, nothing changed", wall["again"], wall["bundle"], "s", goal="<= 0.05x")
    report(f"{name}, CPU time", cpu["bundle"], cpu["floor"], "cpu", goal="<= 1.3x")
    report("export again, nothing changed, CPU time", cpu["again"], cpu["bundle"], "cpu")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.export")
    parser.add_argument("--quick", action="store_true", help="60 products instead of 100")
    parser.add_argument("--full", action="store_true", help="1,000 products, one run")
    args = parser.parse_args(argv)
    from benchmarks.__main__ import report

    run(report, quick=args.quick, full=args.full)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
