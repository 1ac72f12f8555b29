"""Stock and prices of listings that already exist on a marketplace.

The seller downloads their product list from the marketplace (Shopee: Mass Update,
"Informasi Penjualan" / sales info; TikTok Shop and Tokopedia: batch edit of price
and stock). ShopDesk reads its listing ids, variation ids and SKUs, keeps the ids
per variant matched by SKU (``marketplace_link``), and keeps the file itself. The
mass-update file is that same file with the price and stock cells filled from the
catalog and the ledger, less the shop's buffer ("keep N units for the counter"),
every other cell, sheet and style as the marketplace made it. Units in batches past
their expiry date are never offered online.

Columns are found by the keys of the file's first row, as the marketplaces write
them (``et_title_*`` for Shopee, ``product_id`` ... for TikTok Shop); data rows are
those whose product id is a number. A bad row stops the import with its row and
column named, and nothing is written.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from shopdesk import audit, catalog, store
from shopdesk.clock import utcnow
from shopdesk.errors import ValidationError
from shopdesk.export import marketplace
from shopdesk.i18n import _
from shopdesk.profiles import Session, require_seller
from shopdesk.safe_io import storage_error, write_bytes_atomic
from shopdesk.store.models import MarketplaceLink
from shopdesk.tabular import fill_cell

# field -> the keys of row 1 that name it, per marketplace
LAYOUTS: dict[str, dict[str, tuple[str, ...]]] = {
    "shopee": {
        "item_id": ("et_title_product_id",),
        "model_id": ("et_title_variation_id",),
        "name": ("et_title_product_name",),
        "variation": ("et_title_variation_name",),
        "parent_sku": ("et_title_parent_sku",),
        "sku": ("et_title_variation_sku",),
        "price": ("et_title_variation_price",),
        "stock": ("et_title_variation_stock",),
    },
    "tokopedia": {
        "item_id": ("product_id",),
        "model_id": ("sku_id",),
        "name": ("product_name",),
        "variation": ("variation_value",),
        "sku": ("seller_sku",),
        "price": ("price",),
        "stock": ("quantity",),
    },
}
REQUIRED = ("item_id", "sku", "price", "stock")
UPDATE_FILES = {"shopee": "shopee-mass-update", "tokopedia": "tiktok-tokopedia-mass-update"}
MAX_ROWS = 50_000
_DIGITS = re.compile(r"^\d{1,20}$")

MATCHED, UNKNOWN, NO_SKU = "matched", "unknown", "no_sku"


@dataclass(frozen=True)
class ListRow:
    row: int
    item_id: str
    model_id: str
    sku: str
    name: str
    price: int | None
    stock: int | None


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str

    def text(self) -> str:
        return _("Row {row}, column {column}: {message}").format(
            row=self.row, column=self.column, message=self.message
        )


@dataclass(frozen=True)
class ProductList:
    target: str
    sheet: str
    columns: dict[str, int]
    headers: dict[str, str]  # field -> what the seller sees on the header row
    rows: tuple[ListRow, ...]
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Match:
    line: ListRow
    status: str  # matched, unknown (SKU not in the shop), no_sku
    variant_id: int | None = None
    variant_name: str = ""


@dataclass(frozen=True)
class ListPreview:
    target: str
    filename: str
    matches: tuple[Match, ...]
    problems: tuple[Problem, ...]

    def count(self, status: str) -> int:
        return sum(1 for m in self.matches if m.status == status)


@dataclass(frozen=True)
class UpdateLine:
    sku: str
    name: str
    on_hand: int
    stock: int  # what the file says: on hand less expired units and the buffer, >= 0
    price: int
    expired: int = 0  # units in batches past their expiry date: never offered online


@dataclass(frozen=True)
class UpdateResult:
    path: Path
    lines: tuple[UpdateLine, ...]
    skipped: tuple[str, ...]  # SKUs of the list that are not (or no more) in the shop
    buffer: int


# --- reading ---------------------------------------------------------------------------


def _open(data: bytes, target: str, filename: str) -> Workbook:
    try:
        return load_workbook(io.BytesIO(data))
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise ValidationError(
            _(
                "{file} is not a product list from {target} (.xlsx). Download it again from "
                "the seller centre and choose it as it is."
            ).format(file=filename, target=marketplace.TARGET_NAMES[target])
        ) from exc


def _find_columns(ws: Worksheet, target: str) -> dict[str, int]:
    keys = {str(c.value).strip().lower(): c.column for c in ws[1] if c.value is not None}
    found: dict[str, int] = {}
    for field, names in LAYOUTS[target].items():
        for name in names:
            if name in keys:
                found[field] = keys[name]
                break
    return found


def _header_row(ws: Worksheet, columns: dict[str, int]) -> int:
    """The row the seller reads as headers: the first text row below the keys that
    is not the file's own marker row ("sales_info", a hash)."""
    column = columns["sku"]
    for row in range(2, 6):
        value = ws.cell(row=row, column=column).value
        first = str(ws.cell(row=row, column=1).value or "")
        if isinstance(value, str) and value.strip() and not first.endswith("_info"):
            return row
    return 1


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def _number(value: object) -> int | None:
    text = _cell_text(value).replace(".", "").replace(",", "") if isinstance(value, str) else value
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and float(value).is_integer():
        return int(value)
    if isinstance(text, str) and text.isdigit():
        return int(text)
    raise ValueError(value)


