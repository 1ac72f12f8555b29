"""Product photos: kept once per content in the database (``shopdesk.media_store``),
in an order whose first is the main photo, with cached JPEG thumbnails."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from peewee import ModelDelete

from shopdesk import audit, media_store, paths, store
from shopdesk.catalog.rows import as_id, product_row, touch_product
from shopdesk.errors import NotFoundError, ValidationError
from shopdesk.i18n import _
from shopdesk.media import open_checked, prepare_image
from shopdesk.profiles import Session, require_seller
from shopdesk.safe_io import write_bytes_atomic
from shopdesk.store.models import Photo

MAX_PHOTOS = 12
THUMB_SIZES = (96, 256, 512)


@dataclass(frozen=True)
class PhotoInfo:
    id: int
    product_id: int
    position: int
    filename: str  # "<sha256>.<ext>": its content in the database (``media_store``)
    width: int
    height: int


@store.follows_session
def photo_file(session: Session, photo: PhotoInfo) -> Path:
    """The photo as a file on this PC (its cache, filled from the database once)."""
    session = require_seller(session)
    return media_store.local_file("photos", photo.filename, shop_id=session.shop_id)


@store.follows_session
def photo_files(session: Session, photos: Iterable[PhotoInfo]) -> tuple[Path, ...]:
    """The photos as files, in their order; one the data does not hold (a row from
    before photos were kept in the database, its file lost) as the path where it
    would be, which the listing's photo checks report as missing."""
    session = require_seller(session)
    found = []
    for photo in photos:
        try:
            found.append(photo_file(session, photo))
        except NotFoundError:
            found.append(media_store.cache_file("photos", photo.filename))
    return tuple(found)


def photos_by_product(shop_id: int, ids: list[int]) -> dict[int, list[PhotoInfo]]:
    """The photos of these products, each product's in their order."""
    photos: dict[int, list[PhotoInfo]] = {pid: [] for pid in ids}
    for chunk in store.chunks(ids, 500):
        pquery = (
            Photo.select()
            .where((Photo.shop == shop_id) & Photo.product.in_(chunk))
            .order_by(Photo.product, Photo.position, Photo.id)
        )
        for ph in pquery:
            photos[ph.product_id].append(
                PhotoInfo(ph.id, ph.product_id, ph.position, ph.filename, ph.width, ph.height)
            )
    return photos


@store.follows_session
def _photo_row(session: Session, photo_id: object) -> Photo:
    pid = as_id(photo_id)
    row = (
        None
        if pid is None
        else Photo.get_or_none((Photo.id == pid) & (Photo.shop == session.shop_id))
    )
    if row is None:
        raise NotFoundError(_("There is no photo number {id}.").format(id=photo_id))
    return row


@store.follows_session
def add_photo(session: Session, *, product_id: int, image_path: Path | str) -> PhotoInfo:
    """Keep a photo (upright, once per content) and append it to the product: the
    photo's bytes and its row are written together, or neither."""
    session = require_seller(session)
    product_row(session, product_id)  # refuse early, before reading the file
    stored = prepare_image(Path(image_path))
    with store.transaction():
        row = product_row(session, product_id)
        count = Photo.select().where(Photo.product == row.id).count()
        if count >= MAX_PHOTOS:
            raise ValidationError(
                _("A product has at most {n} photos. Remove one first.").format(n=MAX_PHOTOS)
            )
        media_store.keep(session.shop_id, "photos", stored)
        photo_id = Photo.insert(
            shop=session.shop_id,
            product=row.id,
            position=count,
            filename=stored.filename,
            width=stored.width,
            height=stored.height,
        ).execute()
        touch_product(session, row.id)
        audit.record(
            "photo.add",
            actor=session.actor,
            shop_id=session.shop_id,
            product_id=row.id,
            filename=stored.filename,
        )
    return PhotoInfo(photo_id, row.id, count, stored.filename, stored.width, stored.height)


@store.follows_session
def remove_photo(session: Session, *, photo_id: int) -> None:
    """Take a photo off its product (its content may serve other products)."""
    session = require_seller(session)
    with store.transaction():
        row = _photo_row(session, photo_id)
        # What Photo.delete() builds; types-peewee's delete() is refused by mypy on a class.
        ModelDelete(Photo).where(Photo.id == row.id).execute()
        _renumber_photos(row.product_id)
        touch_product(session, row.product_id)
        audit.record(
            "photo.remove",
            actor=session.actor,
            shop_id=session.shop_id,
            product_id=row.product_id,
            filename=row.filename,
        )


def _renumber_photos(product_id: int, order: list[int] | None = None) -> None:
    ids = order or [
        p.id
        for p in Photo.select(Photo.id)
        .where(Photo.product == product_id)
        .order_by(Photo.position, Photo.id)
    ]
    for position, pid in enumerate(ids):
        Photo.update(position=position).where(Photo.id == pid).execute()


@store.follows_session
def reorder_photos(session: Session, *, product_id: int, photo_ids: list[int]) -> list[PhotoInfo]:
    """Put the product's photos in this order; the first is the main photo."""
    session = require_seller(session)
    with store.transaction():
        row = product_row(session, product_id)
        current = {p.id for p in Photo.select(Photo.id).where(Photo.product == row.id)}
        wanted = [int(p) for p in photo_ids]
        if set(wanted) != current or len(wanted) != len(current):
            raise ValidationError(
                _("Give every photo of the product exactly once to change their order.")
            )
        _renumber_photos(row.id, wanted)
        touch_product(session, row.id)
        audit.record(
            "photo.reorder", actor=session.actor, shop_id=session.shop_id, product_id=row.id
        )
    return photos_by_product(session.shop_id, [row.id])[row.id]


@store.follows_session
def thumbnail(session: Session, *, photo_id: int, size: int = 256) -> Path:
    """A small JPEG of the photo, made once and cached under cache/thumbs/<size>/."""
    session = require_seller(session)
    row = _photo_row(session, photo_id)
    size = min(THUMB_SIZES, key=lambda s: abs(s - int(size)))
    stem = row.filename.rsplit(".", 1)[0]
    target = paths.cache_dir() / "thumbs" / str(size) / f"{stem}.jpg"
    if target.exists():
        return target
    source = media_store.local_file("photos", row.filename, shop_id=session.shop_id)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise NotFoundError(
            _("The photo file {name} is missing. Add the photo again.").format(name=row.filename)
        ) from exc
    image = open_checked(data, row.filename)
    image.thumbnail((size, size))
    if image.mode != "RGB":
        from PIL import Image  # loaded by open_checked already

        background = Image.new("RGB", image.size, (255, 255, 255))
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(target, out.getvalue())
    return target


__all__ = [
    "MAX_PHOTOS",
    "THUMB_SIZES",
    "PhotoInfo",
    "add_photo",
    "photo_file",
    "photo_files",
    "remove_photo",
    "reorder_photos",
    "thumbnail",
]
