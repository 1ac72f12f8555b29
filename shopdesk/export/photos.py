"""Listing photos: square sRGB JPEGs, processed once and cached.

Each source photo is decoded with JPEG draft scaling, turned upright from its
EXIF orientation, converted to sRGB, flattened on white, fitted into a square
and encoded under the size limit, plus a small thumbnail for the catalog PDF
and site index. Results are cached by the source's content hash and the
settings, so exporting unchanged products again does no image work. A small
index maps (path, size, mtime) to the content hash so that an unchanged file
is not even read again (the way git's index avoids re-hashing).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import multiprocessing
import os
import tempfile
import threading
import warnings
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from shopdesk.errors import StorageError, ValidationError
from shopdesk.i18n import _

PIPELINE_VERSION = 2  # bump when the processing changes: old cache entries are then ignored
MIN_SIZE = 500
MAX_SIZE = 4096
WHITE = (255, 255, 255)
INDEX_NAME = "index.json"
_SRGB = None

Progress = Callable[[int, int], None]  # (photos done, photos to process)
# What a worker process hands back (plain data, no translations) and the JSON
# description of a processed photo kept in the cache.
Outcome = dict[str, Any]
Meta = dict[str, Any]


@dataclass(frozen=True)
class PhotoSettings:
    size: int = 1024
    quality: int = 85
    max_bytes: int = 2_000_000
    thumb_size: int = 320

    def __post_init__(self) -> None:
        if not MIN_SIZE <= self.size <= MAX_SIZE:
            raise ValidationError(
                _("The photo size must be between {low} and {high} pixels.").format(
                    low=MIN_SIZE, high=MAX_SIZE
                )
            )

    def fingerprint(self) -> str:
        return f"v{PIPELINE_VERSION}-{self.size}-{self.quality}-{self.max_bytes}-{self.thumb_size}"


@dataclass(frozen=True)
class PhotoJob:
    source: Path
    name: str  # file stem in the bundle, e.g. KOPI-0001-1


@dataclass(frozen=True)
class PhotoResult:
    job: PhotoJob
    image: Path | None = None  # processed photo in the cache
    thumb: Path | None = None
    sha256: str = ""
    size_bytes: int = 0
    thumb_sha256: str = ""
    thumb_bytes: int = 0
    source_width: int = 0
    source_height: int = 0
    from_cache: bool = False
    error: str = ""  # translated message when the photo cannot be used
    warning: str = ""

    @property
    def ok(self) -> bool:
        return self.image is not None


class PhotoCache:
    """Processed photos in a folder, keyed by source content and settings."""

    def __init__(self, folder: Path, settings: PhotoSettings) -> None:
        self.folder = Path(folder)
        self.settings = settings
        self._index_path = self.folder / INDEX_NAME
        self._sources: dict[str, list[Any]] = {}  # path -> [size, mtime_ns, content sha]
        self._outputs: dict[str, Meta] = {}
        self._load()

    def _load(self) -> None:
        try:
            data = json.loads(self._index_path.read_text(encoding="utf-8"))
            self._sources = dict(data.get("sources", {}))
            self._outputs = dict(data.get("outputs", {}))
        except (OSError, ValueError, AttributeError):
            self._sources, self._outputs = {}, {}

    def save(self) -> None:
        """Best effort: a lost index only costs hashing the sources again."""
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            payload = json.dumps({"sources": self._sources, "outputs": self._outputs})
            fd, tmp = tempfile.mkstemp(prefix=".index.", dir=self.folder)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(payload)
            os.replace(tmp, self._index_path)

    def key_for(self, content_sha: str) -> str:
        return _cache_key(content_sha, self.settings)

    def paths_for(self, key: str) -> tuple[Path, Path]:
        return _cache_paths(self.folder, key)

    def lookup(self, source: Path) -> PhotoResult | None:
        """A cached result for an unchanged source file, without reading it."""
        try:
            stat = source.stat()
        except OSError:
            return None
        known = self._sources.get(str(source))
        if not known or known[0] != stat.st_size or known[1] != stat.st_mtime_ns:
            return None
        return self._result_for_key(self.key_for(known[2]))

    def _result_for_key(self, key: str) -> PhotoResult | None:
        meta = self._outputs.get(key)
        image, thumb = self.paths_for(key)
        if not meta or not image.is_file() or not thumb.is_file():
            return None
        if image.stat().st_size != meta["bytes"] or thumb.stat().st_size != meta["thumb_bytes"]:
            return None
        return _stored_result(PhotoJob(Path(), ""), image, thumb, meta, from_cache=True)

    def remember(self, source: Path, content_sha: str, key: str, meta: Meta) -> None:
        with contextlib.suppress(OSError):
            stat = source.stat()
            self._sources[str(source)] = [stat.st_size, stat.st_mtime_ns, content_sha]
        self._outputs[key] = meta


def process_photos(
    jobs: Sequence[PhotoJob],
    *,
    cache_dir: Path,
    settings: PhotoSettings | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
) -> list[PhotoResult]:
    """Process every job (cached ones are free); results in the order of ``jobs``."""
    settings = settings or PhotoSettings()
    cache = PhotoCache(Path(cache_dir), settings)
    results: list[PhotoResult | None] = [None] * len(jobs)
    todo: list[int] = []
    for i, job in enumerate(jobs):
        hit = cache.lookup(job.source)
        if hit is not None:
            results[i] = _with_job(hit, job)
        else:
            todo.append(i)
    if todo:
        try:
            cache.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ValidationError(
                _("Cannot use the photo cache folder {path}: {error}").format(
                    path=cache.folder, error=exc.strerror or exc
                )
            ) from exc
        args = [(str(jobs[i].source), str(cache.folder), settings) for i in todo]
        for i, outcome in zip(todo, _run(args, workers, progress), strict=True):
            results[i] = _to_result(jobs[i], outcome, cache)
        cache.save()
    return [r for r in results if r is not None]


def _run(
    args: list[tuple[str, str, PhotoSettings]],
    workers: int | None,
    progress: Progress | None = None,
) -> Iterable[Outcome]:
    count = workers or os.cpu_count() or 1
    outcomes: Iterable[Outcome]
    if count <= 1 or len(args) <= 1:
        outcomes = (_process_one(*a) for a in args)
        return _reporting(outcomes, len(args), progress)
    chunk = max(1, len(args) // (count * 8))
    # Forking a process that runs other threads (the GUI's) can deadlock the child:
    # start fresh interpreters there. The CLI, on the main thread, keeps the fast default.
    context = None
    if threading.current_thread() is not threading.main_thread():
        context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(count, len(args)), mp_context=context) as pool:
        outcomes = pool.map(_process_one, *zip(*args, strict=True), chunksize=chunk)
        return _reporting(outcomes, len(args), progress)


def _reporting(outcomes: Iterable[Outcome], total: int, progress: Progress | None) -> list[Outcome]:
    done: list[Outcome] = []
    for outcome in outcomes:
        done.append(outcome)
        if progress:
            progress(len(done), total)
    return done


def _with_job(result: PhotoResult, job: PhotoJob) -> PhotoResult:
    return PhotoResult(**{**result.__dict__, "job": job, "warning": _small_warning(result, job)})


def _small_warning(result: PhotoResult, job: PhotoJob) -> str:
    if not result.source_width or max(result.source_width, result.source_height) >= MIN_SIZE:
        return ""
    return _(
        "The photo {path} is small ({width}×{height} pixels) and was enlarged; "
        "a photo of at least {minimum}×{minimum} looks sharper."
    ).format(
        path=job.source.name,
        width=result.source_width,
        height=result.source_height,
        minimum=MIN_SIZE,
    )


def _to_result(job: PhotoJob, outcome: Outcome, cache: PhotoCache) -> PhotoResult:
    if "error" in outcome:
        return PhotoResult(job=job, error=_error_message(outcome, job.source))
    meta = outcome["meta"]
    cache.remember(job.source, outcome["content_sha"], outcome["key"], meta)
    image, thumb = cache.paths_for(outcome["key"])
    result = _stored_result(job, image, thumb, meta, from_cache=outcome.get("reused", False))
    return _with_job(result, job)


def _stored_result(
    job: PhotoJob, image: Path, thumb: Path, meta: Meta, *, from_cache: bool
) -> PhotoResult:
    """The result for files written under the cache, described by their ``meta``."""
    return PhotoResult(
        job=job,
        image=image,
        thumb=thumb,
        sha256=meta["sha256"],
        size_bytes=meta["bytes"],
        thumb_sha256=meta["thumb_sha256"],
        thumb_bytes=meta["thumb_bytes"],
        source_width=meta.get("w", 0),
        source_height=meta.get("h", 0),
        from_cache=from_cache,
    )


def _error_message(outcome: Outcome, source: Path) -> str:
    code = outcome["error"]
    if code == "cache":
        raise StorageError(
            _("Cannot write the photo cache in {path}: {error}. Free some disk space.").format(
                path=outcome.get("folder"), error=outcome.get("detail")
            )
        )
    if code == "missing":
        text = _("The photo {path} is missing. Add the photo again or remove it from the product.")
    elif code == "bomb":
        text = _(
            "The photo {path} is too large to open safely ({pixels} megapixels). "
            "Resize it or take a new photo."
        )
    elif code == "unreadable":
        text = _("The photo {path} cannot be read. Is it in use or on a removed drive?")
    else:
        text = _("The photo {path} is damaged or not a picture. Replace it with a JPEG or PNG.")
    return text.format(path=source, pixels=outcome.get("pixels", "?"))


def _cache_key(content_sha: str, settings: PhotoSettings) -> str:
    return hashlib.sha256(f"{content_sha}:{settings.fingerprint()}".encode()).hexdigest()


def _cache_paths(folder: Path, key: str) -> tuple[Path, Path]:
    sub = folder / key[:2]
    return sub / f"{key}.jpg", sub / f"{key}-t.jpg"


# --- worker side (runs in a child process; returns plain dicts, no translations) ---


def _process_one(source: str, cache_folder: str, settings: PhotoSettings) -> Outcome:
    try:
        data = Path(source).read_bytes()
    except FileNotFoundError:
        return {"error": "missing"}
    except IsADirectoryError:
        return {"error": "corrupt"}
    except OSError:
        return {"error": "unreadable"}
    content_sha = hashlib.sha256(data).hexdigest()
    key = _cache_key(content_sha, settings)
    image_path, thumb_path = _cache_paths(Path(cache_folder), key)
    meta_path = image_path.with_suffix(".json")
    if image_path.is_file() and thumb_path.is_file() and meta_path.is_file():
        with contextlib.suppress(OSError, ValueError):
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            return {"content_sha": content_sha, "key": key, "meta": meta, "reused": True}
    try:
        square, width, height = _square_photo(data, settings.size)
    except _Bomb as bomb:
        return {"error": "bomb", "pixels": bomb.megapixels}
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError, Image.DecompressionBombError):
        return {"error": "corrupt"}
    photo = _encode(square, settings.quality, settings.max_bytes)
    thumb_img = square.resize((settings.thumb_size,) * 2, Image.Resampling.BICUBIC)
    thumb = _encode(thumb_img, 80, settings.max_bytes)
    meta = {
        "sha256": hashlib.sha256(photo).hexdigest(),
        "bytes": len(photo),
        "thumb_sha256": hashlib.sha256(thumb).hexdigest(),
        "thumb_bytes": len(thumb),
        "w": width,
        "h": height,
        "small": max(width, height) < MIN_SIZE,
    }
    try:
        image_path.parent.mkdir(parents=True, exist_ok=True)
        _write(image_path, photo)
        _write(thumb_path, thumb)
        _write(meta_path, json.dumps(meta).encode())
    except OSError as exc:
        return {"error": "cache", "detail": exc.strerror or str(exc), "folder": cache_folder}
    return {"content_sha": content_sha, "key": key, "meta": meta}


class _Bomb(Exception):
    def __init__(self, pixels: int) -> None:
        super().__init__(pixels)
        self.megapixels = round(pixels / 1_000_000)


def _square_photo(data: bytes, size: int) -> tuple[Image.Image, int, int]:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            im: Image.Image = Image.open(io.BytesIO(data))
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            raise _Bomb(_pixels_of(data)) from exc
    width, height = im.size
    if Image.MAX_IMAGE_PIXELS and width * height > Image.MAX_IMAGE_PIXELS:
        raise _Bomb(width * height)
    fit = _fit((width, height), size)
    if im.format == "JPEG":
        im.draft(None, fit)  # DCT scaling: decode at 1/2, 1/4 or 1/8 when big enough
    im.load()
    ImageOps.exif_transpose(im, in_place=True)  # no copy of the decoded picture
    icc = im.info.get("icc_profile")
    im = _flatten(im)
    fit = _fit(im.size, size)
    if im.size != fit:
        # Bicubic, as Pillow's own thumbnail(): after the DCT draft the picture is at most
        # twice the target, where Lanczos looks no sharper and costs ~12 % of the CPU more
        im = im.resize(fit, Image.Resampling.BICUBIC, reducing_gap=2.0)
    if icc:
        im = _to_srgb(im, icc)
    square = Image.new("RGB", (size, size), WHITE)
    square.paste(im, ((size - im.width) // 2, (size - im.height) // 2))
    return square, width, height


def _pixels_of(data: bytes) -> int:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            saved, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
            try:
                w, h = Image.open(io.BytesIO(data)).size
            finally:
                Image.MAX_IMAGE_PIXELS = saved
        return w * h
    except Exception:
        return 0


def _fit(dims: tuple[int, int], size: int) -> tuple[int, int]:
    width, height = dims
    scale = size / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def _flatten(im: Image.Image) -> Image.Image:
    """RGB on white: transparency flattened, CMYK and grey converted."""
    if im.mode == "P":
        im = im.convert("RGBA")
    if im.mode in ("RGBA", "LA", "PA", "La", "RGBa"):
        rgba = im.convert("RGBA")
        base = Image.new("RGB", rgba.size, WHITE)
        base.paste(rgba, mask=rgba.getchannel("A"))
        return base
    if im.mode == "CMYK" and im.info.get("icc_profile"):
        return im  # converted with its profile in _to_srgb
    if im.mode.startswith("I;16") or im.mode == "I":
        im = im.point(lambda v: v / 256).convert("L")
    return im.convert("RGB") if im.mode != "RGB" else im


def _to_srgb(im: Image.Image, icc: bytes) -> Image.Image:
    global _SRGB
    try:
        if _SRGB is None:
            _SRGB = ImageCms.createProfile("sRGB")
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        out = ImageCms.profileToProfile(im, source, _SRGB, outputMode="RGB")
        return out if out is not None else im.convert("RGB")
    except (ImageCms.PyCMSError, OSError, ValueError):
        return im.convert("RGB")


def _encode(im: Image.Image, quality: int, max_bytes: int) -> bytes:
    while True:
        buffer = io.BytesIO()
        im.save(buffer, "JPEG", quality=quality)
        data = buffer.getvalue()
        if len(data) <= max_bytes or quality <= 40:
            return data
        quality -= 10


def _write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
