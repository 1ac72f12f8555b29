"""The bundle on a stick: manifest, verify, atomic writing and its faults, set-url."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pypdfium2 as pdfium
import pytest

from shopdesk.errors import StorageError
from shopdesk.export.bundle import ExportOptions, export_bundle, set_url, show
from shopdesk.export.manifest import FORMAT, FORMAT_VERSION, signature_ok, verify
from tests.export.conftest import BASE_URL
from tests.export.factory import SHOP, sample_products

ROOT = Path(__file__).resolve().parents[2]


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- what a bundle holds ----------------------------------------------------------


def test_manifest_lists_every_file(built):
    manifest = json.loads((built.path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format"] == FORMAT and manifest["format_version"] == FORMAT_VERSION
    assert manifest["shop"]["name"] == "Kopi Sindoro" and manifest["product_count"] == 5
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", manifest["created_at"])
    assert set(manifest["targets"]) == {
        "shopee", "tokopedia", "shopify", "woocommerce", "meta", "google", "generic",
    }  # fmt: skip
    assert signature_ok(manifest)
    on_disk = {p.relative_to(built.path).as_posix() for p in built.path.rglob("*") if p.is_file()}
    assert on_disk - {"manifest.json"} == set(manifest["files"])
    for name in ("index.html", "catalog.pdf", "products.json", "images/KOPI-0001-1.jpg"):
        assert name in manifest["files"]
    for name, entry in manifest["files"].items():
        assert (built.path / name).stat().st_size == entry["size"]
        assert " " not in name and "," not in name
    assert verify(built.path).ok


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key in ("href", "src") and value:
                self.links.append(value)


def test_site_links_are_relative_and_resolve(built):
    pages = [built.path / "index.html", *sorted((built.path / "p").glob("*.html"))]
    assert len(pages) == 6
    wa_links = []
    for page in pages:
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.links:
            if link.startswith("https://wa.me/"):
                wa_links.append(link)
                continue
            assert not urlparse(link).scheme and not link.startswith("/"), link
            assert (page.parent / unquote(link)).resolve().is_file(), (page, link)
    assert wa_links
    assert all(link.startswith("https://wa.me/6281227001234?text=") for link in wa_links)
    chips = (built.path / "p" / "krpk-0001.html").read_text(encoding="utf-8")
    assert "Rp 15.000" in chips and "Pedas Daun Jeruk" in chips


def test_catalog_pdf_renders(built):
    pdf = pdfium.PdfDocument(str(built.path / "catalog.pdf"))
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "Kopi Robusta Temanggung Bubuk" in text and "Rp 35.000" in text
    assert "Pedas Daun Jeruk" in text
    image = pdf[0].render(scale=0.5).to_pil()
    assert image.size[0] > 200


def test_second_export_does_no_image_work(products, stick, options):
    first = export_bundle(products, shop=SHOP, out_dir=stick, options=options)
    second = export_bundle(products, shop=SHOP, out_dir=stick, options=options)
    assert first.photos_processed == 9 and first.photos_cached == 0
    assert second.photos_processed == 0 and second.photos_cached == 9
    assert first.path != second.path and verify(second.path).ok


def test_zip_bundle(products, stick, options):
    opts = replace(options, as_zip=True)
    result = export_bundle(products, shop=SHOP, out_dir=stick, options=opts)
    assert result.path.suffix == ".zip" and _leftovers(stick) == [result.path.name]
    with zipfile.ZipFile(result.path) as zf:
        assert zf.testzip() is None
        assert "index.html" in zf.namelist() and "images/KOPI-0001-1.jpg" in zf.namelist()
    assert verify(result.path).ok
    assert show(result.path)["product_count"] == 5


# --- verify names the damaged file -----------------------------------------------------


def test_verify_names_truncated_altered_missing_files(bundle):
    path = bundle.path
    image = path / "images" / "KOPI-0002-1.jpg"
    image.write_bytes(image.read_bytes()[:100])
    page = path / "p" / "kopi-0001.html"
    data = bytearray(page.read_bytes())
    data[50] ^= 0x01
    page.write_bytes(bytes(data))
    (path / "meta-catalog.csv").unlink()
    report = verify(path)
    assert not report.ok
    kinds = {p.path: p.kind for p in report.problems}
    assert kinds == {
        "images/KOPI-0002-1.jpg": "truncated",
        "p/kopi-0001.html": "altered",
        "meta-catalog.csv": "missing",
    }
    assert all(p.path in p.message for p in report.problems)


def test_verify_catches_a_changed_manifest(bundle):
    manifest_path = bundle.path / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["product_count"] = 99
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    report = verify(bundle.path)
    assert [p.kind for p in report.problems] == ["manifest"]


def test_verify_on_damaged_zips(products, stick, options):
    opts = replace(options, as_zip=True)
    result = export_bundle(products, shop=SHOP, out_dir=stick, options=opts)
    data = result.path.read_bytes()
    truncated = stick / "truncated.zip"
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(StorageError) as err:
        verify(truncated)
    assert "truncated.zip" in err.value.message
    # flip a byte inside a stored member: the zip opens, the file is named
    with zipfile.ZipFile(result.path) as zf:
        info = zf.getinfo("images/KOPI-0001-1.jpg")
    offset = info.header_offset + 30 + len(info.filename) + len(info.extra) + 500
    damaged = bytearray(data)
    damaged[offset] ^= 0xFF
    flipped = stick / "flipped.zip"
    flipped.write_bytes(bytes(damaged))
    report = verify(flipped)
    assert [p.path for p in report.problems] == ["images/KOPI-0001-1.jpg"]


# --- atomic writing: nothing half-written under the final name ----------------------------


@pytest.mark.parametrize("as_zip", [False, True])
def test_file_damaged_before_read_back(products, stick, options, as_zip):
    def damage(staged: Path) -> None:
        if staged.is_dir():
            target = staged / "shopify-products.csv"
            target.write_bytes(target.read_bytes()[:-10])
        else:
            with open(staged, "r+b") as handle:
                handle.truncate(staged.stat().st_size - 200)

    opts = replace(options, as_zip=as_zip)
    with pytest.raises(StorageError) as err:
        export_bundle(products, shop=SHOP, out_dir=stick, options=opts, on_staged=damage)
    assert "not written correctly" in err.value.message
    if not as_zip:
        assert "shopify-products.csv" in err.value.message
    assert _leftovers(stick) == []


def test_read_only_target(products, readonly_dir, options):
    with pytest.raises(StorageError) as err:
        export_bundle(products, shop=SHOP, out_dir=readonly_dir, options=options)
    assert str(readonly_dir) in err.value.message
    if os.geteuid() == 0:  # a real read-only mount (permission bits otherwise)
        assert "read-only" in err.value.message
    assert _leftovers(readonly_dir) == []


def test_target_path_that_does_not_exist(products, tmp_path, options):
    missing = tmp_path / "E:" / "nothing"
    with pytest.raises(StorageError) as err:
        export_bundle(products, shop=SHOP, out_dir=missing, options=options)
    assert "does not exist" in err.value.message
    assert not missing.exists()


FILL_UP_SCRIPT = """
import resource, signal, sys
from pathlib import Path
from shopdesk.errors import ShopDeskError
from shopdesk.export.bundle import ExportOptions, export_bundle
from tests.export.factory import SHOP, sample_products

