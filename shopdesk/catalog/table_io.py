"""Import the catalog from CSV/XLSX (preview first, then all or nothing) and
export products and stock with the same column names.

Rows sharing a ``name`` with ``variant_name``/``variant_option`` are variants
of one product. A row whose SKU exists in the shop updates that variant (empty
cells leave values as they are); other rows create products, and their
``stock`` is booked as opening stock through ``stock.receive``. The stock
of existing variants is never changed by an import: that is a stocktake.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

from shopdesk import audit, backup, stock, store, tabular
from shopdesk.catalog.categories import CategoryCache, category_names
from shopdesk.catalog.checks import Check, check_variant_fields, product_checks, whole_number
from shopdesk.catalog.outbox import mark_listing_changed
from shopdesk.catalog.product_writes import (
    apply_product_changes,
    db_value,
    insert_product,
)
from shopdesk.catalog.reads import list_products, on_hand_of, variants_with_on_hand
from shopdesk.catalog.skus import SkuAllocator
from shopdesk.catalog.variant_writes import add_variant, apply_variant_changes
from shopdesk.clock import utcnow
from shopdesk.codes import looks_like_excel_number
from shopdesk.errors import ValidationError
from shopdesk.i18n import _
from shopdesk.money import format_number
from shopdesk.profiles import Session, require_seller
from shopdesk.store.models import Product, Variant

# The export's columns, in order; the import reads the same names.
COLUMNS = (
    "sku", "name", "category", "variant_name", "variant_option", "unit", "price", "cost",
    "stock", "weight_g", "netto", "composition", "shelf_life_days", "pirt", "halal",
    "barcode", "description", "variant2_name", "variant2_option", "low_stock", "storage",
    "is_food", "length_cm", "width_cm", "height_cm",
)  # fmt: skip
TEXT_COLUMNS = ("sku", "barcode", "pirt", "variant_option", "variant2_option", "netto")
# Column names sellers write in Indonesian, and common English variants.
ALIASES = {
    "nama": "name", "nama_produk": "name", "product_name": "name", "produk": "name",
    "kategori": "category", "satuan": "unit", "harga": "price", "harga_jual": "price",
    "modal": "cost", "harga_modal": "cost", "harga_pokok": "cost", "stok": "stock",
    "stok_awal": "stock", "opening_stock": "stock", "berat": "weight_g", "berat_g": "weight_g",
    "weight": "weight_g", "deskripsi": "description", "komposisi": "composition",
    "umur_simpan": "shelf_life_days", "pirt_number": "pirt", "p_irt": "pirt",
    "kode_barcode": "barcode", "ean": "barcode", "kode": "sku", "kode_sku": "sku",
    "penyimpanan": "storage", "stok_minimum": "low_stock",
}  # fmt: skip
# column -> product field
PRODUCT_COLUMNS = {
    "name": "name", "category": "category", "unit": "unit", "description": "description",
    "weight_g": "weight_g", "netto": "netto", "composition": "composition",
    "shelf_life_days": "shelf_life_days", "pirt": "pirt_number", "halal": "halal",
    "storage": "storage", "is_food": "is_food", "length_cm": "length_cm",
    "width_cm": "width_cm", "height_cm": "height_cm", "variant_name": "option1_name",
    "variant2_name": "option2_name",
}  # fmt: skip
# column -> variant field
VARIANT_COLUMNS = {
    "sku": "sku", "price": "price", "cost": "cost", "barcode": "barcode",
    "low_stock": "low_stock", "variant_option": "option1_value",
    "variant2_option": "option2_value",
}  # fmt: skip
MAX_OPENING_STOCK = 1_000_000

CREATE, UPDATE, UNCHANGED, REJECT = "create", "update", "unchanged", "reject"


@dataclass(frozen=True)
class PreviewRow:
    line: int  # the row number Excel shows (the header is row 1)
    sku: str
    name: str
    action: str  # create, update, unchanged, reject
    messages: tuple[str, ...] = ()  # why rejected, what changes, notes


@dataclass(frozen=True)
class ImportPreview:
    file: str
    kind: str  # csv or xlsx
    rows: tuple[PreviewRow, ...]
    notes: tuple[str, ...] = ()

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def rejected(self) -> tuple[PreviewRow, ...]:
        return tuple(r for r in self.rows if r.action == REJECT)

    @property
    def ok(self) -> bool:
        return not self.rejected


@dataclass(frozen=True)
class ImportResult:
    preview: ImportPreview
    products_created: int
    variants_created: int
    variants_updated: int
    stock_units: int
    rows_skipped: int
    backup: str = ""


# --- planning --------------------------------------------------------------------


# Which new product a create row joins: ("row", line) alone, ("product", id) an
# existing one, ("name", casefolded name) one made from the file's rows.
_Group = tuple[str, int | str]


@dataclass
class _Row:
    line: int
    cells: dict[str, str]
    product: dict[str, object] = field(default_factory=dict)  # given (non-blank), checked
    variant: dict[str, object] = field(default_factory=dict)  # given (non-blank), checked
    stock: int | None = None
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    action: str = CREATE
    existing: Variant | None = None  # the variant an update row changes
    group: _Group = ("", 0)
    add_to: int | None = None  # existing product id a new variant joins
    product_updates: dict[str, object] = field(default_factory=dict)  # fields that differ
    variant_updates: dict[str, object] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return str(self.product.get("name") or self.cells.get("name", "")).strip()

    @property
    def sku(self) -> str:
        return str(self.variant.get("sku") or self.cells.get("sku", "")).strip()

    def options(self) -> tuple[str, str]:
        return (
            str(self.variant.get("option1_value", "")),
            str(self.variant.get("option2_value", "")),
        )


def _check_cells(row: _Row, checks: dict[str, Check]) -> None:
    """Check each given cell; collect every problem of the row, not just the first."""
    for column, fname in PRODUCT_COLUMNS.items():
        text = row.cells.get(column, "")
        if not text.strip():
            continue
        try:
            row.product[fname] = checks[fname](text)
        except ValidationError as exc:
            row.errors.append(f"{column}: {exc.message}")
    for column, fname in VARIANT_COLUMNS.items():
        text = row.cells.get(column, "")
        if not text.strip():
            continue
        if column in ("sku", "barcode"):
            text = _unwrap_code(text)
        if column in ("sku", "barcode") and looks_like_excel_number(text):
            row.errors.append(
                _(
                    "{column} “{text}” was turned into a number by Excel and its digits are "
                    "lost. Format the column as Text in Excel and type the codes again."
                ).format(column=column, text=text.strip())
            )
            continue
        try:
            row.variant.update(check_variant_fields({fname: text}))
        except ValidationError as exc:
            row.errors.append(f"{column}: {exc.message}")
    opening = row.cells.get("stock", "").strip()
    if opening:
        try:
            row.stock = whole_number(opening, field="stock", high=MAX_OPENING_STOCK)
        except ValidationError as exc:
            row.errors.append(exc.message)


_EXCEL_TEXT = re.compile(r'^="(.*)"$')


def _unwrap_code(text: str) -> str:
    """Codes kept as text the spreadsheet way: ``'2000000000015`` or ``="2000000000015"``."""
    value = text.strip()
    if match := _EXCEL_TEXT.match(value):
        value = match.group(1)
    return value[1:] if value.startswith("'") else value


