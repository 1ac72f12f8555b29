"""The preview's plan, kept for the apply that follows it.

Planning a 10,000-row file reads the whole shop and checks every cell (about 0.45 s);
the seller previews, then applies the same file. The apply takes the preview's plan
when it can prove nothing it was made from has changed: the same shop, the same file
(size, modification time and SHA-256 of its bytes) and the same database (no commit
by any connection since: ``store.change_stamp``). Otherwise it plans again. A plan is
used once.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from shopdesk import store

_CHUNK = 1 << 20
Plan = TypeVar("Plan")


@dataclass(frozen=True)
class FileStamp:
    path: str
    size: int
    mtime_ns: int
    sha256: str


def file_stamp(path: Path | str) -> FileStamp | None:
    """What proves a file unchanged; None when it cannot be read (reading it then says why)."""
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            digest = hashlib.sha256()
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
    except OSError:
        return None
    return FileStamp(str(Path(path).resolve()), info.st_size, info.st_mtime_ns, digest.hexdigest())


@dataclass(frozen=True)
class _Kept(Generic[Plan]):
    shop_id: int
    file: FileStamp
    database: object
    plan: Plan


class Keeper(Generic[Plan]):
    """Holds one plan at a time, for whichever thread applies next."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: _Kept[Plan] | None = None

    def keep(self, shop_id: int, file: FileStamp | None, database: object, plan: Plan) -> None:
        """Keep a preview's plan (``file`` and ``database`` stamped before it was made)."""
        with self._lock:
            self._kept = _Kept(shop_id, file, database, plan) if file else None

    def take(self, shop_id: int, path: Path | str) -> Plan | None:
        """The kept plan of ``path``, when the shop, the file and the database are as they
        were when it was made; None otherwise. Either way nothing stays kept."""
        with self._lock:
            kept, self._kept = self._kept, None
        if kept is None or kept.shop_id != shop_id:
            return None
        if kept.database != store.change_stamp() or kept.file != file_stamp(path):
            return None
        return kept.plan
