"""A shop's marketplace choices, made once and kept: templates, couriers, photo
address, the counter's buffer, and what each product needs beyond the catalog.

The seller's downloaded templates are copied into the database (``listing_template``):
they survive the USB stick they came from, travel in the shop's backup and are
never seen by another shop. Couriers, the base URL and the buffer are shop
settings; dangerous goods, pre-order days and category codes are per product
(``listing_detail``). Every function takes the seller's session first.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from peewee import ModelDelete

from shopdesk import audit, catalog, settings, stock, store
from shopdesk.clock import utcnow
from shopdesk.errors import NotFoundError, ValidationError
from shopdesk.export import sheets
from shopdesk.export.text import normalise_base_url
from shopdesk.i18n import _
from shopdesk.profiles import Session, require_seller
from shopdesk.store.models import ListingDetail, ListingTemplate

UPLOAD_TARGETS = ("shopee", "tokopedia")
BASE_URL_SETTING = "listing_base_url"
COURIERS_SETTING = "shopee_couriers"  # the channel keys written Aktif
BUFFER_SETTING = "marketplace_buffer"  # units kept back for the counter
MAX_TEMPLATE_BYTES = 20_000_000
MAX_PREORDER_DAYS = 90
MAX_BUFFER = 9999
TARGET_NAMES = {"shopee": "Shopee", "tokopedia": "Tokopedia / TikTok Shop"}


@dataclass(frozen=True)
class SavedTemplate:
    kind: str
    filename: str
    data: bytes
    sha256: str


@dataclass(frozen=True)
class Courier:
    key: str  # the template's column key, e.g. channel_id.8003
    name: str  # its header, e.g. Reguler (Cashless)
    active: bool


@dataclass(frozen=True)
class Category:
    code: str
    name: str


@dataclass(frozen=True)
class TemplateInfo:
    """What the seller's template asks for, read from the file itself."""

    target: str
    filename: str
    sheet: str
    first_row: int
    weight_unit: str
    couriers: tuple[Courier, ...]
    categories: tuple[Category, ...]


@dataclass(frozen=True)
class ProductDetail:
    product_id: int
    dangerous: bool = False
    preorder_days: int = 0
    shopee_category: str = ""
    tokopedia_category: str = ""

    def code(self, target: str) -> str:
        return self.shopee_category if target == "shopee" else self.tokopedia_category


def _target(target: str) -> str:
    name = target.strip().lower()
    name = "tokopedia" if name in ("tiktok", "tiktok-shop") else name
    if name not in UPLOAD_TARGETS:
        raise ValidationError(
            _("Unknown marketplace {name}. Choose from: {choices}.").format(
                name=target, choices=", ".join(UPLOAD_TARGETS)
            )
        )
    return name


# --- stored files -------------------------------------------------------------------


