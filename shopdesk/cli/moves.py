"""server move-in and move-out (the operator; part of the ``server`` group):
a data folder onto the connected server, and the server's data into a new folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from shopdesk import moving
from shopdesk.cli.common import ask_secret, operator_session, print_table
from shopdesk.i18n import _
from shopdesk.money import format_rupiah


def add_commands(cmds: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    move_in = cmds.add_parser(
        "move-in",
        help=_("copy this PC's data into the empty server database and check it"),
    )
    move_in.add_argument(
        "--from",
        dest="source",
        metavar=_("FOLDER"),
        help=_("move another data folder in (default: this PC's)"),
    )
    move_in.set_defaults(func=cmd_move_in)
    move_out = cmds.add_parser(
        "move-out",
        help=_("write the server's data into a new data folder (a portable copy)"),
    )
    move_out.add_argument("folder", metavar=_("FOLDER"), help=_("a new or empty folder"))
    move_out.set_defaults(func=cmd_move_out)


def _show(report: moving.MoveReport) -> None:
    print_table((_("Table"), _("Rows")), sorted(report.rows.items()))
    for shop, total in sorted(report.sales_total.items()):
        print(_("Shop {shop}: sales {total}").format(shop=shop, total=format_rupiah(total)))
    print(
        _(
            "Checked: {rows} rows in {tables} tables, sums per shop and stock against the ledger."
        ).format(rows=report.total_rows, tables=len(report.rows))
    )
    print(
        _("Photos and logos: {count}, each checked against its SHA-256.").format(count=report.media)
    )


def cmd_move_in(args: argparse.Namespace) -> int:
    password = ask_secret(_("Operator password: "), "SHOPDESK_OPERATOR_PASSWORD")
    report = moving.move_data_in(
        password=password, folder=Path(args.source) if args.source else None
    )
    _show(report)
    print(_("Moved in. This PC now works on the server; the old file was left as it was."))
    return 0


def cmd_move_out(args: argparse.Namespace) -> int:
    op = operator_session()
    report = moving.move_data_out(op, folder=Path(args.folder))
    _show(report)
    print(
        _("Written to {folder} with {media} photos. Open it with SHOPDESK_HOME={folder}.").format(
            folder=args.folder, media=report.media
        )
    )
    return 0
