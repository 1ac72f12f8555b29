"""Photos and logos kept in the database (issue 14, point 5): written with the row that
names them or not at all, read through this PC's cache (re-made from the data, only ever
the bytes its name hashes to), taken in from the files of data from before, refused when
too large. On SQLite and, with ``--server``, on a real PostgreSQL server."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3

import psycopg
import pytest
from PIL import Image

from shopdesk import catalog, i18n, media, media_store, opener, paths, profiles, store
from shopdesk.errors import DatabaseError, NotFoundError, ValidationError
from shopdesk.store.models import Media, Photo
from tests.conftest import PIN_A, schema_file


def _png(path, colour, size=(40, 30)):
    Image.new("RGB", size, colour).save(path)
    return path


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _media_rows(shop_id=None):
    query = Media.select(Media.shop, Media.kind, Media.filename)
    if shop_id is not None:
        query = query.where(Media.shop == shop_id)
    return {(m.shop_id, m.kind, m.filename) for m in query}


def test_a_photo_is_kept_in_the_data_once_per_content(seller, tmp_path):
    product = catalog.create_product(seller, name="Keripik Tempe", price=9_000)
    first = catalog.add_photo(
        seller, product_id=product.id, image_path=_png(tmp_path / "a.png", "red")
    )
    again = catalog.add_photo(
        seller, product_id=product.id, image_path=_png(tmp_path / "b.png", "red")
    )
    assert again.filename == first.filename
    row = Media.get((Media.shop == seller.shop_id) & (Media.filename == first.filename))
    assert (row.kind, row.size, row.sha256) == ("photos", len(row.data), _sha(row.data))
    assert row.sha256 == first.filename.split(".")[0]
    assert _media_rows() == {(seller.shop_id, "photos", first.filename)}
    # Nothing is written to this PC's folder until something reads the photo.
    assert not media_store.cache_file("photos", first.filename).exists()
    assert catalog.photos.photo_file(seller, first).read_bytes() == row.data


def test_a_refused_photo_leaves_no_content_behind(seller, tmp_path):
    """The photo's bytes go in with its row: a product already holding its 12 photos
    refuses the 13th, and its content is not kept either."""
    product = catalog.create_product(seller, name="Batik Tulis", price=350_000, is_food=False)
    for n in range(catalog.MAX_PHOTOS):
        catalog.add_photo(
            seller, product_id=product.id, image_path=_png(tmp_path / f"{n}.png", (n, 0, 0))
        )
    before = _media_rows()
    extra = _png(tmp_path / "extra.png", (0, 0, 255))
    with pytest.raises(ValidationError):
        catalog.add_photo(seller, product_id=product.id, image_path=extra)
    assert _media_rows() == before and len(before) == catalog.MAX_PHOTOS


def test_a_logo_is_kept_with_the_shop_row(seller, tmp_path):
    info = profiles.set_shop_logo(seller, image_path=_png(tmp_path / "logo.png", "navy"))
    assert _media_rows() == {(seller.shop_id, "logos", info.logo)}
    path = media_store.local_file("logos", info.logo)  # the start screen's read: no shop
    assert _sha(path.read_bytes()) == info.logo.split(".")[0]


def test_the_cache_is_made_again_from_the_data(seller, tmp_path):
    product = catalog.create_product(seller, name="Gula Semut", price=18_000)
    photo = catalog.add_photo(
        seller, product_id=product.id, image_path=_png(tmp_path / "g.png", "tan")
    )
    path = catalog.photos.photo_file(seller, photo)
    original = path.read_bytes()
    shutil.rmtree(paths.media_dir())  # the PC's folder wiped, or another PC
    thumb = catalog.thumbnail(seller, photo_id=photo.id, size=96)
    assert Image.open(thumb).size == (40, 30)
    assert path.read_bytes() == original


def test_a_damaged_photo_in_the_data_is_named_and_never_cached(seller, tmp_path):
    product = catalog.create_product(seller, name="Madu Klanceng", price=95_000)
    photo = catalog.add_photo(
        seller, product_id=product.id, image_path=_png(tmp_path / "m.png", "gold")
    )
    row = Media.get(Media.filename == photo.filename)
    with store.transaction():  # same length, other bytes: the size check still holds
        Media.update(data=bytes(b ^ 0xFF for b in row.data)).where(Media.id == row.id).execute()
    with pytest.raises(NotFoundError, match=photo.filename):
        catalog.photos.photo_file(seller, photo)
    assert not media_store.cache_file("photos", photo.filename).exists()
    # An export goes on, and its photo check names the photo as missing.
    assert catalog.photos.photo_files(seller, [photo]) == (
        media_store.cache_file("photos", photo.filename),
    )


def test_a_name_that_is_no_content_name_reads_nothing(seller):
    for name in ("../../shopdesk.sqlite3", "abc.png", "0" * 64 + ".exe"):
        with pytest.raises(NotFoundError):
            media_store.local_file("photos", name, shop_id=seller.shop_id)


def test_another_shops_photo_is_not_read_as_this_shops(seller, seller_b, tmp_path):
    product = catalog.create_product(seller, name="Kopi Luwak", price=250_000)
    photo = catalog.add_photo(
        seller, product_id=product.id, image_path=_png(tmp_path / "k.png", "brown")
    )
    with pytest.raises(NotFoundError):
        media_store.local_file("photos", photo.filename, shop_id=seller_b.shop_id)


def test_a_photo_too_large_to_keep_is_refused_in_indonesian(seller, tmp_path, monkeypatch):
    """What the database keeps of one image has a cap (an upright copy can outgrow its
    source): refused with the reason, nothing written."""
    product = catalog.create_product(seller, name="Anyaman", price=75_000, is_food=False)
    big = _png(tmp_path / "besar.png", "green", size=(300, 300))
    monkeypatch.setattr(media, "MAX_STORED_BYTES", 100)
    with pytest.raises(ValidationError, match=r"besar\.png terlalu besar.*di bawah 40 MB"):
        catalog.add_photo(seller, product_id=product.id, image_path=big)
    assert _media_rows() == set() and Photo.select().count() == 0


def test_a_value_the_server_cannot_take_gets_the_sellers_message():
    """A server's own refusal of a value too large (SQLSTATE 54000, or out of memory)."""
    i18n.set_language("id")
    for refusal in (psycopg.errors.ProgramLimitExceeded, psycopg.errors.OutOfMemory):
        error = store.translate_error(refusal("invalid memory alloc request size"))
        assert isinstance(error, DatabaseError)
        assert "Server database tidak dapat menerima" in str(error)
        assert "di bawah 40 MB" in str(error)


