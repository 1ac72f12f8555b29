"""Fuzzing the bundle reader with mutated real bundles, zip and folder.

A real bundle (photos, several targets) is damaged (bytes written over it,
cut short), or gets a crafted manifest that is signed again so that it passes
its own checksum (file entries of the wrong type, names that climb out of the
bundle or are absolute, missing or extra files, odd targets and shop), or odd
zip members, or links that lead outside a folder bundle; or it is plain
random bytes. ``bundle verify``, ``bundle show`` and ``bundle set-url`` read
it: each gives a report or a ``ShopDeskError`` with a message, never another
exception; a report that says the bundle is whole is true (every listed file
lies inside the bundle and has its size and checksum), and a refused
``set-url`` leaves the stick as it was. Examples: the hypothesis profile
(``tests/conftest.py``: ci about 200, release 5000).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from shopdesk.errors import ShopDeskError
from shopdesk.export.bundle import ExportOptions, export_bundle, set_url, show
from shopdesk.export.manifest import MANIFEST_NAME, sign
from shopdesk.export.manifest import verify as verify_bundle
from tests.export.factory import SHOP, sample_products

FUZZ = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
OUTSIDE = "OUTSIDE.txt"  # beside the bundle: a manifest naming it must not pass


class Built:
    """A real bundle's members (a plain class: short in hypothesis' reports)."""

    def __init__(self, members: dict[str, bytes]) -> None:
        self.members = members

    def __repr__(self) -> str:
        return f"Built({len(self.members)} files)"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    root = tmp_path_factory.mktemp("fuzz-bundle")
    (root / "stick").mkdir()
    options = ExportOptions(
        cache_dir=root / "cache", workers=1, as_zip=True, targets=("generic", "shopify", "meta")
    )
    products = sample_products(root / "photos")[:2]
    result = export_bundle(products, shop=SHOP, out_dir=root / "stick", options=options)
    with zipfile.ZipFile(result.path) as archive:
        return Built({name: archive.read(name) for name in archive.namelist()})


ESCAPES = [
    "../" + OUTSIDE,
    "/etc/hostname",
    "images/../../" + OUTSIDE,
    "a/./b.jpg",
    "images\\..\\..\\" + OUTSIDE,
    "C:/x.txt",
    "images/\x00.jpg",
    "",
    ".",
    "images/",
]
ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.text(max_size=12),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
    st.just(json.loads("[" * 30 + "]" * 30)),
)
# Manifests that are no JSON object at all; the last nests past Python's recursion limit.
RAW_MANIFESTS = st.one_of(
    st.binary(max_size=50),
    st.just(b'{"format": "shopdesk-listing-bundle", "files": ' + b"[" * 100_000 + b"}"),
)


@st.composite
def crafted_manifests(draw, members: dict[str, bytes]) -> tuple[dict[str, bytes], str]:
    """The real files with the manifest changed, then signed again; and what changed."""
    manifest = json.loads(members[MANIFEST_NAME])
    files = dict(members)
    change = draw(
        st.sampled_from(["entry", "escape", "escape", "top", "files", "drop", "extra", "swap"])
    )
    names = sorted(n for n in manifest["files"])
    if change == "entry":
        name = draw(st.sampled_from(names))
        key = draw(st.sampled_from(["size", "sha256", "whole"]))
        if key == "whole":
            manifest["files"][name] = draw(ODD_VALUES)
        else:
            manifest["files"][name][key] = draw(ODD_VALUES)
    elif change == "escape":  # a listed name outside the bundle, truthfully described
        target = draw(st.sampled_from(ESCAPES))
        manifest["files"][target] = {"size": len(OUTSIDE_TEXT), "sha256": OUTSIDE_SHA}
    elif change == "top":
        key = draw(
            st.sampled_from(
                [
                    "shop",
                    "targets",
                    "format_version",
                    "created_at",
                    "bundle_id",
                    "base_url",
                    "product_count",
                ]
            )
        )
        manifest[key] = draw(ODD_VALUES)
    elif change == "files":
        manifest["files"] = draw(ODD_VALUES)
    elif change == "drop":
        name = draw(st.sampled_from(names))
        del files[name]
        if draw(st.booleans()):
            del manifest["files"][name]
    elif change == "extra":
        files[draw(st.sampled_from(["extra.txt", "images/extra.jpg", "../extra.txt"]))] = b"x"
    else:  # another file's content under a listed name
        first, second = draw(st.permutations(names).map(lambda n: n[:2]))
        files[first] = members[second]
    signed = draw(st.integers(0, 9)) > 0
    files[MANIFEST_NAME] = sign(manifest) if signed else draw(RAW_MANIFESTS)
    return files, f"{change}, signed" if signed else f"{change}, no JSON manifest"


OUTSIDE_TEXT = b"secret beside the bundle\n"
OUTSIDE_SHA = __import__("hashlib").sha256(OUTSIDE_TEXT).hexdigest()


@st.composite
def damaged_zips(draw, data: bytes) -> bytes:
    body = bytearray(data)
    for _n in range(draw(st.integers(1, 4))):
        at = int(draw(st.floats(0, 1, exclude_max=True)) * len(body))
        chunk = draw(st.binary(min_size=1, max_size=8))
        body[at : at + len(chunk)] = chunk
    if draw(st.booleans()):
        del body[int(draw(st.floats(0, 1)) * len(body)) :]
    return bytes(body)


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, payload in files.items():
            archive.writestr(name, payload)
    return buffer.getvalue()


class Case:
    """A bundle to lay out: a zip's bytes or a folder's files, and a file of a folder to
    turn into a link (a plain class: hypothesis reports it in one line)."""

    def __init__(self, kind: str, content: bytes | dict[str, bytes], link: str | None, how: str):
        self.kind, self.content, self.link, self.how = kind, content, link, how

    def __repr__(self) -> str:
        return f"Case({self.kind}, {self.how}, link={self.link!r})"


@st.composite
def bundles(draw, built: Built) -> Case:
    how = draw(st.integers(0, 9))
    if how < 2:
        return Case("zip", draw(damaged_zips(_zip(built.members))), None, "damaged")
    if how == 2:
        return Case("zip", draw(st.binary(max_size=600)), None, "random bytes")
    files, change = draw(crafted_manifests(built.members))
    if draw(st.booleans()):
        return Case("zip", _zip(files), None, change)
    link = draw(st.one_of(st.none(), st.sampled_from(sorted(files))))
    return Case("folder", files, link, change)


def _lay_out(case: Case, stick: Path) -> Path:
    for folder in (stick, stick.parent):  # what ../ and ../../ from the bundle reach
        (folder / OUTSIDE).write_bytes(OUTSIDE_TEXT)
    content, link = case.content, case.link
    if isinstance(content, bytes):
        path = stick / "fuzzed-bundle.zip"
        path.write_bytes(content)
        return path
    root = stick / "fuzzed-bundle"
    for name, payload in content.items():
        target = root.joinpath(*name.split("/"))
        if not target.resolve().is_relative_to(root.resolve()):
            continue  # a folder cannot hold a file outside itself
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(payload)
    if link is not None and (root / link).is_file():
        (root / link).unlink()
        os.symlink(stick.parent / OUTSIDE, root / link)  # a link that leaves the bundle
    return root


def _listing(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() if p.is_file() else b""
        for p in sorted(folder.rglob("*"))
    }


def _is_inside(root: Path, name: str) -> bool:
    path = root.joinpath(*name.split("/"))
    return (
        not Path(name).is_absolute()
        and ".." not in name.split("/")
        and path.resolve().is_relative_to(root.resolve())
    )


@FUZZ
@given(data=st.data())
def test_damaged_and_crafted_bundles_give_a_report_or_a_clear_error(built, tmp_path_factory, data):
    case = data.draw(bundles(built))
    stick = tmp_path_factory.mktemp("fuzz") / "stick"
    stick.mkdir()
    path = _lay_out(case, stick)
    try:
        report = verify_bundle(path)
    except ShopDeskError as exc:
        assert exc.message.strip()
        event("refused")
    else:
        event(f"{'whole' if report.ok else 'problems reported'}, {case.kind}")
        assert all(p.message.strip() for p in report.problems)
        if report.ok and case.kind == "folder":  # whole means: every file inside and as listed
            assert all(_is_inside(path, name) for name in report.manifest["files"])
            assert not any((path / n).is_symlink() for n in report.manifest["files"])
    try:
        summary = show(path)
    except ShopDeskError as exc:
        assert exc.message.strip()
    else:
        assert isinstance(summary["ok"], bool)
    before = _listing(stick)
    try:
        set_url(path, "https://kopi.example.id")
    except ShopDeskError as exc:
        assert exc.message.strip()
        assert _listing(stick) == before  # a refusal writes nothing
    shutil.rmtree(stick.parent)
