"""Reading an order export: its format from the headers, then each row checked.

A row's problems name its row number (as the spreadsheet shows it) and the
column as the file spells it, so the seller can find the cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from shopdesk import tabular
from shopdesk.clock import ZONES
from shopdesk.codes import excel_number_error, looks_like_excel_number
from shopdesk.errors import ValidationError
from shopdesk.i18n import _
from shopdesk.money import parse_rupiah
from shopdesk.orders.formats import (
    AMOUNT,
    AT,
    ORDER,
    PARENT_SKU,
    PRICE,
    QUANTITY,
    RETURNED_QTY,
    SKU,
    STATUS,
    UNKNOWN_STATUS,
    OrderFormat,
    all_headers,
    detect,
)

MAX_QUANTITY = 100_000
MAX_ORDER = 64  # marketplace order numbers are 6 to 20 characters
_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")
# Digits after a point that are not three: cents of a number cell, not thousands.
_FRACTION = re.compile(r"^\d+\.(\d{1,2}|\d{4,})$")
_TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S %z",  # Shopify: 2025-10-07 09:50:26 +0200
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%d/%m/%Y %H:%M:%S",  # TikTok Shop: 07/10/2025 09:50:26
    "%d/%m/%Y %H:%M",
    "%Y-%m-%d",
    "%d/%m/%Y",
)


@dataclass
class OrderLine:
    """One row of the export: one item of one order."""

    line: int
    order: str
    status: str  # formats.UNPAID, TAKEN, ...
    status_text: str
    sku: str
    quantity: int = 0
    returned: int = 0
    unit_price: int = 0
    discount: int = 0  # rupiah off the whole line
    at: datetime | None = None  # naive UTC
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class OrderFile:
    name: str
    format: OrderFormat
    lines: tuple[OrderLine, ...]
    notes: tuple[str, ...]


def read_orders(path: Path | str, zone: str) -> OrderFile:
    """Read and check an order export; ``zone`` is the shop's, for times without one."""
    path = Path(path)
    table = tabular.read_table(
        path,
        columns=all_headers(),
        none_found=_not_orders(path.name),
        note_ignored=False,
    )
    fmt = detect(table.columns)
    if fmt is None:
        raise ValidationError(_not_orders(path.name))
    reader = _Reader(fmt, table.columns, zone)
    rows = list(table.rows)
    notes = list(table.notes)
    if rows and reader.describes(rows[0][1]):  # TikTok Shop's row of field descriptions
        notes.append(_("Row {line} describes the columns and was skipped.").format(line=rows[0][0]))
        rows = rows[1:]
    lines = [reader.row(number, cells) for number, cells in rows]
    return OrderFile(path.name, fmt, tuple(lines), tuple(notes))


def _not_orders(name: str) -> str:
    return _(
        "{name} is not an order export that ShopDesk knows. Download the order export "
        "from Shopee, Tokopedia / TikTok Shop, Shopify or WooCommerce and import it as "
        "it is (its first row holds the column names, like “No. Pesanan” or “Order ID”)."
    ).format(name=name)


