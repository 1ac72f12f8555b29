"""seller create|list|disable|enable|reset-pin."""

from __future__ import annotations

import argparse

from shopdesk import profiles
from shopdesk.cli.common import ask_secret, open_db, operator_session, print_table, yes_no
from shopdesk.cli.setup import add_shop_options, shop_fields
from shopdesk.i18n import _


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    seller = commands.add_parser("seller", help=_("seller profiles (operator)"))
    cmds = seller.add_subparsers(dest="action", required=True, metavar=_("ACTION"))

    create = cmds.add_parser("create", help=_("create a seller and their shop"))
    create.add_argument("login", metavar=_("NAME"), help=_("short seller name, like kopi-sindoro"))
    create.add_argument("--display-name", required=True, help=_("the seller's full name"))
    create.add_argument("--shop", required=True, help=_("the shop's name"))
    add_shop_options(create)
    create.set_defaults(func=cmd_create)

    listing = cmds.add_parser("list", help=_("list seller profiles"))
    listing.set_defaults(func=cmd_list)

    for name, disabled in (("disable", True), ("enable", False)):
        cmd = cmds.add_parser(
            name, help=_("disable a seller") if disabled else _("enable a seller again")
        )
        cmd.add_argument("login", metavar=_("NAME"))
        cmd.set_defaults(func=cmd_disable, disabled=disabled)

    reset = cmds.add_parser("reset-pin", help=_("set a new PIN with the recovery code"))
    reset.add_argument("login", metavar=_("NAME"))
    reset.set_defaults(func=cmd_reset_pin)


def cmd_create(args: argparse.Namespace) -> int:
    op = operator_session()
    pin = ask_secret(_("PIN for the new seller (6 digits or more): "), "SHOPDESK_NEW_PIN")
    profile, code = profiles.create_seller(
        op,
        login=args.login,
        display_name=args.display_name,
        pin=pin,
        shop_name=args.shop,
        **shop_fields(args),
    )
    print(
        _("Seller {login} created for {shop}.").format(login=profile.login, shop=profile.shop_name)
    )
    print(_("Recovery code (write it down, it is shown only once): {code}").format(code=code))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    open_db()
    rows = profiles.list_profiles(include_disabled=True)
    print_table(
        (_("Name"), _("Seller"), _("Shop"), _("Disabled")),
        ((p.login, p.display_name, p.shop_name, yes_no(p.disabled)) for p in rows),
    )
    return 0


def cmd_disable(args: argparse.Namespace) -> int:
    op = operator_session()
    profiles.set_seller_disabled(op, login=args.login, disabled=args.disabled)
    message = _("Seller {login} is disabled.") if args.disabled else _("Seller {login} is enabled.")
    print(message.format(login=args.login))
    return 0


def cmd_reset_pin(args: argparse.Namespace) -> int:
    open_db()
    code = ask_secret(_("Recovery code: "), "SHOPDESK_RECOVERY_CODE")
    pin = ask_secret(_("New PIN (6 digits or more): "), "SHOPDESK_NEW_PIN")
    new_code = profiles.reset_pin(login=args.login, recovery_code=code, new_pin=pin)
    print(_("The PIN was changed."))
    print(
        _("New recovery code (write it down, it is shown only once): {code}").format(code=new_code)
    )
    return 0
