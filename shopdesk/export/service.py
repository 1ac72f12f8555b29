"""Listing bundles for a logged-in seller: the catalog, the outbox, the record.

Everything here is scoped by ``session.shop_id``: the products come from
``catalog.list_products`` (one shop only), and the outbox (``ListingState``)
is read and written for that shop only. A product is marked exported for a
target only after its bundle was written and verified, and only if it did not
change again while the bundle was being made.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from shopdesk import audit, catalog, paths, profiles, settings, store
from shopdesk.clock import utcnow
from shopdesk.errors import NotFoundError, ValidationError
from shopdesk.export import marketplace
from shopdesk.export.bundle import (
    ExportOptions,
    ExportResult,
    Prepared,
    StageProgress,
    export_bundle,
    prepare,
)
from shopdesk.export.listing import ListingProduct, ListingVariant, ShopInfo
from shopdesk.export.validate import TARGETS
from shopdesk.i18n import _
from shopdesk.profiles import Session, require_seller
from shopdesk.store.models import Bundle, ListingState, Product

BASE_URL_SETTING = marketplace.BASE_URL_SETTING
CATEGORY_CODES_SETTING = "listing_category_codes"  # {target: {category name: code}}
CODE_TARGETS = ("shopee", "tokopedia")


@dataclass(frozen=True)
class WaitingCount:
    target: str
    waiting: int
    total: int


def photo_cache_dir() -> Path:
    return paths.cache_dir() / "photos"


@store.follows_session
def shop_for_listing(session: Session) -> ShopInfo:
    info = profiles.shop_info(require_seller(session))
    address = ", ".join(x for x in (info.address, info.village, info.district) if x)
    return ShopInfo(name=info.name, whatsapp=info.whatsapp, address=address, shop_id=info.id)


@store.follows_session
def category_codes(session: Session) -> dict[str, dict[str, str]]:
    """The marketplace category code the seller chose for each of their categories."""
    stored = settings.get(require_seller(session), CATEGORY_CODES_SETTING) or {}
    return {t: dict(stored.get(t, {})) for t in CODE_TARGETS}


@store.follows_session
def set_category_code(session: Session, *, target: str, category: str, code: str) -> None:
    """Remember e.g. Shopee's leaf category id for the seller's category "Kopi"."""
    session = require_seller(session)
    if target not in CODE_TARGETS:
        raise ValidationError(
            _("Category codes are for {choices} only.").format(choices=", ".join(CODE_TARGETS))
        )
    code = code.strip()
    if code and not code.isdigit():
        raise ValidationError(_("A category code is a number, like 100636."))
    names = {c.name for c in catalog.list_categories(session)}
    if category not in names:
        raise NotFoundError(_("There is no category {name} in your shop.").format(name=category))
    codes = category_codes(session)
    if code:
        codes[target][category] = code
    else:
        codes[target].pop(category, None)
    settings.put(session, CATEGORY_CODES_SETTING, codes)


def _codes(
    product: catalog.ProductInfo,
    by_category: dict[str, dict[str, str]],
    detail: marketplace.ProductDetail,
) -> dict[str, str]:
    """The product's own code per marketplace, else the one chosen for its category."""
    codes = {
        t: by_name[product.category]
        for t, by_name in by_category.items()
        if product.category in by_name
    }
    codes.update({t: detail.code(t) for t in CODE_TARGETS if detail.code(t)})
    return codes


@dataclass(frozen=True)
class _Offer:
    """What the shop offers online: expired units and the counter's buffer held back."""

    expired: dict[str, int]
    keep: int

    def stock(self, variant: catalog.VariantInfo) -> int:
        gone = self.expired.get(variant.sku.casefold(), 0)
        return marketplace.offered(variant.on_hand, gone, self.keep)


