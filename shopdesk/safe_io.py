"""Files that are either whole or absent: on the internal disk or a USB stick.

Write to a temporary name in the destination folder, flush and fsync, rename
over the final name, fsync the folder (not possible on Windows), then read the
file back and compare its SHA-256. OS errors become ``StorageError`` with a
message the seller can act on.

A file in the data folder is private (0600); one written elsewhere (an export to
a stick or a folder the seller chose) gets the mode the user's umask gives, so
that others can open it (``shopdesk.paths``).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from shopdesk import paths
from shopdesk.errors import StorageError
from shopdesk.i18n import _

# What zipfile raises on damaged bytes goes beyond BadZipFile: a flipped bit can give
# an unknown compression method (NotImplementedError) or an "encrypted" flag
# (RuntimeError), a broken deflate stream (zlib.error), bad lengths (ValueError,
# EOFError, struct.error, OverflowError). A damaged archive must come back as a named
# problem, never as a crash. (A missing member, KeyError, and the disk, OSError, are
# told apart by the callers.)
ZIP_DAMAGE = (zipfile.BadZipFile, EOFError, ValueError, zlib.error, RuntimeError,
              struct.error, OverflowError)  # fmt: skip

CHUNK = 1024 * 1024


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


# Some drivers (FUSE, network shares, some FAT implementations) refuse to fsync a
# folder; the files themselves were synced, so that refusal is not a failure.
DIR_SYNC_REFUSED = {errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EBADF, errno.EISDIR}


def fsync_dir(folder: Path) -> None:
    """Make a rename durable; Windows has no directory handles to sync."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in DIR_SYNC_REFUSED:
            raise
    finally:
        os.close(fd)


def make_folder(folder: Path) -> None:
    """Create ``folder`` and its missing parents so that a power cut keeps them:
    a new folder is a name in its parent, kept once the parent is synced."""
    missing: list[Path] = []
    folder = Path(folder)
    while not folder.is_dir() and folder.parent != folder:
        missing.append(folder)
        folder = folder.parent
    for new in reversed(missing):
        with contextlib.suppress(FileExistsError):  # made by another window meanwhile
            new.mkdir()
        fsync_dir(new.parent)


def storage_error(exc: OSError, path: Path) -> StorageError:
    """Translate an OS error into a message that says what to do."""
    code = exc.errno
    if code == errno.ENOSPC or code == errno.EFBIG:
        message = _("The disk is full: {path}. Free some space or choose another folder.")
    elif code in (errno.EROFS,):
        message = _("The folder is read-only: {path}. Choose a folder you can write to.")
    elif code in (errno.EACCES, errno.EPERM):
        message = _("Permission denied: {path}. Choose a folder you can write to.")
    elif code in (errno.ENOENT, errno.ENOTDIR):
        message = _("The folder does not exist: {path}. Check the path or plug the stick in.")
    elif code in (errno.EIO, errno.ENODEV, errno.ENXIO):
        message = _(
            "The drive stopped answering: {path}. Was the stick pulled out? "
            "Plug it in and try again."
        )
    else:
        message = _("Cannot write {path}. Check the drive and try again.")
    return StorageError(message.format(path=path), detail=f"{type(exc).__name__}: {exc}")


@contextlib.contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """Yield a binary file that replaces ``path`` only if the block succeeds."""
    path = Path(path)
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        paths.set_mode(tmp_name, file_mode(path))
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
        fsync_dir(path.parent)
    except OSError as exc:
        raise storage_error(exc, path) from exc
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def file_mode(path: Path) -> int:
    """Private in the data folder, the user's usual mode anywhere else."""
    return paths.PRIVATE_FILE_MODE if paths.is_private_path(path) else paths.shared_file_mode()


def make_shared(root: Path) -> None:
    """Give an export written under the private umask (a bundle folder and all in it,
    or one file) the modes that let others open it."""
    for_files, for_folders = paths.shared_file_mode(), paths.shared_file_mode(folder=True)
    if not root.is_dir():
        paths.set_mode(root, for_files)
        return
    for folder, _dirs, names in os.walk(root):
        paths.set_mode(folder, for_folders)
        for name in names:
            paths.set_mode(os.path.join(folder, name), for_files)


def write_bytes_atomic(path: Path, data: bytes) -> str:
    """Write ``data`` atomically, read it back, and return its SHA-256."""
    expected = hashlib.sha256(data).hexdigest()
    with atomic_writer(path) as handle:
        handle.write(data)
    verify_file(path, expected)
    return expected


def copy_file_atomic(source: Path, destination: Path) -> str:
    """Copy a file atomically and verify the copy; returns its SHA-256."""
    expected = sha256_file(source)
    with atomic_writer(destination) as handle, open(source, "rb") as src:
        shutil.copyfileobj(src, handle, CHUNK)
    verify_file(destination, expected)
    return expected


def verify_file(path: Path, expected_sha256: str) -> None:
    try:
        actual = sha256_file(path)
    except OSError as exc:
        raise storage_error(exc, path) from exc
    if actual != expected_sha256:
        raise StorageError(
            _("The file {path} was not written correctly. Try again or use another drive.").format(
                path=path
            )
        )


def remove_tree_quietly(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
