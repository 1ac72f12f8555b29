"""server: connect this data folder to a cooperative's PostgreSQL server, test it,
say where the data lives, and go back to this PC's own file; move a data folder's
data onto the server and the server's out to a folder (``cli/moves.py``)."""

from __future__ import annotations

import argparse
import os
import sys

from shopdesk import server_link
from shopdesk.cli import moves
from shopdesk.cli.common import ask_secret
from shopdesk.errors import DatabaseError
from shopdesk.i18n import _

PASSWORD_ENV = "SHOPDESK_SERVER_PASSWORD"
URL_HELP = _("the server: postgresql://USER@HOST:PORT/DATABASE")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmd = commands.add_parser(
        "server", help=_("where the data lives: this PC or a cooperative's server")
    )
    sub = cmd.add_subparsers(dest="server_command", metavar=_("ACTION"), required=True)
    connect = sub.add_parser(
        "connect",
        help=_(
            "keep this data folder's data on the server (the password is asked, or read "
            "from PostgreSQL's password file or SHOPDESK_SERVER_PASSWORD)"
        ),
    )
    connect.add_argument("url", metavar="URL", help=URL_HELP)
    connect.set_defaults(func=cmd_connect)
    test = sub.add_parser("test", help=_("test a connection to a server, changing nothing"))
    test.add_argument("url", metavar="URL", help=URL_HELP)
    test.set_defaults(func=cmd_test)
    status = sub.add_parser("status", help=_("where the data lives, and whether it answers"))
    status.set_defaults(func=cmd_status)
    disconnect = sub.add_parser(
        "disconnect", help=_("go back to this PC's own database file (the server keeps its data)")
    )
    disconnect.set_defaults(func=cmd_disconnect)
    moves.add_commands(sub)  # move-in, move-out


def _password_for(url: str) -> str | None:
    """None when the server lets us in without one (its password file, or trust);
    otherwise asked unseen (or SHOPDESK_SERVER_PASSWORD for scripts)."""
    if os.environ.get(PASSWORD_ENV) is not None:
        return os.environ[PASSWORD_ENV]
    try:
        server_link.test(url)
    except DatabaseError as exc:
        if not server_link.needs_password(exc) or not (sys.stdin and sys.stdin.isatty()):
            raise
        return ask_secret(_("Password on the server: "), PASSWORD_ENV)
    return None


def cmd_test(args: argparse.Namespace) -> int:
    version = server_link.test(args.url, _password_for(args.url))
    print(_("The server answers: PostgreSQL {version}.").format(version=version))
    return 0


def cmd_connect(args: argparse.Namespace) -> int:
    status = server_link.connect(args.url, _password_for(args.url))
    print(_("This data folder now keeps its data on {place}.").format(place=status.place))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    status = server_link.status()
    if not status.on_server:
        print(_("The data lives on this PC: {path}").format(path=status.place))
        return 0
    print(_("The data lives on the server {place}.").format(place=status.place))
    if status.from_environment:
        print(_("(named by SHOPDESK_DATABASE_URL)"))
    if status.problem:
        print(status.problem)
        return 1
    print(_("The server answers: PostgreSQL {version}.").format(version=status.version))
    return 0


def cmd_disconnect(args: argparse.Namespace) -> int:
    path = server_link.disconnect()
    print(_("The data lives on this PC again: {path}").format(path=path))
    return 0
