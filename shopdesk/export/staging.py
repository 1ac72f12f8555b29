"""Writing a bundle so that a half-written one never carries the final name.

Everything goes to a temporary name inside the target folder (the stick),
is flushed with fsync, dropped from the page cache where the OS allows it so
the read-back really reads the drive, checked against the manifest, and only
then renamed to the final name.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import shutil
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from shopdesk.errors import StorageError
from shopdesk.export.manifest import (
    DAMAGE,
    MANIFEST_NAME,
    FolderReader,
    JsonObject,
    ZipReader,
    check_file,
    verify_reader,
)
from shopdesk.i18n import _
from shopdesk.safe_io import fsync_dir, make_shared

STORED_SUFFIXES = (".jpg", ".jpeg", ".png", ".pdf", ".xlsx", ".zip")
SYNC_THREADS = 8

Hook = Callable[[Path], None]


def unique_final(out_dir: Path, name: str, suffix: str = "") -> Path:
    candidate = out_dir / f"{name}{suffix}"
    n = 2
    while candidate.exists():
        candidate = out_dir / f"{name}-{n}{suffix}"
        n += 1
    return candidate


STALE_SECONDS = 3600


def remove_stale_partials(out_dir: Path, *, older_than: float = STALE_SECONDS) -> None:
    """Remove what an interrupted export left (a hidden ``.name.partial-xxxx``)."""
    now = time.time()
    with contextlib.suppress(OSError):
        for entry in Path(out_dir).iterdir():
            if not (entry.name.startswith(".") and ".partial-" in entry.name):
                continue
            with contextlib.suppress(OSError):
                if now - entry.stat().st_mtime < older_than:
                    continue  # maybe another export still writing
                if entry.is_dir():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink()


def _flush_file(path: Path) -> None:
    fd = os.open(path, os.O_RDWR)  # Windows flushes only handles open for writing
    try:
        os.fsync(fd)
        if hasattr(os, "posix_fadvise"):
            # Forget the cached pages so the read-back comes from the drive itself.
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def _read_back_failed(target: Path, problems: list[str]) -> StorageError:
    return StorageError(
        _(
            "The bundle was not written correctly to {path} ({problems}). Nothing was kept "
            "under the bundle's name. Try again or use another drive."
        ).format(path=target.parent, problems="; ".join(problems[:5]))
    )


class FolderStage:
    """A bundle folder under a temporary name in ``out_dir``."""

    def __init__(self, out_dir: Path, name: str) -> None:
        self.final = unique_final(out_dir, name)
        self.root = out_dir / f".{self.final.name}.partial-{secrets.token_hex(4)}"
        self.root.mkdir()
        self.files: dict[str, JsonObject] = {}
        self._dirs: set[Path] = {self.root}

    def _path(self, name: str) -> Path:
        path = self.root.joinpath(*name.split("/"))
        if path.parent not in self._dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(path.parent)
        return path

    def add_bytes(self, name: str, data: bytes) -> None:
        with open(self._path(name), "wb") as handle:
            handle.write(data)
        self.files[name] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}

    def add_file(self, name: str, source: Path, sha256: str, size: int) -> None:
        shutil.copyfile(source, self._path(name))
        self.files[name] = {"size": size, "sha256": sha256}

    def add_link(self, name: str, source: Path, sha256: str, size: int) -> None:
        """A file of an existing bundle on the same drive: a hard link, else a copy."""
        try:
            os.link(source, self._path(name))
            self.files[name] = {"size": size, "sha256": sha256}
        except OSError:
            self.add_file(name, source, sha256, size)

    def local_path(self, name: str) -> Path:
        return self.root.joinpath(*name.split("/"))

    def finish(self, manifest: bytes, hook: Hook | None = None) -> Path:
        self.add_bytes(MANIFEST_NAME, manifest)
        paths = [self.local_path(n) for n in self.files]
        with ThreadPoolExecutor(SYNC_THREADS) as pool:
            list(pool.map(_flush_file, paths))
        for folder in sorted(self._dirs, key=lambda p: len(p.parts), reverse=True):
            fsync_dir(folder)  # safe_io: a driver that refuses is no failure
        if hook:
            hook(self.root)
        # Read every file back (in threads: hashing releases the GIL) against what was written.
        reader = FolderReader(self.root)
        with ThreadPoolExecutor(SYNC_THREADS) as pool:
            found = pool.map(lambda n: check_file(reader, n, self.files[n]), sorted(self.files))
            problems = [p.message for p in found if p is not None]
        if problems:
            raise _read_back_failed(self.final, problems)
        if self.final.exists():
            self.final = unique_final(self.final.parent, self.final.name)
        make_shared(self.root)  # written under the app's private umask; meant for others
        os.rename(self.root, self.final)
        fsync_dir(self.final.parent)
        return self.final

    def abort(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


class ZipStage:
    """A bundle .zip under a temporary name in ``out_dir``."""

    def __init__(self, out_dir: Path, name: str) -> None:
        self.final = unique_final(out_dir, name, ".zip")
        self.tmp = out_dir / f".{self.final.name}.partial-{secrets.token_hex(4)}"
        self.zip = zipfile.ZipFile(self.tmp, "w", allowZip64=True)
        self.files: dict[str, JsonObject] = {}
        self._sources: dict[str, Path] = {}

    def _compression(self, name: str) -> int:
        return zipfile.ZIP_STORED if name.endswith(STORED_SUFFIXES) else zipfile.ZIP_DEFLATED

    def add_bytes(self, name: str, data: bytes) -> None:
        self.zip.writestr(name, data, compress_type=self._compression(name))
        self.files[name] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}

    def add_file(self, name: str, source: Path, sha256: str, size: int) -> None:
        self.zip.write(source, arcname=name, compress_type=self._compression(name))
        self._sources[name] = Path(source)
        self.files[name] = {"size": size, "sha256": sha256}

    def local_path(self, name: str) -> Path:
        return self._sources[name]

    def finish(self, manifest: bytes, hook: Hook | None = None) -> Path:
        self.add_bytes(MANIFEST_NAME, manifest)
        self.zip.close()
        _flush_file(self.tmp)
        if hook:
            hook(self.tmp)
        try:
            reader = ZipReader(self.tmp)
        except DAMAGE as exc:
            raise _read_back_failed(self.final, [str(exc)]) from exc
        try:
            report = verify_reader(reader)
        finally:
            reader.close()
        if not report.ok:
            raise _read_back_failed(self.final, [p.message for p in report.problems])
        if self.final.exists():
            self.final = unique_final(self.final.parent, self.final.stem, ".zip")
        make_shared(self.tmp)  # written under the app's private umask; meant for others
        os.rename(self.tmp, self.final)
        fsync_dir(self.final.parent)
        return self.final

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self.zip.close()
        with contextlib.suppress(OSError):
            self.tmp.unlink()
