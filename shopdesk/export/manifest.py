"""The bundle manifest and its verification, for a folder or a .zip alike.

``manifest.json`` lists every other file with its size and SHA-256, and carries
a SHA-256 of its own canonical JSON (``manifest_sha256``), so a damaged
manifest is caught as well as a damaged file. A truncated zip loses its central
directory and fails to open; a complete but wrong file fails its checksum.

Anyone can edit a manifest and sign it again, so every name in it is checked before
anything is opened: it must be a relative path with forward slashes that stays inside
the bundle (no ``..``, no absolute path or drive, no backslash or control character),
and in a folder, once its links are followed, it must still lead inside.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from shopdesk.errors import StorageError, ValidationError
from shopdesk.i18n import _
from shopdesk.safe_io import ZIP_DAMAGE

MANIFEST_NAME = "manifest.json"
FORMAT = "shopdesk-listing-bundle"
FORMAT_VERSION = 1
CHUNK = 1024 * 1024
# A damaged bundle must always come back as a named problem, never as a crash: what
# zipfile raises on damaged bytes, a missing member, or a file the disk cannot read.
DAMAGE = (*ZIP_DAMAGE, KeyError, OSError)
# A JSON object as a bundle holds it: the manifest, one of its file entries, a
# product record of products.json.
JsonObject = dict[str, Any]
# What a bundle path may not hold: a backslash (a Windows separator), a colon (a drive,
# or a Windows data stream) and control characters, NUL among them.
_FORBIDDEN = re.compile(r"[\\:\x00-\x1f\x7f]")


def safe_name(name: str) -> bool:
    """A path as the exporter writes it: relative, ``/``-separated, never climbing out."""
    return (
        isinstance(name, str)
        and not _FORBIDDEN.search(name)
        and all(part not in ("", ".", "..") for part in name.split("/"))
    )


def shown_name(name: str) -> str:
    """A name as a message may print it: control characters escaped."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in str(name))


def outside_error(name: str) -> ValidationError:
    return ValidationError(
        _(
            "The bundle lists “{file}”, which is not a file inside the bundle. Nothing "
            "outside it was read."
        ).format(file=shown_name(name))
    )