root = Path(sys.argv[1])
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
limit = int(sys.argv[3])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
options = ExportOptions(cache_dir=root / "cache", base_url="https://x.example.id", workers=1,
                        as_zip=sys.argv[4] == "zip")
try:
    export_bundle(sample_products(root / "photos"), shop=SHOP, out_dir=Path(sys.argv[2]),
                  options=options)
except ShopDeskError as exc:
    print(exc.message)
    sys.exit(exc.exit_code)
print("written")
"""


@pytest.mark.skipif(not hasattr(os, "setpriority"), reason="needs RLIMIT_FSIZE (POSIX)")
@pytest.mark.parametrize("mode", ["folder", "zip"])
def test_target_fills_up_mid_write(products, stick, options, tmp_path, mode):
    # warm the photo cache first so the child only writes to the stick
    export_bundle(products, shop=SHOP, out_dir=tmp_path, options=options)
    limit = "20000" if mode == "folder" else "60000"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-c", FILL_UP_SCRIPT, str(tmp_path), str(stick), limit, mode],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert run.returncode == StorageError.exit_code, run.stdout + run.stderr
    assert "full" in run.stdout or "penuh" in run.stdout.lower()
    assert _leftovers(stick) == []


@pytest.mark.skipif(os.name == "nt" or os.geteuid() != 0, reason="mounting a tmpfs needs root")
def test_small_drive_fills_up(products, options, tmp_path):
    drive = tmp_path / "drive"
    drive.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", str(drive)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        with pytest.raises(StorageError) as err:
            export_bundle(products, shop=SHOP, out_dir=drive, options=options)
        assert "full" in err.value.message or "penuh" in err.value.message.lower()
        assert _leftovers(drive) == []
    finally:
        subprocess.run(["umount", str(drive)], capture_output=True)


# --- set-url -------------------------------------------------------------------------


@pytest.mark.parametrize("as_zip", [False, True])
def test_set_url_refills_links_without_touching_photos(tmp_path, cache_dir, as_zip):
    products = sample_products(tmp_path / "photos")
    stick = tmp_path / "stick"
    stick.mkdir()
    opts = ExportOptions(cache_dir=cache_dir, as_zip=as_zip, workers=2)
    result = export_bundle(products, shop=SHOP, out_dir=stick, options=opts)
    before = json.loads(
        zipfile.ZipFile(result.path).read("manifest.json")
        if as_zip
        else (result.path / "manifest.json").read_bytes()
    )
    index_mtime = (cache_dir / "index.json").stat().st_mtime_ns
    assert before["base_url"] == ""

    set_url(result.path, BASE_URL + "/")
    report = verify(result.path)
    assert report.ok and report.manifest["base_url"] == BASE_URL
    after = report.manifest
    assert after["bundle_id"] == before["bundle_id"]
    for name, entry in before["files"].items():
        if name.startswith("images/") or name.endswith(".pdf"):
            assert after["files"][name] == entry
    assert after["files"]["meta-catalog.csv"] != before["files"]["meta-catalog.csv"]
    assert (cache_dir / "index.json").stat().st_mtime_ns == index_mtime
    if as_zip:
        meta = zipfile.ZipFile(result.path).read("meta-catalog.csv").decode()
    else:
        meta = (result.path / "meta-catalog.csv").read_text(encoding="utf-8")
    assert BASE_URL + "/images/KOPI-0001-1.jpg" in meta
    if as_zip:
        page = zipfile.ZipFile(result.path).read("p/kopi-0001.html").decode()
    else:
        page = (result.path / "p" / "kopi-0001.html").read_text(encoding="utf-8")
    assert f'<meta property="og:image" content="{BASE_URL}/images/KOPI-0001-1.jpg">' in page
    assert "https://wa.me/6281227001234" in page
    assert _leftovers(stick) == [result.path.name]


def test_set_url_refuses_a_damaged_bundle(bundle):
    (bundle.path / "products.json").write_text("{}", encoding="utf-8")
    with pytest.raises(StorageError) as err:
        set_url(bundle.path, BASE_URL)
    assert "products.json" in err.value.message


def test_an_old_interrupted_export_is_cleaned_up(products, stick, options):
    stale = stick / ".listing-kopi-sindoro-20260101-000000.partial-dead"
    (stale / "images").mkdir(parents=True)
    (stale / "images" / "x.jpg").write_bytes(b"half")
    fresh = stick / ".listing-other.zip.partial-beef"
    fresh.write_bytes(b"still being written")
    os.utime(stale, (1, 1))
    result = export_bundle(products, shop=SHOP, out_dir=stick, options=options)
    assert _leftovers(stick) == sorted([fresh.name, result.path.name])


def test_progress_is_reported(products, stick, options):
    seen: list[tuple[str, int, int]] = []
    export_bundle(
        products, shop=SHOP, out_dir=stick, options=options, progress=lambda *a: seen.append(a)
    )
    photos = [s for s in seen if s[0] == "photos"]
    assert photos[-1] == ("photos", 9, 9)
    assert [s[0] for s in seen[len(photos) :]] == ["writing", "verifying"]


KILL_SCRIPT = """
import os, signal, sys
from pathlib import Path
from shopdesk.export.bundle import ExportOptions, export_bundle
from tests.export.factory import SHOP, sample_products

