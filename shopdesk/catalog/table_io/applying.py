"""Applying an import: a backup first, then one transaction for the whole plan."""

from __future__ import annotations

from pathlib import Path
from typing import TypedDict

from shopdesk import audit, backup, stock, store
from shopdesk.catalog.categories import CategoryCache
from shopdesk.catalog.outbox import mark_listing_changed
from shopdesk.catalog.product_writes import (
    apply_product_changes,
    db_value,
    insert_products,
)
from shopdesk.catalog.skus import SkuAllocator
from shopdesk.catalog.table_io.columns import CREATE, UPDATE
from shopdesk.catalog.table_io.planning import (
    KEPT,
    Group,
    ImportPreview,
    ImportResult,
    PlanRow,
    make_preview,
    plan,
    read_table,
)
from shopdesk.catalog.variant_writes import add_variant, apply_variant_changes
from shopdesk.clock import utcnow
from shopdesk.errors import ValidationError
from shopdesk.i18n import _
from shopdesk.profiles import Session, require_seller
from shopdesk.store.models import Product


def _backup_before_import() -> str:
    """A backup before every import (data-safety.md); returns its path."""
    return str(backup.backup_before("import").path)


@store.follows_session
def apply_import(
    session: Session, path: Path | str, *, skip_rejected: bool = False
) -> ImportResult:
    """Apply the import in one transaction, or nothing.

    Rejected rows stop the import unless ``skip_rejected``; then only the good
    rows are applied (the preview lists which).
    """
    session = require_seller(session)
    name = Path(path).name
    version = store.data_version()  # before the kept plan's check: no commit slips between
    kept = KEPT.take(session.shop_id, path)
    if kept is not None:
        table, rows, preview = kept  # the preview's plan: same file, no commit since
    else:
        table = read_table(path)
        rows = plan(session, table)  # before the backup: a rejected file costs none
        preview = make_preview(name, table, rows)
    if preview.rejected and not skip_rejected:
        raise _rejected_error(preview)
    backup_path = _backup_before_import() if _has_work(preview) else ""
    with store.transaction():
        if store.data_version() != version:  # another window wrote meanwhile: plan again
            rows = plan(session, table)
            preview = make_preview(name, table, rows)
            if preview.rejected and not skip_rejected:
                raise _rejected_error(preview)
        # The new variants' search rows in one statement, not one trigger run each.
        with store.fulltext.TEXT.new_variants_indexed_at_end():
            result = _apply(session, name, rows)
    return ImportResult(preview, *result, rows_skipped=len(preview.rejected), backup=backup_path)


def _has_work(preview: ImportPreview) -> bool:
    return any(r.action in (CREATE, UPDATE) for r in preview.rows)


def _rejected_error(preview: ImportPreview) -> ValidationError:
    first = preview.rejected[0]
    return ValidationError(
        _(
            "{n} rows cannot be imported (first: row {line}: {reason}). Nothing was "
            "imported. Fix the file, or import only the good rows."
        ).format(n=len(preview.rejected), line=first.line, reason="; ".join(first.messages))
    )


@store.follows_session
def _apply(session: Session, name: str, rows: list[PlanRow]) -> tuple[int, int, int, int]:
    good = [r for r in rows if not r.errors]
    categories = CategoryCache(session.shop_id)
    skus = SkuAllocator(session.shop_id, preload=True)
    created_products: list[int] = []
    opening: list[tuple[int, int]] = []  # (variant id, quantity)
    variants_created = updated = 0
    groups: dict[Group, list[PlanRow]] = {}
    for row in good:
        if row.action == CREATE:
            groups.setdefault(row.group, []).append(row)
    new_products: list[list[PlanRow]] = []
    for key, members in groups.items():
        if key[0] != "product":
            new_products.append(members)
            continue
        for row in members:
            info = add_variant(session, product_id=int(key[1]), **_new_variant(row))
            variants_created += 1
            if row.stock:
                opening.append((info.id, row.stock))
    made = insert_products(
        session,
        [(members[0].product, [_new_variant(r) for r in members]) for members in new_products],
        categories=categories,
        skus=skus,
        check_barcodes=False,  # _resolve checked them against the shop and the file
    )
    for (product_id, variant_ids), members in zip(made, new_products, strict=True):
        created_products.append(product_id)
        variants_created += len(variant_ids)
        opening.extend(
            (vid, r.stock) for vid, r in zip(variant_ids, members, strict=True) if r.stock
        )
    touched = set(created_products)
    prices: dict[str, list[object]] = {}
    for row in good:
        if row.action == UPDATE and row.existing is not None:
            _update(session, row, categories, skus, prices)
            touched.add(row.existing.product_id)
            updated += 1
    mark_listing_changed(session, touched)
    units = _opening_stock(session, name, opening)
    audit.record(
        "import",
        actor=session.actor,
        shop_id=session.shop_id,
        file=name,
        products_created=len(created_products),
        variants_created=variants_created,
        variants_updated=updated,
        stock_units=units,
        price_changes=prices,  # sku -> [old, new], as update_variant audits one by one
    )
    return len(created_products), variants_created, updated, units


