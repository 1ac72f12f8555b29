"""Planning an order import: each order of the file against what the shop has
recorded; the preview shows the plan row by row and nothing is written.

When an order becomes a sale (decided here, once for every format): when the
marketplace has taken the stock, i.e. the order is paid, packed, shipped or
completed. An unpaid order waits (import again later); a later "completed"
of an order recorded earlier changes nothing. A cancelled order is skipped,
or, when it was recorded while paid, its sale is voided and the stock comes
back. Returned quantities come back into stock once: the file's figure minus
what earlier imports returned. Identity is the order number per channel, and
the SKU within the order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import cast

from shopdesk import stock, store
from shopdesk.i18n import _
from shopdesk.orders.formats import CANCELLED, RETURNED_QTY, UNPAID, OrderFormat
from shopdesk.orders.formats import RETURNED as RETURN_STATUS
from shopdesk.orders.reading import OrderFile, OrderLine
from shopdesk.profiles import Session
from shopdesk.store.models import Movement, Sale, SaleLine, Variant

# What happens to a row.
RECORD = "record"  # a new sale (and its returns, if the file has some)
RETURN = "return"  # recorded earlier; returned units come back now
VOID = "void"  # recorded earlier, cancelled since: the sale is voided
UNCHANGED = "unchanged"  # recorded earlier, nothing new
CANCELLED_SKIP = "cancelled"  # never recorded and cancelled: skipped
WAITING = "waiting"  # not paid yet: import again later
UNKNOWN_SKU = "unknown"  # a SKU the shop does not have: nothing written for the order
REJECT = "reject"  # a bad cell: nothing of the file is written
# The summaries' names for each action's count (``OrdersPreview.counts``).
SUMMARY_NAMES = {
    "record": RECORD,
    "ret": RETURN,
    "void": VOID,
    "same": UNCHANGED,
    "cancelled": CANCELLED_SKIP,
    "waiting": WAITING,
    "unknown": UNKNOWN_SKU,
    "reject": REJECT,
}
WRITES = (RECORD, RETURN, VOID)


@dataclass(frozen=True)
class OrderRow:
    line: int
    order: str
    sku: str
    quantity: int
    action: str
    messages: tuple[str, ...] = ()


@dataclass(frozen=True)
class OrdersPreview:
    file: str
    format: str  # formats code
    format_title: str
    channel: str
    rows: tuple[OrderRow, ...]
    notes: tuple[str, ...] = ()

    def orders(self, action: str) -> list[str]:
        """Order numbers with at least one row of ``action``, in file order."""
        return list(dict.fromkeys(r.order for r in self.rows if r.action == action))

    def count(self, action: str) -> int:
        return len(self.orders(action))

    def counts(self) -> dict[str, int]:
        """Orders per action, by the names the summaries' messages use."""
        return {name: self.count(action) for name, action in SUMMARY_NAMES.items()}

    @property
    def rejected(self) -> tuple[OrderRow, ...]:
        return tuple(r for r in self.rows if r.action == REJECT)

    @property
    def has_work(self) -> bool:
        return any(r.action in WRITES for r in self.rows)


@dataclass
class Existing:
    """A sale an earlier import recorded for an order."""

    sale_id: int
    number: int
    voided: bool
    lines: dict[str, list[int]] = field(default_factory=dict)  # SKU -> sale line ids
    returned: dict[str, int] = field(default_factory=dict)  # SKU -> units returned so far


@dataclass
class PlannedOrder:
    """What applying does with one order."""

    order: str
    lines: list[OrderLine]
    action: str
    existing: Existing | None = None
    returns: dict[str, int] = field(default_factory=dict)  # SKU -> units to return now
    rows: list[OrderRow] = field(default_factory=list)


