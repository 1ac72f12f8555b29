"""stock in|out|adjust|void|show|history|check|rebuild and batch add|list|expiring|expired."""

from __future__ import annotations

import argparse

from shopdesk import stock
from shopdesk.cli.common import (
    add_seller_command,
    expired_way_out,
    local_time,
    print_table,
    seller_session,
)
from shopdesk.i18n import _
from shopdesk.profiles import Session


def _receive_arguments(parser: argparse.ArgumentParser) -> None:
    """SKU, quantity and the new batch: shared by `stock in` and `batch add`."""
    parser.add_argument("sku", metavar="SKU")
    parser.add_argument("quantity", metavar=_("QUANTITY"))
    parser.add_argument("--batch", metavar=_("CODE"), help=_("production code of the batch"))
    parser.add_argument(
        "--produced", metavar=_("DATE"), help=_("production date: 31-03-2025, 31032025 or 31/3/25")
    )
    parser.add_argument(
        "--expires",
        metavar=_("DATE"),
        help=_("expiry date: 30-09-2025, or 09/2025 for the end of that month"),
    )


def _note(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--note", default="", help=_("a short note"))


def _negative(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--allow-negative",
        action="store_true",
        help=_("confirm that stock may go below zero for this one entry"),
    )


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = commands.add_parser("stock", help=_("stock in and out, history, ledger check"))
    cmds = group.add_subparsers(dest="action", required=True, metavar=_("ACTION"))

    add = add_seller_command(cmds, "in", _("add stock: a production run or delivery"), cmd_in)
    _receive_arguments(add)
    add.add_argument(
        "--returned", action="store_true", help=_("the goods came back from a customer")
    )
    _note(add)

    out = add_seller_command(
        cmds, "out", _("take stock out: sold, damaged, expired, sample"), cmd_out
    )
    out.add_argument("sku", metavar="SKU")
    out.add_argument("quantity", metavar=_("QUANTITY"))
    out.add_argument("--reason", required=True, choices=stock.OUT_REASONS)
    out.add_argument("--batch", metavar=_("CODE"), help=_("take from this batch (default FEFO)"))
    _note(out)
    _negative(out)
    out.add_argument(
        "--allow-expired",
        action="store_true",
        help=_("sold or sample: confirm that expired batches may go out this once"),
    )

    adj = add_seller_command(
        cmds, "adjust", _("correct stock by a signed number, like -2 or +3"), cmd_adjust
    )
    adj.add_argument("sku", metavar="SKU")
    adj.add_argument("quantity", metavar=_("CHANGE"))
    adj.add_argument("--batch", metavar=_("CODE"), help=_("the batch to correct"))
    _note(adj)
    _negative(adj)

    void = add_seller_command(cmds, "void", _("undo one movement (once)"), cmd_void)
    void.add_argument("movement", metavar=_("MOVEMENT"), type=int)
    _note(void)
    _negative(void)

    show = add_seller_command(cmds, "show", _("on hand of one SKU, per batch"), cmd_show)
    show.add_argument("sku", metavar="SKU")

    hist = add_seller_command(cmds, "history", _("movements, newest first"), cmd_history)
    hist.add_argument("--sku", metavar="SKU")
    hist.add_argument("--reason", choices=stock.REASONS)
    hist.add_argument("--limit", type=int, default=50)

    add_seller_command(cmds, "check", _("prove that cached stock equals the ledger"), cmd_check)
    add_seller_command(cmds, "rebuild", _("rewrite cached stock from the ledger"), cmd_rebuild)

    batch = commands.add_parser("batch", help=_("production batches and expiry"))
    bcmds = batch.add_subparsers(dest="action", required=True, metavar=_("ACTION"))
    badd = add_seller_command(bcmds, "add", _("add a production run (same as stock in)"), cmd_in)
    _receive_arguments(badd)
    badd.set_defaults(returned=False)
    _note(badd)
    blist = add_seller_command(
        bcmds, "list", _("batches in first-expiry-first-out order"), cmd_batch_list
    )
    blist.add_argument("--sku", metavar="SKU")
    blist.add_argument("--all", action="store_true", help=_("also batches with no stock left"))
    bexp = add_seller_command(bcmds, "expiring", _("batches that expire soon"), cmd_expiring)
    bexp.add_argument("--days", type=int, default=30)
    add_seller_command(
        bcmds, "expired", _("batches past their expiry date that still hold stock"), cmd_expired
    )
    boff = add_seller_command(
        bcmds, "write-off", _("take all expired stock out (reason expired)"), cmd_write_off
    )
    _note(boff)


def _print_moves(session: Session, moves: list[stock.MovementInfo]) -> None:
    print_table(
        (_("No"), _("Time"), "SKU", _("Batch"), _("Reason"), _("Qty"), _("Note")),
        (
            (
                m.id,
                local_time(session, m.at),
                m.sku,
                m.batch_code or "-",
                stock.reason_label(m.reason)
                + (f" → {m.reverses_id}" if m.reverses_id else "")
                + (" ✗" if m.voided_by_id else ""),
                f"{m.quantity:+d}",
                m.note,
            )
            for m in moves
        ),
    )


def _after(session: Session, sku: str) -> None:
    info = stock.stock(session, sku=sku)
    print(_("On hand of {sku}: {quantity}").format(sku=info.sku, quantity=info.on_hand))


def _print_moves_after(session: Session, moves: list[stock.MovementInfo]) -> int:
    """The movements just written, then what is on hand now."""
    _print_moves(session, moves)
    _after(session, moves[0].sku)
    return 0


def cmd_in(args: argparse.Namespace) -> int:
    session = seller_session(args)
    move = stock.receive(
        session,
        sku=args.sku,
        quantity=args.quantity,
        batch_code=args.batch,
        produced_on=args.produced,
        expires_on=args.expires,
        note=args.note,
        reason=stock.RETURNED if args.returned else stock.RECEIVED,
    )
    print(
        _("Added {quantity} to {sku}, batch {code} (movement {id}).").format(
            quantity=move.quantity, sku=move.sku, code=move.batch_code, id=move.id
        )
    )
    _after(session, move.sku)
    return 0


def cmd_out(args: argparse.Namespace) -> int:
    session = seller_session(args)
    with expired_way_out():
        moves = stock.remove(
            session,
            sku=args.sku,
            quantity=args.quantity,
            reason=args.reason,
            batch_code=args.batch,
            note=args.note,
            allow_negative=args.allow_negative,
            allow_expired=args.allow_expired,
        )
    return _print_moves_after(session, moves)


def cmd_adjust(args: argparse.Namespace) -> int:
    session = seller_session(args)
    moves = stock.adjust(
        session,
        sku=args.sku,
        quantity=args.quantity,
        batch_code=args.batch,
        note=args.note,
        allow_negative=args.allow_negative,
    )
    return _print_moves_after(session, moves)


def cmd_void(args: argparse.Namespace) -> int:
    session = seller_session(args)
    move = stock.void_movement(
        session, movement_id=args.movement, note=args.note, allow_negative=args.allow_negative
    )
    print(_("Movement {id} was voided by movement {new}.").format(id=args.movement, new=move.id))
    _after(session, move.sku)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    session = seller_session(args)
    info = stock.stock(session, sku=args.sku)
    print(f"{info.sku}  {info.product_name}")
    print(_("On hand: {quantity}").format(quantity=info.on_hand))
    if info.loose:
        print(_("Not in any batch: {quantity}").format(quantity=info.loose))
    _print_batches(info.batches)
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    session = seller_session(args)
    moves = stock.history(session, sku=args.sku, reason=args.reason, limit=args.limit)
    _print_moves(session, moves)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    session = seller_session(args)
    report = stock.check(session)
    for item in report.mismatches:
        print(
            _("{sku} {batch}: cached {cached}, ledger {ledger}").format(
                sku=item.sku, batch=item.batch_code or "", cached=item.cached, ledger=item.ledger
            )
        )
    for item in report.negative_batches:
        print(
            _("Batch {batch} of {sku} is below zero: {ledger}").format(
                batch=item.batch_code, sku=item.sku, ledger=item.ledger
            )
        )
    if report.ok:
        print(
            _("OK: stock of {variants} variants and {batches} batches equals the ledger.").format(
                variants=report.variants_checked, batches=report.batches_checked
            )
        )
        return 0
    print(_("The cached stock differs from the ledger. Run “stock rebuild” to repair it."))
    return 1


def cmd_rebuild(args: argparse.Namespace) -> int:
    session = seller_session(args)
    fixed = stock.rebuild(session)
    print(_("Stock rebuilt from the ledger; {count} figures were corrected.").format(count=fixed))
    return 0


def _print_batches(rows: list[stock.BatchInfo] | tuple[stock.BatchInfo, ...]) -> None:
    print_table(
        ("SKU", _("Product"), _("Batch"), _("Produced"), _("Expires"), _("Made"), _("On hand")),
        (
            (
                b.sku,
                b.product_name[:40],
                b.code,
                b.produced_on or "-",
                b.expires_on or "-",
                b.quantity,
                b.on_hand,
            )
            for b in rows
        ),
    )


def cmd_batch_list(args: argparse.Namespace) -> int:
    session = seller_session(args)
    _print_batches(stock.batches(session, sku=args.sku, include_empty=args.all))
    return 0


def cmd_expiring(args: argparse.Namespace) -> int:
    session = seller_session(args)
    _print_batches(stock.expiring(session, within_days=args.days))
    return 0


def cmd_expired(args: argparse.Namespace) -> int:
    session = seller_session(args)
    _print_batches(stock.expired(session))
    return 0


def cmd_write_off(args: argparse.Namespace) -> int:
    session = seller_session(args)
    moves = stock.write_off_expired(session, note=args.note)
    if not moves:
        print(_("No expired stock."))
        return 0
    _print_moves(session, moves)
    return 0
