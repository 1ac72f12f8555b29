"""Writing variants: add one to a product with options, change one (price,
cost, SKU, barcode, options, archived). Each service is one
``store.transaction()`` with its audit row; the product's listing is marked."""

from __future__ import annotations

from collections.abc import Mapping

from shopdesk import audit, store
from shopdesk.catalog.checks import check_barcode_free, check_options, check_variant_fields
from shopdesk.catalog.reads import get_variant
from shopdesk.catalog.rows import product_row, touch_product, variant_row
from shopdesk.catalog.skus import SkuAllocator
from shopdesk.catalog.types import VariantInfo, parent_sku
from shopdesk.clock import utcnow
from shopdesk.codes import sku_prefix
from shopdesk.errors import ValidationError
from shopdesk.i18n import _
from shopdesk.profiles import Session, require_seller
from shopdesk.store.models import Product, Variant


@store.follows_session
def add_variant(
    session: Session,
    *,
    product_id: int,
    option1_value: str = "",
    option2_value: str = "",
    sku: str | None = None,
    price: int | str | None = None,
    cost: int | str | None = None,
    barcode: str = "",
    low_stock: int = 0,
) -> VariantInfo:
    """Add a variant to a product that has option names; price and cost default
    to the first variant's."""
    session = require_seller(session)
    with store.transaction():
        row = product_row(session, product_id)
        if not row.option1_name:
            raise ValidationError(
                _(
                    "“{name}” has no options yet. Give it an option name first "
                    "(like Rasa or Ukuran), then add variants."
                ).format(name=row.name)
            )
        first = Variant.select().where(Variant.product == row.id).order_by(Variant.position).first()
        spec = check_variant_fields(
            {
                "option1_value": option1_value,
                "option2_value": option2_value,
                "sku": sku,
                "price": price if price not in (None, "") else (first.price if first else 0),
                "cost": cost if cost not in (None, "") else (first.cost if first else 0),
                "barcode": barcode,
                "low_stock": low_stock,
            }
        )
        existing = Variant.select().where(
            (Variant.product == row.id) & (Variant.archived == False)  # noqa: E712
        )
        combos = [(v.option1_value, v.option2_value) for v in existing]
        combos.append((str(spec["option1_value"]), str(spec["option2_value"])))
        check_options(row.option1_name, row.option2_name, combos, strict=False)
        check_options(row.option1_name, row.option2_name, combos[-1:], strict=True)
        skus = SkuAllocator(session.shop_id)
        if spec["sku"]:
            new_sku = skus.claim(str(spec["sku"]))
        else:
            base = parent_sku([v.sku for v in Variant.select().where(Variant.product == row.id)])
            base = base or skus.next(sku_prefix(row.name))
            new_sku = skus.unique_child(
                base, (str(spec["option1_value"]), str(spec["option2_value"]))
            )
        check_barcode_free(session.shop_id, str(spec["barcode"]))
        last = Variant.select().where(Variant.product == row.id).count()
        Variant.insert(
            shop=session.shop_id,
            product=row.id,
            sku=new_sku,
            option1_value=spec["option1_value"],
            option2_value=spec["option2_value"],
            price=spec["price"],
            cost=spec["cost"],
            barcode=spec["barcode"],
            low_stock=spec["low_stock"],
            position=last,
            updated_at=utcnow(),
        ).execute()
        touch_product(session, row.id)
        audit.record(
            "variant.create",
            actor=session.actor,
            shop_id=session.shop_id,
            product_id=row.id,
            sku=new_sku,
            price=spec["price"],
        )
    return get_variant(session, new_sku)


@store.follows_session
def update_variant(session: Session, sku: str, /, **fields: object) -> VariantInfo:
    """Change variant fields (see ``VARIANT_FIELDS``; ``sku=`` or ``new_sku=``
    renames); price and cost changes are audited with old and new values."""
    session = require_seller(session)
    if "new_sku" in fields:
        fields["sku"] = fields.pop("new_sku")
    values = check_variant_fields(fields)
    if "sku" in values and not values["sku"]:
        raise ValidationError(_("The SKU is empty. Leave it out to keep the current one."))
    with store.transaction():
        row = variant_row(session, sku)
        changes = apply_variant_changes(session, row, values)
        if changes:
            audit.record(
                "variant.update",
                actor=session.actor,
                shop_id=session.shop_id,
                product_id=row.product_id,
                sku=row.sku,
                changes=changes,
            )
            for key in ("price", "cost"):
                if key in changes:
                    audit.record(
                        f"variant.{key}",
                        actor=session.actor,
                        shop_id=session.shop_id,
                        sku=values.get("sku") or row.sku,
                        old=changes[key][0],
                        new=changes[key][1],
                    )
    return get_variant(session, str(values.get("sku") or row.sku))


@store.follows_session
def apply_variant_changes(
    session: Session,
    row: Variant,
    values: Mapping[str, object],
    *,
    skus: SkuAllocator | None = None,
) -> dict[str, list[object]]:
    """Write checked variant values that differ; {field: [old, new]}. Inside a transaction."""
    updates = {k: v for k, v in values.items() if getattr(row, k) != v}
    if "archived" in updates and bool(row.archived) == updates["archived"]:
        del updates["archived"]
    if not updates:
        return {}
    if "sku" in updates:
        (skus or SkuAllocator(session.shop_id)).claim(str(updates["sku"]))
    if "barcode" in updates:
        check_barcode_free(session.shop_id, str(updates["barcode"]), except_id=row.id)
    if {"option1_value", "option2_value", "archived"} & set(updates):
        product = Product.get_by_id(row.product_id)
        others = Variant.select().where(
            (Variant.product == row.product_id)
            & (Variant.archived == False)  # noqa: E712
            & (Variant.id != row.id)
        )
        combos = [(v.option1_value, v.option2_value) for v in others]
        if not values.get("archived", row.archived):
            combos.append(
                (
                    str(values.get("option1_value", row.option1_value)),
                    str(values.get("option2_value", row.option2_value)),
                )
            )
        check_options(product.option1_name, product.option2_name, combos, strict=False)
    Variant.update(updated_at=utcnow(), **updates).where(Variant.id == row.id).execute()
    touch_product(session, row.product_id)
    return {k: [getattr(row, k), v] for k, v in updates.items()}
