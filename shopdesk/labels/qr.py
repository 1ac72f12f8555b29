"""QR codes: encode each distinct payload once, keep it as runs of dark modules.

Encoding in pure Python costs milliseconds (most of it choosing the mask),
so a print run encodes every distinct payload once and draws the result as a
reusable PDF form. Error correction M; the 4-module quiet zone is left blank
around the symbol by the layout (it is not part of ``size``).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import qrcode
from qrcode.constants import ERROR_CORRECT_M

from shopdesk.errors import ValidationError
from shopdesk.i18n import _

QUIET_MODULES = 4
MAX_VERSION = 25  # beyond this a label-sized QR code is not scannable anyway


@dataclass(frozen=True)
class QrSymbol:
    payload: str
    size: int  # modules per side, without the quiet zone
    runs: tuple[tuple[int, int, int], ...]  # (row, first column, length) of dark modules

    @property
    def total_modules(self) -> int:
        return self.size + 2 * QUIET_MODULES


def encode(payload: str) -> QrSymbol:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(payload.encode("utf-8"))
    try:
        code.make(fit=True)
    except Exception as exc:  # qrcode raises DataOverflowError or ValueError
        raise ValidationError(
            _("The QR content is too long to encode ({length} characters).").format(
                length=len(payload)
            )
        ) from exc
    if code.version > MAX_VERSION:
        raise ValidationError(
            _("The QR content is too long for a label ({length} characters).").format(
                length=len(payload)
            )
        )
    matrix = code.get_matrix()
    runs: list[tuple[int, int, int]] = []
    for row, cells in enumerate(matrix):
        start = -1
        for col, dark in enumerate([*cells, False]):
            if dark and start < 0:
                start = col
            elif not dark and start >= 0:
                runs.append((row, start, col - start))
                start = -1
    return QrSymbol(payload, len(matrix), tuple(runs))


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
