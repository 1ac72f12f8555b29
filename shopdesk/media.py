"""Images sellers bring (product photos, shop logos), checked and made ready to keep.

Every image is opened with Pillow's decompression-bomb guard, checked and turned
upright by its EXIF orientation; its bytes are named by their SHA-256, so the
same photo added twice is kept once. Keeping them is ``shopdesk.media_store``'s
(in the database, on either engine, with this PC's file cache).
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from pathlib import Path

from shopdesk.errors import ValidationError
from shopdesk.i18n import _

# Pillow (40 ms with ImageOps) is imported by the functions that open an image: the
# catalog loads this module, and a label sheet or a sale never opens a photo.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from PIL import Image

MAX_FILE_BYTES = 40 * 1024 * 1024
# What the database keeps of one image (an upright copy may come out larger than its
# source): the same cap on both engines, well under what a server can take in one value.
MAX_STORED_BYTES = MAX_FILE_BYTES
MAX_PIXELS = 60_000_000  # a 60-megapixel photo; bigger is refused as a bomb
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif", "BMP": "bmp"}


@dataclass(frozen=True)
class PreparedImage:
    """An image checked and upright, ready to keep: its bytes named by their content."""

    filename: str  # "<sha256>.<ext>"
    data: bytes
    width: int
    height: int

    @property
    def sha256(self) -> str:
        return self.filename.split(".", 1)[0]


def _too_large(name: str, size: int) -> ValidationError:
    return ValidationError(
        _("The photo {name} is too large ({mb} MB). Use a photo under 40 MB.").format(
            name=name, mb=size // (1024 * 1024)
        )
    )


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
        raise _too_large(source.name, size)
    data = source.read_bytes()
    return data, open_checked(data, source.name)


def open_checked(data: bytes, name: str) -> Image.Image:
    from PIL import Image, UnidentifiedImageError

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


def prepare_image(source: Path) -> PreparedImage:
    """The image of ``source``, checked and upright, named by its content."""
    from PIL import ImageOps

    data, image = load_image(source)
    upright = ImageOps.exif_transpose(image)
    if upright is not image:  # rotated: keep the upright pixels, not the original bytes
        out = io.BytesIO()
        fmt = image.format if image.format in ("JPEG", "PNG", "WEBP") else "PNG"
        if fmt == "JPEG" and upright.mode not in ("RGB", "L", "CMYK"):
            upright = upright.convert("RGB")
        upright.save(out, fmt, quality=92)
        data, ext = out.getvalue(), FORMATS[fmt]
    else:
        assert image.format is not None  # open_checked refused images of other formats
        ext = FORMATS[image.format]
    if len(data) > MAX_STORED_BYTES:
        raise _too_large(Path(source).name, len(data))
    filename = f"{hashlib.sha256(data).hexdigest()}.{ext}"
    return PreparedImage(filename, data, upright.width, upright.height)