@store.follows_session
def _listing(
    session: Session,
    product: catalog.ProductInfo,
    offer: _Offer,
    codes: dict[str, dict[str, str]] | None = None,
    detail: marketplace.ProductDetail | None = None,
) -> ListingProduct:
    detail = detail or marketplace.ProductDetail(product.id)
    variants = product.active_variants
    return ListingProduct(
        product_id=product.id,
        sku=product.sku,
        name=product.name,
        variants=tuple(
            ListingVariant(
                sku=v.sku,
                price=v.price,
                stock=offer.stock(v),
                options=v.options if product.option_names else (),
                barcode=v.barcode,
            )
            for v in variants
        ),
        category=product.category,
        description=product.description,
        unit=product.unit,
        weight_g=product.weight_g,
        length_cm=product.length_cm,
        width_cm=product.width_cm,
        height_cm=product.height_cm,
        photos=catalog.photos.photo_files(session, product.photos),
        option_names=product.option_names,
        category_codes=_codes(product, codes or {}, detail),
        updated_at=product.updated_at,
        dangerous=detail.dangerous,
        preorder_days=detail.preorder_days,
    )


@store.follows_session
def listing_products(
    session: Session, *, product_ids: Iterable[int] | None = None
) -> list[ListingProduct]:
    """The seller's products (not archived) as listings; only ``product_ids`` if given."""
    session = require_seller(session)
    wanted = None if product_ids is None else set(product_ids)
    codes = category_codes(session)
    extra = marketplace.details(session)
    offer = _Offer(marketplace.expired_units(session), marketplace.buffer(session))
    return [
        _listing(session, p, offer, codes, extra.get(p.id))
        for p in catalog.list_products(session)
        if wanted is None or p.id in wanted
    ]


@store.follows_session
def waiting_ids(session: Session, targets: Sequence[str]) -> dict[str, frozenset[int]]:
    return {t: frozenset(catalog.waiting_products(session, target=t)) for t in targets}


@store.follows_session
def waiting_counts(session: Session) -> list[WaitingCount]:
    """How many listings wait for each target (products not archived)."""
    session = require_seller(session)
    active = set(_all_ids(session))
    never = set(active)
    counts = dict.fromkeys(TARGETS, 0)
    seen: dict[str, set[int]] = {t: set() for t in TARGETS}
    query = ListingState.select(
        ListingState.product, ListingState.target, ListingState.waiting
    ).where(ListingState.shop == session.shop_id)
    for row in query:
        if row.product_id in active and row.target in counts:
            seen[row.target].add(row.product_id)
            if row.waiting:
                counts[row.target] += 1
    # a product without any outbox row was never exported: it waits too
    return [WaitingCount(t, counts[t] + len(never - seen[t]), len(active)) for t in TARGETS]


@store.follows_session
def _options(session: Session, options: ExportOptions, changed_only: bool) -> ExportOptions:
    base_url = options.base_url or settings.get(session, BASE_URL_SETTING) or ""
    only = None
    if changed_only:
        waiting = waiting_ids(session, options.targets)
        exported = _exported_ids(session, options.targets)
        active = set(_all_ids(session))
        only = {t: frozenset(active - exported[t]) | waiting[t] for t in waiting}
    saved = {t: marketplace.template(session, t) for t in marketplace.UPLOAD_TARGETS}
    return replace(
        options,
        base_url=base_url,
        cache_dir=options.cache_dir or photo_cache_dir(),
        only=only,
        # the seller's template, chosen once, unless a file was given for this export
        shopee_template=options.shopee_template or _data(saved["shopee"]),
        tokopedia_template=options.tokopedia_template or _data(saved["tokopedia"]),
        shopee_channels=options.shopee_channels or frozenset(marketplace.couriers(session)),
    )


def _data(saved: marketplace.SavedTemplate | None) -> bytes | None:
    return saved.data if saved else None


@store.follows_session
def _all_ids(session: Session) -> list[int]:
    return [
        r.id
        for r in Product.select(Product.id).where(
            (Product.shop == session.shop_id) & (Product.archived == False)  # noqa: E712
        )
    ]