def read_file(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_TEMPLATE_BYTES:
            raise ValidationError(
                _("The file {path} is too large for a template ({mb} MB).").format(
                    path=path, mb=round(size / 1_000_000)
                )
            )
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise ValidationError(
            _("The template file {path} does not exist. Check the path.").format(path=path)
        ) from exc
    except IsADirectoryError as exc:
        raise ValidationError(
            _("{path} is a folder. Choose the .xlsx file itself.").format(path=path)
        ) from exc


@store.follows_session
def save_file(session: Session, *, kind: str, data: bytes, filename: str) -> SavedTemplate:
    """Keep a marketplace file for this shop (one per kind; a new one replaces it)."""
    session = require_seller(session)
    digest = hashlib.sha256(data).hexdigest()
    with store.transaction():
        _delete(session, kind)
        ListingTemplate.create(
            shop=session.shop_id,
            kind=kind,
            filename=filename,
            data=data,
            sha256=digest,
            added_at=utcnow(),
        )
        audit.record(
            "marketplace.file",
            actor=session.actor,
            shop_id=session.shop_id,
            kind=kind,
            filename=filename,
            sha256=digest,
        )
    return SavedTemplate(kind, filename, data, digest)


@store.follows_session
def _delete(session: Session, kind: str) -> int:
    # What ListingTemplate.delete() builds; types-peewee's delete() is refused on a class.
    where = (ListingTemplate.shop == session.shop_id) & (ListingTemplate.kind == kind)
    return int(ModelDelete(ListingTemplate).where(where).execute())


@store.follows_session
def saved_file(session: Session, kind: str) -> SavedTemplate | None:
    session = require_seller(session)
    row = ListingTemplate.get_or_none(
        (ListingTemplate.shop == session.shop_id) & (ListingTemplate.kind == kind)
    )
    if row is None:
        return None
    return SavedTemplate(row.kind, row.filename, bytes(row.data), row.sha256)


@store.follows_session
def forget_file(session: Session, kind: str) -> bool:
    session = require_seller(session)
    with store.transaction():
        gone = _delete(session, kind)
        if gone:
            audit.record(
                "marketplace.file_removed", actor=session.actor, shop_id=session.shop_id, kind=kind
            )
    return bool(gone)


@store.follows_session
def set_template(session: Session, *, target: str, path: Path) -> TemplateInfo:
    """Check the seller's downloaded upload template, then keep a copy of it."""
    session = require_seller(session)
    target = _target(target)
    path = Path(path)
    data = read_file(path)
    info = inspect(target, path, filename=path.name)  # refuses a wrong file first
    save_file(session, kind=target, data=data, filename=path.name)
    return _with_choices(session, info)


@store.follows_session
def template(session: Session, target: str) -> SavedTemplate | None:
    return saved_file(require_seller(session), _target(target))


@store.follows_session
def template_info(session: Session, target: str) -> TemplateInfo | None:
    saved = template(require_seller(session), target)
    if saved is None:
        return None
    return _with_choices(session, inspect(saved.kind, saved.data, filename=saved.filename))


def inspect(target: str, source: sheets.TemplateSource, *, filename: str = "") -> TemplateInfo:
    """Read a template's layout, couriers and category list (ValidationError if it is
    not a template of that marketplace)."""
    kind = TARGET_NAMES[target]
    wb = sheets.open_template(source, kind)
    if target == "shopee":
        layout = sheets.shopee_layout(wb, source)
    else:
        layout = sheets.tokopedia_layout(wb, source)
    couriers = tuple(Courier(k, n, False) for k, n in layout.channels.items())
    return TemplateInfo(
        target,
        filename or sheets.template_name(source),
        layout.sheet,
        layout.first_row,
        layout.weight_unit,
        couriers,
        tuple(_categories(wb, layout.sheet)),
    )


_CODE = re.compile(r"^\d{1,12}$")


def _categories(wb: object, data_sheet: str) -> list[Category]:
    """A category list carried by the template: a sheet named like "Kategori" or
    "Category" whose rows hold a numeric code and names (joined with ">")."""
    found: dict[str, Category] = {}
    for ws in getattr(wb, "worksheets", []):
        title = ws.title.lower()
        if ws.title == data_sheet or not ("kategori" in title or "categor" in title):
            continue
        for row in ws.iter_rows(values_only=True):
            cells = [str(v).strip() for v in row if v not in (None, "")]
            codes = [c for c in cells if _CODE.match(c)]
            names = [c for c in cells if not _CODE.match(c)]
            if codes and names and codes[0] not in found:
                found[codes[0]] = Category(codes[0], " > ".join(names))
    return sorted(found.values(), key=lambda c: c.name.lower())


def search_categories(info: TemplateInfo, text: str, *, limit: int = 50) -> list[Category]:
    """Categories whose name or code holds every word typed."""
    words = text.lower().split()
    hits = [c for c in info.categories if all(w in f"{c.code} {c.name}".lower() for w in words)]
    return hits[:limit]


# --- couriers ----------------------------------------------------------------------


@store.follows_session
def _with_choices(session: Session, info: TemplateInfo) -> TemplateInfo:
    chosen = set(couriers(session))
    marked = tuple(Courier(c.key, c.name, c.key in chosen) for c in info.couriers)
    return TemplateInfo(
        info.target,
        info.filename,
        info.sheet,
        info.first_row,
        info.weight_unit,
        marked,
        info.categories,
    )


@store.follows_session
def couriers(session: Session) -> list[str]:
    """The Shopee courier keys this shop writes Aktif."""
    stored = settings.get(require_seller(session), COURIERS_SETTING) or []
    return [str(k) for k in stored]


@store.follows_session
def set_couriers(session: Session, *, chosen: Sequence[str]) -> list[Courier]:
    """Choose the active couriers by key or by name, from the saved Shopee template."""
    info = template_info(session, "shopee")
    if info is None:
        raise NotFoundError(_("Choose your Shopee template first: the couriers are its columns."))
    by_name = {c.name.lower(): c.key for c in info.couriers}
    keys = {c.key for c in info.couriers}
    picked: list[str] = []
    for raw in chosen:
        text = raw.strip()
        key = text if text in keys else by_name.get(text.lower())
        if key is None:
            raise ValidationError(
                _("Your Shopee template has no courier {name}. It has: {names}.").format(
                    name=text, names=", ".join(c.name for c in info.couriers)
                )
            )
        if key not in picked:
            picked.append(key)
    if info.couriers and not picked:
        raise ValidationError(
            _("Choose at least one courier: Shopee refuses products without one.")
        )
    settings.put(session, COURIERS_SETTING, picked)
    return list(_with_choices(session, info).couriers)


# --- photo address and buffer ------------------------------------------------------------


@store.follows_session
def base_url(session: Session) -> str:
    return str(settings.get(require_seller(session), BASE_URL_SETTING) or "")


@store.follows_session
def set_base_url(session: Session, url: str) -> str:
    """The public address where the bundle's photos will be online ('' to clear)."""
    session = require_seller(session)
    clean = normalise_base_url(url) if url.strip() else ""
    settings.put(session, BASE_URL_SETTING, clean)
    return clean


@store.follows_session
def buffer(session: Session) -> int:
    return int(settings.get(require_seller(session), BUFFER_SETTING) or 0)


@store.follows_session
def expired_units(session: Session) -> dict[str, int]:
    """Units per SKU (casefolded) in batches past their expiry date (the shop's today):
    never offered online, neither in a bundle nor in a mass update."""
    units: dict[str, int] = {}
    for batch in stock.expired(session):
        key = batch.sku.casefold()
        units[key] = units.get(key, 0) + max(batch.on_hand, 0)
    return units


def offered(on_hand: int, expired: int, keep: int) -> int:
    """What a marketplace may sell: on hand less expired units and the counter's
    buffer, never below 0."""
    return max(on_hand - expired - keep, 0)


@store.follows_session
def set_buffer(session: Session, units: int | str) -> int:
    """Units of each variant kept back for the counter: the bundle and the mass-update
    files offer that many fewer."""
    session = require_seller(session)
    text = str(units).strip()
    if not text.isdigit() or int(text) > MAX_BUFFER:
        raise ValidationError(
            _("The buffer is a whole number of units from 0 to {max}.").format(max=MAX_BUFFER)
        )
    settings.put(session, BUFFER_SETTING, int(text))
    return int(text)


# --- per product ------------------------------------------------------------------------


@store.follows_session
def details(session: Session) -> dict[int, ProductDetail]:
    session = require_seller(session)
    query = ListingDetail.select().where(ListingDetail.shop == session.shop_id)
    return {
        r.product_id: ProductDetail(
            r.product_id, r.dangerous, r.preorder_days, r.shopee_category, r.tokopedia_category
        )
        for r in query
    }


@store.follows_session
def detail(session: Session, product_id: int) -> ProductDetail:
    return details(session).get(product_id, ProductDetail(product_id))


def check_category_code(text: str) -> str:
    code = text.strip()
    if code and not _CODE.match(code):
        raise ValidationError(_("A category code is a number, like 100636."))
    return code


def check_preorder(days: int | str) -> int:
    text = str(days).strip() or "0"
    if not text.isdigit() or (int(text) and not 3 <= int(text) <= MAX_PREORDER_DAYS):
        raise ValidationError(
            _("Pre-order days are 0 (ready stock) or 3 to {max}.").format(max=MAX_PREORDER_DAYS)
        )
    return int(text)


@store.follows_session
def set_detail(
    session: Session,
    *,
    product_id: int,
    dangerous: bool | None = None,
    preorder_days: int | str | None = None,
    shopee_category: str | None = None,
    tokopedia_category: str | None = None,
) -> ProductDetail:
    """Change what is given (None keeps it); the product then waits for export again."""
    session = require_seller(session)
    catalog.get_product(session, product_id)  # NotFoundError outside the shop
    old = detail(session, product_id)
    new = ProductDetail(
        product_id,
        old.dangerous if dangerous is None else bool(dangerous),
        old.preorder_days if preorder_days is None else check_preorder(preorder_days),
        old.shopee_category if shopee_category is None else check_category_code(shopee_category),
        old.tokopedia_category
        if tokopedia_category is None
        else check_category_code(tokopedia_category),
    )
    if new == old:
        return old
    fields = {
        "dangerous": new.dangerous,
        "preorder_days": new.preorder_days,
        "shopee_category": new.shopee_category,
        "tokopedia_category": new.tokopedia_category,
    }
    with store.transaction():
        updated = (
            ListingDetail.update(**fields)
            .where((ListingDetail.shop == session.shop_id) & (ListingDetail.product == product_id))
            .execute()
        )
        if not updated:
            ListingDetail.create(shop=session.shop_id, product=product_id, **fields)
        catalog.mark_listing_changed(session, [product_id])
        audit.record(
            "marketplace.detail",
            actor=session.actor,
            shop_id=session.shop_id,
            product_id=product_id,
            **fields,
        )
    return new
