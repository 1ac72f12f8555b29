"""Photo pipeline on real image files: orientation, colour, transparency, damage, cache."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from shopdesk.errors import ValidationError
from shopdesk.export.photos import PhotoJob, PhotoSettings, process_photos
from tests.export.factory import make_photo


def _png_header_only(path: Path, width: int, height: int) -> Path:
    """A PNG that claims enormous dimensions (a decompression bomb) in a few bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
    path.write_bytes(data + chunk(b"IEND", b""))
    return path


def _run(tmp_path, *sources, settings=None):
    jobs = [PhotoJob(Path(s), f"SKU-{i}") for i, s in enumerate(sources, start=1)]
    return process_photos(jobs, cache_dir=tmp_path / "cache", settings=settings, workers=2)


def test_square_srgb_jpeg_under_limits(tmp_path):
    source = make_photo(tmp_path / "wide.jpg", (4000, 3000))
    [result] = _run(tmp_path, source)
    assert result.ok and not result.error
    with Image.open(result.image) as im:
        assert im.format == "JPEG" and im.mode == "RGB" and im.size == (1024, 1024)
        # 4:3 padded on white above and below
        assert im.getpixel((512, 5)) == pytest.approx((255, 255, 255), abs=3)
    assert result.size_bytes < 2_000_000
    with Image.open(result.thumb) as thumb:
        assert thumb.size == (320, 320)


def test_exif_orientation_is_applied(tmp_path):
    # stored landscape, EXIF says rotate 90°: the result must be portrait inside the square
    source = make_photo(tmp_path / "rotated.jpg", (1600, 1200), orientation=6)
    [result] = _run(tmp_path, source)
    with Image.open(result.image) as im:
        assert im.getpixel((5, 512)) == pytest.approx((255, 255, 255), abs=3)  # side bars
        assert im.getpixel((512, 5)) != pytest.approx((255, 255, 255), abs=3)


def test_cmyk_and_transparent_png(tmp_path):
    cmyk = make_photo(tmp_path / "cmyk.jpg", (900, 900), mode="CMYK")
    clear = tmp_path / "clear.png"
    Image.new("RGBA", (800, 800), (0, 0, 255, 0)).save(clear)
    results = _run(tmp_path, cmyk, clear)
    assert all(r.ok for r in results)
    with Image.open(results[0].image) as im:
        assert im.mode == "RGB"
    with Image.open(results[1].image) as im:
        # flattened on white
        assert im.getpixel((400, 400)) == pytest.approx((255, 255, 255), abs=3)


def test_bad_photos_give_messages_not_crashes(tmp_path):
    corrupt = tmp_path / "corrupt.jpg"
    corrupt.write_bytes(b"\xff\xd8\xff\xe0 this is not really a jpeg")
    truncated = make_photo(tmp_path / "half.jpg", (2000, 1500))
    truncated.write_bytes(truncated.read_bytes()[:3000])
    bomb = _png_header_only(tmp_path / "bomb.png", 40_000, 40_000)
    missing = tmp_path / "gone.jpg"
    good = make_photo(tmp_path / "good.jpg")
    results = _run(tmp_path, corrupt, truncated, bomb, missing, good)
    assert [r.ok for r in results] == [False, False, False, False, True]
    assert "corrupt.jpg" in results[0].error and "damaged" in results[0].error
    assert "half.jpg" in results[1].error
    assert "too large" in results[2].error and "1600 megapixels" in results[2].error
    assert "missing" in results[3].error


def test_small_photo_is_enlarged_with_a_warning(tmp_path):
    [result] = _run(tmp_path, make_photo(tmp_path / "tiny.jpg", (300, 200)))
    assert result.ok and "300×200" in result.warning
    with Image.open(result.image) as im:
        assert im.size == (1024, 1024)


def test_second_run_is_served_from_the_cache(tmp_path):
    sources = [
        make_photo(tmp_path / f"p{i}.jpg", (1500, 1000), colour=(40 * i, 90, 90)) for i in range(3)
    ]
    first = _run(tmp_path, *sources)
    assert not any(r.from_cache for r in first)
    mtimes = [r.image.stat().st_mtime_ns for r in first]
    second = _run(tmp_path, *sources)
    assert all(r.from_cache for r in second)
    assert [r.image.stat().st_mtime_ns for r in second] == mtimes
    assert [r.sha256 for r in second] == [r.sha256 for r in first]
    # a changed photo is processed again; other settings make other cache entries
    make_photo(sources[0], (1500, 1000), colour=(10, 200, 10))
    third = _run(tmp_path, *sources)
    assert [r.from_cache for r in third] == [False, True, True]
    other = _run(tmp_path, *sources, settings=PhotoSettings(size=800))
    assert not any(r.from_cache for r in other)
    with Image.open(other[0].image) as im:
        assert im.size == (800, 800)


def test_photo_size_never_below_500():
    with pytest.raises(ValidationError):
        PhotoSettings(size=400)


def test_photos_from_a_background_thread(tmp_path):
    """The UI exports off the GUI thread: the pool then starts fresh interpreters."""
    import threading

    sources = [
        make_photo(tmp_path / f"t{i}.jpg", (900, 700), colour=(30 * i, 60, 90)) for i in range(3)
    ]
    results: list = []
    worker = threading.Thread(target=lambda: results.extend(_run(tmp_path, *sources)))
    worker.start()
    worker.join(120)
    assert [r.ok for r in results] == [True, True, True]
