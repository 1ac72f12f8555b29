"""Sales: one or more lines, a payment method and a channel, through the ledger.

Each line takes its stock through ``stock.take`` (first expiry first out)
in the same transaction as the sale, so a sale and its movements commit or
vanish together. Expired batches are skipped; when only they are left the
sale is refused naming every such batch of the sale, unless ``allow_expired``
(then its audit row names them). A void reverses every movement of the sale, once.

A sale may be paid in full, partly or not at all (``paid``): the unpaid rest
becomes the customer's debt (kasbon) in ``shopdesk.debts``, in the same
transaction; voiding the sale takes that debt off again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from shopdesk import audit, debts, stock, store
from shopdesk.clock import utcnow
from shopdesk.errors import NotFoundError, ValidationError
from shopdesk.i18n import N_, _
from shopdesk.money import format_rupiah, parse_rupiah
from shopdesk.profiles import Session, require_seller
from shopdesk.store.models import Customer, Movement, Product, Sale, SaleLine, Variant

PAYMENTS = {
    "cash": N_("cash"),
    "transfer": N_("bank transfer"),
    "qris": N_("QRIS"),
    "marketplace": N_("marketplace"),
}
CHANNELS = {
    "direct": N_("direct"),
    "whatsapp": N_("WhatsApp"),
    "shopee": N_("Shopee"),
    "tokopedia": N_("Tokopedia"),
    "tiktok": N_("TikTok Shop"),
    "shopify": N_("Shopify"),
    "woocommerce": N_("WooCommerce"),
    "other": N_("other"),
}
MAX_LINES = 200


def line_amount(quantity: int, unit_price: int, discount: int = 0) -> int:
    """What a sale line costs the customer, in rupiah."""
    return quantity * unit_price - discount


# Cash "far above" the total looks like a typo (500rb typed for 50rb): at least ten
# times the total AND more than Rp 100.000 to give back. A Rp 100.000 note for a
# Rp 5.000 sale is ordinary and passes; the largest note is Rp 100.000.
OVERPAY_FACTOR = 10
OVERPAY_MARGIN = 100_000


@dataclass(frozen=True)
class CashCheck:
    """What the customer pays now against a sale's total: the cash handed over (what to
    give back, or what is missing), or, by another ``payment`` method, a part-payment
    whose rest can only be a customer's kasbon."""

    total: int
    paid: int
    payment: str = "cash"

    @property
    def by_cash(self) -> bool:
        return self.payment == "cash"

    @property
    def short(self) -> int:
        return max(0, self.total - self.paid)

    @property
    def change(self) -> int:
        """Only cash has change: a QRIS or transfer above the total is refused instead."""
        return max(0, self.paid - self.total) if self.by_cash else 0

    @property
    def over(self) -> bool:
        """Paid now by QRIS, transfer or marketplace above the total: not recordable."""
        return not self.by_cash and self.paid > self.total

    @property
    def suspicious(self) -> bool:
        """So far above the total that it is probably a typo: ask before recording."""
        return (
            self.by_cash
            and self.paid >= OVERPAY_FACTOR * self.total
            and self.paid - self.total > OVERPAY_MARGIN
        )

    def short_message(self) -> str:
        figures = {
            "paid": format_rupiah(self.paid),
            "short": format_rupiah(self.short),
            "total": format_rupiah(self.total),
        }
        if not self.by_cash:
            return _(
                "Paid now by {payment} ({paid}) is {short} short of the total ({total}). "
                "Correct the amount paid now."
            ).format(payment=payment_label(self.payment), **figures)
        return _(
            "The cash received ({paid}) is {short} short of the total ({total}). "
            "Correct the cash received."
        ).format(**figures)

    def over_message(self) -> str:
        return _more_than_total(self.paid, self.total)

    def suspicious_message(self) -> str:
        return _(
            "The cash received ({paid}) is far above the total ({total}): "
            "the change would be {change}. Is the amount right?"
        ).format(
            paid=format_rupiah(self.paid),
            total=format_rupiah(self.total),
            change=format_rupiah(self.change),
        )


def check_cash(total: int, paid: int | str) -> CashCheck:
    """Cash received (``15rb`` and the like) against ``total``; bad text raises."""
    return CashCheck(total, _money(paid, what=_("Cash received")))


@dataclass(frozen=True)
class LineInput:
    """One line as typed: price ``None`` means the variant's own price."""

    sku: str
    quantity: int | str
    unit_price: int | str | None = None
    discount: int | str = 0


@dataclass(frozen=True)
class SaleLineInfo:
    id: int
    sku: str
    product_name: str
    quantity: int
    unit_price: int
    discount: int
    unit_cost: int

    @property
    def amount(self) -> int:
        return line_amount(self.quantity, self.unit_price, self.discount)

    @property
    def cost(self) -> int:
        return self.quantity * self.unit_cost


