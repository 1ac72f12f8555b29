"""SQLite and disk failures turned into messages a seller can act on.

Every failure of the engine that reaches a seller passes ``translate_error``:
a full disk, a read-only folder, a lock held by another window, a damaged
file, a file that cannot be opened, a disk error; anything else is a plain
"nothing was saved".
"""

from __future__ import annotations

import errno
import shutil
import sys

from shopdesk import paths
from shopdesk.errors import DatabaseError, ShopDeskError, StorageError
from shopdesk.i18n import _

# Less free space than this on the data folder's disk: not even a small write fits.
FULL_DISK_BYTES = 1024 * 1024

# SQLite's primary result codes (``sqlite_errorcode & 0xFF``), checked before the text.
_CODES = {13: "full", 8: "readonly", 5: "locked", 6: "locked", 11: "corrupt", 26: "corrupt"}
_CODES.update({14: "open", 10: "io", 23: "open"})  # CANTOPEN, IOERR, AUTH
_ERRNOS = {
    errno.ENOSPC: "full",
    errno.EFBIG: "full",
    errno.EDQUOT: "full",
    errno.EROFS: "readonly",
    errno.EACCES: "readonly",
    errno.EPERM: "readonly",
    errno.EIO: "io",
}


def _error_kind(exc: BaseException) -> str | None:
    """Find what really failed, also when peewee hid it under a rollback error.

    peewee's ``atomic()`` reports "cannot rollback - no transaction is active"
    when the disk filled up during COMMIT; the real error is in ``__context__``.
    The whole chain is walked and its most telling error wins.
    """
    seen: BaseException | None = exc
    found: list[str] = []
    steps = 0
    while seen is not None and steps < 20:
        kind = _kind_of(seen)
        if kind:
            found.append(kind)
        seen = seen.__cause__ or seen.__context__
        steps += 1
    for kind in ("full", "readonly", "corrupt", "locked", "open", "io"):
        if kind in found:
            return kind
    return None


# Extended codes told apart from their primary one: SQLite could not grow the
# readers' shared index (``-shm``), which on a full disk is what every read meets.
_EXTENDED_CODES = {4874: "full"}  # SQLITE_IOERR_SHMSIZE


def _kind_of(exc: BaseException) -> str | None:
    if isinstance(exc, OSError) and exc.errno in _ERRNOS:
        return _ERRNOS[exc.errno]
    code = getattr(exc, "sqlite_errorcode", None)
    if code in _EXTENDED_CODES:
        return _EXTENDED_CODES[code]
    if isinstance(code, int) and (code & 0xFF) in _CODES:
        return _CODES[code & 0xFF]
    text = str(exc).lower()
    if "database or disk is full" in text:
        return "full"
    if "readonly" in text or "read-only" in text:
        return "readonly"
    if "database is locked" in text or "database is busy" in text:
        return "locked"
    if "file is not a database" in text or "malformed" in text:
        return "corrupt"
    if "unable to open database" in text:
        return "open"
    if "disk i/o error" in text:
        return "io"
    return None


def _data_disk_full() -> bool:
    try:
        return shutil.disk_usage(paths.data_dir()).free < FULL_DISK_BYTES
    except OSError:
        return False


def translate_error(exc: BaseException) -> ShopDeskError:
    """Turn a SQLite/peewee failure into a message a seller can act on."""
    if isinstance(exc, ShopDeskError):
        return exc
    retry = False
    if "psycopg" in sys.modules:  # not loaded: no server was opened, no server's error
        from shopdesk.store import server

        if server.is_gone(exc):
            return server.gone_error(exc)
        if server.is_too_large(exc):
            return server.too_large_error(exc)
        retry = server.is_retryable(exc)
    kind: str | None = "locked" if retry else _error_kind(exc)
    if kind == "io" and _data_disk_full():
        # Some full disks answer with an I/O error (a write past a file size
        # limit, space found missing only at fsync): the cause is still the space.
        kind = "full"
    detail = f"{type(exc).__name__}: {exc}"
    messages = {
        "full": _("The disk is full. Nothing was saved. Free some space and try again."),
        "readonly": _(
            "The data folder is read-only, so nothing was saved. "
            "Ask the operator to give this account write access."
        ),
        "locked": _("The database is busy with another window. Wait a moment and try again."),
        "corrupt": _(
            "The database file is damaged. Restore the newest backup (Cadangan > Pulihkan)."
        ),
        "open": _("The database cannot be opened. Check that the data folder exists and is yours."),
        "io": _(
            "The disk reported an error while saving, so nothing was saved. "
            "Check the disk, then run “shopdesk doctor”."
        ),
    }
    if kind == "full":
        return StorageError(messages[kind], detail=detail)
    if kind in messages:
        return DatabaseError(messages[kind], detail=detail)
    return DatabaseError(_("The database reported an error. Nothing was saved."), detail=detail)
