"""Planning an import: each row checked, matched to the shop and grouped into products;
the preview shows the plan and nothing is written."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from shopdesk import store, tabular
from shopdesk.catalog.categories import category_names
from shopdesk.catalog.checks import Check, check_variant_fields, product_checks, whole_number
from shopdesk.catalog.reads import on_hand_of, variants_with_on_hand
from shopdesk.catalog.table_io import reuse
from shopdesk.catalog.table_io.columns import (
    ALIASES,
    COLUMNS,
    CREATE,
    MAX_OPENING_STOCK,
    PRODUCT_COLUMNS,
    REJECT,
    UNCHANGED,
    UPDATE,
    VARIANT_COLUMNS,
)
from shopdesk.codes import looks_like_excel_number
from shopdesk.errors import ValidationError
from shopdesk.i18n import _
from shopdesk.money import format_number
from shopdesk.profiles import Session, require_seller
from shopdesk.store.models import Product, Variant


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


# Which new product a create row joins: ("row", line) alone, ("product", id) an
# existing one, ("name", casefolded name) one made from the file's rows.
Group = tuple[str, int | str]


@dataclass
class PlanRow:
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
    group: Group = ("", 0)
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


def _check_cells(row: PlanRow, checks: dict[str, Check]) -> None:
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


@store.follows_session
def plan(session: Session, table: tabular.Table) -> list[PlanRow]:
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
    rows = [PlanRow(line, cells) for line, cells in table.rows]
    checks = product_checks()
    for row in rows:
        _check_cells(row, checks)
    _resolve(rows, shop)
    _group(rows, shop)
    first_of: dict[int, PlanRow] = {}
    for row in rows:
        if not row.errors and row.action == UPDATE and row.existing is not None:
            leader = first_of.setdefault(row.existing.product_id, row)
            if leader is not row:
                _follow_update(row, leader)
            _diff(row, shop)
    return rows


def _follow_update(row: PlanRow, leader: PlanRow) -> None:
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


def _resolve(rows: list[PlanRow], shop: _Shop) -> None:
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


def _match_by_name(row: PlanRow, shop: _Shop) -> Variant | None:
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


def _group(rows: list[PlanRow], shop: _Shop) -> None:
    """New rows with options that share a name become one product."""
    leaders: dict[str, PlanRow] = {}
    combos: dict[tuple[Group, str, str], int] = {}
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


def _follow(row: PlanRow, leader: PlanRow) -> None:
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


def _diff(row: PlanRow, shop: _Shop) -> None:
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


def make_preview(name: str, table: tabular.Table, rows: list[PlanRow]) -> ImportPreview:
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


def read_table(path: Path | str) -> tabular.Table:
    return tabular.read_table(path, columns=COLUMNS, aliases=ALIASES)


# The last preview's plan, for the apply of the same file (``reuse``).
KEPT: reuse.Keeper[tuple[tabular.Table, list[PlanRow], ImportPreview]] = reuse.Keeper()


@store.follows_session
def preview_import(session: Session, path: Path | str) -> ImportPreview:
    """What an import of this file would do, row by row; nothing is written. The plan is
    kept for an apply of the same file that follows (``reuse``)."""
    session = require_seller(session)
    database, file = store.change_stamp(), reuse.file_stamp(path)  # before reading anything
    table = read_table(path)
    rows = plan(session, table)
    preview = make_preview(Path(path).name, table, rows)
    KEPT.keep(session.shop_id, file, database, (table, rows, preview))
    return preview