def read_list(data: bytes, target: str, *, filename: str = "") -> ProductList:
    """The listings of a marketplace's product list, and what is wrong in it."""
    target = marketplace.UPLOAD_TARGETS[marketplace.UPLOAD_TARGETS.index(target)]
    wb = _open(data, target, filename)
    for ws in sorted(wb.worksheets, key=lambda s: s.title != "Template"):
        columns = _find_columns(ws, target)
        if all(f in columns for f in REQUIRED):
            return _read_sheet(ws, target, columns)
    keys = ", ".join(LAYOUTS[target][f][0] for f in REQUIRED)
    raise ValidationError(
        _(
            "{file} is not a product list from {target}: no sheet has the columns {keys} in "
            "its first row. In the seller centre download the list for a mass update of "
            "price and stock, and choose that file."
        ).format(file=filename, target=marketplace.TARGET_NAMES[target], keys=keys)
    )


def _read_sheet(ws: Worksheet, target: str, columns: dict[str, int]) -> ProductList:
    header = _header_row(ws, columns)
    headers = {
        f: _cell_text(ws.cell(row=header, column=c).value) or LAYOUTS[target][f][0]
        for f, c in columns.items()
    }
    rows: list[ListRow] = []
    problems: list[Problem] = []
    started = False
    for number in range(header + 1, min(ws.max_row, MAX_ROWS) + 1):
        get = {f: ws.cell(row=number, column=c).value for f, c in columns.items()}
        item = _cell_text(get["item_id"])
        if not started:
            started = bool(_DIGITS.match(item))  # the instruction rows end here
            if not started:
                continue
        if all(_cell_text(v) == "" for v in get.values()):
            continue
        line, found = _line(number, get, headers)
        problems.extend(found)
        if line is not None:
            rows.append(line)
    return ProductList(target, ws.title, columns, headers, tuple(rows), tuple(problems))


def _line(
    number: int, get: dict[str, object], headers: dict[str, str]
) -> tuple[ListRow | None, list[Problem]]:
    problems: list[Problem] = []
    item = _cell_text(get["item_id"])
    model = _cell_text(get.get("model_id"))
    if not _DIGITS.match(item):
        problems.append(Problem(number, headers["item_id"], _("a product id is a number")))
    if model and not _DIGITS.match(model):
        problems.append(Problem(number, headers["model_id"], _("a variation id is a number")))
    numbers: dict[str, int | None] = {}
    for field in ("price", "stock"):
        try:
            numbers[field] = _number(get.get(field))
        except ValueError:
            problems.append(
                Problem(
                    number,
                    headers[field],
                    _("{value} is not a whole number").format(value=_cell_text(get.get(field))),
                )
            )
    if problems:
        return None, problems
    line = ListRow(
        number,
        item,
        "" if model == "0" else model,
        _cell_text(get["sku"]),
        _cell_text(get.get("name")),
        numbers["price"],
        numbers["stock"],
    )
    return line, []