@dataclass
class Plan:
    file: OrderFile
    orders: list[PlannedOrder]
    variants: dict[str, tuple[int, str]]  # upper SKU -> (variant id, SKU)

    def preview(self) -> OrdersPreview:
        rows = sorted((r for o in self.orders for r in o.rows), key=lambda r: r.line)
        fmt = self.file.format
        return OrdersPreview(
            self.file.name, fmt.code, fmt.title, fmt.channel, tuple(rows), self.file.notes
        )


@store.follows_session
def plan(session: Session, file: OrderFile) -> Plan:
    fmt = file.format
    variants = _variants(session)
    existing = _existing(session, fmt.channel)
    grouped: dict[str, list[OrderLine]] = {}
    for line in file.lines:
        grouped.setdefault(line.order, []).append(line)
    orders = [
        _plan_order(fmt, number, lines, variants, existing.get(number))
        for number, lines in grouped.items()
    ]
    _note_short_stock(orders, variants)
    return Plan(file, orders, variants)


@store.follows_session
def _variants(session: Session) -> dict[str, tuple[int, str]]:
    query = Variant.select(Variant.id, Variant.sku).where(Variant.shop == session.shop_id)
    rows = cast(Iterable[tuple[int, str]], query.tuples())
    return {sku.upper(): (vid, sku) for vid, sku in rows}


@store.follows_session
def _existing(session: Session, channel: str) -> dict[str, Existing]:
    """The shop's sales of this channel that carry an order number, with their lines."""
    found: dict[str, Existing] = {}
    by_id: dict[int, Existing] = {}
    sales = Sale.select(Sale.id, Sale.number, Sale.voided_at, Sale.external_order).where(
        (Sale.shop == session.shop_id) & (Sale.channel == channel) & (Sale.external_order != "")
    )
    for sale in sales:
        entry = Existing(sale.id, sale.number, sale.voided_at is not None)
        found[sale.external_order] = by_id[sale.id] = entry
    if not by_id:
        return found
    lines = (
        SaleLine.select(SaleLine.id, SaleLine.sale, Variant.sku)
        .join(Variant, on=(SaleLine.variant == Variant.id))
        .where(SaleLine.sale.in_(list(by_id)))
        .tuples()
    )
    line_sku: dict[int, tuple[Existing, str]] = {}
    for line_id, sale_id, sku in cast(Iterable[tuple[int, int, str]], lines):
        entry = by_id[sale_id]
        entry.lines.setdefault(sku.upper(), []).append(line_id)
        line_sku[line_id] = (entry, sku.upper())
    moves = Movement.select(Movement.sale_line, Movement.quantity).where(
        (Movement.shop == session.shop_id)
        & (Movement.reason == stock.RETURNED)
        & Movement.sale_line.in_(list(line_sku))
    )
    for line_id, quantity in cast(Iterable[tuple[int, int]], moves.tuples()):
        entry, sku = line_sku[line_id]
        entry.returned[sku] = entry.returned.get(sku, 0) + quantity
    return found


def _plan_order(
    fmt: OrderFormat,
    number: str,
    lines: list[OrderLine],
    variants: dict[str, tuple[int, str]],
    existing: Existing | None,
) -> PlannedOrder:
    order = PlannedOrder(number, lines, "", existing)
    if any(line.errors for line in lines):
        for line in lines:
            why = line.errors or [_("another row of this order has a problem")]
            order.rows.append(_row(line, REJECT, why))
        order.action = REJECT
        return order
    unknown = [line for line in lines if line.sku.upper() not in variants]
    status = lines[0].status
    if existing is not None:
        _plan_existing(fmt, order, status, existing)
    elif status == UNPAID:
        _all(order, WAITING, _("not paid yet: it is recorded when it is paid; import again later"))
    elif status == CANCELLED:
        _all(
            order,
            CANCELLED_SKIP,
            _("cancelled in the marketplace ({status}): nothing is recorded").format(
                status=lines[0].status_text
            ),
        )
    elif status == RETURN_STATUS and RETURNED_QTY not in fmt.headers:
        _all(
            order,
            CANCELLED_SKIP,
            _(
                "refunded before ShopDesk recorded it, and the file has no returned "
                "quantities: skipped"
            ),
        )
    elif unknown:
        _plan_unknown(order, unknown)
    else:
        _plan_new(order)
    return order


