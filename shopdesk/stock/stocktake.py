"""Stocktake (stock opname) while the shop stays open.

Start a count for all or some products, type or scan what is on the shelf,
review the differences, post them all in one transaction. Each line keeps
``expected``: the on-hand figure at the moment it was last counted, so sales
made during the count do not show up as losses. Posting books
``counted - expected`` for every counted line as a ``stocktake`` movement.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import peewee

from shopdesk import audit, store
from shopdesk.clock import to_local, utcnow
from shopdesk.errors import NotFoundError, ValidationError
from shopdesk.i18n import N_, _
from shopdesk.profiles import Session, require_seller
from shopdesk.stock import cache, ledger
from shopdesk.stock.checks import STOCKTAKE, check_quantity, clean_note
from shopdesk.stock.lookups import find_variant, variant_by_code
from shopdesk.stock.queries import row_tuples
from shopdesk.store.models import Category, Product, StockCount, StockCountLine, Variant

OPEN, POSTED, CANCELLED = "open", "posted", "cancelled"
STATUS_LABELS = {OPEN: N_("open"), POSTED: N_("posted"), CANCELLED: N_("cancelled")}


@dataclass(frozen=True)
class CountLineInfo:
    sku: str
    product_name: str
    options: str
    barcode: str
    counted: int | None
    expected: int | None
    on_hand: int  # now
    counted_at: datetime | None

    @property
    def difference(self) -> int | None:
        if self.counted is None or self.expected is None:
            return None
        return self.counted - self.expected


@dataclass(frozen=True)
class CountInfo:
    id: int
    status: str
    note: str
    started_at: datetime
    posted_at: datetime | None
    lines: tuple[CountLineInfo, ...]

    @property
    def counted_lines(self) -> int:
        return sum(1 for line in self.lines if line.counted is not None)

    @property
    def differences(self) -> tuple[CountLineInfo, ...]:
        return tuple(line for line in self.lines if line.difference)


@dataclass(frozen=True)
class PostResult:
    count_id: int
    lines_posted: int
    movements: int
    units_added: int
    units_removed: int


def status_label(status: str) -> str:
    return _(STATUS_LABELS.get(status, status))


def _options(variant_row: tuple[str, str]) -> str:
    return " / ".join(value for value in variant_row if value)


@store.follows_session
def _find_count(session: Session, count_id: int | None, *, open_only: bool = True) -> StockCount:
    query = StockCount.select().where(StockCount.shop == session.shop_id)
    if count_id is None:
        row: StockCount | None = (
            query.where(StockCount.status == OPEN).order_by(StockCount.id.desc()).first()
        )
        if row is None:
            raise NotFoundError(_("There is no open stocktake. Start one with “count start”."))
        return row
    row = query.where(StockCount.id == count_id).first()
    if row is None:
        raise NotFoundError(_("There is no stocktake number {id}.").format(id=count_id))
    if open_only and row.status != OPEN:
        raise ValidationError(
            _("Stocktake {id} is already {status}. Start a new one.").format(
                id=row.id, status=status_label(row.status)
            )
        )
    return row


@store.follows_session
def start_count(
    session: Session,
    *,
    skus: Iterable[str] | None = None,
    category: str | None = None,
    note: str = "",
) -> CountInfo:
    """Open a count for every active variant, the SKUs given, or one category."""
    session = require_seller(session)
    text = clean_note(note)
    with store.transaction():
        if (
            StockCount.select()
            .where((StockCount.shop == session.shop_id) & (StockCount.status == OPEN))
            .exists()
        ):
            raise ValidationError(
                _("A stocktake is already open. Post or cancel it before starting another.")
            )
        wanted = (
            None if skus is None else list(dict.fromkeys(find_variant(session, s).id for s in skus))
        )
        count = StockCount.create(shop=session.shop_id, status=OPEN, note=text, started_at=utcnow())
        source = (
            Variant.select(peewee.Value(count.id), Variant.id)
            .join(Product, on=(Variant.product == Product.id))
            .where(Variant.shop == session.shop_id)
        )
        if wanted is not None:
            source = source.where(Variant.id.in_(wanted or [0]))
        else:
            source = source.where(
                (Variant.archived == False)  # noqa: E712 (peewee expression)
                & (Product.archived == False)  # noqa: E712
            )
        if category:
            source = source.join(Category, on=(Product.category == Category.id)).where(
                peewee.fn.lower(Category.name) == category.strip().lower()
            )
        # One INSERT ... SELECT: a count of 150,000 variants is one statement.
        StockCountLine.insert_from(source, [StockCountLine.count, StockCountLine.variant]).execute()
        lines = StockCountLine.select().where(StockCountLine.count == count.id).count()
        if not lines:
            raise ValidationError(_("There are no products to count."))
        audit.record(
            "stocktake.start",
            actor=session.actor,
            shop_id=session.shop_id,
            count=count.id,
            lines=lines,
            category=category,
        )
    return get_count(session, count_id=count.id)


def _line_query(count_id: int) -> peewee.ModelSelect[StockCountLine]:
    query = (
        StockCountLine.select(
            Variant.sku,
            Product.name,
            Variant.option1_value,
            Variant.option2_value,
            Variant.barcode,
            StockCountLine.counted,
            StockCountLine.expected,
            cache.VARIANT_ON_HAND,
            StockCountLine.counted_at,
        )
        .join(Variant, on=(StockCountLine.variant == Variant.id))
        .join(Product, on=(Variant.product == Product.id))
    )
    return query.where(StockCountLine.count == count_id).order_by(
        Product.name, Variant.position, Variant.sku
    )


def _line_info(row: tuple[Any, ...]) -> CountLineInfo:
    sku, name, opt1, opt2, barcode, counted, expected, on_hand, counted_at = row
    return CountLineInfo(
        sku, name, _options((opt1, opt2)), barcode, counted, expected, on_hand, counted_at
    )


@store.follows_session
def get_count(session: Session, *, count_id: int | None = None) -> CountInfo:
    """A stocktake with its lines (the open one when no number is given)."""
    session = require_seller(session)
    count = _find_count(session, count_id, open_only=False)
    lines = tuple(_line_info(row) for row in row_tuples(_line_query(count.id)))
    return CountInfo(count.id, count.status, count.note, count.started_at, count.posted_at, lines)


@store.follows_session
def list_counts(session: Session, *, limit: int = 50) -> list[CountInfo]:
    """Stocktakes newest first, without their lines."""
    session = require_seller(session)
    rows = (
        StockCount.select()
        .where(StockCount.shop == session.shop_id)
        .order_by(StockCount.id.desc())
        .limit(limit)
    )
    return [CountInfo(r.id, r.status, r.note, r.started_at, r.posted_at, ()) for r in rows]


def _set_line(count: StockCount, variant: Variant, *, counted: int | None, add: int) -> None:
    """Write a count for one variant; ``expected`` is the on-hand right now."""
    on_hand = cache.variant_on_hand(variant.id)
    line = StockCountLine.get_or_none(
        (StockCountLine.count == count.id) & (StockCountLine.variant == variant.id)
    )
    if line is None:  # found on the shelf although not in the list: count it too
        line = StockCountLine.create(count=count.id, variant=variant.id)
    value = counted if counted is not None else (line.counted or 0) + add
    check_quantity(value, allow_zero=True)  # a scan may pass the limit
    StockCountLine.update(counted=value, expected=on_hand, counted_at=utcnow()).where(
        StockCountLine.id == line.id
    ).execute()


@store.follows_session
def _line_of(session: Session, count_id: int, variant_id: int) -> CountLineInfo:
    row = _line_query(count_id).where(StockCountLine.variant == variant_id).tuples().first()
    return _line_info(row)


@store.follows_session
def enter_count(
    session: Session, *, sku: str, counted: int, count_id: int | None = None
) -> CountLineInfo:
    """Type the counted quantity of one SKU (replaces an earlier entry)."""
    session = require_seller(session)
    value = check_quantity(counted, allow_zero=True)  # counted zero is a count
    with store.transaction():
        count = _find_count(session, count_id)
        variant = find_variant(session, sku)
        _set_line(count, variant, counted=value, add=0)
    return _line_of(session, count.id, variant.id)


@store.follows_session
def find_code(session: Session, code: str) -> Variant:
    """A scanned or typed code (SKU or barcode) in the seller's shop."""
    variant = variant_by_code(session, code)
    if variant is None:
        raise NotFoundError(
            _("No product has the code {code}. Check the SKU or barcode.").format(
                code=str(code or "").strip()
            )
        )
    return variant


