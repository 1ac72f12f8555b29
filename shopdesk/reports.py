"""Reports as plain rows: sales summaries, stock value, low stock, the home chart,
and CSV/XLSX exports of movements and sales.

Days and months are the shop's local calendar (WIB, WITA or WIT); stored
times are UTC, so a day is the UTC range from ``clock.local_day_bounds``.
Voided sales count nowhere except in the sales export, where they are marked.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import cast

import peewee

from shopdesk import audit, stock, store, tabular
from shopdesk.clock import local_day_bounds, local_today, to_local
from shopdesk.errors import ValidationError
from shopdesk.i18n import _
from shopdesk.profiles import Session, require_seller
from shopdesk.safe_io import atomic_writer, storage_error
from shopdesk.sales import line_amount
from shopdesk.stock import reason_label
from shopdesk.store.models import Batch, LotStock, Movement, Product, Sale, SaleLine, Variant

FORMATS = ("csv", "xlsx")
Row = tuple[object, ...]  # one exported row
# sales.line_amount in SQL: what a line costs the customer.
_AMOUNT = SaleLine.quantity * SaleLine.unit_price - SaleLine.discount


@dataclass(frozen=True)
class ProductSales:
    sku: str
    product_name: str
    units: int
    revenue: int
    cost: int

    @property
    def margin(self) -> int:
        return self.revenue - self.cost


@dataclass(frozen=True)
class Summary:
    first_day: date
    last_day: date
    sales: int
    units: int
    revenue: int
    cost: int
    products: tuple[ProductSales, ...]  # best sellers (by revenue) first

    @property
    def margin(self) -> int:
        return self.revenue - self.cost


@dataclass(frozen=True)
class StockValue:
    variants: int
    units: int
    at_cost: int
    at_price: int


@dataclass(frozen=True)
class LowStockRow:
    sku: str
    product_name: str
    on_hand: int
    threshold: int


@dataclass(frozen=True)
class DayPoint:
    day: date
    sales: int
    units: int
    revenue: int


@store.follows_session
def _utc_range(session: Session, first: date, last: date) -> tuple[datetime, datetime]:
    start, _end = local_day_bounds(first, session.timezone)
    _start, end = local_day_bounds(last, session.timezone)
    return start, end


@store.follows_session
def _live(session: Session, start: datetime, end: datetime) -> peewee.Expression:
    """The shop's sales in [start, end) that were not voided."""
    return (
        (Sale.shop == session.shop_id)
        & (Sale.at >= start)
        & (Sale.at < end)
        & Sale.voided_at.is_null()
    )


@store.follows_session
def _live_lines(session: Session, start: datetime, end: datetime) -> peewee.ModelSelect[SaleLine]:
    return (
        SaleLine.select()
        .join(Sale, on=(SaleLine.sale == Sale.id))
        .where(_live(session, start, end))
    )


@store.follows_session
def summary(session: Session, *, first_day: date, last_day: date) -> Summary:
    """Revenue, cost, margin and units per product over local days, inclusive."""
    session = require_seller(session)
    if last_day < first_day:
        raise ValidationError(_("The last day is before the first day."))
    start, end = _utc_range(session, first_day, last_day)
    cost = SaleLine.quantity * SaleLine.unit_cost
    query = (
        _live_lines(session, start, end)
        .select(
            Variant.sku,
            Product.name,
            peewee.fn.SUM(SaleLine.quantity),
            peewee.fn.SUM(_AMOUNT),
            peewee.fn.SUM(cost),
        )
        .join(Variant, on=(SaleLine.variant == Variant.id))
        .join(Product, on=(Variant.product == Product.id))
        .group_by(Variant.id, Variant.sku, Product.name)
        .tuples()
    )
    # peewee's stubs type .tuples() rows as model instances; these are the columns.
    rows = cast(Iterable[tuple[str, str, int, int, int]], query)
    products = sorted(
        (ProductSales(sku, name, units, rev, cst) for sku, name, units, rev, cst in rows),
        key=lambda p: (-p.revenue, p.sku),
    )
    count = Sale.select(peewee.fn.COUNT(Sale.id)).where(_live(session, start, end)).scalar()
    return Summary(
        first_day,
        last_day,
        count or 0,
        sum(p.units for p in products),
        sum(p.revenue for p in products),
        sum(p.cost for p in products),
        tuple(products),
    )


