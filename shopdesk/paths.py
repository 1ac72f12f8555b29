"""Where ShopDesk keeps its data and finds its resources.

Data folder, first match wins:
1. ``SHOPDESK_HOME`` (tests, scripts, several shops on one account);
2. portable mode: a file named ``portable.txt`` next to the executable
   (frozen) puts the data in ``data/`` beside it, so the app runs from a stick;
3. Windows, installed: the shared folder ``C:\\ProgramData\\ShopDesk`` when the
   installer made it and this account can write there, so sellers with their
   own Windows accounts still share one shop database (isolation is the app's);
4. the user data folder given by platformdirs.

What ShopDesk creates in the data folder is for the account that runs it only
(folders 0700, files 0600 on Linux and macOS): the entry points run inside
``private_files()`` (umask 077, so that SQLite, the log, the lock and every
library create private files), and the data folder, the database and the files
of ``safe_io`` get their modes set explicitly as well. Files written elsewhere
(bundles, label PDFs, table exports) are for others to open: ``shared_file_mode``
gives them the modes the user's own umask would have given.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

from shopdesk import APP_ID, APP_NAME

PORTABLE_MARKER = "portable.txt"
DB_FILENAME = "shopdesk.sqlite3"

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
_PRIVATE_UMASK = 0o077
# The umask the process had before ``private_files`` narrowed it (None outside).
_user_umask: int | None = None


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


def is_shared_folder(folder: Path) -> bool:
    """Whether ``folder`` is the installer's folder that every Windows account writes."""
    if os.name != "nt" or not getattr(sys, "frozen", False):
        return False
    import platformdirs

    shared = _installed_shared_dir(platformdirs)
    return shared is not None and Path(folder).resolve() == shared.resolve()


def ensure_data_dir() -> Path:
    folder = data_dir()
    make_private_dir(folder)
    return folder


def make_private_dir(folder: Path) -> None:
    """Create ``folder`` (with its missing parents) for this account only.

    An existing folder keeps its mode: an operator may have opened it on purpose,
    and ``shopdesk doctor`` reports one that others can read.
    """
    try:
        folder.mkdir(parents=True)
    except FileExistsError:
        return
    set_mode(folder, PRIVATE_DIR_MODE)


def set_mode(path: Path | str, mode: int) -> None:
    """chmod where the OS has POSIX modes. A drive without them (a FAT stick) may
    refuse; its mount options decide who reads it, so that is no failure."""
    if os.name == "nt":
        return
    with contextlib.suppress(OSError):
        os.chmod(path, mode)


@contextlib.contextmanager
def private_files() -> Iterator[None]:
    """Run a command or the app with umask 077: whatever it creates (the log, the
    lock, SQLite's files, folders made by any module or library) is this account's
    only. The user's umask comes back afterwards and still sets ``shared_file_mode``."""
    global _user_umask
    if os.name == "nt" or _user_umask is not None:  # Windows: ACLs decide; nested: done
        yield
        return
    _user_umask = os.umask(_PRIVATE_UMASK)
    try:
        yield
    finally:
        os.umask(_user_umask)
        _user_umask = None


def shared_file_mode(*, folder: bool = False) -> int:
    """The mode of an exported file (or folder) that others are meant to open: what
    the user's umask gives, also while ``private_files`` narrows the process's."""
    umask = _user_umask if _user_umask is not None else _current_umask()
    return (0o777 if folder else 0o666) & ~umask


def _current_umask() -> int:
    try:  # Linux shows it without changing it (no window for another thread)
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    umask = os.umask(_PRIVATE_UMASK)
    os.umask(umask)
    return umask


def is_private_path(path: Path | str) -> bool:
    """Whether ``path`` lies in the data folder (so it is kept private)."""
    target = Path(path).resolve()
    folder = data_dir().resolve()
    return target == folder or folder in target.parents


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
    "is_private_path",
    "is_shared_folder",
    "logs_dir",
    "make_private_dir",
    "media_dir",
    "private_files",
    "resource_path",
    "set_mode",
    "shared_file_mode",
]
