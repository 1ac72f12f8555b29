"""Simulated power cuts for plain files and folders (the SQLite shim's twin).

``tests/test_fault_powercut.py`` cuts the power under SQLite's writes. Files
written by Python need the same care, and one more: a new name (a file created,
renamed or deleted) is only an entry in its folder, and that entry survives a
power cut only once the folder itself was synced (``safe_io.fsync_dir``). A
file's bytes survive only once the file was synced.

``FileCrash`` watches some folders while the product works in them. It patches
the calls that create, rename, delete, open for writing and sync files (``os``,
``open``), counts them, and at the ``cut_at``-th one the power goes: that call
and every later one raise ``PowerCut`` (a BaseException, so no ``except
Exception`` in the product can carry on as if nothing happened). Each folder is
then put back as a disk would hold it after the cut:

* ``harsh``: each folder as it was at its last sync (or at the start), each
  file with the bytes of its last sync, empty if it was never synced;
* ``ordered``: each folder in any state it passed through since its last sync
  (a journaling file system writes a folder's changes in order, some of them
  may be on the disk), each file with its synced or its latest bytes.

SQLite's own files (``*.sqlite3``, ``-wal``, ``-shm``, ``-journal``) keep their
latest bytes: SQLite syncs them itself (through C, which no patch sees), and the
other shim tests exactly that. Their folder entries follow the rules above.
"""

from __future__ import annotations

import builtins
import io
import os
import random
import shutil
import stat
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

HARSH = "harsh"
ORDERED = "ordered"
SQLITE_SUFFIXES = (".sqlite3", ".sqlite3-wal", ".sqlite3-shm", ".sqlite3-journal")
NEVER = 1 << 60

Ident = tuple[int, int, int]  # device, inode, generation (inode numbers are reused)
Entry = tuple[str, Ident]  # "f" or "d", and what it names
Listing = dict[str, Entry]


class PowerCut(BaseException):
    """The power went (raised at the cut and by every file call after it)."""


def _sqlite_file(name: str) -> bool:
    return name.endswith(SQLITE_SUFFIXES)


def _writes(mode: str) -> bool:
    return any(flag in mode for flag in "wax+")