class _Reader:
    def __init__(self, fmt: OrderFormat, present: tuple[str, ...], zone: str) -> None:
        self.fmt = fmt
        self.present = present
        self.zone = ZONES.get(zone, ZONES["WIB"])
        # field -> normalised header, the first of the format's names the file has
        self.keys: dict[str, str] = {}
        for name, headers in fmt.headers.items():
            keys = [tabular.normalize_header(h) for h in headers]
            if found := next((k for k in keys if k in present), None):
                self.keys[name] = found
        self.carry: dict[str, str] = {}
        self.carry_order = ""

    def _cells(self, cells: dict[str, str]) -> dict[str, str]:
        fields = {name: cells.get(key, "").strip() for name, key in self.keys.items()}
        order = fields.get(ORDER, "")
        if self.fmt.carried:  # order-level cells only on the first row of an order
            if order != self.carry_order:
                self.carry_order, self.carry = order, {}
            for name in self.fmt.carried:
                if fields.get(name):
                    self.carry[name] = fields[name]
                else:
                    fields[name] = self.carry.get(name, "")
        return fields

    def describes(self, raw: dict[str, str]) -> bool:
        """A row of words under the headers: an order number never holds a space."""
        return " " in raw.get(self.keys[ORDER], "").strip()

    def row(self, number: int, raw: dict[str, str]) -> OrderLine:
        cells = self._cells(raw)
        sku = cells.get(SKU, "") or cells.get(PARENT_SKU, "")
        status = self.fmt.status_of(cells)
        line = OrderLine(number, cells.get(ORDER, ""), status, cells.get(STATUS, ""), sku)
        if not line.order:
            self._error(line, ORDER, _("the order number is empty"))
        elif looks_like_excel_number(line.order):  # a long order id saved by Excel
            self._error(line, ORDER, excel_number_error(line.order).message)
        elif len(line.order) > MAX_ORDER:
            self._error(
                line,
                ORDER,
                _("an order number has at most {n} characters").format(n=MAX_ORDER),
            )
        if status == UNKNOWN_STATUS:
            self._error(
                line,
                STATUS,
                _("“{status}” is not an order status ShopDesk knows").format(
                    status=line.status_text
                ),
            )
        if not sku:
            self._error(
                line,
                SKU,
                _("the SKU is empty: give the product its ShopDesk SKU in the marketplace"),
            )
        line.quantity = self._count(line, cells, QUANTITY, low=1)
        if RETURNED_QTY in self.keys:
            line.returned = abs(self._count(line, cells, RETURNED_QTY, low=None))
            if line.returned > line.quantity > 0:
                self._error(line, RETURNED_QTY, _("more returned than ordered"))
        self._money(line, cells)
        line.at = self._time(line, cells)
        return line

    def _error(self, line: OrderLine, name: str, message: str) -> None:
        line.errors.append(
            _("row {line}, column “{column}”: {message}").format(
                line=line.line, column=self.fmt.header_of(name, self.present), message=message
            )
        )

    def _count(self, line: OrderLine, cells: dict[str, str], name: str, low: int | None) -> int:
        text = cells.get(name, "")
        if not text and low is None:
            return 0
        value = _number(text)
        if value is None or value != value.to_integral_value():
            self._error(line, name, _("“{text}” is not a whole number").format(text=text))
            return 0
        count = int(value)
        if (low is not None and count < low) or abs(count) > MAX_QUANTITY:
            self._error(line, name, _("{n} is not a quantity that can be sold").format(n=count))
            return 0
        return count

    def _money(self, line: OrderLine, cells: dict[str, str]) -> None:
        price = self._rupiah(line, cells, PRICE)
        if self.fmt.price_per_line and line.quantity:
            price = _round(Decimal(price) / line.quantity)
        line.unit_price = price
        if self.fmt.line_amount and cells.get(AMOUNT, ""):
            amount = self._rupiah(line, cells, AMOUNT)
            line.discount = max(0, line.quantity * price - amount)

    def _rupiah(self, line: OrderLine, cells: dict[str, str], name: str) -> int:
        text = cells.get(name, "")
        plain = text.replace(",", "")
        try:
            if self.fmt.decimal_point and _DECIMAL.match(plain):
                return parse_rupiah(_round(Decimal(plain)))
            if _FRACTION.match(text):  # a number cell with cents: 15000.5, never 15.000
                return parse_rupiah(_round(Decimal(text)))
            return parse_rupiah(text)
        except ValidationError as exc:
            self._error(line, name, exc.message)
            return 0

    def _time(self, line: OrderLine, cells: dict[str, str]) -> datetime | None:
        text = cells.get(AT, "")
        if not text:
            return None
        for pattern in _TIME_FORMATS:
            try:
                moment = datetime.strptime(text, pattern)
            except ValueError:
                continue
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=self.zone)
            return moment.astimezone(UTC).replace(tzinfo=None)
        self._error(
            line, AT, _("“{text}” is not a date and time like 2026-12-06 14:30").format(text=text)
        )
        return None


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", "").strip())
    except InvalidOperation:
        return None


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
