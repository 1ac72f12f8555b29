"""sale record|void|show|list|summary and report stock-value|low-stock|daily."""

from __future__ import annotations

import argparse
from pathlib import Path

from shopdesk import reports, sales
from shopdesk.cli.common import (
    add_seller_command,
    expired_way_out,
    local_time,
    print_table,
    seller_session,
)
from shopdesk.clock import local_day_bounds
from shopdesk.dates import Month, parse_day
from shopdesk.errors import ValidationError
from shopdesk.i18n import _
from shopdesk.money import format_rupiah
from shopdesk.profiles import Session


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sale = commands.add_parser("sale", help=_("record and void sales, daily summaries"))
    cmds = sale.add_subparsers(dest="action", required=True, metavar=_("ACTION"))

    rec = add_seller_command(cmds, "record", _("record a sale of one or more lines"), cmd_record)
    rec.add_argument(
        "lines",
        nargs="+",
        metavar=_("SKU:QTY[:PRICE[:DISCOUNT]]"),
        help=_("one per line; price defaults to the product's price"),
    )
    rec.add_argument("--payment", default="cash", choices=tuple(sales.PAYMENTS))
    rec.add_argument("--channel", default="direct", choices=tuple(sales.CHANNELS))
    rec.add_argument("--note", default="")
    rec.add_argument(
        "--cash",
        metavar=_("AMOUNT"),
        help=_("cash received, like 100rb: refused if short, prints the change"),
    )
    rec.add_argument(
        "--confirm-cash",
        action="store_true",
        help=_("confirm cash far above the total (ten times and Rp 100.000 over)"),
    )
    rec.add_argument(
        "--customer",
        metavar=_("CUSTOMER"),
        help=_("the customer: name, WhatsApp number or #id (needed when not paid in full)"),
    )
    rec.add_argument(
        "--paid",
        metavar=_("AMOUNT"),
        help=_("paid now (0 for all on credit); the rest is the customer's kasbon"),
    )
    rec.add_argument(
        "--allow-negative",
        action="store_true",
        help=_("confirm that stock may go below zero for this sale"),
    )
    rec.add_argument(
        "--allow-expired",
        action="store_true",
        help=_("confirm that expired batches may be sold in this sale (a warning is logged)"),
    )

    void = add_seller_command(
        cmds, "void", _("void a sale and put its stock back (once)"), cmd_void
    )
    void.add_argument("number", metavar=_("NUMBER"))
    void.add_argument("--reason", default="")

    show = add_seller_command(cmds, "show", _("one sale with its lines"), cmd_show)
    show.add_argument("number", metavar=_("NUMBER"))

    receipt = add_seller_command(
        cmds, "receipt", _("a sale's receipt: a PDF to print, or a WhatsApp link"), cmd_receipt
    )
    receipt.add_argument("number", metavar=_("NUMBER"))
    receipt.add_argument("-o", "--output", metavar=_("FILE"), help=_("write the PDF here"))
    receipt.add_argument(
        "--paper", default="58mm", help=_("58mm (thermal roll, the default) or a6")
    )
    receipt.add_argument(
        "--whatsapp", action="store_true", help=_("print the WhatsApp receipt text and link")
    )

    listing = add_seller_command(cmds, "list", _("sales, newest first"), cmd_list)
    listing.add_argument("--day", metavar=_("DATE"), help=_("only this day, 31-03-2025"))
    listing.add_argument("--limit", type=int, default=50)

    summ = add_seller_command(
        cmds, "summary", _("revenue, cost and margin of a day or month"), cmd_summary
    )
    summ.add_argument("--day", metavar=_("DATE"), help=_("a day, 31-03-2025 (default today)"))
    summ.add_argument("--month", metavar=_("MONTH"), help=_("a month, 03/2025"))

    report = commands.add_parser("report", help=_("stock value, low stock, sales per day"))
    rcmds = report.add_subparsers(dest="action", required=True, metavar=_("ACTION"))
    add_seller_command(
        rcmds, "stock-value", _("stock on hand at cost and at price"), cmd_stock_value
    )
    add_seller_command(
        rcmds, "low-stock", _("products at or under their low-stock level"), cmd_low_stock
    )
    daily = add_seller_command(rcmds, "daily", _("sales per day (the home chart)"), cmd_daily)
    daily.add_argument("--days", type=int, default=30)


def _parse_line(text: str) -> sales.LineInput:
    parts = text.split(":")
    if len(parts) < 2 or len(parts) > 4 or not parts[0].strip():
        raise ValidationError(
            _("“{text}” is not a sale line. Write SKU:QTY, like KOPI-0001:2.").format(text=text)
        )
    price = parts[2] if len(parts) > 2 and parts[2].strip() else None
    discount = parts[3] if len(parts) > 3 and parts[3].strip() else 0
    return sales.LineInput(parts[0].strip(), parts[1].strip(), price, discount)


def _print_sale(session: Session, sale: sales.SaleInfo) -> None:
    print(
        _("Sale {number}, {time}, {payment}, {channel}: {total}").format(
            number=sale.number,
            time=local_time(session, sale.at),
            payment=sales.payment_label(sale.payment),
            channel=sales.channel_label(sale.channel),
            total=format_rupiah(sale.total),
        )
    )
    if sale.customer_name:
        print(
            _("Customer: {name}; paid {paid}, kasbon {credit}").format(
                name=sale.customer_name,
                paid=format_rupiah(sale.paid),
                credit=format_rupiah(sale.on_credit),
            )
        )
    if sale.voided_at is not None:
        print(
            _("VOID ({time}) {reason}").format(
                time=local_time(session, sale.voided_at), reason=sale.void_reason
            )
        )
    print_table(
        ("SKU", _("Product"), _("Qty"), _("Price"), _("Discount"), _("Amount")),
        (
            (
                line.sku,
                line.product_name[:40],
                line.quantity,
                format_rupiah(line.unit_price),
                format_rupiah(line.discount),
                format_rupiah(line.amount),
            )
            for line in sale.lines
        ),
    )


