"""Photos and logos on a cooperative's server (issue 14, point 5): two data folders (two
PCs) on one real PostgreSQL server (the tests' own cluster). A photo added with the
command line of PC 1 is in PC 2's export, and a logo set on PC 1 is on PC 2's start
screen, though neither PC ever had the other's files."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from shopdesk import catalog, media_store, profiles, store
from shopdesk.store.models import Media
from tests.conftest import PIN_A, PIN_B, ROOT, open_on_server


def _png(path: Path, colour: str, size=(120, 90)) -> Path:
    Image.new("RGB", size, colour).save(path)
    return path


def _env(home: Path, url: str) -> dict[str, str]:
    """A PC: its own data folder, connected to the server."""
    return {
        **os.environ,
        "SHOPDESK_HOME": str(home),
        "SHOPDESK_DATABASE_URL": url,
        "SHOPDESK_PIN": PIN_A,
        "PYTHONPATH": str(ROOT),
    }


def _cli(home: Path, url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "shopdesk", *args],
        env=_env(home, url),
        capture_output=True,
        text=True,
    )


@pytest.fixture
def two_pcs(pg_database, tmp_path, monkeypatch):
    """Two data folders on one server database with two shops: (url, PC 1, PC 2)."""
    _name, url = pg_database
    pc1, pc2 = tmp_path / "pc1", tmp_path / "pc2"
    op = open_on_server(url, pc1, monkeypatch)
    for login, pin, shop in (("kopi", PIN_A, "Kopi Sindoro"), ("madu", PIN_B, "Madu Bangli")):
        profiles.create_seller(op, login=login, display_name=login, pin=pin, shop_name=shop)
        session = profiles.seller_login(login=login, pin=pin)
        catalog.create_product(session, name=f"Produk {shop}", price=20_000, sku=f"{login}-1")
    store.close_database()
    store.set_shop_scope(None)
    yield url, pc1, pc2
    store.close_database()
    store.set_shop_scope(None)


def test_a_photo_added_on_pc_1_is_in_pc_2s_export(two_pcs, tmp_path):
    url, pc1, pc2 = two_pcs
    image = _png(tmp_path / "keripik.png", "red")
    added = _cli(pc1, url, "product", "photo-add", "kopi-1", str(image), "--seller", "kopi")
    assert added.returncode == 0, added.stderr
    out = tmp_path / "stick"
    out.mkdir()
    exported = _cli(pc2, url, "export", "--seller", "kopi", "--targets", "generic", "-o", str(out))
    assert exported.returncode == 0, exported.stdout + exported.stderr
    bundles = list(out.rglob("*.zip")) + [p for p in out.iterdir() if p.is_dir()]
    names = []
    for bundle in bundles:
        if bundle.suffix == ".zip":
            with zipfile.ZipFile(bundle) as archive:
                names += archive.namelist()
        else:
            names += [p.name for p in bundle.rglob("*")]
    assert any(n.lower().endswith(".jpg") for n in names), names
    # PC 2 read the photo out of the server into its own cache; PC 1 never wrote one.
    cached = list((pc2 / "media" / "photos").iterdir())
    assert [hashlib.sha256(p.read_bytes()).hexdigest() for p in cached] == [p.stem for p in cached]
    assert not (pc1 / "media" / "photos").exists()


def test_a_logo_set_on_pc_1_is_on_pc_2s_start_screen(two_pcs, tmp_path, monkeypatch):
    _url, _pc1, pc2 = two_pcs
    store.open_database()
    session = profiles.seller_login(login="madu", pin=PIN_B)
    logo = profiles.set_shop_logo(session, image_path=_png(tmp_path / "lebah.png", "gold")).logo
    store.close_database()
    store.set_shop_scope(None)
    monkeypatch.setenv("SHOPDESK_HOME", str(pc2))  # PC 2 starts: no one logged in yet
    store.open_database()
    shown = {p.shop_name: p.logo for p in profiles.list_profiles()}
    assert shown["Madu Bangli"] == logo
    path = media_store.local_file("logos", logo)
    assert path.is_relative_to(pc2) and hashlib.sha256(path.read_bytes()).hexdigest() in logo


def test_the_same_photo_added_by_two_pcs_at_once_is_kept_once(two_pcs, tmp_path):
    """Two PCs add the same picture: one row of content, two photo rows, no error."""
    url, pc1, pc2 = two_pcs
    image = _png(tmp_path / "sama.png", "blue")
    add = [sys.executable, "-m", "shopdesk", "product", "photo-add", "kopi-1", str(image)]
    runs = [
        subprocess.Popen(
            [*add, "--seller", "kopi"],
            env=_env(home, url),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for home in (pc1, pc2)
    ]
    for run in runs:
        _out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
    store.open_database()
    session = profiles.seller_login(login="kopi", pin=PIN_A)
    product = catalog.get_product(session, catalog.get_variant(session, "kopi-1").product_id)
    assert len(product.photos) == 2 and len({p.filename for p in product.photos}) == 1
    with store.all_shops():  # the test's own count, across shops
        assert Media.select().where(Media.kind == "photos").count() == 1