@store.follows_session
def _exported_ids(session: Session, targets: Sequence[str]) -> dict[str, set[int]]:
    """Products with an outbox row per target (so not new since the outbox began)."""
    result: dict[str, set[int]] = {t: set() for t in targets}
    query = ListingState.select(ListingState.product, ListingState.target).where(
        (ListingState.shop == session.shop_id) & ListingState.target.in_(list(targets))
    )
    for row in query:
        result[row.target].add(row.product_id)
    return result


@store.follows_session
def _products_for(session: Session, options: ExportOptions) -> list[ListingProduct]:
    """Every product: the site and PDF stay whole catalogs; ``options.only`` narrows the
    targets (photos of unchanged products come from the cache)."""
    return listing_products(session)


@store.follows_session
def check_export(
    session: Session, *, options: ExportOptions, changed_only: bool = False
) -> Prepared:
    """Validate without writing a bundle (photos are processed into the cache)."""
    session = require_seller(session)
    options = _options(session, options, changed_only)
    return prepare(_products_for(session, options), shop=shop_for_listing(session), options=options)


@store.follows_session
def export_for_seller(
    session: Session,
    *,
    out_dir: Path,
    options: ExportOptions,
    changed_only: bool = False,
    progress: StageProgress | None = None,
) -> ExportResult:
    """Write a verified bundle of the seller's listings, then update the outbox."""
    session = require_seller(session)
    started = utcnow()
    options = _options(session, options, changed_only)
    products = _products_for(session, options)
    result = export_bundle(
        products,
        shop=shop_for_listing(session),
        out_dir=Path(out_dir),
        options=options,
        progress=progress,
    )
    mark_exported(session, result=result, started=started)
    return result


@store.follows_session
def mark_exported(session: Session, *, result: ExportResult, started: datetime) -> None:
    """After a verified bundle: its products stop waiting for its targets.

    A product changed after ``started`` keeps waiting: the bundle has its old state.
    """
    session = require_seller(session)
    now = utcnow()
    targets = result.manifest.get("targets", {})
    with store.transaction():
        for target, info in targets.items():
            ids = [int(i) for i in info.get("product_ids", [])]
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                store.database.execute_sql(
                    "INSERT INTO listing_state (shop_id, product_id, target, waiting, changed_at,"
                    " exported_bundle, exported_at) "
                    "SELECT shop_id, id, ?, 0, ?, ?, ? FROM product "
                    f"WHERE shop_id = ? AND id IN ({marks}) "
                    "ON CONFLICT (product_id, target) DO UPDATE SET waiting = 0, "
                    "exported_bundle = excluded.exported_bundle, "
                    "exported_at = excluded.exported_at "
                    "WHERE listing_state.changed_at <= ?",
                    (target, started, result.bundle_id, now, session.shop_id, *chunk, started),
                )
        Bundle.create(
            shop=session.shop_id,
            bundle_id=result.bundle_id,
            path=str(result.path),
            targets=",".join(targets),
            product_count=result.manifest.get("product_count", 0),
            created_at=started,
            verified_at=now,
        )
        audit.record(
            "export.bundle",
            actor=session.actor,
            shop_id=session.shop_id,
            bundle_id=result.bundle_id,
            path=str(result.path),
            targets=sorted(targets),
            products=result.manifest.get("product_count", 0),
        )


@dataclass(frozen=True)
class BundleRecord:
    """A bundle written earlier, as the bundle list shows it."""

    bundle_id: str
    path: str
    targets: str
    product_count: int
    created_at: datetime


@store.follows_session
def recent_bundles(session: Session, *, limit: int = 20) -> list[BundleRecord]:
    session = require_seller(session)
    query = (
        Bundle.select()
        .where(Bundle.shop == session.shop_id)
        .order_by(Bundle.created_at.desc())
        .limit(limit)
    )
    return [
        BundleRecord(b.bundle_id, b.path, b.targets, b.product_count, b.created_at) for b in query
    ]
