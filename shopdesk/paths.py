"""Where ShopDesk keeps its data and finds its resources.

Data folder, first match wins:
1. ``SHOPDESK_HOME`` (tests, scripts, several shops on one account);
2. portable mode: a file named ``portable.txt`` next to the executable
   (frozen) puts the data in ``data/`` beside it, so the app runs from a stick;
3. Windows, installed: the shared folder ``C:\\ProgramData\\ShopDesk`` when the
   installer made it and this account can write there, so sellers with their
   own Windows accounts still share one shop database (isolation is the app's);
4. the user data folder given by platformdirs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import ModuleType

from shopdesk import APP_ID, APP_NAME

PORTABLE_MARKER = "portable.txt"
DB_FILENAME = "shopdesk.sqlite3"


def _bundle_root() -> Path:
    """The folder holding ``resources/``: the source tree or the frozen bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    return Path(__file__).resolve().parent.parent


def resource_path(*parts: str) -> Path:
    """A file or folder under ``resources/``, from source or a frozen build."""
    return _bundle_root().joinpath("resources", *parts)


def executable_dir() -> Path:
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return _bundle_root()


def is_portable() -> bool:
    return getattr(sys, "frozen", False) and (executable_dir() / PORTABLE_MARKER).exists()


def data_dir() -> Path:
    """The data folder (not created here; see ``ensure_data_dir``)."""
    home = os.environ.get("SHOPDESK_HOME")
    if home:
        return Path(home).expanduser().resolve()
    if is_portable():
        return executable_dir() / "data"
    import platformdirs

    shared = _installed_shared_dir(platformdirs)
    if shared is not None:
        return shared
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


def _installed_shared_dir(platformdirs: ModuleType) -> Path | None:
    """The installer's ProgramData folder, only where it exists and is writable."""
    if os.name != "nt" or not getattr(sys, "frozen", False):
        return None
    folder = Path(platformdirs.site_data_dir(APP_NAME, appauthor=False))
    return folder if folder.is_dir() and _can_write(folder) else None


def _can_write(folder: Path) -> bool:
    """A real write: on Windows ``os.access`` ignores folder permissions (ACLs)."""
    import tempfile

    try:
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False


def ensure_data_dir() -> Path:
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def database_path() -> Path:
    return data_dir() / DB_FILENAME


def backups_dir() -> Path:
    return data_dir() / "backups"


def media_dir() -> Path:
    return data_dir() / "media"


def cache_dir() -> Path:
    return data_dir() / "cache"


def logs_dir() -> Path:
    return data_dir() / "logs"


__all__ = [
    "APP_ID",
    "backups_dir",
    "cache_dir",
    "data_dir",
    "database_path",
    "ensure_data_dir",
    "executable_dir",
    "is_portable",
    "logs_dir",
    "media_dir",
    "resource_path",
]
