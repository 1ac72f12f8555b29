"""Reading the catalog: products with their variants and photos, one variant by
SKU or by a scanned code, and whether a product has any history."""

from __future__ import annotations

from peewee import Alias, ModelSelect

from shopdesk import stock, store
from shopdesk.catalog.categories import category_names
from shopdesk.catalog.photos import photos_by_product
from shopdesk.catalog.rows import product_row, variant_row
from shopdesk.catalog.types import ProductInfo, VariantInfo, display_name
from shopdesk.profiles import Session, require_seller
from shopdesk.store.models import (
    Batch,
    Category,
    Movement,
    Product,
    SaleLine,
    StockCountLine,
    Variant,
)

_ON_HAND = "stock_on_hand"


def variants_with_on_hand() -> ModelSelect[Variant]:
    """Variants with their on-hand figure (the sum of their lots) in the same
    query, one pass; read it with ``on_hand_of``."""
    return Variant.select(Variant, Alias(stock.VARIANT_ON_HAND, _ON_HAND))


def on_hand_of(v: Variant) -> int:
    """The figure ``variants_with_on_hand`` read with ``v`` (a column alias,
    so the model does not declare it)."""
    figure: int = getattr(v, _ON_HAND)
    return figure


def _variant_info(v: Variant, p: Product, category: str, on_hand: int) -> VariantInfo:
    return VariantInfo(
        id=v.id,
        product_id=p.id,
        sku=v.sku,
        product_name=p.name,
        option1_value=v.option1_value,
        option2_value=v.option2_value,
        name=display_name(p.name, v.option1_value, v.option2_value),
        price=v.price,
        cost=v.cost,
        barcode=v.barcode,
        on_hand=on_hand,
        low_stock=v.low_stock,
        unit=p.unit,
        shelf_life_days=p.shelf_life_days,
        archived=bool(v.archived or p.archived),
        position=v.position,
        category=category,
    )


def _product_infos(shop_id: int, products: list[Product]) -> list[ProductInfo]:
    if not products:
        return []
    ids = [p.id for p in products]
    categories = category_names(shop_id)
    by_id = {p.id: p for p in products}
    variants: dict[int, list[VariantInfo]] = {pid: [] for pid in ids}
    for chunk in store.chunks(ids, 500):
        query = (
            variants_with_on_hand()
            .where((Variant.shop == shop_id) & Variant.product.in_(chunk))
            .order_by(Variant.product, Variant.position, Variant.id)
        )
        for v in query:
            p = by_id[v.product_id]
            category = categories.get(p.category_id, "")
            variants[p.id].append(_variant_info(v, p, category, on_hand_of(v)))
    photos = photos_by_product(shop_id, ids)
    return [
        ProductInfo(
            id=p.id,
            name=p.name,
            category=categories.get(p.category_id, ""),
            unit=p.unit,
            description=p.description,
            weight_g=p.weight_g,
            length_cm=p.length_cm,
            width_cm=p.width_cm,
            height_cm=p.height_cm,
            is_food=bool(p.is_food),
            netto=p.netto,
            composition=p.composition,
            storage=p.storage,
            shelf_life_days=p.shelf_life_days,
            pirt_number=p.pirt_number,
            halal=bool(p.halal),
            option1_name=p.option1_name,
            option2_name=p.option2_name,
            listing_url=p.listing_url,
            archived=bool(p.archived),
            created_at=p.created_at,
            updated_at=p.updated_at,
            variants=tuple(variants[p.id]),
            photos=tuple(photos[p.id]),
        )
        for p in products
    ]


@store.follows_session
def get_product(session: Session, product_id: int) -> ProductInfo:
    """A product with its variants and photos; NotFoundError outside the shop."""
    session = require_seller(session)
    return _product_infos(session.shop_id, [product_row(session, product_id)])[0]


def _one_variant_info(shop_id: int, v: Variant) -> VariantInfo:
    p = Product.get_by_id(v.product_id)
    category = category_names(shop_id).get(p.category_id, "")
    return _variant_info(v, p, category, stock.variant_on_hand(v.id))


@store.follows_session
def get_variant(session: Session, sku: str) -> VariantInfo:
    session = require_seller(session)
    return _one_variant_info(session.shop_id, variant_row(session, sku))


@store.follows_session
def find_by_code(session: Session, code: str) -> VariantInfo | None:
    """What a scanner or a typed code points at: exact SKU first, then barcode."""
    session = require_seller(session)
    row = stock.variant_by_code(session, code)
    return None if row is None else _one_variant_info(session.shop_id, row)


@store.follows_session
def list_products(
    session: Session,
    *,
    include_archived: bool = False,
    category: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[ProductInfo]:
    """Products by name, each with variants and photos."""
    session = require_seller(session)
    query = Product.select().where(Product.shop == session.shop_id)
    if not include_archived:
        query = query.where(Product.archived == False)  # noqa: E712
    if category is not None:
        cat = Category.get_or_none((Category.shop == session.shop_id) & (Category.name == category))
        query = query.where(Product.category == (cat.id if cat else -1))
    query = query.order_by(Product.name, Product.id).offset(max(0, offset))
    if limit is not None:
        query = query.limit(max(0, limit))
    return _product_infos(session.shop_id, list(query))


@store.follows_session
def count_products(session: Session, *, include_archived: bool = False) -> int:
    session = require_seller(session)
    query = Product.select().where(Product.shop == session.shop_id)
    if not include_archived:
        query = query.where(Product.archived == False)  # noqa: E712
    return query.count()


@store.follows_session
def list_variants(
    session: Session, *, product_id: int | None = None, include_archived: bool = False
) -> list[VariantInfo]:
    session = require_seller(session)
    if product_id is not None:
        products = [product_row(session, product_id)]
    else:
        query = Product.select().where(Product.shop == session.shop_id)
        products = list(query.order_by(Product.name, Product.id))
    rows = [v for p in _product_infos(session.shop_id, products) for v in p.variants]
    return [v for v in rows if include_archived or not v.archived]


@store.follows_session
def has_history(session: Session, product_id: int) -> bool:
    """True when any variant was ever stocked, sold, counted or batched."""
    session = require_seller(session)
    row = product_row(session, product_id)
    ids = [v.id for v in Variant.select(Variant.id).where(Variant.product == row.id)]
    if not ids:
        return False
    return any(
        model.select().where(model.variant.in_(ids)).exists()
        for model in (Movement, SaleLine, Batch, StockCountLine)
    )
