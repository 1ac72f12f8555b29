"""Fuzzing the backup reader with mutated real backups, up to a refused restore.

Real backups (the whole PC and one shop, with a photo) are cut short, have
bytes written over them, get crafted manifests (one field changed, sizes and
checksums made to match, hostile media names, the other kind), other
databases inside, odd zip members, or are plain random bytes; most are
resealed with a matching outer checksum so that the inner checks do the work.
Each is listed (``read_manifest`` as the backup list reads it), verified and,
when verification refuses it, restored by its owner: a refusal is a
``ShopDeskError`` naming the file, and a refused restore changes nothing, not
the database, not the backups folder, and leaves no work file behind. An
accepted file holds exactly the database that was backed up. Examples: the
hypothesis profile (``tests/conftest.py``: ci about 200, release 5000).
"""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import zipfile
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from shopdesk import backup, catalog, paths, sales, stock
from shopdesk.errors import ShopDeskError
from shopdesk.instance_lock import LOCK_NAME

FUZZ = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


class Sound:
    """A backup as made, its bytes and who may restore it (a plain class: short in
    hypothesis' reports)."""

    def __init__(self, info: backup.BackupInfo, data: bytes, owner: Any) -> None:
        self.info, self.data, self.owner = info, data, owner

    def __repr__(self) -> str:
        return f"Sound({self.info.kind})"


@pytest.fixture
def sound(operator, seller, seller_b, tmp_path) -> dict[str, Sound]:
    """A shop with a photo and a sale; its full and shop backups."""
    from PIL import Image

    product = catalog.create_product(seller, name="Kopi Sindoro", price=35000, sku="KOPI-1")
    Image.new("RGB", (64, 48), (90, 60, 30)).save(tmp_path / "k.jpg", "JPEG")
    catalog.add_photo(seller, product_id=product.id, image_path=tmp_path / "k.jpg")
    stock.receive(seller, sku="KOPI-1", quantity=40)
    sales.record_sale(seller, lines=[("KOPI-1", 2)])
    catalog.create_product(seller_b, name="Madu Bangli", price=85000, sku="MADU-1")
    stick = tmp_path / "stick"
    stick.mkdir()
    full = backup.backup_now(operator, folder=stick)
    shop = backup.backup_now(seller, folder=stick)
    return {
        "full": Sound(full, full.path.read_bytes(), operator),
        "shop": Sound(shop, shop.path.read_bytes(), seller),
    }


def _reseal(body: bytes) -> bytes:
    """The outer checksum made to match, so that the inner checks have to do the work."""
    return body + backup.TRAILER_PREFIX + hashlib.sha256(body).hexdigest().encode()


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data[: -backup.TRAILER_SIZE])) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, payload in members:
            archive.writestr(name, payload)
    return buffer.getvalue()


HOSTILE_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**63),
    st.text(max_size=20),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(
        st.sampled_from(["id", "size", "sha256", "name", "created_at"]),
        st.integers() | st.text(max_size=10),
        max_size=3,
    ),
)
MEDIA_NAMES = st.sampled_from(
    [
        "photos/../../OUTSIDE.jpg",
        "/etc/passwd",
        "photos/",
        "photos/a\x00b.jpg",
        "logos/ok.png",
        "photos/" + "a" * 200 + ".jpg",
        "media/photos/x.jpg",
        "photos\\..\\x.jpg",
        "photos/ok.jpg",
    ]
)


@st.composite
def crafted(draw, members: dict[str, bytes]) -> tuple[bytes, str]:
    """The real members with the manifest (and maybe the database) changed; and what."""
    manifest = json.loads(members[backup.MANIFEST_MEMBER])
    database = members[backup.DB_MEMBER]
    change = draw(st.sampled_from(["field", "db field", "media", "database", "kind", "drop"]))
    if change == "field":
        manifest[draw(st.sampled_from(sorted(manifest)))] = draw(HOSTILE_VALUES)
    elif change == "db field":
        manifest["db"][draw(st.sampled_from(["size", "sha256", "name"]))] = draw(HOSTILE_VALUES)
    elif change == "media":
        name = draw(MEDIA_NAMES)
        manifest["media"] = {name: {"size": draw(st.integers(-1, 10**9)), "sha256": "0" * 64}}
    elif change == "database":  # another database inside, described truthfully
        database = draw(OTHER_DATABASES)
        manifest["db"] = {
            "name": backup.DB_MEMBER,
            "size": len(database),
            "sha256": hashlib.sha256(database).hexdigest(),
        }
        manifest["schema"] = draw(st.sampled_from([manifest["schema"], 0, 999]))
    elif change == "kind":
        manifest["kind"] = "full" if manifest["kind"] == "shop" else "shop"
        manifest["shop"] = draw(st.sampled_from([None, {"id": 1}, {"id": 2}, manifest.get("shop")]))
    else:
        manifest.pop(draw(st.sampled_from(sorted(manifest))))
    others = [
        (n, p) for n, p in members.items() if n not in (backup.MANIFEST_MEMBER, backup.DB_MEMBER)
    ]
    extra = draw(st.sampled_from([[], [("../evil.txt", b"x")], [(backup.DB_MEMBER, b"twice")]]))
    payload = json.dumps(manifest).encode()
    members_out = [(backup.MANIFEST_MEMBER, payload), (backup.DB_MEMBER, database)]
    return _zip([*members_out, *others, *extra]), json.dumps(manifest, sort_keys=True)[:200]


def _database(sql: str, version: int = 0) -> bytes:
    con = sqlite3.connect(":memory:")
    con.executescript(sql)
    con.execute(f"PRAGMA user_version = {version}")
    data = con.serialize()
    con.close()
    return data


