"""The error log in the data folder, shared by the CLI and the UI."""

from __future__ import annotations

import logging
import sys
import tempfile
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from shopdesk import paths

_LOGGER = "shopdesk"

# What sys.exc_info() gives while an exception is handled (and what sys.excepthook receives).
ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def log_file() -> Path:
    try:
        folder = paths.logs_dir()
        folder.mkdir(parents=True, exist_ok=True)
        return folder / "shopdesk.log"
    except OSError:
        return Path(tempfile.gettempdir()) / "shopdesk.log"


def logger() -> logging.Logger:
    log = logging.getLogger(_LOGGER)
    if not log.handlers:
        handler = RotatingFileHandler(
            log_file(), maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
    return log


def log_exception(where: str, exc_info: ExcInfo | None = None) -> Path:
    """Write the current (or given) exception with its traceback to the log."""
    logger().error("unexpected error in %s", where, exc_info=exc_info or sys.exc_info())
    return log_file()
