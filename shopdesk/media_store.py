"""Photos and logos kept in the database, and this PC's file cache of them.

The database holds each shop's images (table ``media``: one row per shop, kind
and content, the bytes whole), on a PC's own file as on a cooperative's server,
so every PC of a server sees a photo the moment it is added, and every copy of
the data (a backup, a move onto a server and back) carries them. An image is
written in the same transaction as the row that names it (``keep``).

Exports, thumbnails and the start screen read files, many times: ``local_file`` gives one
from this PC's cache under ``media/<kind>/``, named by content, taken out of the
database the first time. A cached file is only ever the bytes its name hashes to.

Data from before the table (files under ``media/`` only, schema 7 and older, or an
older backup's photos) comes in through ``adopt_files``, which the opener runs.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from shopdesk import paths, store
from shopdesk.clock import utcnow
from shopdesk.errors import NotFoundError, ShopDeskError
from shopdesk.i18n import _
from shopdesk.safe_io import make_folder, storage_error, write_bytes_atomic

if TYPE_CHECKING:
    import peewee

    from shopdesk.media import PreparedImage

# ``Media`` is taken from the store's face when a function runs: the models load with the
# database, after the login window (whose logos come from the cache, ``cached_file``).

KINDS = ("photos", "logos")
# What a photo row or a shop's logo may name: its content's SHA-256 and an image type.
_NAME = re.compile(r"^[0-9a-f]{64}\.(jpg|png|webp|gif|bmp)$")
# The images the data names without holding them (rows from before the table):
# (shop, kind, filename). Plain SQL both engines run (``doctor`` counts them too).
UNHELD = """
SELECT p.shop_id, 'photos', p.filename FROM photo AS p WHERE NOT EXISTS (
    SELECT 1 FROM media AS m
    WHERE m.shop_id = p.shop_id AND m.kind = 'photos' AND m.filename = p.filename)
UNION
SELECT s.id, 'logos', s.logo FROM shop AS s WHERE s.logo != '' AND NOT EXISTS (
    SELECT 1 FROM media AS m WHERE m.shop_id = s.id AND m.kind = 'logos' AND m.filename = s.logo)