@store.follows_session
def scan(session: Session, *, code: str, count_id: int | None = None) -> CountLineInfo:
    """One scan (SKU or barcode) adds one to that product's count."""
    session = require_seller(session)
    with store.transaction():
        count = _find_count(session, count_id)
        variant = find_code(session, code)
        _set_line(count, variant, counted=None, add=1)
    return _line_of(session, count.id, variant.id)


@store.follows_session
def review(session: Session, *, count_id: int | None = None) -> CountInfo:
    """The count with its lines; ``.differences`` lists what posting would change."""
    return get_count(session, count_id=count_id)


@store.follows_session
@store.retried
def post_count(session: Session, *, count_id: int | None = None, note: str = "") -> PostResult:
    """Book every counted difference in one transaction and close the count.

    Lines never counted are left alone (the product was not counted, which
    is not the same as counted zero).
    """
    session = require_seller(session)
    typed = clean_note(note)
    with store.transaction():
        count = _find_count(session, count_id)
        if store.lock_rows("stock_count", [count.id]):  # posted from two PCs: once
            count = _find_count(session, count.id)
        text = typed or _("stocktake {id}").format(id=count.id)
        rows = (
            StockCountLine.select(StockCountLine, Variant)
            .join(Variant, on=(StockCountLine.variant == Variant.id))
            .where((StockCountLine.count == count.id) & StockCountLine.counted.is_null(False))
        )
        moves = added = removed = lines = 0
        for line in rows:
            if line.counted is None or line.expected is None:  # counting sets both
                continue
            difference = line.counted - line.expected
            if difference == 0:
                continue
            ids = ledger.apply_difference(
                session,
                line.variant,
                difference,
                STOCKTAKE,
                note=text,
                allow_negative=True,  # posting is the seller's confirmation
                count_id=count.id,
            )
            moves += len(ids)
            lines += 1
            added += max(difference, 0)
            removed += max(-difference, 0)
        StockCount.update(status=POSTED, posted_at=utcnow()).where(
            StockCount.id == count.id
        ).execute()
        audit.record(
            "stocktake.post",
            actor=session.actor,
            shop_id=session.shop_id,
            count=count.id,
            lines=lines,
            added=added,
            removed=removed,
        )
    return PostResult(count.id, lines, moves, added, removed)