class _Shop:
    """What the shop holds now, loaded once for the whole file."""

    def __init__(self, session: Session) -> None:
        # Each variant with its on-hand figure, for the stock column note.
        query = variants_with_on_hand().where(Variant.shop == session.shop_id)
        self.variants = {v.sku: v for v in query}
        self.barcodes = {v.barcode: v.sku for v in self.variants.values() if v.barcode}
        self.products = {p.id: p for p in Product.select().where(Product.shop == session.shop_id)}
        self.by_name: dict[str, list[int]] = {}
        for p in self.products.values():
            self.by_name.setdefault(p.name.casefold(), []).append(p.id)
        self.variants_of: dict[int, list[Variant]] = {}
        for v in self.variants.values():
            self.variants_of.setdefault(v.product_id, []).append(v)
        self.categories = category_names(session.shop_id)


def _plan(session: Session, table: tabular.Table) -> list[_Row]:
    missing = [c for c in ("name", "price") if c not in table.columns]
    if "sku" in table.columns and "name" not in table.columns:
        missing = []  # a price list: sku + price, updating existing variants only
    if missing:
        raise ValidationError(
            _("The file has no column {column}. The columns it needs: {columns}.").format(
                column=missing[0], columns="sku, name, price"
            )
        )
    shop = _Shop(session)
    rows = [_Row(line, cells) for line, cells in table.rows]
    checks = product_checks()
    for row in rows:
        _check_cells(row, checks)
    _resolve(rows, shop)
    _group(rows, shop)
    first_of: dict[int, _Row] = {}
    for row in rows:
        if not row.errors and row.action == UPDATE and row.existing is not None:
            leader = first_of.setdefault(row.existing.product_id, row)
            if leader is not row:
                _follow_update(row, leader)
            _diff(row, shop)
    return rows


