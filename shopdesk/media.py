"""Images sellers bring (product photos, shop logos), stored once per content.

Every image is opened with Pillow's decompression-bomb guard, checked, turned
upright by its EXIF orientation and kept under ``media/`` by SHA-256, so the
same photo added twice is stored once.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from shopdesk import paths
from shopdesk.errors import ValidationError
from shopdesk.i18n import _
from shopdesk.safe_io import make_folder, write_bytes_atomic

MAX_FILE_BYTES = 40 * 1024 * 1024
MAX_PIXELS = 60_000_000  # a 60-megapixel photo; bigger is refused as a bomb
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif", "BMP": "bmp"}


@dataclass(frozen=True)
class StoredImage:
    filename: str  # "<sha256>.<ext>" under media/<kind>/
    width: int
    height: int


def media_folder(kind: str) -> Path:
    return paths.media_dir() / kind


def media_file(kind: str, filename: str) -> Path:
    return media_folder(kind) / filename


def load_image(source: Path) -> tuple[bytes, Image.Image]:
    """Read and check an image file; raise ValidationError with the reason."""
    source = Path(source)
    try:
        size = source.stat().st_size
    except OSError as exc:
        raise ValidationError(
            _("The photo {name} cannot be found or read.").format(name=source.name)
        ) from exc
    if size > MAX_FILE_BYTES:
        raise ValidationError(
            _("The photo {name} is too large ({mb} MB). Use a photo under 40 MB.").format(
                name=source.name, mb=size // (1024 * 1024)
            )
        )
    data = source.read_bytes()
    return data, open_checked(data, source.name)


def open_checked(data: bytes, name: str) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_PIXELS:
                raise Image.DecompressionBombError(name)
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            _(
                "The photo {name} is too big in pixels. Use a photo of at most 60 megapixels."
            ).format(name=name)
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("The file {name} is not a photo ShopDesk can read (use JPG or PNG).").format(
                name=name
            )
        ) from exc
    if image.format not in FORMATS:
        raise ValidationError(
            _("The file {name} is not a photo ShopDesk can read (use JPG or PNG).").format(
                name=name
            )
        )
    return image


def store_image(source: Path, *, kind: str = "photos") -> StoredImage:
    """Keep an upright copy of the image under media/<kind>/, once per content."""
    data, image = load_image(source)
    upright = ImageOps.exif_transpose(image)
    if upright is not image:  # rotated: store the upright pixels, not the original bytes
        out = io.BytesIO()
        fmt = image.format if image.format in ("JPEG", "PNG", "WEBP") else "PNG"
        if fmt == "JPEG" and upright.mode not in ("RGB", "L", "CMYK"):
            upright = upright.convert("RGB")
        upright.save(out, fmt, quality=92)
        data, ext = out.getvalue(), FORMATS[fmt]
    else:
        assert image.format is not None  # open_checked refused images of other formats
        ext = FORMATS[image.format]
    filename = f"{hashlib.sha256(data).hexdigest()}.{ext}"
    target = media_file(kind, filename)
    if not target.exists():
        make_folder(target.parent)
        write_bytes_atomic(target, data)
    return StoredImage(filename, upright.width, upright.height)