@dataclass(frozen=True)
class SaleInfo:
    id: int
    number: int
    at: datetime
    payment: str
    channel: str
    total: int
    note: str
    voided_at: datetime | None
    void_reason: str
    lines: tuple[SaleLineInfo, ...]
    external_order: str = ""  # the marketplace's order number (orders import)
    customer_id: int | None = None
    customer_name: str = ""
    on_credit: int = 0  # the unpaid rest when sold: the customer's kasbon

    @property
    def paid(self) -> int:
        """What the customer paid at the till."""
        return self.total - self.on_credit

    @property
    def cost(self) -> int:
        return sum(line.cost for line in self.lines)

    @property
    def voided(self) -> bool:
        return self.voided_at is not None


def payment_label(code: str) -> str:
    return _(PAYMENTS.get(code, code))


def channel_label(code: str) -> str:
    return _(CHANNELS.get(code, code))


def _choice(value: str, choices: Mapping[str, str], what: str) -> str:
    code = (value or "").strip().lower()
    if code not in choices:
        raise ValidationError(
            _("“{value}” is not a {what}. Choose one of: {choices}.").format(
                value=value, what=what, choices=", ".join(choices)
            )
        )
    return code


# A line as callers pass it: the dataclass, its fields by name, or in order.
RawLine = LineInput | Mapping[str, Any] | tuple[Any, ...]


def _line(raw: RawLine) -> LineInput:
    if isinstance(raw, LineInput):
        return raw
    if isinstance(raw, Mapping):
        return LineInput(**raw)
    return LineInput(*raw)


def _money(value: int | str, *, what: str) -> int:
    try:
        return parse_rupiah(value)
    except ValidationError as exc:
        raise ValidationError(f"{what}: {exc.message}") from exc


@store.follows_session
@store.retried
def record_sale(
    session: Session,
    *,
    lines: Iterable[RawLine],
    payment: str = "cash",
    channel: str = "direct",
    note: str = "",
    at: datetime | None = None,
    allow_negative: bool = False,
    cash: int | str | None = None,
    confirm_cash: bool = False,
    allow_expired: bool = False,
    external_order: str = "",
    customer: int | str | None = None,
    paid: int | str | None = None,
) -> SaleInfo:
    """Record a sale and take its stock; returns the sale with its number.

    ``external_order`` is the marketplace's order number of an imported order:
    unique per shop and channel (the database refuses a second such sale).

    ``cash`` (cash payments only) is what the customer handed over: short of
    what is due now refuses the sale; far above it (``CashCheck.suspicious``)
    needs ``confirm_cash``. It is not stored: the change is the caller's to show.
    ``paid`` (default: the total) is what is paid now; the rest, if any, is the
    debt (kasbon) of ``customer`` (an id, ``#id``, a name or a number).
    """
    session = require_seller(session)
    items = [_line(raw) for raw in lines]
    if not items:
        raise ValidationError(_("A sale needs at least one line."))
    if len(items) > MAX_LINES:
        raise ValidationError(_("A sale can have at most {limit} lines.").format(limit=MAX_LINES))
    payment = _choice(payment, PAYMENTS, _("payment method"))
    channel = _choice(channel, CHANNELS, _("sales channel"))
    if cash is not None and payment != "cash":
        raise ValidationError(_("Cash received applies to cash payments only."))
    handed = None if cash is None else _money(cash, what=_("Cash received"))
    paid_now = None if paid is None or paid == "" else _money(paid, what=_("Paid now"))
    text = stock.clean_note(note)
    moment = at or utcnow()
    if moment.tzinfo is not None:  # stored as naive UTC like every other time
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    run = store.database.execute_sql
    with store.transaction():
        # Sales of one shop from several PCs take their numbers one after another.
        store.lock_rows("shop", [session.shop_id])
        buyer = None if customer is None else debts.resolve_customer(session, customer)
        number = run(
            "SELECT COALESCE(MAX(number), 0) + 1 FROM sale WHERE shop_id = ?", (session.shop_id,)
        ).fetchone()[0]
        sale_id = run(
            "INSERT INTO sale (shop_id, number, at, payment, channel, total, note, external_order) "
            "VALUES (?, ?, ?, ?, ?, 0, ?, ?) RETURNING id",
            (session.shop_id, number, str(moment), payment, channel, text, external_order),
        ).fetchone()[0]
        stale: list[stock.ExpiredLot] = []
        recorded = _record_lines(
            session, sale_id, items, moment, allow_negative, allow_expired, stale
        )
        total = sum(line.amount for line in recorded)
        due = _due_now(total, paid_now, buyer)  # raising here rolls the whole sale back
        if handed is not None:
            _require_cash(CashCheck(due, handed), confirm_cash)
        buyer_id = None if buyer is None else buyer.id
        run("UPDATE sale SET total = ?, customer_id = ? WHERE id = ?", (total, buyer_id, sale_id))
        credit = total - due
        if buyer is not None and credit:
            debts.record_credit(
                session, customer_id=buyer.id, sale_id=sale_id, amount=credit, at=moment
            )
        audit.record(  # one row per sale, not per line
            "sale.record",
            actor=session.actor,
            shop_id=session.shop_id,
            number=number,
            lines=len(recorded),
            total=total,
            payment_label=PAYMENTS[payment],
            note=text,
            **stock.expired_detail(stale),
            **_credit_detail(buyer, credit),
        )
    return SaleInfo(
        sale_id,
        number,
        moment,
        payment,
        channel,
        total,
        text,
        None,
        "",
        tuple(recorded),
        external_order,
        buyer_id,
        "" if buyer is None else buyer.name,
        credit,
    )