def _follow_update(row: _Row, leader: _Row) -> None:
    """A later row of a product already changed by an earlier row: the earlier
    row's product fields win, so variants listed one by one do not fight."""
    differing = []
    for column, fname in PRODUCT_COLUMNS.items():
        if fname in leader.product and fname in row.product:
            if row.product[fname] != leader.product[fname]:
                differing.append(column)
            del row.product[fname]
    if differing:
        row.notes.append(_differ_note(differing, leader.line))


def _differ_note(columns: list[str], line: int) -> str:
    return _(
        "These columns differ from row {line}: {columns}; the product keeps row {line}'s values."
    ).format(columns=", ".join(columns), line=line)


def _resolve(rows: list[_Row], shop: _Shop) -> None:
    """Which rows update an existing variant; duplicates of SKU and barcode."""
    sku_line: dict[str, int] = {}
    barcode_line: dict[str, int] = {}
    for row in rows:
        sku = row.variant.get("sku")
        if sku:
            if sku in sku_line:
                row.errors.append(
                    _("The SKU {sku} is also on row {line}.").format(sku=sku, line=sku_line[sku])
                )
                continue
            sku_line[str(sku)] = row.line
            row.existing = shop.variants.get(str(sku))
        if row.existing is None:
            row.existing = _match_by_name(row, shop)
        if row.existing is not None:
            row.action = UPDATE
        elif not row.name:
            row.errors.append(_("The name is empty: a new product needs a name."))
        elif "price" not in row.variant:
            row.errors.append(_("The price is empty: a new product needs a price."))
        code = row.variant.get("barcode")
        if code:
            owner = shop.barcodes.get(str(code))
            mine = row.existing.sku if row.existing is not None else None
            if code in barcode_line:
                row.errors.append(
                    _("The barcode {code} is also on row {line}.").format(
                        code=code, line=barcode_line[str(code)]
                    )
                )
            elif owner and owner != mine:
                row.errors.append(
                    _("The barcode {code} already belongs to {sku}.").format(code=code, sku=owner)
                )
            barcode_line[str(code)] = row.line
        if row.existing is None and row.stock is None:
            row.stock = 0


def _match_by_name(row: _Row, shop: _Shop) -> Variant | None:
    """A row without a known SKU that names an existing product (and its options)."""
    if row.variant.get("sku") or not row.name:
        return None
    ids = shop.by_name.get(row.name.casefold(), [])
    if len(ids) != 1:
        if len(ids) > 1:
            row.errors.append(
                _("Several products are named “{name}”: give the SKU of the one to change.").format(
                    name=row.name
                )
            )
        return None
    wanted = tuple(o.casefold() for o in row.options())
    for v in shop.variants_of.get(ids[0], []):
        if (v.option1_value.casefold(), v.option2_value.casefold()) == wanted:
            return v
    return None


