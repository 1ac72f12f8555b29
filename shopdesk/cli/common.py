"""What every command group needs: the database, who is acting, output."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING

from shopdesk.clock import to_local
from shopdesk.errors import ValidationError
from shopdesk.i18n import N_, _

if TYPE_CHECKING:  # the database and the profiles load with the first command that uses them
    from shopdesk import profiles

EXPIRED_WAY_OUT = N_(
    "Only expired stock is left for this: {batches}. Nothing was recorded. Write it off "
    "with “shopdesk batch write-off”, or add --allow-expired to sell it anyway."
)


@contextmanager
def expired_way_out() -> Iterator[None]:
    """The core's refusal of expired stock, naming the command line's ways out."""
    from shopdesk import stock  # not at import: ``--help`` loads no group's needs

    try:
        yield
    except stock.ExpiredStockError as exc:
        raise stock.ExpiredStockError(exc.lots, EXPIRED_WAY_OUT) from None


def open_db() -> None:
    from shopdesk import opener, store

    if store.database.obj is None or store.database.obj.is_closed():
        opener.open_data()


def ask_secret(prompt: str, env: str) -> str:
    """A PIN or password: from the environment (scripts) or typed unseen."""
    value = os.environ.get(env)
    if value is not None:
        return value
    if not sys.stdin or not sys.stdin.isatty():
        raise ValidationError(_("No terminal to type into: set {env} for scripts.").format(env=env))
    return getpass.getpass(prompt)


def add_seller_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--seller",
        required=True,
        metavar=_("NAME"),
        help=_("the seller to act as; the PIN is asked, or read from SHOPDESK_PIN"),
    )


def add_seller_command(
    cmds: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    help_text: str,
    func: Callable[[argparse.Namespace], int],
) -> argparse.ArgumentParser:
    """One subcommand that acts as a seller and runs `func`."""
    parser = cmds.add_parser(name, help=help_text)
    add_seller_option(parser)
    parser.set_defaults(func=func)
    return parser


def seller_session(args: argparse.Namespace) -> profiles.Session:
    from shopdesk import profiles, store

    open_db()
    pin = ask_secret(_("PIN for {seller}: ").format(seller=args.seller), "SHOPDESK_PIN")
    session = profiles.seller_login(login=args.seller, pin=pin)
    # One seller per command: on a server, no other shop's row is even visible.
    store.set_shop_scope(session.shop_id)
    return session


def operator_session() -> profiles.OperatorSession:
    from shopdesk import profiles, store

    open_db()
    password = ask_secret(_("Operator password: "), "SHOPDESK_OPERATOR_PASSWORD")
    session = profiles.operator_login(password=password)
    # The operator's command works across shops, and says so (a seller's sees one).
    store.set_all_shops_scope()
    return session


def print_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Plain aligned columns, readable in a Windows console."""
    table = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(headers))]
    for index, row in enumerate(table):
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        if index == 0:
            print("  ".join("-" * w for w in widths))


def local_time(session: profiles.Session, moment: datetime) -> str:
    """A stored UTC moment as the shop's local date and minute."""
    return to_local(moment, session.timezone).strftime("%Y-%m-%d %H:%M")


def yes_no(value: bool) -> str:
    return _("yes") if value else _("no")