def _due_now(total: int, paid: int | None, buyer: debts.CustomerInfo | None) -> int:
    """What is paid at the till: the total, or less when the rest is a customer's kasbon."""
    if paid is None:
        return total
    if paid > total:
        raise ValidationError(_more_than_total(paid, total))
    if paid < total and buyer is None:
        raise ValidationError(
            _(
                "{rest} of this sale is not paid. Choose the customer who owes it "
                "(kasbon), or record the full payment."
            ).format(rest=format_rupiah(total - paid))
        )
    return paid


def _more_than_total(paid: int, total: int) -> str:
    return _("The amount paid now ({paid}) is more than the total ({total}).").format(
        paid=format_rupiah(paid), total=format_rupiah(total)
    )


def _credit_detail(buyer: debts.CustomerInfo | None, credit: int) -> dict[str, object]:
    """The audit fields of a sale with a customer (and its kasbon)."""
    if buyer is None:
        return {}
    return {"customer": buyer.name, "on_credit": credit}


def _require_cash(check: CashCheck, confirmed: bool) -> None:
    if check.short:
        raise ValidationError(check.short_message())
    if check.suspicious and not confirmed:
        raise ValidationError(
            check.suspicious_message() + " " + _("Confirm the amount to record the sale.")
        )


@store.follows_session
def _record_lines(
    session: Session,
    sale_id: int,
    items: list[LineInput],
    moment: datetime,
    allow_negative: bool,
    allow_expired: bool,
    stale: list[stock.ExpiredLot],
) -> list[SaleLineInfo]:
    """Every line; a refusal for expired stock waits for the other lines, so
    that one question names every expired batch of the sale."""
    recorded: list[SaleLineInfo] = []
    refused: list[stock.ExpiredLot] = []
    for item in items:
        try:
            recorded.append(
                _record_line(session, sale_id, item, moment, allow_negative, allow_expired, stale)
            )
        except stock.ExpiredStockError as exc:
            refused += exc.lots  # the transaction rolls back when it is raised below
    if refused:
        raise stock.ExpiredStockError(refused)
    return recorded


@store.follows_session
def _record_line(
    session: Session,
    sale_id: int,
    item: LineInput,
    moment: datetime,
    allow_negative: bool,
    allow_expired: bool,
    stale: list[stock.ExpiredLot],
) -> SaleLineInfo:
    quantity = stock.check_quantity(item.quantity)
    variant = stock.lookup_variant(session, item.sku)
    price = (
        variant.price
        if item.unit_price is None or item.unit_price == ""
        else _money(item.unit_price, what=variant.sku)
    )
    discount = _money(item.discount or 0, what=variant.sku)
    if discount > quantity * price:
        raise ValidationError(
            _("The discount on {sku} is larger than the line ({amount}).").format(
                sku=variant.sku, amount=quantity * price
            )
        )
    line_id = store.database.execute_sql(
        "INSERT INTO sale_line (sale_id, variant_id, quantity, unit_price, discount, unit_cost) "
        "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        (sale_id, variant.id, quantity, price, discount, variant.cost),
    ).fetchone()[0]
    stock.take(
        session,
        variant,
        quantity,
        stock.SOLD,
        allow_negative=allow_negative,
        sale_line_id=line_id,
        at=moment,
        on_hand=variant.on_hand,  # read with the variant in this transaction
        allow_expired=allow_expired,
        expired_taken=stale,
    )
    return SaleLineInfo(
        line_id, variant.sku, variant.product_name, quantity, price, discount, variant.cost
    )


@store.follows_session
def _own_sale(session: Session, number: object) -> Sale:
    try:
        wanted = int(str(number).strip().lstrip("#"))
    except (TypeError, ValueError):
        wanted = -1
    row = Sale.get_or_none((Sale.shop == session.shop_id) & (Sale.number == wanted))
    if row is None:
        raise NotFoundError(_("There is no sale number {number}.").format(number=number))
    return row


