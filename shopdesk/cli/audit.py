"""audit: the activity log, of a seller's own shop (--seller) or of the whole PC (the operator)."""

from __future__ import annotations

import argparse

from shopdesk import audit
from shopdesk.cli.common import operator_session, print_table, seller_session
from shopdesk.dates import Month, parse_day
from shopdesk.i18n import _


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmd = commands.add_parser("audit", help=_("the activity log: who did what, and when"))
    cmd.add_argument(
        "--seller",
        metavar=_("NAME"),
        help=_(
            "show this seller's own shop (the PIN is asked, or read from SHOPDESK_PIN); "
            "without it the operator sees every shop (the password is asked, or read "
            "from SHOPDESK_OPERATOR_PASSWORD)"
        ),
    )
    cmd.add_argument(
        "--since",
        metavar=_("DATE"),
        help=_("from this day on: 01-03-2025, or 03/2025 for the whole month"),
    )
    cmd.add_argument(
        "--until", metavar=_("DATE"), help=_("up to and including this day (a month: its last day)")
    )
    cmd.add_argument(
        "--action",
        metavar=_("ACTION"),
        help=_("only one action (sale.void) or one group: {groups}").format(
            groups=", ".join(audit.GROUPS)
        ),
    )
    cmd.add_argument("--limit", type=int, default=100)
    cmd.set_defaults(func=cmd_audit)


def cmd_audit(args: argparse.Namespace) -> int:
    since = parse_day(args.since, field="--since", month=Month.FIRST_DAY)
    until = parse_day(args.until, field="--until", month=Month.LAST_DAY)
    who = seller_session(args) if args.seller else operator_session()
    rows = audit.entries(who, since=since, until=until, action=args.action, limit=args.limit)
    if not rows:
        print(_("No entries."))
        return 0
    when = [e.local_at.strftime("%Y-%m-%d %H:%M") for e in rows]
    if args.seller:
        print_table(
            (_("When"), _("By"), _("Action"), _("Detail")),
            ((w, e.by, e.label, e.detail) for w, e in zip(when, rows, strict=True)),
        )
    else:
        print_table(
            (_("When"), _("Shop"), _("By"), _("Action"), _("Detail")),
            (
                (w, e.shop_name or _("whole PC"), e.by, e.label, e.detail)
                for w, e in zip(when, rows, strict=True)
            ),
        )
    return 0
