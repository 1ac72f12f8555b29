"""orders import FILE --preview|--apply: marketplace order exports back into stock;
orders whatsapp TEXT: the cart of a WhatsApp order text."""

from __future__ import annotations

import argparse

from shopdesk import orders
from shopdesk.cli.common import (
    add_seller_command,
    expired_way_out,
    print_table,
    seller_session,
)
from shopdesk.i18n import N_, _
from shopdesk.money import format_rupiah

ACTIONS = {
    orders.RECORD: N_("record"),
    orders.RETURN: N_("return"),
    orders.VOID: N_("void"),
    orders.UNCHANGED: N_("unchanged"),
    orders.CANCELLED_SKIP: N_("cancelled"),
    orders.WAITING: N_("waiting"),
    orders.UNKNOWN_SKU: N_("unknown SKU"),
    orders.REJECT: N_("REJECTED"),
}


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = commands.add_parser(
        "orders", help=_("marketplace order exports and WhatsApp orders back into stock")
    )
    cmds = group.add_subparsers(dest="orders_command", required=True, metavar=_("COMMAND"))
    imp = add_seller_command(
        cmds,
        "import",
        _("import an order export of Shopee, Tokopedia / TikTok Shop, Shopify or WooCommerce"),
        cmd_import,
    )
    imp.add_argument("file", metavar=_("FILE"))
    mode = imp.add_mutually_exclusive_group(required=True)
    mode.add_argument("--preview", action="store_true", help=_("show what would change"))
    mode.add_argument("--apply", action="store_true", help=_("import, all or nothing"))
    imp.add_argument("--all-rows", action="store_true", help=_("list unchanged rows too"))
    imp.add_argument(
        "--allow-negative",
        action="store_true",
        help=_("confirm that stock may go below zero for these orders"),
    )
    imp.add_argument(
        "--allow-expired",
        action="store_true",
        help=_("confirm that expired batches may be sold for these orders (a warning is logged)"),
    )
    wa = add_seller_command(
        cmds, "whatsapp", _("read a WhatsApp order text into sale lines"), cmd_whatsapp
    )
    wa.add_argument("text", metavar=_("TEXT"))
    wa.add_argument(
        "--record", action="store_true", help=_("record it as a WhatsApp sale, paid by transfer")
    )


def _print_preview(preview: orders.OrdersPreview, all_rows: bool) -> None:
    print(_("Format: {format}").format(format=_(preview.format_title)))
    for note in preview.notes:
        print(_("Note: {note}").format(note=note))
    shown = [r for r in preview.rows if all_rows or r.action != orders.UNCHANGED]
    print_table(
        (_("Row"), _("Order no."), "SKU", _("Qty"), _("Action"), _("Details")),
        (
            (r.line, r.order, r.sku, r.quantity, _(ACTIONS[r.action]), "; ".join(r.messages))
            for r in shown
        ),
    )
    print(
        _(
            "Orders: {record} to record, {ret} with returns, {void} to void, {same} unchanged, "
            "{cancelled} cancelled, {waiting} waiting, {unknown} with unknown SKUs, "
            "{reject} rejected."
        ).format(**preview.counts())
    )


def cmd_import(args: argparse.Namespace) -> int:
    session = seller_session(args)
    if args.preview:
        preview = orders.preview_orders(session, args.file)
        _print_preview(preview, args.all_rows)
        return 2 if preview.rejected else 0
    with expired_way_out():
        result = orders.apply_orders(
            session,
            args.file,
            allow_negative=args.allow_negative,
            allow_expired=args.allow_expired,
        )
    _print_preview(result.preview, args.all_rows)
    print(
        _(
            "Imported: {recorded} orders recorded as sales, {units} returned units back in "
            "stock, {voided} sales voided."
        ).format(recorded=result.recorded, units=result.returned_units, voided=result.voided)
    )
    if result.backup:
        print(_("A backup was made first: {path}").format(path=result.backup))
    return 0


def cmd_whatsapp(args: argparse.Namespace) -> int:
    session = seller_session(args)
    cart = orders.read_whatsapp_order(session, args.text)
    for note in cart.notes:
        print(_("Note: {note}").format(note=note))
    print_table(
        ("SKU", _("Name"), _("Qty"), _("Price")),
        ((li.sku, li.name, li.quantity, format_rupiah(li.price)) for li in cart.lines),
    )
    if not args.record:
        return 0 if cart.lines else 2
    with expired_way_out():
        sale = orders.record_whatsapp_order(session, cart)
    print(
        _("Sale {number} recorded: {total}.").format(
            number=sale.number, total=format_rupiah(sale.total)
        )
    )
    return 0