def _group(rows: list[_Row], shop: _Shop) -> None:
    """New rows with options that share a name become one product."""
    leaders: dict[str, _Row] = {}
    combos: dict[tuple[_Group, str, str], int] = {}
    for row in rows:
        if row.errors or row.action != CREATE:
            continue
        option1, option2 = row.options()
        o1name = str(row.product.get("option1_name", ""))
        o2name = str(row.product.get("option2_name", ""))
        if (option1 and not o1name) or (option2 and not o2name):
            row.errors.append(
                _("The row has a variant option but no variant_name (like Rasa or Ukuran).")
            )
            continue
        if (o1name and not option1) or (o2name and not option2):
            row.errors.append(_("The row has a variant_name but its variant_option is empty."))
            continue
        if not option1:
            row.group = ("row", row.line)
            continue
        key = row.name.casefold()
        existing_ids = shop.by_name.get(key, [])
        if existing_ids:
            product = shop.products[existing_ids[0]]
            if len(existing_ids) > 1 or product.option1_name.casefold() != o1name.casefold():
                row.errors.append(
                    _(
                        "A product named “{name}” already exists with other options. "
                        "Use its SKU or another name."
                    ).format(name=row.name)
                )
                continue
            row.add_to = product.id
            row.group = ("product", product.id)
        else:
            row.group = ("name", key)
            leader = leaders.setdefault(key, row)
            if leader is not row:
                _follow(row, leader)
                if row.errors:
                    continue
        combo = (row.group, option1.casefold(), option2.casefold())
        if combo in combos:
            row.errors.append(
                _("Row {line} already has the variant {options} of this product.").format(
                    line=combos[combo], options=" / ".join(o for o in (option1, option2) if o)
                )
            )
            continue
        combos[combo] = row.line


def _follow(row: _Row, leader: _Row) -> None:
    """A later variant row of a new product: option names must agree; other
    product fields come from the first row (noted when they differ)."""
    for fname in ("option1_name", "option2_name"):
        if (
            str(row.product.get(fname, "")).casefold()
            != str(leader.product.get(fname, "")).casefold()
        ):
            row.errors.append(
                _("The variant_name differs from row {line} of the same product.").format(
                    line=leader.line
                )
            )
            return
    differing = [
        column
        for column, fname in PRODUCT_COLUMNS.items()
        if fname not in ("name", "option1_name", "option2_name")
        and row.product.get(fname) != leader.product.get(fname)
    ]
    if differing:
        row.notes.append(_differ_note(differing, leader.line))


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value) if value not in (None, "") else "-"


def _diff(row: _Row, shop: _Shop) -> None:
    variant = row.existing
    assert variant is not None
    product = shop.products[variant.product_id]
    for fname, new in row.product.items():
        if fname == "category":
            old = shop.categories.get(product.category_id, "")
            same = old.casefold() == str(new).casefold()
        else:
            old = getattr(product, fname)
            same = (bool(old) == new) if isinstance(new, bool) else old == new
        if not same:
            row.product_updates[fname] = new
            row.changes.append(f"{fname}: {_shown(old)} → {_shown(new)}")
    for fname, new in row.variant.items():
        old = getattr(variant, fname)
        if old != new:
            row.variant_updates[fname] = new
            if fname in ("price", "cost") and isinstance(new, int):  # checked: always int
                row.changes.append(f"{fname}: {format_number(old)} → {format_number(new)}")
            else:
                row.changes.append(f"{fname}: {_shown(old)} → {_shown(new)}")
    on_hand = on_hand_of(variant)
    if row.stock is not None and row.stock != on_hand:
        row.notes.append(
            _(
                "The stock column ({stock}) differs from the stock on hand ({on_hand}); an "
                "import does not change stock of existing products. Use stock in or a stocktake."
            ).format(stock=row.stock, on_hand=on_hand)
        )
    if not row.changes:
        row.action = UNCHANGED


