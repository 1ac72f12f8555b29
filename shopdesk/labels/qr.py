"""QR codes: encode each distinct payload once, keep it as runs of dark modules.

zxing-cpp's native writer encodes a label-sized code in a fraction of a millisecond;
where no native wheel exists the pure-Python ``qrcode`` makes the same codes, 20 to 30
times slower. Both use error correction M and leave the 4-module quiet zone to the
layout (it is not part of ``size``). ASCII text (every link) is written as is; other
text as UTF-8, which zxing-cpp marks with the UTF-8 ECI so that no phone reads it as
Latin-1 or Kanji. A print run encodes every distinct payload once and draws it as a
reusable PDF form.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from shopdesk.errors import ValidationError
from shopdesk.i18n import _

QUIET_MODULES = 4
MAX_VERSION = 25  # beyond this a label-sized QR code is not scannable anyway
_DARK_RUN = re.compile(b"\x00+")

# Modules per side and one byte per module, row after row: 0 is dark, anything else light.
Matrix = tuple[int, bytes]


@dataclass(frozen=True)
class Encoder:
    name: str
    matrix: Callable[[str], Matrix]  # raises on text too long for any QR version


def native_encoder() -> Encoder | None:
    """zxing-cpp's writer (3.x: ``create_barcode``), or None where it cannot be imported."""
    try:
        import zxingcpp
    except ImportError:
        return None
    create = getattr(zxingcpp, "create_barcode", None)
    if create is None:  # zxing-cpp 2.x has no writer that returns the module grid
        return None
    qr_format = zxingcpp.BarcodeFormat.QRCode

    def matrix(payload: str) -> Matrix:
        if not payload:  # zxing-cpp refuses empty text; qrcode makes the empty code it always made
            return _python_matrix(payload)
        options = {} if payload.isascii() else {"eci": "UTF8"}
        image = create(payload, qr_format, ec_level="M", **options).to_image(
            scale=1, add_quiet_zones=False
        )
        return image.shape[0], bytes(image)

    return Encoder("zxing-cpp", matrix)


def _python_matrix(payload: str) -> Matrix:
    import qrcode  # imported only where the native encoder is missing
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(payload.encode("utf-8"))
    code.make(fit=True)
    rows = code.get_matrix()
    return len(rows), bytes(0 if dark else 255 for row in rows for dark in row)


PYTHON_ENCODER = Encoder("qrcode", _python_matrix)
ENCODER = native_encoder() or PYTHON_ENCODER


@dataclass(frozen=True)
class QrSymbol:
    payload: str
    size: int  # modules per side, without the quiet zone
    runs: tuple[tuple[int, int, int], ...]  # (row, first column, length) of dark modules

    @property
    def total_modules(self) -> int:
        return self.size + 2 * QUIET_MODULES


def dark_runs(size: int, modules: bytes) -> tuple[tuple[int, int, int], ...]:
    """Runs of dark modules per row, found by one regex pass over the rows set apart."""
    stride = size + 1  # a light byte after each row keeps a run from wrapping to the next
    rows = b"\xff".join([modules[start : start + size] for start in range(0, size * size, size)])
    return tuple(
        (start // stride, start % stride, end - start)
        for start, end in map(re.Match.span, _DARK_RUN.finditer(rows))
    )


def encode(payload: str) -> QrSymbol:
    try:
        size, modules = ENCODER.matrix(payload)
    except Exception as exc:  # zxing-cpp: ValueError; qrcode: DataOverflowError or ValueError
        raise ValidationError(
            _("The QR content is too long to encode ({length} characters).").format(
                length=len(payload)
            )
        ) from exc
    if (size - 17) // 4 > MAX_VERSION:
        raise ValidationError(
            _("The QR content is too long for a label ({length} characters).").format(
                length=len(payload)
            )
        )
    return QrSymbol(payload, size, dark_runs(size, modules))


class QrCache:
    """Encodes each distinct payload once per run; counts time spent encoding."""

    def __init__(self) -> None:
        self._symbols: dict[str, QrSymbol] = {}
        self._lock = threading.Lock()
        self.encode_seconds = 0.0
        self.encoded = 0

    def get(self, payload: str) -> QrSymbol:
        with self._lock:
            symbol = self._symbols.get(payload)
        if symbol is None:
            started = time.perf_counter()
            symbol = encode(payload)
            with self._lock:
                self.encode_seconds += time.perf_counter() - started
                self.encoded += 1
                self._symbols[payload] = symbol
        return symbol