def cmd_record(args: argparse.Namespace) -> int:
    lines = [_parse_line(text) for text in args.lines]
    session = seller_session(args)
    with expired_way_out():
        sale = sales.record_sale(
            session,
            lines=lines,
            payment=args.payment,
            channel=args.channel,
            note=args.note,
            allow_negative=args.allow_negative,
            cash=args.cash,
            confirm_cash=args.confirm_cash,
            allow_expired=args.allow_expired,
            customer=args.customer,
            paid=args.paid,
        )
    _print_sale(session, sale)
    if args.cash is not None:
        change = sales.check_cash(sale.paid, args.cash).change
        print(_("Change to give: {change}").format(change=format_rupiah(change)))
    return 0


def cmd_receipt(args: argparse.Namespace) -> int:
    from shopdesk.receipts import content, pdf, whatsapp  # reportlab only for this command

    session = seller_session(args)
    receipt = content.receipt_for(session, number=args.number)
    if not args.output and not args.whatsapp:
        raise ValidationError(_("Say where the receipt goes: -o FILE.pdf, or --whatsapp."))
    if args.output:
        path = pdf.write_receipt(receipt, Path(args.output), args.paper)
        print(_("Receipt written to {path}").format(path=path))
    if args.whatsapp:
        print(whatsapp.receipt_text(receipt))
        print()
        print(whatsapp.receipt_link(receipt))
    return 0


def cmd_void(args: argparse.Namespace) -> int:
    session = seller_session(args)
    sale = sales.void_sale(session, number=args.number, reason=args.reason)
    print(_("Sale {number} was voided; its stock is back.").format(number=sale.number))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    session = seller_session(args)
    _print_sale(session, sales.get_sale(session, number=args.number))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    session = seller_session(args)
    since = until = None
    day = parse_day(args.day, field="--day")
    if day is not None:
        since, until = local_day_bounds(day, session.timezone)
    rows = sales.list_sales(session, since=since, until=until, limit=args.limit)
    print_table(
        (_("No"), _("Time"), _("Payment"), _("Channel"), _("Lines"), _("Total"), _("Void")),
        (
            (
                s.number,
                local_time(session, s.at),
                sales.payment_label(s.payment),
                sales.channel_label(s.channel),
                len(s.lines),
                format_rupiah(s.total),
                "✗" if s.voided else "",
            )
            for s in rows
        ),
    )
    return 0


def _month(text: str) -> tuple[int, int]:
    """The month of ``03/2025``, ``2025-03`` or ``Maret 2025`` (a whole date: its month)."""
    first = parse_day(text, field="--month", month=Month.FIRST_DAY)
    if first is None:
        raise ValidationError(_("Give a month, like 03/2025."))
    return first.year, first.month


def cmd_summary(args: argparse.Namespace) -> int:
    session = seller_session(args)
    if args.month:
        year, month = _month(args.month)
        result = reports.monthly_summary(session, year=year, month=month)
    else:
        result = reports.daily_summary(session, day=parse_day(args.day, field="--day"))
    print(
        _("{first} to {last}: {sales} sales, {units} units").format(
            first=result.first_day, last=result.last_day, sales=result.sales, units=result.units
        )
    )
    print(_("Revenue: {amount}").format(amount=format_rupiah(result.revenue)))
    print(_("Cost: {amount}").format(amount=format_rupiah(result.cost)))
    print(_("Margin: {amount}").format(amount=format_rupiah(result.margin)))
    print_table(
        ("SKU", _("Product"), _("Units"), _("Revenue"), _("Cost"), _("Margin")),
        (
            (
                p.sku,
                p.product_name[:40],
                p.units,
                format_rupiah(p.revenue),
                format_rupiah(p.cost),
                format_rupiah(p.margin),
            )
            for p in result.products
        ),
    )
    return 0


def cmd_stock_value(args: argparse.Namespace) -> int:
    session = seller_session(args)
    value = reports.stock_value(session)
    print(
        _("{units} units in {variants} variants").format(units=value.units, variants=value.variants)
    )
    print(_("At cost: {amount}").format(amount=format_rupiah(value.at_cost)))
    print(_("At price: {amount}").format(amount=format_rupiah(value.at_price)))
    return 0


def cmd_low_stock(args: argparse.Namespace) -> int:
    session = seller_session(args)
    print_table(
        ("SKU", _("Product"), _("On hand"), _("Low-stock level")),
        ((r.sku, r.product_name[:40], r.on_hand, r.threshold) for r in reports.low_stock(session)),
    )
    return 0


def cmd_daily(args: argparse.Namespace) -> int:
    session = seller_session(args)
    print_table(
        (_("Day"), _("Sales"), _("Units"), _("Revenue")),
        (
            (p.day.isoformat(), p.sales, p.units, format_rupiah(p.revenue))
            for p in reports.daily_series(session, days=args.days)
        ),
    )
    return 0