"""

log = logging.getLogger(__name__)


def cache_file(kind: str, filename: str) -> Path:
    """Where this PC keeps its copy of an image (it may not be there yet)."""
    return paths.media_dir() / kind / filename


def cached_file(kind: str, filename: str) -> Path | None:
    """This PC's copy of an image, if it has one, without asking the database (the login
    window, shown before the database is opened)."""
    target = cache_file(kind, filename) if valid_name(kind, filename) else None
    return target if target is not None and target.is_file() else None


def valid_name(kind: str, filename: str) -> bool:
    return kind in KINDS and bool(_NAME.match(filename))


def keep(shop_id: int, kind: str, image: PreparedImage) -> None:
    """Keep ``image`` for the shop, once per content, inside the caller's transaction
    (with the row that names it: both or neither)."""
    Media = store.models.Media
    Media.insert(
        shop=shop_id,
        kind=kind,
        filename=image.filename,
        sha256=image.sha256,
        size=len(image.data),
        data=image.data,
        added_at=utcnow(),
    ).on_conflict_ignore().execute()  # the same photo twice, or two PCs at once: one row


def local_file(kind: str, filename: str, *, shop_id: int | None = None) -> Path:
    """A file of the image on this PC, from the database when the cache lacks it.
    ``shop_id`` limits the search to that shop (the start screen's logos, shown
    before anyone logs in, do without)."""
    if not valid_name(kind, filename):
        raise NotFoundError(
            _("The photo file {name} is missing. Add the photo again.").format(name=filename)
        )
    target = cache_file(kind, filename)
    if target.is_file():
        return target
    if shop_id is None and kind == "logos":
        with store.all_shops():  # the login desk's picker: every shop's logo, by its name
            data = _stored(kind, filename, None)
    else:
        data = _stored(kind, filename, shop_id)
    try:
        make_folder(target.parent)
        write_bytes_atomic(target, data)
    except OSError as exc:
        raise storage_error(exc, target) from exc
    return target


def _stored(kind: str, filename: str, shop_id: int | None) -> bytes:
    Media = store.models.Media
    where = (Media.kind == kind) & (Media.filename == filename)
    if shop_id is not None:
        where &= Media.shop == shop_id
    row = Media.select(Media.data).where(where).first()
    if row is None:
        raise NotFoundError(
            _("The photo file {name} is missing. Add the photo again.").format(name=filename)
        )
    data = bytes(row.data)
    if hashlib.sha256(data).hexdigest() != filename.split(".", 1)[0]:
        raise NotFoundError(
            _("The photo {name} is damaged in the database. Add the photo again.").format(
                name=filename
            )
        )
    return data


# --- images from before the table -------------------------------------------------------


@dataclass(frozen=True)
class _Found:
    shop_id: int
    kind: str
    filename: str
    data: bytes


def _unheld(db: peewee.Database) -> list[tuple[int, str, str]]:
    rows = db.execute_sql(UNHELD).fetchall()  # type: ignore[no-untyped-call]
    return [(int(r[0]), str(r[1]), str(r[2])) for r in rows]


def _files_for(wanted: list[tuple[int, str, str]], root: Path) -> Iterator[_Found]:
    """The files under ``root`` that hold what the rows name, each checked against
    its name (a damaged or foreign file is left out)."""
    from shopdesk.media import MAX_STORED_BYTES

    for shop_id, kind, filename in wanted:
        source = root / kind / filename
        if not valid_name(kind, filename) or not source.is_file():
            continue
        try:
            if source.stat().st_size > MAX_STORED_BYTES:
                continue
            data = source.read_bytes()
        except OSError:
            continue
        if hashlib.sha256(data).hexdigest() == filename.split(".", 1)[0]:
            yield _Found(shop_id, kind, filename, data)


def _insert(db: peewee.Database, found: list[_Found]) -> None:
    Media = store.models.Media
    moment = utcnow()
    for item in found:
        Media.insert(
            shop=item.shop_id,
            kind=item.kind,
            filename=item.filename,
            sha256=item.filename.split(".", 1)[0],
            size=len(item.data),
            data=item.data,
            added_at=moment,
        ).on_conflict_ignore().bind(db).as_rowcount().execute()


def adopt_files(db: peewee.Database | None = None, *, root: Path | None = None) -> int:
    """Take into the database the images its rows name but it does not hold, from
    the files under ``root`` (this data folder's ``media/``); returns how many came
    in. ``db``: another open database (a snapshot being moved onto a server), written
    in one transaction of its own; without it, the app's, in one ``transaction``."""
    target = db if db is not None else store.database.obj
    wanted = _unheld(target)  # on a server: those of the shop in scope (all: the opener)
    found = list(_files_for(wanted, Path(root or paths.media_dir()))) if wanted else []
    if not found:
        return 0
    if db is None:
        with store.transaction():
            _insert(target, found)
    else:
        with db.atomic():
            _insert(db, found)
    return len(found)


def adopt_on_open() -> None:
    """``adopt_files`` for the opener: a failure (a full disk, a read-only folder)
    must not keep the data shut; the next opening tries again."""
    try:
        with store.all_shops():  # the opener takes in every shop's images
            came = adopt_files()
    except ShopDeskError as exc:
        log.warning("photos of this PC not taken into the database: %s", exc)
        return
    if came:
        log.info("%d photos and logos of this PC taken into the database", came)


def damaged(db: peewee.Database) -> list[str]:
    """Images of ``db`` whose bytes do not match their SHA-256 or their size (a
    copy's check before it commits)."""
    Media = store.models.Media
    query = Media.select(Media.id, Media.filename, Media.sha256, Media.size, Media.data)
    found = []
    for row in query.order_by(Media.id).bind(db).iterator():
        data = bytes(row.data)
        if len(data) != row.size or hashlib.sha256(data).hexdigest() != row.sha256:
            found.append(f"media {row.id} ({row.filename})")
    return found