# --- matching and keeping the ids --------------------------------------------------------


@store.follows_session
def _variants(session: Session) -> dict[str, catalog.VariantInfo]:
    return {v.sku.casefold(): v for v in catalog.list_variants(session)}


def _list_problems(listing: ProductList) -> list[Problem]:
    """A SKU twice in the list: ShopDesk could not tell which listing is which."""
    seen: dict[str, int] = {}
    found: list[Problem] = []
    for line in listing.rows:
        key = line.sku.casefold()
        if key and key in seen:
            found.append(
                Problem(
                    line.row,
                    listing.headers["sku"],
                    _("SKU {sku} is also on row {other}").format(sku=line.sku, other=seen[key]),
                )
            )
        seen.setdefault(key, line.row)
    return found


@store.follows_session
def preview_list(session: Session, *, target: str, data: bytes, filename: str = "") -> ListPreview:
    """Each listing of the file with the variant it matches by SKU; writes nothing."""
    session = require_seller(session)
    target = _known(target)
    listing = read_list(data, target, filename=filename)
    by_sku = _variants(session)
    matches = []
    for line in listing.rows:
        variant = by_sku.get(line.sku.casefold()) if line.sku else None
        if not line.sku:
            matches.append(Match(line, NO_SKU))
        elif variant is None:
            matches.append(Match(line, UNKNOWN))
        else:
            matches.append(Match(line, MATCHED, variant.id, variant.name))
    problems = (*listing.problems, *_list_problems(listing))
    return ListPreview(target, filename, tuple(matches), tuple(problems))


def _known(target: str) -> str:
    name = target.strip().lower()
    name = "tokopedia" if name in ("tiktok", "tiktok-shop") else name
    if name not in LAYOUTS:
        raise ValidationError(
            _("Unknown marketplace {name}. Choose from: {choices}.").format(
                name=target, choices=", ".join(LAYOUTS)
            )
        )
    return name


def refuse_problems(problems: Sequence[Problem], filename: str) -> None:
    if problems:
        shown = "\n".join(p.text() for p in problems[:10])
        more = len(problems) - 10
        if more > 0:
            shown += "\n" + _("… and {count} more.").format(count=more)
        raise ValidationError(
            _(
                "{file} has mistakes; nothing was imported. Fix them or download the list "
                "again:\n{problems}"
            ).format(file=filename, problems=shown)
        )


@store.follows_session
def import_list(session: Session, *, target: str, path: Path) -> ListPreview:
    """Keep the marketplace ids of every listing whose SKU is in the shop, and the file
    (for the mass update); all or nothing."""
    session = require_seller(session)
    path = Path(path)
    data = marketplace.read_file(path)
    result = preview_list(session, target=target, data=data, filename=path.name)
    refuse_problems(result.problems, path.name)
    now = utcnow()
    with store.transaction():
        for match in result.matches:
            if match.variant_id is not None:
                _link(session, result.target, match, now)
        marketplace.save_file(
            session, kind=f"{result.target}-update", data=data, filename=path.name
        )
        audit.record(
            "marketplace.list_import",
            actor=session.actor,
            shop_id=session.shop_id,
            target=result.target,
            file=path.name,
            matched=result.count(MATCHED),
            unknown=result.count(UNKNOWN),
            no_sku=result.count(NO_SKU),
        )
    return result


@store.follows_session
def _link(session: Session, target: str, match: Match, now: object) -> None:
    line = match.line
    fields = {
        "item_id": line.item_id,
        "model_id": line.model_id,
        "listed_price": line.price,
        "listed_stock": line.stock,
        "imported_at": now,
    }
    where = (
        (MarketplaceLink.shop == session.shop_id)
        & (MarketplaceLink.variant == match.variant_id)
        & (MarketplaceLink.target == target)
    )
    if not MarketplaceLink.update(**fields).where(where).execute():
        MarketplaceLink.create(
            shop=session.shop_id, variant=match.variant_id, target=target, **fields
        )