@pytest.mark.sqlite_only  # the files of a PC from before photos were kept in the data
def test_opening_an_older_file_takes_this_pcs_photo_files_in(tmp_path, monkeypatch):
    folder = tmp_path / "old-home"
    monkeypatch.setenv("SHOPDESK_HOME", str(folder))
    database = folder / paths.DB_FILENAME
    folder.mkdir()
    shutil.copy(schema_file(7), database)
    photo = _png(tmp_path / "p.png", "purple").read_bytes()
    logo = _png(tmp_path / "l.png", "orange").read_bytes()
    photo_name, logo_name = f"{_sha(photo)}.png", f"{_sha(logo)}.png"
    with sqlite3.connect(database) as con:  # the rows name files this PC holds
        con.execute("UPDATE photo SET filename = ?", (photo_name,))
        con.execute("UPDATE shop SET logo = ? WHERE id = 1", (logo_name,))
        con.execute("UPDATE shop SET logo = ? WHERE id = 2", ("f" * 64 + ".png",))
    for kind, name, data in (("photos", photo_name, photo), ("logos", logo_name, logo)):
        (folder / "media" / kind).mkdir(parents=True, exist_ok=True)
        (folder / "media" / kind / name).write_bytes(data)
    # A file whose bytes are not what its name says is left out.
    (folder / "media" / "logos" / ("f" * 64 + ".png")).write_bytes(b"not that content")
    try:
        opener.open_data()
        assert _media_rows() == {(1, "photos", photo_name), (1, "logos", logo_name)}
        kept = {m.filename: bytes(m.data) for m in Media.select()}
        assert kept == {photo_name: photo, logo_name: logo}
        assert media_store.adopt_files() == 0  # the next opening finds nothing to take
        shutil.rmtree(folder / "media")
        seller = profiles.seller_login(login="kopi", pin=PIN_A)
        shown = next(p for product in catalog.list_products(seller) for p in product.photos)
        assert catalog.photos.photo_file(seller, shown).read_bytes() == photo
    finally:
        store.close_database()


def test_doctor_names_photos_missing_from_the_data_until_their_file_comes_back(
    operator, seller, tmp_path
):
    from shopdesk import doctor

    product = catalog.create_product(seller, name="Tape Ketan", price=15_000)
    photo = catalog.add_photo(
        seller, product_id=product.id, image_path=_png(tmp_path / "t.png", "olive")
    )
    data = catalog.photos.photo_file(seller, photo).read_bytes()
    with store.transaction():  # as a photo row from before, whose file this PC lost
        Media.delete().where(Media.filename == photo.filename).execute()
    shutil.rmtree(paths.media_dir())
    found = {f.what: f for f in doctor.run(operator)}
    missing = next(f for what, f in found.items() if what.startswith("Foto: 1 foto"))
    assert (
        missing.status == doctor.WARN and "kopi" in missing.what and "folder media" in missing.todo
    )
    media_store.cache_file("photos", photo.filename).parent.mkdir(parents=True)
    media_store.cache_file("photos", photo.filename).write_bytes(data)
    assert media_store.adopt_files() == 1
    assert "Foto: setiap foto dan logo ada di data." in {f.what for f in doctor.run(operator)}