@store.follows_session
@store.retried
def void_sale(session: Session, *, number: int, reason: str = "") -> SaleInfo:
    """Put a sale's stock back with void movements and mark it void (once)."""
    session = require_seller(session)
    text = stock.clean_note(reason)
    with store.transaction():
        store.lock_rows("shop", [session.shop_id])  # two PCs voiding it: the second sees it
        sale = _own_sale(session, number)
        if sale.voided_at is not None:
            raise ValidationError(
                _("Sale {number} was already voided. Nothing was changed.").format(
                    number=sale.number
                )
            )
        moves = (
            Movement.select()
            .join(SaleLine, on=(Movement.sale_line == SaleLine.id))
            .where(
                (SaleLine.sale == sale.id)
                # returns an order import booked come out again: the void restores
                # only what was sold and not yet back
                & (Movement.reason.in_((stock.SOLD, stock.RETURNED)))
                & (Movement.shop == session.shop_id)
            )
            .order_by(Movement.id)
        )
        # First the debt: a sale paid back in part is refused before any stock moves.
        credit = debts.reverse_sale_credit(session, sale_id=sale.id, note=text)
        voids = [
            stock.reverse(session, move, note=text, allow_negative=True, from_sale=True)
            for move in moves
        ]
        Sale.update(voided_at=utcnow(), void_reason=text).where(Sale.id == sale.id).execute()
        audit.record(
            "sale.void",
            actor=session.actor,
            shop_id=session.shop_id,
            number=sale.number,
            total=sale.total,
            movements=voids,
            reason=text,
            **({"debt_removed": credit} if credit else {}),
        )
    return get_sale(session, number=sale.number)


def _lines_of(sale_ids: list[int]) -> dict[int, list[SaleLineInfo]]:
    found: dict[int, list[SaleLineInfo]] = {}
    if not sale_ids:
        return found
    query = (
        SaleLine.select(
            SaleLine.sale,
            SaleLine.id,
            Variant.sku,
            Product.name,
            SaleLine.quantity,
            SaleLine.unit_price,
            SaleLine.discount,
            SaleLine.unit_cost,
        )
        .join(Variant, on=(SaleLine.variant == Variant.id))
        .join(Product, on=(Variant.product == Product.id))
        .where(SaleLine.sale.in_(sale_ids))
        .order_by(SaleLine.id)
        .tuples()
    )
    # peewee's stubs type .tuples() rows as model instances.
    rows = cast(Iterable[tuple[int, int, str, str, int, int, int, int]], query)
    for row in rows:
        found.setdefault(row[0], []).append(SaleLineInfo(*row[1:]))
    return found


@store.follows_session
def _sale_info(
    session: Session,
    sale: Sale,
    lines: list[SaleLineInfo] | None = None,
    credits: dict[int, int] | None = None,
    names: dict[int, str] | None = None,
) -> SaleInfo:
    if lines is None:
        lines = _lines_of([sale.id]).get(sale.id, [])
    if credits is None:
        credits = debts.credits_of([sale.id])
    if names is None:
        names = _customer_names([sale])
    return SaleInfo(
        sale.id,
        sale.number,
        sale.at,
        sale.payment,
        sale.channel,
        sale.total,
        sale.note,
        sale.voided_at,
        sale.void_reason,
        tuple(lines),
        sale.external_order,
        sale.customer_id,
        names.get(sale.customer_id or 0, ""),
        credits.get(sale.id, 0),
    )


def _customer_names(sales: list[Sale]) -> dict[int, str]:
    ids = {s.customer_id for s in sales if s.customer_id is not None}
    if not ids:
        return {}
    return {c.id: c.name for c in Customer.select().where(Customer.id.in_(list(ids)))}


@store.follows_session
def get_sale(session: Session, *, number: int) -> SaleInfo:
    session = require_seller(session)
    return _sale_info(session, _own_sale(session, number))


@store.follows_session
def list_sales(
    session: Session,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    include_voided: bool = True,
    limit: int = 100,
    offset: int = 0,
) -> list[SaleInfo]:
    """Sales newest first; ``since``/``until`` are UTC (see ``clock.local_day_bounds``)."""
    session = require_seller(session)
    query = Sale.select().where(Sale.shop == session.shop_id)
    if since is not None:
        query = query.where(Sale.at >= since)
    if until is not None:
        query = query.where(Sale.at < until)
    if not include_voided:
        query = query.where(Sale.voided_at.is_null())
    rows = list(query.order_by(Sale.at.desc(), Sale.id.desc()).limit(limit).offset(offset))
    ids = [row.id for row in rows]
    lines = _lines_of(ids)
    credits = debts.credits_of(ids)
    names = _customer_names(rows)
    return [_sale_info(session, row, lines.get(row.id, []), credits, names) for row in rows]