@store.follows_session
def daily_summary(session: Session, *, day: date | None = None) -> Summary:
    session = require_seller(session)
    day = day or local_today(session.timezone)
    return summary(session, first_day=day, last_day=day)


@store.follows_session
def monthly_summary(session: Session, *, year: int, month: int) -> Summary:
    session = require_seller(session)
    if not 1 <= month <= 12 or not 2000 <= year <= 2200:
        raise ValidationError(_("Choose a month from 1 to 12 and a year like 2025."))
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return summary(session, first_day=first, last_day=following - timedelta(days=1))


@store.follows_session
def recent_days(
    session: Session, days: int, today: date | None = None
) -> tuple[date, datetime, datetime]:
    """The last ``days`` local days ending today: the first day, and the UTC range
    [start, end) they cover (the home chart and the cash-in view)."""
    if not 1 <= days <= 366:
        raise ValidationError(_("Choose between 1 and 366 days."))
    last = today or local_today(session.timezone)
    first = last - timedelta(days=days - 1)
    start, end = _utc_range(session, first, last)
    return first, start, end


@store.follows_session
def daily_series(session: Session, *, days: int = 30, today: date | None = None) -> list[DayPoint]:
    """One point per local day, oldest first, ending today (the home chart)."""
    session = require_seller(session)
    first, start, end = recent_days(session, days, today)
    points = {first + timedelta(days=i): [0, 0, 0] for i in range(days)}
    seen: dict[date, set[int]] = {}
    query = (
        _live_lines(session, start, end)
        .select(
            Sale.id,
            Sale.at,
            SaleLine.quantity,
            _AMOUNT,
        )
        .tuples()
    )
    rows = cast(Iterable[tuple[int, datetime, int, int]], query)  # the columns, as in summary()
    for sale_id, at, units, amount in rows:
        day = to_local(at, session.timezone).date()
        point = points[day]
        seen.setdefault(day, set()).add(sale_id)
        point[1] += units
        point[2] += amount
    return [
        DayPoint(day, len(seen.get(day, ())), units, revenue)
        for day, (_n, units, revenue) in points.items()
    ]


@store.follows_session
def stock_value(session: Session) -> StockValue:
    """What the stock on hand is worth at cost and at selling price."""
    session = require_seller(session)
    # Each variant's figure is the sum of its lots; only positive totals count
    # (a missing row means zero). One pass over the shop's lots, in key order.
    lots = (
        LotStock.select(LotStock.variant_id, peewee.fn.SUM(LotStock.on_hand).alias("q"))
        .where(LotStock.shop_id == session.shop_id)
        .group_by(LotStock.variant_id)
        .alias("lots")
    )
    on_hand = lots.c.q
    row = (
        Variant.select(
            peewee.fn.COUNT(Variant.id),
            peewee.fn.SUM(on_hand),
            peewee.fn.SUM(on_hand * Variant.cost),
            peewee.fn.SUM(on_hand * Variant.price),
        )
        .join(lots, on=(lots.c.variant_id == Variant.id))
        .where((Variant.shop == session.shop_id) & (on_hand > 0))
        .tuples()
        .first()
    )
    count, units, at_cost, at_price = row or (0, 0, 0, 0)
    return StockValue(count or 0, units or 0, at_cost or 0, at_price or 0)


@store.follows_session
def low_stock(session: Session) -> list[LowStockRow]:
    """Variants at or under their own threshold (threshold 0 means: not watched)."""
    session = require_seller(session)
    on_hand = stock.VARIANT_ON_HAND
    # The threshold first: the sum over the lots runs only for watched variants.
    query = (
        Variant.select(Variant.sku, Product.name, on_hand, Variant.low_stock)
        .join(Product, on=(Variant.product == Product.id))
        .where(
            (Variant.shop == session.shop_id)
            & (Variant.low_stock > 0)
            & (on_hand <= Variant.low_stock)
            & (Variant.archived == False)  # noqa: E712 (peewee expression)
            & (Product.archived == False)  # noqa: E712
        )
        .order_by(on_hand - Variant.low_stock, Variant.sku)
        .tuples()
    )
    rows = cast(Iterable[tuple[str, str, int, int]], query)  # the columns, as in summary()
    return [LowStockRow(*row) for row in rows]