def _preview(name: str, table: tabular.Table, rows: list[_Row]) -> ImportPreview:
    out = []
    for row in rows:
        if row.errors:
            action, messages = REJECT, row.errors + row.notes
        else:
            action, messages = row.action, row.changes + row.notes
            if action == CREATE and row.stock:
                messages = [_("opening stock {n}").format(n=row.stock), *messages]
        out.append(PreviewRow(row.line, row.sku, row.name, action, tuple(messages)))
    return ImportPreview(name, table.kind, tuple(out), table.notes)


def _read(path: Path | str) -> tabular.Table:
    return tabular.read_table(path, columns=COLUMNS, aliases=ALIASES)


def preview_import(session: Session, path: Path | str) -> ImportPreview:
    """What an import of this file would do, row by row; nothing is written."""
    session = require_seller(session)
    table = _read(path)
    return _preview(Path(path).name, table, _plan(session, table))


# --- applying ---------------------------------------------------------------------


def _backup_before_import() -> str:
    """A backup before every import (data-safety.md); returns its path."""
    return str(backup.backup_before("import").path)


def apply_import(
    session: Session, path: Path | str, *, skip_rejected: bool = False
) -> ImportResult:
    """Apply the import in one transaction, or nothing.

    Rejected rows stop the import unless ``skip_rejected``; then only the good
    rows are applied (the preview lists which).
    """
    session = require_seller(session)
    table = _read(path)
    name = Path(path).name
    version = store.data_version()
    rows = _plan(session, table)  # before the backup: a rejected file costs none
    preview = _preview(name, table, rows)
    if preview.rejected and not skip_rejected:
        raise _rejected_error(preview)
    backup_path = _backup_before_import() if _has_work(preview) else ""
    with store.transaction():
        if store.data_version() != version:  # another window wrote meanwhile: plan again
            rows = _plan(session, table)
            preview = _preview(name, table, rows)
            if preview.rejected and not skip_rejected:
                raise _rejected_error(preview)
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


def _apply(session: Session, name: str, rows: list[_Row]) -> tuple[int, int, int, int]:
    good = [r for r in rows if not r.errors]
    categories = CategoryCache(session.shop_id)
    skus = SkuAllocator(session.shop_id, preload=True)
    created_products: list[int] = []
    opening: list[tuple[int, int]] = []  # (variant id, quantity)
    variants_created = updated = 0
    groups: dict[_Group, list[_Row]] = {}
    for row in good:
        if row.action == CREATE:
            groups.setdefault(row.group, []).append(row)
    for key, members in groups.items():
        if key[0] == "product":
            for row in members:
                info = add_variant(session, product_id=int(key[1]), **_new_variant(row))
                variants_created += 1
                if row.stock:
                    opening.append((info.id, row.stock))
            continue
        leader = members[0]
        product_id, variant_ids = insert_product(
            session,
            product=leader.product,
            variants=[_new_variant(r) for r in members],
            categories=categories,
            skus=skus,
            check_barcodes=False,  # _resolve checked them against the shop and the file
        )
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