class FileCrash:
    """Watches ``roots`` (folders) for file calls; the power goes at call ``cut_at``."""

    def __init__(self, roots: list[Path], *, cut_at: int = NEVER, ignore: tuple[str, ...] = ()):
        self.roots = [Path(r) for r in roots]
        self.ignore = set(ignore)  # names (at any depth) that are neither watched nor rebuilt
        self.cut_at = cut_at
        self.ops = 0
        self.dead = False
        self.log: list[tuple[str, str, str]] = []  # (call, path, second path)
        self._lock = threading.RLock()
        self._gens: dict[tuple[int, int], int] = {}
        self._present: set[tuple[int, int]] = set()
        self._paths: dict[Ident, Path] = {}
        self._history: dict[Ident, list[Listing]] = {}
        self._synced: dict[Ident, bytes] = {}
        self._latest_sqlite: dict[Ident, tuple[tuple[int, int], bytes]] = {}
        self._saved: list[tuple[Any, str, Any]] = []

    # --- watching ---------------------------------------------------------------

    def __enter__(self) -> FileCrash:
        with self._lock:
            self._record(baseline=True)
        self._install()
        return self

    def __exit__(self, *exc: object) -> None:
        self._uninstall()

    def _install(self) -> None:
        patches: list[tuple[Any, str, Callable[..., Any]]] = [
            (os, "replace", self._two("replace", os.replace)),
            (os, "rename", self._two("rename", os.rename)),
            (os, "link", self._two("link", os.link)),
            (os, "unlink", self._one("unlink", os.unlink)),
            (os, "remove", self._one("unlink", os.remove)),
            (os, "rmdir", self._one("rmdir", os.rmdir)),
            (os, "mkdir", self._one("mkdir", os.mkdir)),
            (os, "open", self._one("open", os.open)),
            (os, "fsync", self._fsync),
            (builtins, "open", self._open(builtins.open)),
            (io, "open", self._open(io.open)),
        ]
        for module, name, patched in patches:
            self._saved.append((module, name, getattr(module, name)))
            setattr(module, name, patched)

    def _uninstall(self) -> None:
        while self._saved:
            module, name, original = self._saved.pop()
            setattr(module, name, original)

    def _tick(self, call: str, *paths: Any) -> None:
        """Before each call: note the folders as they are now; maybe cut the power."""
        with self._lock:
            if self.dead:
                raise PowerCut("the power is off")
            self._record()
            self.ops += 1
            names = [str(p) for p in paths] + ["", ""]
            self.log.append((call, names[0], names[1]))
            if self.ops >= self.cut_at:
                self.dead = True
                raise PowerCut("power cut")

    def _one(self, call: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def patched(path: Any, *args: Any, **kwargs: Any) -> Any:
            self._tick(call, path)
            return original(path, *args, **kwargs)

        return patched

    def _two(self, call: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def patched(source: Any, target: Any, *args: Any, **kwargs: Any) -> Any:
            self._tick(call, source, target)
            return original(source, target, *args, **kwargs)

        return patched

    def _open(self, original: Callable[..., Any]) -> Callable[..., Any]:
        def patched(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            if _writes(mode) and not isinstance(file, int):
                self._tick("open", file)
            return original(file, mode, *args, **kwargs)

        return patched

    def _fsync(self, fd: Any) -> None:
        """A sync makes a folder's entries or a file's bytes durable (no real sync: speed)."""
        number = fd if isinstance(fd, int) else fd.fileno()
        self._tick("fsync", f"fd {number}")
        with self._lock:
            info = os.fstat(number)
            key = (info.st_dev, info.st_ino)
            if key not in self._present:
                return  # outside the watched folders
            ident = (*key, self._gens[key])
            path = self._paths[ident]
            self.log[-1] = ("fsync", str(path), "")
            if stat.S_ISDIR(info.st_mode):
                self._history[ident] = self._history[ident][-1:]  # as it is now
            else:
                self._synced[ident] = _read(path)

    # --- what the folders hold ---------------------------------------------------

    def _ident(self, info: os.stat_result, fresh: set[tuple[int, int]]) -> Ident:
        key = (info.st_dev, info.st_ino)
        if key not in self._present:  # a new file, or a reused inode number
            self._gens[key] = self._gens.get(key, -1) + 1
        fresh.add(key)
        return (*key, self._gens[key])

    def _record(self, *, baseline: bool = False) -> None:
        fresh: set[tuple[int, int]] = set()
        paths: dict[Ident, Path] = {}
        for root in self.roots:
            if root.is_dir():
                self._walk(root, fresh, paths, baseline)
        self._present = fresh
        self._paths = paths

    def _walk(
        self, folder: Path, fresh: set[tuple[int, int]], paths: dict[Ident, Path], baseline: bool
    ) -> Ident:
        ident = self._ident(os.stat(folder), fresh)
        paths[ident] = folder
        listing: Listing = {}
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if entry.name in self.ignore or entry.is_symlink():
                    continue
                if entry.is_dir():
                    child_folder = self._walk(Path(entry.path), fresh, paths, baseline)
                    listing[entry.name] = ("d", child_folder)
                    continue
                info = entry.stat()
                child = self._ident(info, fresh)
                paths[child] = Path(entry.path)
                listing[entry.name] = ("f", child)
                if baseline:
                    self._synced[child] = _read(Path(entry.path))
                if _sqlite_file(entry.name):
                    self._note_sqlite(child, Path(entry.path), info)
        history = self._history.setdefault(ident, [listing if baseline else {}])
        if history[-1] != listing:
            history.append(listing)
        return ident

    def _note_sqlite(self, ident: Ident, path: Path, info: os.stat_result) -> None:
        version = (info.st_size, info.st_mtime_ns)
        known = self._latest_sqlite.get(ident)
        if known is None or known[0] != version:
            self._latest_sqlite[ident] = (version, _read(path))

    # --- after the cut ------------------------------------------------------------

    def crash(self, rng: random.Random, *, mode: str = HARSH) -> None:
        """Stop watching and put every watched folder back as the disk would hold it."""
        with self._lock:
            if not self.dead:
                self._record()  # the power goes after the last call returned
            self.dead = True
        self._uninstall()
        for root in self.roots:
            ident = next((i for i, p in self._paths.items() if p == root), None)
            if ident is None:
                continue
            _rebuild(root, self._tree(ident, rng, mode, set()), self.ignore)

    def _tree(self, folder: Ident, rng: random.Random, mode: str, seen: set[Ident]) -> dict:
        seen.add(folder)
        history = self._history.get(folder, [{}])
        listing = history[0] if mode == HARSH else history[rng.randrange(len(history))]
        tree: dict[str, Any] = {}
        for name, (kind, ident) in listing.items():
            if kind == "d":
                if ident not in seen:
                    tree[name] = self._tree(ident, rng, mode, seen)
            else:
                tree[name] = self._bytes(name, ident, rng, mode)
        return tree

    def _bytes(self, name: str, ident: Ident, rng: random.Random, mode: str) -> bytes:
        if _sqlite_file(name) and ident in self._latest_sqlite:
            return self._latest_sqlite[ident][1]
        synced = self._synced.get(ident, b"")
        if mode == HARSH:
            return synced
        latest = self._paths.get(ident)
        if latest is not None and latest.is_file() and rng.random() < 0.5:
            return _read(latest)
        return synced

    # --- what the product did -------------------------------------------------------

    def renames_left_unsynced(self) -> list[str]:
        """Each rename into a watched folder that no later sync of that folder covered."""
        left = []
        for n, (call, source, target) in enumerate(self.log):
            if call not in ("rename", "replace", "link") or not self._watched(Path(target)):
                continue
            folder = str(Path(target).parent)
            if not any(c == "fsync" and p == folder for c, p, _t in self.log[n + 1 :]):
                left.append(f"{call} {Path(source).name} -> {target}")
        return left

    def _watched(self, path: Path) -> bool:
        return any(path.is_relative_to(root) for root in self.roots)


def _read(path: Path) -> bytes:
    with io.FileIO(path, "r") as handle:
        return handle.readall()


def _rebuild(folder: Path, tree: dict[str, Any], ignore: set[str]) -> None:
    """Make ``folder`` hold exactly ``tree`` (names to bytes or to sub-trees)."""
    for entry in list(folder.iterdir()):
        wanted = tree.get(entry.name)
        if entry.name in ignore:
            continue
        folder_now = entry.is_dir() and not entry.is_symlink()
        if wanted is None or isinstance(wanted, dict) != folder_now:
            if folder_now:
                shutil.rmtree(entry)
            else:
                entry.unlink()
    for name, wanted in tree.items():
        target = folder / name
        if isinstance(wanted, dict):
            target.mkdir(exist_ok=True)
            _rebuild(target, wanted, ignore)
        elif not target.is_file() or _read(target) != wanted:
            with io.FileIO(target, "w") as handle:
                handle.write(wanted)