# --- exports ------------------------------------------------------------------

MOVEMENT_COLUMNS = (
    "id",
    "time",
    "sku",
    "product",
    "batch",
    "reason",
    "reason_text",
    "quantity",
    "note",
    "actor",
    "reverses",
    "sale_number",
)
SALE_COLUMNS = (
    "sale_number",
    "time",
    "payment",
    "channel",
    "order_number",  # the marketplace's order number of an imported order, else empty
    "sku",
    "product",
    "quantity",
    "unit_price",
    "discount",
    "amount",
    "unit_cost",
    "voided",
    "note",
)
# Text-formatted ('@') in Excel, so a long order id edited there never becomes 5.79E+14.
TEXT_COLUMNS = {"sku", "batch", "product", "note", "barcode", "order_number"}
XLSX_MAX_ROWS = 1_048_575  # Excel's sheet limit, less the header


@store.follows_session
def _local_text(session: Session, moment: datetime) -> str:
    return to_local(moment, session.timezone).strftime("%Y-%m-%d %H:%M:%S")


@store.follows_session
def _movement_rows(session: Session, start: datetime, end: datetime) -> Iterator[Row]:
    query = (
        Movement.select(
            Movement.id,
            Movement.at,
            Variant.sku,
            Product.name,
            Batch.code,
            Movement.reason,
            Movement.quantity,
            Movement.note,
            Movement.actor,
            Movement.reverses,
            Sale.number,
        )
        .join(Variant, on=(Movement.variant == Variant.id))
        .join(Product, on=(Variant.product == Product.id))
        .switch(Movement)
        .join(Batch, peewee.JOIN.LEFT_OUTER, on=(Movement.batch == Batch.id))
        .switch(Movement)
        .join(SaleLine, peewee.JOIN.LEFT_OUTER, on=(Movement.sale_line == SaleLine.id))
        .join(Sale, peewee.JOIN.LEFT_OUTER, on=(SaleLine.sale == Sale.id))
        .where((Movement.shop == session.shop_id) & (Movement.at >= start) & (Movement.at < end))
        .order_by(Movement.id)
        .tuples()
    )
    for mid, at, sku, name, code, reason, qty, note, actor, reverses, number in query.iterator():
        yield (
            mid,
            _local_text(session, at),
            sku,
            name,
            code or "",
            reason,
            reason_label(reason),
            qty,
            note,
            actor,
            reverses or "",
            number or "",
        )


@store.follows_session
def _sale_rows(session: Session, start: datetime, end: datetime) -> Iterator[Row]:
    query = (
        SaleLine.select(
            Sale.number,
            Sale.at,
            Sale.payment,
            Sale.channel,
            Sale.external_order,
            Variant.sku,
            Product.name,
            SaleLine.quantity,
            SaleLine.unit_price,
            SaleLine.discount,
            SaleLine.unit_cost,
            Sale.voided_at,
            Sale.note,
        )
        .join(Sale, on=(SaleLine.sale == Sale.id))
        .switch(SaleLine)
        .join(Variant, on=(SaleLine.variant == Variant.id))
        .join(Product, on=(Variant.product == Product.id))
        .where((Sale.shop == session.shop_id) & (Sale.at >= start) & (Sale.at < end))
        .order_by(Sale.number, SaleLine.id)
        .tuples()
    )
    for row in query.iterator():
        number, at, pay, chan, order, sku, name, qty, price, disc, cost, voided, note = row
        yield (
            number,
            _local_text(session, at),
            pay,
            chan,
            order,
            sku,
            name,
            qty,
            price,
            disc,
            line_amount(qty, price, disc),
            cost,
            "yes" if voided else "",
            note,
        )


def check_format(fmt: str) -> str:
    fmt = (fmt or "").strip().lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValidationError(
            _("“{format}” is not an export format. Choose csv or xlsx.").format(format=fmt)
        )
    return fmt


