"""Export of products and stock with the import's column names."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from shopdesk import audit, store, tabular
from shopdesk.catalog.reads import list_products
from shopdesk.catalog.table_io.columns import COLUMNS, TEXT_COLUMNS
from shopdesk.errors import ValidationError
from shopdesk.i18n import _
from shopdesk.profiles import Session, require_seller


def _yes_no(value: bool) -> str:
    return "ya" if value else "tidak"


@store.follows_session
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


@store.follows_session
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


@store.follows_session
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


@store.follows_session
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


@store.follows_session
def _audit_export(session: Session, what: str, path: Path, count: int) -> None:
    audit.record_alone(
        f"export.{what}", actor=session.actor, shop_id=session.shop_id, file=path.name, rows=count
    )
