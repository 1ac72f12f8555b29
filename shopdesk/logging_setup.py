"""The error log in the data folder, shared by the CLI and the UI.

Logging never adds a failure of its own: an entry the data folder cannot take
(a full disk) goes to the log in the temp folder, or to stderr when that fails
too, and ``log_exception`` says where it went. The file is created only when
there is something to write.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import tempfile
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from shopdesk import paths

_LOGGER = "shopdesk"
_FORMAT = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")

# What sys.exc_info() gives while an exception is handled (and what sys.excepthook receives).
ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def temp_log_file() -> Path:
    return Path(tempfile.gettempdir()) / "shopdesk.log"


def log_file() -> Path:
    try:
        folder = paths.logs_dir()
        folder.mkdir(parents=True, exist_ok=True)
        return folder / "shopdesk.log"
    except OSError:
        return temp_log_file()


class _FileLog(RotatingFileHandler):
    """A log file whose failed write (a full disk) hands the entry on to
    ``fallback``, or to stderr at the end of the chain, instead of printing a
    traceback of its own. ``written_to`` is where the last entry went."""

    def __init__(self, path: Path, fallback: _FileLog | None = None) -> None:
        super().__init__(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8", delay=True)
        self.setFormatter(_FORMAT)
        self.fallback = fallback
        self.written_to: Path | None = None

    def emit(self, record: logging.LogRecord) -> None:
        self.written_to = Path(self.baseFilename)
        super().emit(record)

    def handleError(self, record: logging.LogRecord) -> None:
        stream, self.stream = self.stream, None  # the next entry opens the file again
        with contextlib.suppress(OSError, ValueError):
            if stream is not None:
                stream.close()  # what the disk refused is dropped with it
        if self.fallback is not None:
            self.fallback.handle(record)
            self.written_to = self.fallback.written_to
            return
        self.written_to = None
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write(self.format(record) + "\n")


def logger() -> logging.Logger:
    log = logging.getLogger(_LOGGER)
    if not log.handlers:
        path, spare = log_file(), temp_log_file()
        log.addHandler(_FileLog(path, None if path == spare else _FileLog(spare)))
        log.setLevel(logging.INFO)
    return log


def log_exception(where: str, exc_info: ExcInfo | None = None) -> Path | None:
    """Write the current (or given) exception with its traceback to the log;
    returns the file it went to, or None when it could only go to stderr."""
    log = logger()
    log.error("unexpected error in %s", where, exc_info=exc_info or sys.exc_info())
    handler = log.handlers[0]
    return handler.written_to if isinstance(handler, _FileLog) else log_file()