def write_table(
    path: Path,
    fmt: str,
    columns: Sequence[str],
    rows: Iterator[Row],
    count: int,
    *,
    text: Iterable[str] = TEXT_COLUMNS,
) -> int:
    """Write atomically; returns the number of data rows."""
    path = Path(path)
    if fmt == "xlsx" and count > XLSX_MAX_ROWS:
        raise ValidationError(
            _(
                "More than {limit} rows do not fit in one Excel sheet. "
                "Export as CSV or choose fewer days."
            ).format(limit=XLSX_MAX_ROWS)
        )
    if not path.parent.is_dir():
        raise storage_error(FileNotFoundError(2, "No such directory"), path.parent)
    if fmt == "csv":
        return _write_csv(path, columns, rows)
    return _write_xlsx(path, columns, rows, text)


def _write_csv(path: Path, columns: Sequence[str], rows: Iterator[Row]) -> int:
    count = 0
    with atomic_writer(path) as handle:
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
        writer = tabular.CsvWriter(text)  # no text cell is a live formula
        writer.writerow(columns)
        for row in rows:
            writer.writerow(row)
            count += 1
        text.flush()
        text.detach()  # atomic_writer closes the binary file itself
    return count


def _write_xlsx(
    path: Path, columns: Sequence[str], rows: Iterator[Row], text: Iterable[str]
) -> int:
    written = 0

    def counted() -> Iterator[Row]:
        nonlocal written
        for row in rows:
            written += 1
            yield row

    # "0899..." stays text, not 8.99E+12; no text cell is a formula; whole or nothing
    tabular.write_xlsx(
        path, columns, counted(), text_columns=text, sheet_title=path.stem[:31] or "data"
    )
    return written


@store.follows_session
def export_range(
    session: Session, first_day: date | None, last_day: date | None
) -> tuple[datetime, datetime]:
    start = local_day_bounds(first_day, session.timezone)[0] if first_day else datetime(1970, 1, 1)
    end = local_day_bounds(last_day, session.timezone)[1] if last_day else datetime(9999, 1, 1)
    if end <= start:
        raise ValidationError(_("The last day is before the first day."))
    return start, end


@store.follows_session
def export_movements(
    session: Session,
    path: Path,
    fmt: str = "csv",
    *,
    first_day: date | None = None,
    last_day: date | None = None,
) -> int:
    """The shop's stock movements (optionally of some local days) to CSV or XLSX;
    returns the row count."""
    session = require_seller(session)
    fmt = check_format(fmt)
    start, end = export_range(session, first_day, last_day)
    with store.database.atomic("DEFERRED"):  # the count and the rows from one snapshot
        count = (
            Movement.select()
            .where(
                (Movement.shop == session.shop_id) & (Movement.at >= start) & (Movement.at < end)
            )
            .count()
        )
        rows = _movement_rows(session, start, end)
        written = write_table(path, fmt, MOVEMENT_COLUMNS, rows, count)
    audit_export(session, "movements", path, written)
    return written


@store.follows_session
def export_sales(
    session: Session,
    path: Path,
    fmt: str = "csv",
    *,
    first_day: date | None = None,
    last_day: date | None = None,
) -> int:
    """The shop's sale lines (voided sales marked) to CSV or XLSX; returns the row count."""
    session = require_seller(session)
    fmt = check_format(fmt)
    start, end = export_range(session, first_day, last_day)
    with store.database.atomic("DEFERRED"):
        count = (
            SaleLine.select()
            .join(Sale, on=(SaleLine.sale == Sale.id))
            .where((Sale.shop == session.shop_id) & (Sale.at >= start) & (Sale.at < end))
            .count()
        )
        written = write_table(path, fmt, SALE_COLUMNS, _sale_rows(session, start, end), count)
    audit_export(session, "sales", path, written)
    return written


@store.follows_session
def audit_export(session: Session, what: str, path: Path, rows: int) -> None:
    audit.record_alone(
        f"export.{what}",
        actor=session.actor,
        shop_id=session.shop_id,
        file=Path(path).name,
        rows=rows,
    )
