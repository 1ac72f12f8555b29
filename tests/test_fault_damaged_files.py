"""Damaged backups and bundles: truncated at many offsets, bits flipped, fuzzed.

Every damaged backup must be refused with a message that names the file; the
reader must never crash or accept wrong data (hypothesis, also for files whose
outer checksum was forged to match).
"""

from __future__ import annotations

import hashlib
import json
import random
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shopdesk import backup, catalog, sales, stock
from shopdesk.errors import ShopDeskError
from tests import figures

SEED = 2911


@pytest.fixture
def backups(operator, seller, seller_b, tmp_path):
    catalog.create_product(seller, name="Kopi Sindoro Robusta", price=35000, sku="KOPI-1")
    stock.receive(seller, sku="KOPI-1", quantity=40)
    sales.record_sale(seller, lines=[("KOPI-1", 2)])
    (tmp_path / "sound").mkdir()
    full = backup.backup_now(operator, folder=tmp_path / "sound")
    shop = backup.backup_now(seller, folder=tmp_path / "sound")
    return full, shop


def _offsets(size: int) -> list[int]:
    """Every offset class: the first bytes, zip headers, the middle, the trailer."""
    near_end = [size - k for k in (1, 2, 21, 22, 23, 79, 80, 81, 100, 200, 1000, 4096)]
    step = max(1, size // 400)
    return sorted({o for o in [*range(0, 64), *range(0, size, step), *near_end] if 0 <= o < size})


def test_truncated_backups_are_always_caught_and_named(backups, tmp_path, request):
    caught = 0
    for info in backups:
        data = info.path.read_bytes()
        for offset in _offsets(len(data)):
            target = tmp_path / f"cut-{info.kind}-{offset}.zip"
            target.write_bytes(data[:offset])
            with pytest.raises(backup.DamagedBackupError) as err:
                backup.verify(target)
            assert target.name in err.value.message
            caught += 1
            target.unlink()
    figures.report(
        request, f"\ndamaged backups: {caught} truncations, {caught} caught, each naming its file"
    )


def test_flipped_bits_are_always_caught_and_named(backups, tmp_path, request):
    rng = random.Random(SEED)
    flips = 0
    for info in backups:
        data = info.path.read_bytes()
        positions = [*range(0, 200), *range(len(data) - 200, len(data))]
        positions += [rng.randrange(len(data)) for _i in range(1500)]
        target = tmp_path / f"flipped-{info.kind}.zip"
        for position in positions:
            damaged = bytearray(data)
            damaged[position] ^= 1 << rng.randrange(8)
            target.write_bytes(bytes(damaged))
            with pytest.raises(backup.DamagedBackupError) as err:
                backup.verify(target)
            assert target.name in err.value.message
            flips += 1
    figures.report(request, f"\ndamaged backups: {flips} single-bit flips, {flips} caught")


def test_missing_and_empty_backups(tmp_path):
    with pytest.raises(ShopDeskError) as err:
        backup.verify(tmp_path / "hilang.zip")
    assert "hilang.zip" in err.value.message
    (tmp_path / "kosong.zip").write_bytes(b"")
    with pytest.raises(backup.DamagedBackupError, match=r"kosong\.zip"):
        backup.verify(tmp_path / "kosong.zip")


def _fuzz_settings(examples: int):
    """Reproducible fuzzing that may use the function's fixtures and take its time."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def _damage(sound: bytes, edits: list[tuple[float, bytes]], cut: float | None) -> bytearray:
    """`sound` with each chunk written over it at its relative place, then cut short."""
    data = bytearray(sound)
    for where, chunk in edits:
        at = int(where * len(data))
        data[at : at + len(chunk)] = chunk
    if cut is not None:
        del data[int(cut * len(data)) :]
    return data


def _reseal(data: bytes) -> bytes:
    """Forge the outer checksum so that the inner checks have to do the work."""
    body = data[: -backup.TRAILER_SIZE]
    if len(data) < backup.TRAILER_SIZE:
        body = data
    digest = hashlib.sha256(body).hexdigest().encode()
    return body + backup.TRAILER_PREFIX + digest


@_fuzz_settings(150)
@given(
    edits=st.lists(
        st.tuples(st.floats(0, 1, exclude_max=True), st.binary(min_size=0, max_size=8)),
        min_size=1,
        max_size=6,
    ),
    cut=st.one_of(st.none(), st.floats(0, 1)),
)
def test_fuzzed_backups_with_a_forged_checksum_never_crash(backups, tmp_path, edits, cut):
    full, _shop = backups
    data = _damage(full.path.read_bytes()[: -backup.TRAILER_SIZE], edits, cut)
    target = tmp_path / "fuzzed.zip"
    target.write_bytes(_reseal(bytes(data) + b"\0" * backup.TRAILER_SIZE))
    try:
        info = backup.verify(target)
    except ShopDeskError as exc:
        assert "fuzzed.zip" in exc.message
    else:  # accepted only if the database inside is exactly the one described
        assert info.db_sha256 == full.db_sha256


@_fuzz_settings(100)
@given(
    manifest=st.dictionaries(
        st.sampled_from(
            ["format", "format_version", "kind", "schema", "db", "shop", "created_at", "x"]
        ),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=20),
            lambda inner: (
                st.lists(inner, max_size=3)
                | st.dictionaries(st.sampled_from(["id", "size", "sha256", "name"]), inner)
            ),
            max_leaves=6,
        ),
    ),
    raw=st.one_of(st.none(), st.binary(max_size=200)),
)
def test_fuzzed_manifests_never_crash(backups, tmp_path, manifest, raw):
    full, _shop = backups
    db_file = tmp_path / "inner.sqlite3"
    with zipfile.ZipFile(full.path) as archive:
        db_file.write_bytes(archive.read(backup.DB_MEMBER))
    target = tmp_path / "odd-manifest.zip"
    with zipfile.ZipFile(target, "w") as archive:
        payload = raw if raw is not None else json.dumps(manifest).encode()
        archive.writestr(backup.MANIFEST_MEMBER, payload)
        archive.write(db_file, backup.DB_MEMBER)
    target.write_bytes(_reseal(target.read_bytes() + b"\0" * backup.TRAILER_SIZE))
    with pytest.raises(ShopDeskError) as err:
        backup.verify(target)
    assert "odd-manifest.zip" in err.value.message


@settings(max_examples=200, deadline=None, derandomize=True)
@given(data=st.binary(max_size=3000))
def test_random_bytes_are_refused_cleanly(tmp_path_factory, data):
    target = tmp_path_factory.mktemp("fuzz") / "random.zip"
    target.write_bytes(data)
    with pytest.raises(ShopDeskError) as err:
        backup.verify(target)
    assert "random.zip" in err.value.message


def test_damaged_bundles_are_caught_or_harmless(seller, tmp_path, request):
    """Listing bundles (zip): every truncation is refused naming the bundle; a
    flipped bit is reported with the file it hit, or else it touched only zip
    metadata that no content depends on (each such case is re-read and compared)."""
    from shopdesk.export import service
    from shopdesk.export.bundle import ExportOptions
    from shopdesk.export.manifest import verify as verify_bundle

    for n in range(4):
        catalog.create_product(seller, name=f"Keripik Pisang {n}", price=15000)
    options = ExportOptions(
        cache_dir=tmp_path / "cache", workers=1, targets=("generic", "meta"), as_zip=True
    )
    (tmp_path / "stick").mkdir()
    result = service.export_for_seller(seller, out_dir=tmp_path / "stick", options=options)
    data = result.path.read_bytes()
    with zipfile.ZipFile(result.path) as archive:
        original = {name: archive.read(name) for name in archive.namelist()}
    truncations = 0
    for offset in _offsets(len(data)):
        target = tmp_path / "cut-bundle.zip"
        target.write_bytes(data[:offset])
        try:
            report = verify_bundle(target)
        except ShopDeskError as exc:
            assert "cut-bundle.zip" in exc.message
        else:
            assert not report.ok
        truncations += 1
    rng = random.Random(SEED)
    reported = refused = harmless = crashes = 0
    for _i in range(600):
        damaged = bytearray(data)
        damaged[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        target = tmp_path / "flip-bundle.zip"
        target.write_bytes(bytes(damaged))
        try:
            report = verify_bundle(target)
        except ShopDeskError as exc:
            assert "flip-bundle.zip" in exc.message
            refused += 1
            continue
        except Exception:  # a crash instead of a clear message: counted, reported below
            crashes += 1
            continue
        if not report.ok:
            assert report.problems and all(p.path for p in report.problems)
            reported += 1
            continue
        with zipfile.ZipFile(target) as archive:  # accepted: the content must be intact
            assert {n: archive.read(n) for n in archive.namelist()} == original
        harmless += 1
    figures.report(
        request,
        f"\ndamaged bundles: {truncations} truncations all caught; 600 bit flips: "
        f"{refused} refused, {reported} reported with the damaged file, "
        f"{harmless} in zip metadata only (content verified intact), {crashes} crashed",
    )
    assert crashes == 0


def test_verify_folder_names_each_damaged_file(backups, tmp_path):
    full, shop = backups
    folder = full.path.parent
    bad = folder / "shopdesk-full-rusak.zip"
    bad.write_bytes(full.path.read_bytes()[:-1])
    results = {path.name: result for path, result in backup.verify_folder(folder)}
    assert isinstance(results[full.name], backup.BackupInfo)
    assert isinstance(results[shop.name], backup.BackupInfo)
    assert isinstance(results[bad.name], backup.DamagedBackupError)
    assert bad.name in results[bad.name].message
    assert Path(results[bad.name].path) == bad


@pytest.fixture(scope="module")
def bundle_bytes(tmp_path_factory):
    """A real zip bundle of a small shop, made once for the fuzzing below."""
    import os

    from shopdesk import profiles, store
    from shopdesk.export import service
    from shopdesk.export.bundle import ExportOptions

    folder = tmp_path_factory.mktemp("bundle-home")
    old = os.environ.get("SHOPDESK_HOME")
    os.environ["SHOPDESK_HOME"] = str(folder)
    try:
        store.open_database()
        op = profiles.create_operator(password="rahasia-operator")
        profiles.create_seller(op, login="kopi", display_name="Sri", pin="111111", shop_name="K")
        seller = profiles.seller_login(login="kopi", pin="111111")
        for n in range(3):
            catalog.create_product(seller, name=f"Keripik Talas {n}", price=15000)
        options = ExportOptions(
            cache_dir=folder / "cache", workers=1, targets=("generic",), as_zip=True
        )
        (folder / "stick").mkdir()
        result = service.export_for_seller(seller, out_dir=folder / "stick", options=options)
        return result.path.read_bytes()
    finally:
        store.close_database()
        if old is None:
            os.environ.pop("SHOPDESK_HOME", None)
        else:
            os.environ["SHOPDESK_HOME"] = old


@_fuzz_settings(150)
@given(
    edits=st.lists(
        st.tuples(st.floats(0, 1, exclude_max=True), st.binary(min_size=1, max_size=6)),
        min_size=1,
        max_size=4,
    ),
    cut=st.one_of(st.none(), st.floats(0, 1)),
)
def test_fuzzed_bundles_give_a_report_or_a_clear_error(bundle_bytes, tmp_path, edits, cut):
    from shopdesk.export.manifest import verify as verify_bundle

    data = _damage(bundle_bytes, edits, cut)
    target = tmp_path / "fuzzed-bundle.zip"
    target.write_bytes(bytes(data))
    try:
        report = verify_bundle(target)
    except ShopDeskError as exc:
        assert "fuzzed-bundle.zip" in exc.message
        return
    if bytes(data) != bundle_bytes and report.ok:  # accepted: the content must be intact
        with (
            zipfile.ZipFile(target) as damaged,
            zipfile.ZipFile(__import__("io").BytesIO(bundle_bytes)) as sound,
        ):
            assert {n: damaged.read(n) for n in damaged.namelist()} == {
                n: sound.read(n) for n in sound.namelist()
            }