@store.follows_session
def cancel_count(session: Session, *, count_id: int | None = None) -> None:
    session = require_seller(session)
    with store.transaction():
        count = _find_count(session, count_id)
        StockCount.update(status=CANCELLED).where(StockCount.id == count.id).execute()
        audit.record(
            "stocktake.cancel", actor=session.actor, shop_id=session.shop_id, count=count.id
        )


@store.follows_session
def uncounted(session: Session, *, count_id: int | None = None) -> int:
    session = require_seller(session)
    count = _find_count(session, count_id, open_only=False)
    lines: int = (
        StockCountLine.select(peewee.fn.COUNT(StockCountLine.id))
        .where((StockCountLine.count == count.id) & StockCountLine.counted.is_null())
        .scalar()
    )
    return lines


@store.follows_session
def count_sheet(session: Session, *, path: Path, count_id: int | None = None) -> Path:
    """A printable PDF: product, SKU, barcode, expected now, an empty box."""
    from shopdesk.stock.count_sheet import render_count_sheet

    info = get_count(session, count_id=count_id)
    started = to_local(info.started_at, session.timezone)
    return render_count_sheet(
        Path(path),
        shop_name=session.shop_name,
        title=_("Stocktake {id}").format(id=info.id),
        subtitle=_("Started {time} {zone}").format(
            time=started.strftime("%Y-%m-%d %H:%M"), zone=session.timezone
        ),
        lines=info.lines,
    )