def canonical(manifest: JsonObject) -> bytes:
    body = {k: v for k, v in manifest.items() if k != "manifest_sha256"}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def sign(manifest: JsonObject) -> bytes:
    """The manifest file's bytes, with the hash of its own content added."""
    signed = dict(manifest)
    signed["manifest_sha256"] = hashlib.sha256(canonical(manifest)).hexdigest()
    return (json.dumps(signed, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()


def signature_ok(manifest: JsonObject) -> bool:
    return manifest.get("manifest_sha256") == hashlib.sha256(canonical(manifest)).hexdigest()


class BundleReader(Protocol):
    label: str

    def exists(self, name: str) -> bool: ...
    def size(self, name: str) -> int: ...
    def sha256(self, name: str) -> str: ...
    def read(self, name: str) -> bytes: ...
    def names(self) -> list[str]: ...
    def inside(self, name: str) -> bool: ...
    def close(self) -> None: ...


class FolderReader:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.label = str(root)
        self.real_root = self.root.resolve()

    def inside(self, name: str) -> bool:
        """Whether the name, every link on its way followed, stays in the bundle folder."""
        if not safe_name(name):
            return False
        try:
            return self.root.joinpath(*name.split("/")).resolve().is_relative_to(self.real_root)
        except (OSError, RuntimeError):  # RuntimeError: a loop of links leads nowhere
            return False

    def _path(self, name: str) -> Path:
        if not self.inside(name):  # nothing outside the bundle is ever opened
            raise outside_error(name)
        return self.root.joinpath(*name.split("/"))

    def exists(self, name: str) -> bool:
        return self._path(name).is_file()

    def size(self, name: str) -> int:
        return self._path(name).stat().st_size

    def sha256(self, name: str) -> str:
        digest = hashlib.sha256()
        with open(self._path(name), "rb") as handle:
            while block := handle.read(CHUNK):
                digest.update(block)
        return digest.hexdigest()

    def read(self, name: str) -> bytes:
        return self._path(name).read_bytes()

    def names(self) -> list[str]:
        """Files and links (a link to a folder is listed, never walked into)."""
        return sorted(
            p.relative_to(self.root).as_posix()
            for p in self.root.rglob("*")
            if p.is_symlink() or p.is_file()
        )

    def close(self) -> None:
        pass


class ZipReader:
    def __init__(self, path: Path) -> None:
        self.label = str(path)
        self.zip = zipfile.ZipFile(path)
        self.infos = {i.filename: i for i in self.zip.infolist() if not i.is_dir()}

    def exists(self, name: str) -> bool:
        return name in self.infos

    def size(self, name: str) -> int:
        return self.infos[name].file_size

    def sha256(self, name: str) -> str:
        digest = hashlib.sha256()
        with self.zip.open(name) as handle:
            while block := handle.read(CHUNK):
                digest.update(block)
        return digest.hexdigest()

    def read(self, name: str) -> bytes:
        return self.zip.read(name)

    def names(self) -> list[str]:
        return sorted(self.infos)

    def inside(self, name: str) -> bool:
        return safe_name(name)  # members are read from the zip, never from the disk

    def close(self) -> None:
        self.zip.close()


def open_bundle(path: Path) -> BundleReader:
    path = Path(path)
    if path.is_dir():
        return FolderReader(path)
    if not path.exists():
        raise StorageError(
            _("There is no bundle at {path}. Check the path or plug the stick in.").format(
                path=path
            )
        )
    try:
        return ZipReader(path)
    except DAMAGE as exc:
        raise StorageError(
            _(
                "The bundle {path} is damaged: the zip file cannot be opened (it may be "
                "truncated). Export the bundle again."
            ).format(path=path),
            detail=str(exc),
        ) from exc


def read_manifest(reader: BundleReader) -> JsonObject:
    if not reader.exists(MANIFEST_NAME):
        raise StorageError(
            _("{path} is not a listing bundle or is damaged: manifest.json is missing.").format(
                path=reader.label
            )
        )
    damaged = StorageError(
        _("The manifest of {path} is damaged and cannot be read. Export again.").format(
            path=reader.label
        )
    )
    try:
        manifest = json.loads(reader.read(MANIFEST_NAME).decode("utf-8"))
    except (*DAMAGE, RecursionError) as exc:  # RecursionError: JSON nested beyond reason
        raise damaged from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ValidationError(
            _("{path} is not a ShopDesk listing bundle.").format(path=reader.label)
        )
    if not _well_formed(manifest):
        raise damaged
    return manifest


def _well_formed(manifest: JsonObject) -> bool:
    """The shape every reader relies on: file entries with a size and a checksum,
    the shop and the targets as objects (a manifest edited and signed again by
    hand may hold anything)."""
    files = manifest.get("files", {})
    targets = manifest.get("targets", {})
    return (
        isinstance(files, dict)
        and all(
            isinstance(entry, dict)
            and type(entry.get("size")) is int
            and entry["size"] >= 0
            and isinstance(entry.get("sha256"), str)
            for entry in files.values()
        )
        and isinstance(manifest.get("shop", {}), dict)
        and isinstance(targets, dict)
        and all(isinstance(info, dict) for info in targets.values())
    )


@dataclass(frozen=True)
class FileProblem:
    path: str
    kind: str  # missing, truncated, altered, unreadable, manifest, outside, unexpected
    message: str


@dataclass(frozen=True)
class VerifyReport:
    bundle: str
    manifest: JsonObject = field(default_factory=dict)
    problems: tuple[FileProblem, ...] = ()
    checked: int = 0

    @property
    def ok(self) -> bool:
        return not any(p.kind != "unexpected" for p in self.problems)


def check_file(reader: BundleReader, name: str, entry: JsonObject) -> FileProblem | None:
    if not reader.exists(name):
        return FileProblem(
            name, "missing", _("{file} is missing from the bundle.").format(file=name)
        )
    try:
        size = reader.size(name)
        if size != entry["size"]:
            if size < entry["size"]:
                kind = "truncated"
                message = _("{file} is truncated: {actual} bytes instead of {expected}.")
            else:
                kind = "altered"
                message = _("{file} was changed: {actual} bytes instead of {expected}.")
            return FileProblem(
                name, kind, message.format(file=name, actual=size, expected=entry["size"])
            )
        if reader.sha256(name) != entry["sha256"]:
            return FileProblem(
                name,
                "altered",
                _("{file} was changed or damaged after export (checksum differs).").format(
                    file=name
                ),
            )
    except DAMAGE as exc:
        return FileProblem(
            name,
            "unreadable",
            _("{file} cannot be read: {error}").format(file=name, error=exc),
        )
    return None


def verify_reader(reader: BundleReader) -> VerifyReport:
    manifest = read_manifest(reader)
    problems: list[FileProblem] = []
    if not signature_ok(manifest):
        problems.append(
            FileProblem(
                MANIFEST_NAME,
                "manifest",
                _("manifest.json was changed after export (its own checksum differs)."),
            )
        )
    files: dict[str, JsonObject] = manifest.get("files", {})
    for name in sorted(files):
        problem = outside(reader, name) or check_file(reader, name, files[name])
        if problem:
            problems.append(problem)
    for name in reader.names():
        if name != MANIFEST_NAME and name not in files:
            problems.append(
                outside(reader, name)
                or FileProblem(
                    name,
                    "unexpected",
                    _("{file} is not listed in the manifest (added later?).").format(file=name),
                )
            )
    return VerifyReport(reader.label, manifest, tuple(problems), len(files))


def outside(reader: BundleReader, name: str) -> FileProblem | None:
    """A name that leaves the bundle (checked before the file is opened)."""
    if not safe_name(name):
        message = _(
            "“{file}” is not a path inside a bundle (it is absolute, climbs out with “..”, "
            "names a drive or holds a backslash or a control character); it was not read."
        )
    elif not reader.inside(name):
        message = _("{file} is a link that leads outside the bundle; it was not read.")
    else:
        return None
    return FileProblem(shown_name(name), "outside", message.format(file=shown_name(name)))


def verify(path: Path) -> VerifyReport:
    """Check every file of a bundle folder or zip against its manifest."""
    reader = open_bundle(path)
    try:
        return verify_reader(reader)
    finally:
        reader.close()


def iter_files(manifest: JsonObject) -> Iterator[tuple[str, int, str]]:
    for name, entry in sorted(manifest.get("files", {}).items()):
        yield name, entry["size"], entry["sha256"]
