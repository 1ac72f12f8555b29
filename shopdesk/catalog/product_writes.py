"""Writing products: create (``insert_product`` is also the importer's), change,
archive, delete.

Each service is one ``store.transaction()`` with its audit row, and marks the
product's listing as waiting for every export target (``mark_listing_changed``)
in the same transaction. A product with history is archived, never deleted.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping, Sequence

from peewee import ModelDelete

from shopdesk import audit, store
from shopdesk.catalog.categories import CategoryCache, category_names
from shopdesk.catalog.checks import (
    check_barcode_free,
    check_options,
    check_product_fields,
    check_variant_fields,
)
from shopdesk.catalog.outbox import mark_listing_changed
from shopdesk.catalog.reads import get_product, has_history
from shopdesk.catalog.rows import product_row
from shopdesk.catalog.skus import SkuAllocator
from shopdesk.catalog.types import ProductInfo
from shopdesk.clock import utcnow
from shopdesk.codes import sku_prefix
from shopdesk.errors import ValidationError
from shopdesk.i18n import _
from shopdesk.profiles import Session, require_seller
from shopdesk.store.models import ListingState, Photo, Product, Variant

_PRODUCT_COLUMNS = (
    "name", "unit", "description", "weight_g", "length_cm", "width_cm", "height_cm",
    "is_food", "netto", "composition", "storage", "shelf_life_days", "pirt_number", "halal",
    "option1_name", "option2_name", "listing_url",
)  # fmt: skip
_columns = operator.itemgetter(*_PRODUCT_COLUMNS)  # a product's values in column order
_PRODUCT_DEFAULTS: dict[str, object] = {
    "unit": "pcs", "description": "", "weight_g": 0, "length_cm": 0, "width_cm": 0,
    "height_cm": 0, "netto": "", "composition": "", "storage": "", "shelf_life_days": 0,
    "pirt_number": "", "halal": False, "option1_name": "", "option2_name": "",
    "listing_url": "",
}  # fmt: skip


@store.follows_session
def insert_product(
    session: Session,
    *,
    product: Mapping[str, object],
    variants: Sequence[Mapping[str, object]],
    categories: CategoryCache,
    skus: SkuAllocator,
    check_barcodes: bool = True,
) -> tuple[int, list[int]]:
    """Insert one checked product with its checked variants; returns (id, variant ids).

    No transaction or audit of its own: ``create_product`` wraps it. See
    ``insert_products``.
    """
    return insert_products(
        session,
        [(product, variants)],
        categories=categories,
        skus=skus,
        check_barcodes=check_barcodes,
    )[0]


NewProduct = tuple[Mapping[str, object], Sequence[Mapping[str, object]]]


@store.follows_session
def insert_products(
    session: Session,
    products: Sequence[NewProduct],
    *,
    categories: CategoryCache,
    skus: SkuAllocator,
    check_barcodes: bool = True,
) -> list[tuple[int, list[int]]]:
    """Insert checked products, each with its checked variants; returns (id, variant ids) each.

    No transaction or audit of its own: ``create_product`` and the importer
    wrap it. Each product holds checked values (``category`` as a name);
    each variant holds checked values with ``sku`` None for a generated one.
    ``check_barcodes=False`` when the caller has checked them for the whole
    batch (the importer). Two batched INSERTs (plain SQL, executemany): an
    import runs this for 10,000 rows and single-row statements cost more
    than the work. Ids are taken from the engine first (``store.new_ids``,
    inside the caller's write transaction), so the batch knows them.
    """
    now = str(utcnow())
    product_ids = iter(store.new_ids("product", len(products)))
    variant_ids_left = iter(store.new_ids("variant", sum(len(v) for _p, v in products)))
    product_rows: list[tuple[object, ...]] = []
    variant_rows: list[tuple[object, ...]] = []
    barcodes: set[str] = set()
    made: list[tuple[int, list[int]]] = []
    for product, variants in products:
        product_id = next(product_ids)
        values, category_id = _product_values(product, variants, categories, skus)
        product_rows.append(
            (product_id, session.shop_id, category_id, now, now, *map(db_value, _columns(values)))
        )
        base: str | None = None
        variant_ids: list[int] = []
        for position, spec in enumerate(variants):
            variant_id = next(variant_ids_left)
            sku = spec.get("sku")
            if not sku:
                if base is None:
                    base = skus.next(sku_prefix(str(product.get("category") or values["name"])))
                opts = (str(spec["option1_value"]), str(spec["option2_value"]))
                sku = base if not any(opts) else skus.unique_child(base, opts)
                skus.taken.add(str(sku))
            barcode = str(spec.get("barcode") or "")
            if check_barcodes:
                check_barcode_free(session.shop_id, barcode)
                _check_barcode_new(barcode, barcodes)
            variant_rows.append(
                (variant_id, session.shop_id, product_id, sku, spec["option1_value"],
                 spec["option2_value"], spec["price"], spec.get("cost", 0), barcode,
                 spec.get("low_stock", 0), position, now)
            )  # fmt: skip
            variant_ids.append(variant_id)
        made.append((product_id, variant_ids))
    store.execute_many(
        f"INSERT INTO product (id, shop_id, category_id, created_at, updated_at, "
        f"{', '.join(_PRODUCT_COLUMNS)}) VALUES ({', '.join('?' * (5 + len(_PRODUCT_COLUMNS)))})",
        product_rows,
    )
    store.execute_many(
        "INSERT INTO variant (id, shop_id, product_id, sku, option1_value, option2_value, "
        "price, cost, barcode, low_stock, position, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        variant_rows,
    )
    return made


def _product_values(
    product: Mapping[str, object],
    variants: Sequence[Mapping[str, object]],
    categories: CategoryCache,
    skus: SkuAllocator,
) -> tuple[dict[str, object], int | None]:
    """The product's column values and category id, its options checked, given SKUs claimed."""
    values = {**_PRODUCT_DEFAULTS, **{k: v for k, v in product.items() if k != "category"}}
    if "is_food" not in values:
        values["is_food"] = bool(
            values.get("shelf_life_days") or values.get("composition") or values.get("pirt_number")
        )
    category_id = categories.id_for(str(product.get("category") or ""))
    o1, o2 = str(values["option1_name"]), str(values["option2_name"])
    if not variants:
        raise ValidationError(_("A product needs at least one variant."))
    check_options(
        o1, o2, [(str(v["option1_value"]), str(v["option2_value"])) for v in variants], strict=True
    )
    for spec in variants:
        if spec.get("sku"):
            skus.claim(str(spec["sku"]))
    return values, category_id


def _check_barcode_new(barcode: str, seen: set[str]) -> None:
    """A barcode given twice in one batch, as ``check_barcode_free`` would find it row by row."""
    if not barcode:
        return
    if barcode in seen:
        raise ValidationError(
            _("The barcode {code} is already on another product in this shop.").format(code=barcode)
        )
    seen.add(barcode)


def db_value(value: object) -> object:
    return int(value) if isinstance(value, bool) else value


def _variant_specs(
    *,
    price: object,
    cost: object,
    sku: str | None,
    barcode: str,
    low_stock: object,
    variants: list[Mapping[str, object]] | None,
) -> list[dict[str, object]]:
    default = check_variant_fields(
        {"price": price, "cost": cost, "sku": sku, "barcode": barcode, "low_stock": low_stock}
    )
    if not variants:
        return [{**default, "option1_value": "", "option2_value": ""}]
    specs = []
    barcodes: set[str] = set()
    for given in variants:
        fields = {"option1_value": "", "option2_value": "", **given}
        fields.setdefault("price", default["price"])
        fields.setdefault("cost", default["cost"])
        fields.setdefault("low_stock", default["low_stock"])
        spec = check_variant_fields(fields)
        if spec.get("barcode"):
            if spec["barcode"] in barcodes:
                raise ValidationError(
                    _("The barcode {code} is given to two variants.").format(code=spec["barcode"])
                )
            barcodes.add(str(spec["barcode"]))
        specs.append(spec)
    return specs


@store.follows_session
def create_product(
    session: Session,
    *,
    name: str,
    price: int | str,
    category: str = "",
    unit: str = "pcs",
    cost: int | str = 0,
    sku: str | None = None,
    barcode: str = "",
    low_stock: int = 0,
    option1_name: str = "",
    option2_name: str = "",
    variants: list[Mapping[str, object]] | None = None,
    description: str = "",
    weight_g: int | str = 0,
    length_cm: int | str = 0,
    width_cm: int | str = 0,
    height_cm: int | str = 0,
    is_food: bool | str | None = None,
    netto: str = "",
    composition: str = "",
    storage: str = "",
    shelf_life_days: int | str = 0,
    pirt_number: str = "",
    halal: bool | str = False,
    listing_url: str = "",
) -> ProductInfo:
    """Create a product with its variants (one default variant without options).

    ``variants``: dicts with ``option1_value``, ``option2_value`` and optional
    ``sku``, ``price``, ``cost``, ``barcode``, ``low_stock`` (the product's
    ``price``/``cost``/``low_stock`` are the defaults). Missing SKUs are made
    from the category (``KOPI-0001``, ``KRPK-0002-BAL``).
    """
    session = require_seller(session)
    fields: dict[str, object] = {
        "name": name,
        "category": category,
        "unit": unit,
        "description": description,
        "weight_g": weight_g,
        "length_cm": length_cm,
        "width_cm": width_cm,
        "height_cm": height_cm,
        "netto": netto,
        "composition": composition,
        "storage": storage,
        "shelf_life_days": shelf_life_days,
        "pirt_number": pirt_number,
        "halal": halal,
        "option1_name": option1_name,
        "option2_name": option2_name,
        "listing_url": listing_url,
    }
    if is_food is not None:
        fields["is_food"] = is_food
    values = check_product_fields(fields)
    if variants and not values["option1_name"]:
        raise ValidationError(_("Name the option of the variants first (like Rasa or Ukuran)."))
    specs = _variant_specs(
        price=price, cost=cost, sku=sku, barcode=barcode, low_stock=low_stock, variants=variants
    )
    with store.transaction():
        product_id, _ids = insert_product(
            session,
            product=values,
            variants=specs,
            categories=CategoryCache(session.shop_id),
            skus=SkuAllocator(session.shop_id),
        )
        mark_listing_changed(session, [product_id])
        info = get_product(session, product_id)
        audit.record(
            "product.create",
            actor=session.actor,
            shop_id=session.shop_id,
            product_id=product_id,
            skus=[v.sku for v in info.variants],
        )
    return info


@store.follows_session
def update_product(session: Session, product_id: int, /, **fields: object) -> ProductInfo:
    """Change product fields (see ``PRODUCT_FIELDS``); audited, listing marked."""
    session = require_seller(session)
    values = check_product_fields(fields)
    with store.transaction():
        row = product_row(session, product_id)
        changes = apply_product_changes(session, row, values)
        if changes:
            audit.record(
                "product.update",
                actor=session.actor,
                shop_id=session.shop_id,
                product_id=row.id,
                changes=changes,
            )
    return get_product(session, row.id)


@store.follows_session
def apply_product_changes(
    session: Session,
    row: Product,
    values: Mapping[str, object],
    *,
    categories: CategoryCache | None = None,
) -> dict[str, list[object]]:
    """Write the fields that differ; returns {field: [old, new]}. Inside a transaction."""
    updates: dict[str, object] = {}
    changes: dict[str, list[object]] = {}
    if "category" in values:
        categories = categories or CategoryCache(session.shop_id)
        new_id = categories.id_for(str(values["category"]))
        if new_id != row.category_id:
            names = category_names(session.shop_id)
            changes["category"] = [names.get(row.category_id, ""), values["category"]]
            updates["category"] = new_id
    for key, value in values.items():
        if key == "category":
            continue
        old = getattr(row, key)
        if isinstance(value, bool):
            old = bool(old)
        if old != value:
            updates[key] = value
            changes[key] = [old, value]
    if not updates:
        return {}
    if "option1_name" in updates or "option2_name" in updates:
        active = Variant.select().where(
            (Variant.product == row.id) & (Variant.archived == False)  # noqa: E712
        )
        o1 = str(values.get("option1_name", row.option1_name))
        o2 = str(values.get("option2_name", row.option2_name))
        combos = [(v.option1_value, v.option2_value) for v in active]
        if not o1 and len(combos) > 1:
            raise ValidationError(
                _("This product has several variants, so it needs an option name.")
            )
        check_options(o1, o2, combos, strict=False)
    Product.update(updated_at=utcnow(), **updates).where(Product.id == row.id).execute()
    mark_listing_changed(session, [row.id])
    return changes


@store.follows_session
def archive_product(session: Session, product_id: int, *, archived: bool = True) -> ProductInfo:
    """Hide a product from lists, search and listings; its history stays."""
    session = require_seller(session)
    with store.transaction():
        row = product_row(session, product_id)
        if bool(row.archived) != archived:
            Product.update(archived=archived, updated_at=utcnow()).where(
                Product.id == row.id
            ).execute()
            mark_listing_changed(session, [row.id])
            audit.record(
                "product.archive" if archived else "product.unarchive",
                actor=session.actor,
                shop_id=session.shop_id,
                product_id=row.id,
            )
    return get_product(session, row.id)


@store.follows_session
def delete_product(session: Session, product_id: int) -> None:
    """Delete a product entered by mistake; one with any history is refused (archive it)."""
    session = require_seller(session)
    with store.transaction():
        row = product_row(session, product_id)
        if has_history(session, row.id):
            raise ValidationError(
                _(
                    "“{name}” has stock or sales history, so it cannot be deleted. "
                    "Archive it instead."
                ).format(name=row.name)
            )
        skus = [v.sku for v in Variant.select().where(Variant.product == row.id)]
        # What Model.delete() builds; types-peewee's delete() is refused by mypy on a class.
        ModelDelete(ListingState).where(ListingState.product == row.id).execute()
        ModelDelete(Photo).where(Photo.product == row.id).execute()
        ModelDelete(Variant).where(Variant.product == row.id).execute()
        ModelDelete(Product).where(Product.id == row.id).execute()
        audit.record(
            "product.delete",
            actor=session.actor,
            shop_id=session.shop_id,
            product_id=row.id,
            name=row.name,
            skus=skus,
        )
