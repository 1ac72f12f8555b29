"""Bundle paths stay inside the bundle (issue 17.6).

Anyone can edit a bundle's manifest and sign it again with the same code the app uses,
so each test here does exactly that: it lists a file outside the bundle (with its true
size and checksum, so only the path check can catch it) and shows that ``bundle verify``,
core and CLI, refuses the entry by name and never opens the file outside.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from shopdesk.errors import ValidationError
from shopdesk.export.bundle import export_bundle, set_url
from shopdesk.export.manifest import MANIFEST_NAME, sign, verify
from tests.export.factory import SHOP

SECRET = b"the operator's secret notes\n"
ENTRY = {"size": len(SECRET), "sha256": hashlib.sha256(SECRET).hexdigest()}

# -- every file the process opens, while a test watches ---------------------------

_opened: list[str] | None = None


def _audit(event: str, args: tuple) -> None:
    if _opened is not None and event == "open" and isinstance(args[0], str | bytes | Path):
        _opened.append(os.fsdecode(args[0]))


sys.addaudithook(_audit)  # hooks stay for the process; this one only records when asked


@contextlib.contextmanager
def watching_opens(*secrets: Path) -> Iterator[None]:
    """Fail if any of these files is opened inside the block."""
    global _opened
    _opened = []
    try:
        yield
    finally:
        opened, _opened = _opened, None
    real = {os.path.realpath(secret) for secret in secrets}
    assert not [p for p in opened if os.path.realpath(p) in real], "a file outside was opened"


@pytest.fixture
def outside(tmp_path) -> Path:
    """A file beside the bundle, as ``../OUTSIDE.txt`` sees it."""
    secret = tmp_path / "stick" / "OUTSIDE.txt"
    secret.write_bytes(SECRET)
    return secret


def _resign(folder: Path, **entries: dict) -> None:
    """Add entries to the manifest of a bundle folder and sign it as the app does."""
    path = folder / MANIFEST_NAME
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest.pop("manifest_sha256")
    manifest["files"].update(entries)
    path.write_bytes(sign(manifest))


def _outside_problems(report) -> dict[str, str]:
    return {p.path: p.message for p in report.problems if p.kind == "outside"}


# -- names that climb out, in a folder ------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "../OUTSIDE.txt",
        "images/../../OUTSIDE.txt",
        "ABSOLUTE",  # the real absolute path of the file outside
        "C:/Windows/win.ini",
        "C:OUTSIDE.txt",
        "..\\OUTSIDE.txt",
        "\\\\server\\share\\OUTSIDE.txt",
        "products.csv\x00../../OUTSIDE.txt",
        "images//KOPI-0001-1.jpg",
        "./products.csv",
    ],
)
def test_verify_refuses_a_listed_path_that_leaves_the_bundle(bundle, outside, name):
    name = name.replace("ABSOLUTE", outside.as_posix())
    _resign(bundle.path, **{name: ENTRY})
    with watching_opens(outside):
        report = verify(bundle.path)
    assert not report.ok
    problems = _outside_problems(report)
    assert len(problems) == 1
    [(shown, message)] = problems.items()
    assert shown == name.replace("\x00", "\\x00") and shown in message
    assert "not a path inside a bundle" in message


def test_verify_refuses_links_that_lead_outside(bundle, outside, tmp_path):
    folder = bundle.path
    (folder / "images" / "OUTSIDE.jpg").symlink_to(outside)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "OUTSIDE.txt").write_bytes(SECRET)
    (folder / "docs").symlink_to(elsewhere, target_is_directory=True)
    (folder / "loose.txt").symlink_to(outside)  # not listed at all
    _resign(folder, **{"images/OUTSIDE.jpg": ENTRY, "docs/OUTSIDE.txt": ENTRY})
    with watching_opens(outside, elsewhere / "OUTSIDE.txt"):
        report = verify(folder)
    assert not report.ok
    problems = _outside_problems(report)
    assert set(problems) == {"images/OUTSIDE.jpg", "docs/OUTSIDE.txt", "loose.txt", "docs"}
    assert all("link that leads outside" in m for m in problems.values())


def test_a_manifest_that_is_a_link_out_is_not_read(bundle, outside):
    manifest = bundle.path / MANIFEST_NAME
    outside.write_bytes(manifest.read_bytes())  # a valid manifest, kept outside
    manifest.unlink()
    manifest.symlink_to(outside)
    with watching_opens(outside), pytest.raises(ValidationError) as info:
        verify(bundle.path)
    assert "manifest.json" in info.value.message


def test_set_url_never_reads_a_sheet_outside(bundle, outside):
    path = bundle.path / MANIFEST_NAME
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest.pop("manifest_sha256")
    manifest["targets"]["shopee"]["file"] = "../OUTSIDE.txt"  # not in "files": verify passes
    path.write_bytes(sign(manifest))
    before = {p: p.read_bytes() for p in bundle.path.rglob("*") if p.is_file()}
    with watching_opens(outside), pytest.raises(ValidationError) as info:
        set_url(bundle.path, "https://kopi.example.id/katalog")
    assert "../OUTSIDE.txt" in info.value.message
    assert {p: p.read_bytes() for p in bundle.path.rglob("*") if p.is_file()} == before


# -- a good bundle still verifies ---------------------------------------------------


def test_a_good_bundle_and_links_inside_it_still_verify(bundle):
    folder = bundle.path
    assert verify(folder).ok and not verify(folder).problems
    (folder / "images" / "again.jpg").symlink_to("KOPI-0001-1.jpg")  # a link kept inside
    entry = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))["files"]
    _resign(folder, **{"images/again.jpg": entry["images/KOPI-0001-1.jpg"]})
    (folder / "shortcut").symlink_to("images", target_is_directory=True)  # unlisted, inside
    report = verify(folder)
    assert report.ok and [p.kind for p in report.problems] == ["unexpected"]


# -- zips: a member that would land outside when unpacked ---------------------------


def _zip_with(zip_path: Path, name: str) -> None:
    """Rebuild a zip bundle with one more member, listed in a re-signed manifest."""
    with zipfile.ZipFile(zip_path) as old:
        members = {n: old.read(n) for n in old.namelist()}
    manifest = json.loads(members.pop(MANIFEST_NAME))
    manifest.pop("manifest_sha256")
    manifest["files"][name] = ENTRY
    rebuilt = zip_path.with_suffix(".tmp")
    with zipfile.ZipFile(rebuilt, "w") as new:
        for member, data in members.items():
            new.writestr(member, data)
        new.writestr(name, SECRET)
        new.writestr(MANIFEST_NAME, sign(manifest))
    os.replace(rebuilt, zip_path)


@pytest.mark.parametrize("name", ["../OUTSIDE.txt", "/etc/OUTSIDE.txt", "C:/OUTSIDE.txt"])
def test_verify_refuses_zip_members_that_climb_out(products, stick, options, name):
    result = export_bundle(
        products, shop=SHOP, out_dir=stick, options=replace(options, as_zip=True)
    )
    assert verify(result.path).ok
    _zip_with(result.path, name)
    report = verify(result.path)
    assert not report.ok and set(_outside_problems(report)) == {name}


# -- the command ------------------------------------------------------------------------


def test_cli_bundle_verify_names_the_entry_and_fails(bundle, outside, cli):
    _resign(bundle.path, **{"../OUTSIDE.txt": ENTRY})
    with watching_opens(outside):
        code, out, err = cli("--lang", "en", "bundle", "verify", bundle.path)
    assert code == 6 and "damaged" in err and "Traceback" not in out + err
    assert "../OUTSIDE.txt" in out and "not a path inside a bundle" in out