@dataclass(frozen=True)
class Link:
    target: str
    sku: str
    item_id: str
    model_id: str


@store.follows_session
def links(session: Session, *, target: str | None = None) -> list[Link]:
    session = require_seller(session)
    skus = {v.id: v.sku for v in catalog.list_variants(session, include_archived=True)}
    query = MarketplaceLink.select().where(MarketplaceLink.shop == session.shop_id)
    if target is not None:
        query = query.where(MarketplaceLink.target == _known(target))
    return sorted(
        (Link(r.target, skus.get(r.variant_id, ""), r.item_id, r.model_id) for r in query),
        key=lambda link: (link.target, link.sku),
    )


# --- writing the mass update ----------------------------------------------------------------


@store.follows_session
def _by_ids(session: Session, target: str) -> dict[tuple[str, str], int]:
    query = MarketplaceLink.select().where(
        (MarketplaceLink.shop == session.shop_id) & (MarketplaceLink.target == target)
    )
    return {(r.item_id, r.model_id): r.variant_id for r in query}


@store.follows_session
def write_update(session: Session, *, target: str, out_dir: Path) -> UpdateResult:
    """The marketplace's own list file with today's price and stock (less the buffer)
    for every listing linked to a variant; the rest of the file as it came."""
    session = require_seller(session)
    target = _known(target)
    saved = marketplace.saved_file(session, f"{target}-update")
    if saved is None:
        raise ValidationError(
            _(
                "Import the product list downloaded from {target} first: the mass update "
                "is that file with your stock and prices."
            ).format(target=marketplace.TARGET_NAMES[target])
        )
    listing = read_list(saved.data, target, filename=saved.filename)
    wb = load_workbook(io.BytesIO(saved.data))
    ws = wb[listing.sheet]
    keep = marketplace.buffer(session)
    variants = {v.id: v for v in catalog.list_variants(session)}
    by_ids = _by_ids(session, target)
    by_sku = {v.sku.casefold(): v for v in variants.values()}
    expired = marketplace.expired_units(session)
    lines: list[UpdateLine] = []
    skipped: list[str] = []
    for line in listing.rows:
        variant = variants.get(by_ids.get((line.item_id, line.model_id), -1)) or by_sku.get(
            line.sku.casefold()
        )
        if variant is None:
            skipped.append(line.sku or line.item_id)
            continue
        gone = expired.get(variant.sku.casefold(), 0)
        offered = marketplace.offered(variant.on_hand, gone, keep)
        fill_cell(ws.cell(row=line.row, column=listing.columns["price"]), variant.price)
        fill_cell(ws.cell(row=line.row, column=listing.columns["stock"]), offered)
        lines.append(
            UpdateLine(variant.sku, variant.name, variant.on_hand, offered, variant.price, gone)
        )
    path = _save(wb, Path(out_dir), target)
    audit.record_alone(
        "marketplace.mass_update",
        actor=session.actor,
        shop_id=session.shop_id,
        target=target,
        path=str(path),
        rows=len(lines),
        buffer=keep,
    )
    return UpdateResult(path, tuple(lines), tuple(skipped), keep)


def _save(wb: Workbook, out_dir: Path, target: str) -> Path:
    stamp = utcnow().strftime("%Y%m%d-%H%M%S")
    path = out_dir / f"{UPDATE_FILES[target]}-{stamp}.xlsx"
    buffer = io.BytesIO()
    wb.save(buffer)
    try:
        write_bytes_atomic(path, buffer.getvalue())
    except OSError as exc:
        raise storage_error(exc, path) from exc
    return path


__all__ = [
    "ListPreview",
    "Problem",
    "UpdateResult",
    "import_list",
    "links",
    "preview_list",
    "read_list",
    "write_update",
]