OTHER_DATABASES = st.sampled_from(
    [
        b"",
        b"SQLite format 3\x00" + b"\x00" * 200,
        _database("CREATE TABLE t (x)"),
        _database("CREATE TABLE shop (id INTEGER PRIMARY KEY)", 999),
        _database("CREATE TABLE shop (id INTEGER PRIMARY KEY); INSERT INTO shop VALUES (7)", 1),
    ]
)


@st.composite
def damaged(draw, data: bytes) -> bytes:
    """Bytes written over the backup, or cut short; resealed or not."""
    body = bytearray(data[: -backup.TRAILER_SIZE])
    for _n in range(draw(st.integers(0, 4))):
        at = int(draw(st.floats(0, 1, exclude_max=True)) * len(body))
        chunk = draw(st.binary(min_size=1, max_size=8))
        body[at : at + len(chunk)] = chunk
    if draw(st.booleans()):
        del body[int(draw(st.floats(0, 1)) * len(body)) :]
    if draw(st.integers(0, 3)) == 0:
        return bytes(body) + data[-backup.TRAILER_SIZE :]  # the old seal: a mismatch
    return _reseal(bytes(body))


class Case:
    """A fuzzed backup of one kind (a plain class: hypothesis reports it in one line)."""

    def __init__(self, kind: str, payload: bytes, how: str) -> None:
        self.kind, self.payload, self.how = kind, payload, how

    def __repr__(self) -> str:
        return f"Case({self.kind}, {self.how}, {len(self.payload)} bytes)"


@st.composite
def backup_files(draw, sound: dict) -> Case:
    kind = draw(st.sampled_from(["full", "shop"]))
    data = sound[kind].data
    how = draw(st.integers(0, 9))
    if how < 4:
        return Case(kind, draw(damaged(data)), "damaged")
    if how < 8:
        payload, change = draw(crafted(_members(data)))
        return Case(kind, _reseal(payload), f"crafted: {change}")
    if how == 8:
        return Case(kind, draw(st.binary(max_size=2000)), "random bytes")
    return Case(kind, _reseal(draw(st.binary(max_size=2000))), "random bytes, sealed")


def _state() -> dict[str, bytes]:
    """Every file of the data folder but the log, the cache and the lock (which notes who
    held it last): bytes, so that a refusal is seen to write nothing (no row, no
    backup, no photo, no work file)."""
    root = paths.data_dir()
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.parts[len(root.parts)] not in ("logs", "cache", LOCK_NAME)
    }


@pytest.mark.filterwarnings("ignore:Duplicate name")  # a crafted zip with a member twice
@FUZZ
@given(data=st.data())
def test_damaged_and_crafted_backups_are_refused_cleanly(sound, tmp_path_factory, data):
    case = data.draw(backup_files(sound))
    info, owner = sound[case.kind].info, sound[case.kind].owner
    target = tmp_path_factory.mktemp("fuzz") / "fuzzed.zip"
    target.write_bytes(case.payload)
    for check_seal in (False, True):
        try:
            backup.archive.read_manifest(target, check_seal=check_seal)
        except ShopDeskError as exc:
            assert "fuzzed.zip" in exc.message
    try:
        found = backup.verify(target)
    except ShopDeskError as exc:
        assert "fuzzed.zip" in exc.message
        event("refused")
    else:  # accepted: exactly the database that was backed up
        assert found.db_sha256 == info.db_sha256 and found.kind == info.kind
        event("accepted, intact")
        return
    before = _state()
    with pytest.raises(ShopDeskError) as refused:
        backup.restore(owner, path=target)
    assert refused.value.message.strip()
    after = _state()
    assert [n for n in sorted(before.keys() | after.keys()) if before.get(n) != after.get(n)] == []


def _relabelled(data: bytes, **changes: object) -> bytes:
    members = _members(data)
    manifest = {**json.loads(members[backup.MANIFEST_MEMBER]), **changes}
    members[backup.MANIFEST_MEMBER] = json.dumps(manifest).encode()
    return _reseal(_zip(list(members.items())))


@pytest.mark.parametrize("shop", [True, "Kopi", [1]])
def test_a_whole_pc_backup_whose_shop_is_no_object_is_refused(sound, tmp_path, shop):
    """Found by the long run: ``"shop": true`` crashed the reader (AttributeError)."""
    target = tmp_path / "odd-shop.zip"
    target.write_bytes(_relabelled(sound["full"].data, shop=shop))
    with pytest.raises(backup.DamagedBackupError, match=r"odd-shop\.zip"):
        backup.verify(target)


def test_a_sellers_backup_relabelled_whole_pc_is_refused(sound, tmp_path):
    """Found by the fuzzing: it passed, and restoring it would leave one shop and no
    operator who can log in."""
    target = tmp_path / "relabelled.zip"
    target.write_bytes(_relabelled(sound["shop"].data, kind="full", shop=None))
    with pytest.raises(backup.DamagedBackupError, match=r"relabelled\.zip"):
        backup.verify(target)


def test_a_backup_whose_zip_asks_for_a_newer_zip_version_is_listed_as_damaged(
    sound, operator, tmp_path
):
    """Found by the long run: a damaged "version needed to extract" in the zip's
    directory raised NotImplementedError from the backup list (manifests only)."""
    data = bytearray(sound["full"].data)
    at = data.index(b"PK\x01\x02") + 6  # the first central directory entry
    data[at : at + 2] = (64).to_bytes(2, "little")
    folder = tmp_path / "listed"
    folder.mkdir()
    target = folder / sound["full"].info.name
    target.write_bytes(bytes(data))
    with pytest.raises(backup.DamagedBackupError):
        backup.archive.read_manifest(target, check_seal=False)
    [(path, result)] = backup.list_backups(operator, folder=folder)
    assert path == target and isinstance(result, backup.DamagedBackupError)