def _row(line: OrderLine, action: str, messages: Iterable[str]) -> OrderRow:
    return OrderRow(line.line, line.order, line.sku, line.quantity, action, tuple(messages))


def _all(order: PlannedOrder, action: str, message: str) -> None:
    order.action = action
    order.rows = [_row(line, action, [message]) for line in order.lines]


def _plan_unknown(order: PlannedOrder, unknown: list[OrderLine]) -> None:
    order.action = UNKNOWN_SKU
    skus = ", ".join(dict.fromkeys(line.sku for line in unknown))
    for line in order.lines:
        if line in unknown:
            text = _(
                "the shop has no SKU {sku}: nothing is written for this order. Add the "
                "product (or fix the SKU in the marketplace) and import again"
            ).format(sku=line.sku)
        else:
            text = _("waits for the unknown SKU {skus} of this order").format(skus=skus)
        order.rows.append(_row(line, UNKNOWN_SKU, [text]))


def _plan_new(order: PlannedOrder) -> None:
    order.action = RECORD
    for line in order.lines:
        messages = [_("becomes a sale, {status}").format(status=line.status_text)]
        if line.returned:
            sku = line.sku.upper()
            order.returns[sku] = order.returns.get(sku, 0) + line.returned
            messages.append(_("{n} returned: back into stock").format(n=line.returned))
        order.rows.append(_row(line, RECORD, messages))


def _plan_existing(fmt: OrderFormat, order: PlannedOrder, status: str, old: Existing) -> None:
    recorded = _("recorded as sale {number}").format(number=old.number)
    if old.voided:
        _all(
            order,
            UNCHANGED,
            _("sale {number} was voided: not recorded again").format(number=old.number),
        )
        return
    if status == CANCELLED:
        _all(
            order,
            VOID,
            _(
                "cancelled after it was recorded: sale {number} is voided and its stock comes back"
            ).format(number=old.number),
        )
        return
    wanted: dict[str, int] = {}
    for line in order.lines:
        sku = line.sku.upper()
        wanted[sku] = wanted.get(sku, 0) + line.returned
    order.action = UNCHANGED
    shown: set[str] = set()
    for line in order.lines:
        sku = line.sku.upper()
        messages = [recorded]
        action = UNCHANGED
        if sku not in old.lines:
            messages.append(_("this item is not in the recorded sale: not added"))
        elif sku not in shown:
            more = wanted[sku] - old.returned.get(sku, 0)
            if more > 0:
                order.returns[sku] = more
                order.action = action = RETURN
                messages.append(_("{n} more returned: back into stock").format(n=more))
        if status == RETURN_STATUS and RETURNED_QTY not in fmt.headers:
            messages.append(_("refunded: if the goods came back, record them with Stock in"))
        shown.add(sku)
        order.rows.append(_row(line, action, messages))


def _note_short_stock(orders: list[PlannedOrder], variants: dict[str, tuple[int, str]]) -> None:
    """Mark new sales that would take a variant below zero (the seller may allow it)."""
    need: dict[str, int] = {}
    for order in orders:
        if order.action == RECORD:
            for line in order.lines:
                sku = line.sku.upper()
                need[sku] = need.get(sku, 0) + line.quantity
    short = {
        sku: on_hand
        for sku, qty in need.items()
        if qty > (on_hand := stock.variant_on_hand(variants[sku][0]))
    }
    for order in orders:
        if order.action != RECORD:
            continue
        for i, row in enumerate(order.rows):
            sku = row.sku.upper()
            if sku in short:
                text = _("the stock of {sku} is short ({on_hand} on hand for {need})").format(
                    sku=variants[sku][1], on_hand=short[sku], need=need[sku]
                )
                order.rows[i] = OrderRow(
                    row.line, row.order, row.sku, row.quantity, row.action, (*row.messages, text)
                )