# Changes the catalog checks beyond single fields (option names and values must
# fit together) go through its validated functions; the rest is plain SQL.
_CHECKED_PRODUCT = {"option1_name", "option2_name"}
_CHECKED_VARIANT = {"option1_value", "option2_value", "sku"}


@store.follows_session
def _update(
    session: Session,
    row: PlanRow,
    categories: CategoryCache,
    skus: SkuAllocator,
    prices: dict[str, list[object]],
) -> None:
    variant = row.existing
    assert variant is not None
    now = str(utcnow())
    product_updates = dict(row.product_updates)
    if _CHECKED_PRODUCT & set(product_updates):
        product = Product.get_by_id(variant.product_id)
        apply_product_changes(session, product, product_updates, categories=categories)
    elif product_updates:
        if "category" in product_updates:
            product_updates["category_id"] = categories.id_for(str(product_updates.pop("category")))
        _update_row("product", product_updates, now, variant.product_id, session.shop_id)
    variant_updates = dict(row.variant_updates)
    if "price" in variant_updates:
        prices[variant.sku] = [variant.price, variant_updates["price"]]
    if _CHECKED_VARIANT & set(variant_updates):
        apply_variant_changes(session, variant, variant_updates, skus=skus)
    elif variant_updates:
        _update_row("variant", variant_updates, now, variant.id, session.shop_id)


def _update_row(
    table: str, updates: dict[str, object], now: str, row_id: int, shop_id: int
) -> None:
    """One plain UPDATE of checked columns of one row of this shop."""
    sets = ", ".join(f"{column} = ?" for column in updates)
    store.database.execute_sql(
        f"UPDATE {table} SET {sets}, updated_at = ? WHERE id = ? AND shop_id = ?",
        (*map(db_value, updates.values()), now, row_id, shop_id),
    )


class _NewVariant(TypedDict):
    """A new variant's checked values, as ``add_variant`` and ``insert_products`` take them."""

    sku: str | None
    option1_value: str
    option2_value: str
    price: int
    cost: int
    barcode: str
    low_stock: int


def _new_variant(row: PlanRow) -> _NewVariant:
    sku = row.variant.get("sku")
    return _NewVariant(
        sku=None if sku is None else str(sku),
        option1_value=str(row.variant.get("option1_value", "")),
        option2_value=str(row.variant.get("option2_value", "")),
        price=_checked_int(row.variant["price"]),
        cost=_checked_int(row.variant.get("cost", 0)),
        barcode=str(row.variant.get("barcode", "")),
        low_stock=_checked_int(row.variant.get("low_stock", 0)),
    )


def _checked_int(value: object) -> int:
    assert isinstance(value, int), value  # check_variant_fields made it one
    return value


@store.follows_session
def _opening_stock(session: Session, name: str, opening: list[tuple[int, int]]) -> int:
    """Opening stock as ``received`` movements, in the import's transaction.

    Written through ``stock.write_movements``, the ledger's batched writer of
    movements and caches. The stock goes to the loose pool (no batch): its
    production run and expiry are unknown, and inventing today's date would
    put a false expiry on old goods. ``stock in`` with a batch records runs.
    """
    note = _("opening stock from {file}").format(file=name)[:200]
    stock.write_movements(session, opening, stock.RECEIVED, note)
    return sum(quantity for _variant, quantity in opening)