root = Path(sys.argv[1])
options = ExportOptions(cache_dir=root / "cache", workers=1, as_zip=sys.argv[3] == "zip")
export_bundle(sample_products(root / "photos"), shop=SHOP, out_dir=Path(sys.argv[2]),
              options=options, on_staged=lambda path: os.kill(os.getpid(), signal.SIGKILL))
"""


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("mode", ["folder", "zip"])
def test_killed_mid_export_leaves_no_bundle_name(stick, tmp_path, mode):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-c", KILL_SCRIPT, str(tmp_path), str(stick), mode],
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert run.returncode == -9
    left = _leftovers(stick)
    assert len(left) == 1 and left[0].startswith(".") and ".partial-" in left[0]


def _detected(path: Path) -> bool:
    try:
        return not verify(path).ok
    except StorageError:
        return True


def test_every_truncation_and_bit_flip_of_a_zip_is_caught(products, stick, options, tmp_path):
    import random

    result = export_bundle(
        products, shop=SHOP, out_dir=stick, options=replace(options, as_zip=True)
    )
    data = result.path.read_bytes()
    probe = tmp_path / "probe.zip"
    rng = random.Random(5)
    cuts = {0, 1, 21, 22, len(data) // 2, len(data) - 23, len(data) - 22, len(data) - 1}
    cuts |= {rng.randrange(len(data)) for _ in range(12)}
    for cut in sorted(cuts):
        probe.write_bytes(data[:cut])
        assert _detected(probe), f"truncated at {cut}"
    with zipfile.ZipFile(result.path) as zf:
        spans = [
            (i.header_offset + 30 + len(i.filename.encode()) + len(i.extra), i.compress_size)
            for i in zf.infolist()
            if i.compress_size
        ]
    for start, length in rng.sample(spans, 25):
        flipped = bytearray(data)
        flipped[start + rng.randrange(length)] ^= 1 << rng.randrange(8)
        probe.write_bytes(bytes(flipped))
        assert _detected(probe), f"bit flipped at {start}"


def test_every_file_of_a_folder_bundle_is_checked(bundle):
    import random

    rng = random.Random(7)
    names = sorted(json.loads((bundle.path / "manifest.json").read_text())["files"])
    for name in rng.sample(names, 15):
        path = bundle.path / name
        original = path.read_bytes()
        flipped = bytearray(original)
        flipped[rng.randrange(len(flipped))] ^= 0x10
        path.write_bytes(bytes(flipped))
        assert [p.path for p in verify(bundle.path).problems] == [name]
        path.write_bytes(original[: len(original) // 3])
        assert [p.kind for p in verify(bundle.path).problems] == ["truncated"]
        path.write_bytes(original)
    assert verify(bundle.path).ok


@pytest.mark.parametrize(
    ("offset", "value"), [(10, 99), (8, 1)], ids=["unknown-method", "encrypted-flag"]
)
def test_damaged_zip_headers_are_named_problems(products, stick, options, tmp_path, offset, value):
    result = export_bundle(
        products, shop=SHOP, out_dir=stick, options=replace(options, as_zip=True)
    )
    data = bytearray(result.path.read_bytes())
    # the central directory entry of index.html: signature PK\1\2, method at offset 10
    name = b"index.html"
    entry = data.find(b"PK\x01\x02")
    while entry != -1 and data[entry + 46 : entry + 46 + len(name)] != name:
        entry = data.find(b"PK\x01\x02", entry + 4)
    assert entry != -1
    data[entry + offset] |= value
    damaged = tmp_path / "method.zip"
    damaged.write_bytes(bytes(data))
    report = verify(damaged)
    assert [p.path for p in report.problems] == ["index.html"]