def _update(
    session: Session,
    row: _Row,
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
    """A new variant's checked values, as ``add_variant`` and ``insert_product`` take them."""

    sku: str | None
    option1_value: str
    option2_value: str
    price: int
    cost: int
    barcode: str
    low_stock: int


def _new_variant(row: _Row) -> _NewVariant:
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


def _opening_stock(session: Session, name: str, opening: list[tuple[int, int]]) -> int:
    """Opening stock as ``received`` movements, in the import's transaction.

    Written through ``stock.write_movement``, the ledger's single writer of
    movements and caches. The stock goes to the loose pool (no batch): its
    production run and expiry are unknown, and inventing today's date would
    put a false expiry on old goods. ``stock in`` with a batch records runs.
    """
    note = _("opening stock from {file}").format(file=name)[:200]
    for variant_id, quantity in opening:
        stock.write_movement(session, variant_id, None, stock.RECEIVED, quantity, note)
    return sum(quantity for _variant, quantity in opening)


# --- export -------------------------------------------------------------------------


def _yes_no(value: bool) -> str:
    return "ya" if value else "tidak"


def product_rows(session: Session, *, include_archived: bool = False) -> Iterator[list[object]]:
    """One row per variant in ``COLUMNS`` order: what an import reads back."""
    for p in list_products(session, include_archived=include_archived):
        for v in p.variants:
            if v.archived and not include_archived:
                continue
            yield [
                v.sku, p.name, p.category, p.option1_name, v.option1_value, p.unit, v.price,
                v.cost, v.on_hand, p.weight_g, p.netto, p.composition, p.shelf_life_days,
                p.pirt_number, _yes_no(p.halal), v.barcode, p.description, p.option2_name,
                v.option2_value, v.low_stock, p.storage, _yes_no(p.is_food), p.length_cm,
                p.width_cm, p.height_cm,
            ]  # fmt: skip


STOCK_COLUMNS = (
    "sku", "name", "category", "unit", "stock", "low_stock", "state", "cost", "price",
    "value_at_cost", "value_at_price",
)  # fmt: skip


def stock_rows(session: Session, *, include_archived: bool = False) -> Iterator[list[object]]:
    for p in list_products(session, include_archived=include_archived):
        for v in p.variants:
            if v.archived and not include_archived:
                continue
            if v.on_hand <= 0:
                state = "out"
            elif v.low_stock and v.on_hand <= v.low_stock:
                state = "low"
            else:
                state = "in"
            yield [
                v.sku, v.name, p.category, p.unit, v.on_hand, v.low_stock, state, v.cost,
                v.price, v.cost * v.on_hand, v.price * v.on_hand,
            ]  # fmt: skip


def export_format(path: Path, fmt: str | None) -> str:
    """``csv`` or ``xlsx``: the one asked for, else the file's suffix, else csv."""
    chosen = (fmt or path.suffix.lstrip(".") or "csv").lower()
    if chosen not in ("csv", "xlsx"):
        raise ValidationError(
            _("“{format}” is not an export format. Choose csv or xlsx.").format(format=chosen)
        )
    return chosen


def export_products(
    session: Session,
    path: Path | str,
    *,
    fmt: str | None = None,
    include_archived: bool = False,
    delimiter: str = ",",
) -> int:
    """Write the catalog (one row per variant); returns the number of rows."""
    session = require_seller(session)
    path = Path(path)
    rows = list(product_rows(session, include_archived=include_archived))
    _write_table(path, export_format(path, fmt), COLUMNS, rows, _("Products"), delimiter)
    _audit_export(session, "products", path, len(rows))
    return len(rows)


def export_stock(
    session: Session, path: Path | str, *, fmt: str | None = None, delimiter: str = ","
) -> int:
    """Write stock on hand per variant with its value at cost and at price."""
    session = require_seller(session)
    path = Path(path)
    rows = list(stock_rows(session))
    _write_table(path, export_format(path, fmt), STOCK_COLUMNS, rows, _("Stock"), delimiter)
    _audit_export(session, "stock", path, len(rows))
    return len(rows)


def _write_table(
    path: Path,
    fmt: str,
    columns: Sequence[str],
    rows: list[list[object]],
    title: str,
    delimiter: str,
) -> None:
    if fmt == "csv":
        tabular.write_csv(path, columns, rows, delimiter=delimiter)
    else:
        tabular.write_xlsx(path, columns, rows, text_columns=TEXT_COLUMNS, sheet_title=title)


def _audit_export(session: Session, what: str, path: Path, count: int) -> None:
    with store.transaction():
        audit.record(
            f"export.{what}",
            actor=session.actor,
            shop_id=session.shop_id,
            file=path.name,
            rows=count,
        )
