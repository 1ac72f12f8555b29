"""init, operator, demo, whoami, shop: setting up the PC and a seller's shop."""

from __future__ import annotations

import argparse

from shopdesk import demo, first_steps, paths, profiles
from shopdesk.cli.common import (
    add_seller_option,
    ask_secret,
    open_db,
    operator_session,
    seller_session,
)
from shopdesk.errors import ValidationError
from shopdesk.i18n import _


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    init = commands.add_parser("init", help=_("create the database and the operator"))
    init.set_defaults(func=cmd_init)

    op = commands.add_parser("operator", help=_("the village admin's password"))
    op_cmds = op.add_subparsers(dest="action", required=True, metavar=_("ACTION"))
    op_cmds.add_parser("set-password", help=_("change the operator password")).set_defaults(
        func=cmd_operator_password
    )

    dem = commands.add_parser("demo", help=_("create a demo shop to try ShopDesk"))
    dem.add_argument(
        "--if-missing", action="store_true", help=_("do nothing when the PC is already set up")
    )
    dem.set_defaults(func=cmd_demo)

    who = commands.add_parser("whoami", help=_("check a seller's PIN and show their shop"))
    add_seller_option(who)
    who.set_defaults(func=cmd_whoami)

    shop = commands.add_parser("shop", help=_("a seller's shop details"))
    shop_cmds = shop.add_subparsers(dest="action", required=True, metavar=_("ACTION"))
    show = shop_cmds.add_parser("show", help=_("show the shop details"))
    add_seller_option(show)
    show.set_defaults(func=cmd_whoami)
    edit = shop_cmds.add_parser("edit", help=_("change the shop details"))
    add_seller_option(edit)
    add_shop_options(edit)
    edit.add_argument("--logo", metavar=_("IMAGE"), help=_("a logo picture (JPG or PNG)"))
    edit.set_defaults(func=cmd_shop_edit)


def add_shop_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--owner", dest="owner_name", help=_("owner's name"))
    parser.add_argument("--address", help=_("producer address printed on labels"))
    parser.add_argument("--village", help=_("village"))
    parser.add_argument("--district", help=_("district (kecamatan/kabupaten)"))
    parser.add_argument("--whatsapp", help=_("WhatsApp number, such as 0812 3456 7890"))
    parser.add_argument("--pirt", dest="pirt_number", help=_("P-IRT number, 15 digits"))
    parser.add_argument("--halal", dest="halal_cert_number", help=_("halal certificate number"))
    parser.add_argument("--timezone", choices=("WIB", "WITA", "WIT"), help=_("time zone"))


def shop_fields(args: argparse.Namespace) -> dict[str, str]:
    """The shop details given on the command line (the name has its own option)."""
    keys = (k for k in profiles.SHOP_FIELDS if k != "name")
    return {k: getattr(args, k) for k in keys if getattr(args, k, None) is not None}


def cmd_init(args: argparse.Namespace) -> int:
    open_db()
    if profiles.operator_exists():
        print(_("ShopDesk is already set up in {path}.").format(path=paths.data_dir()))
        return 0
    password = ask_secret(
        _("New operator password (8 characters or more): "), "SHOPDESK_OPERATOR_PASSWORD"
    )
    if "SHOPDESK_OPERATOR_PASSWORD" not in __import__("os").environ:
        again = ask_secret(_("Type it again: "), "SHOPDESK_OPERATOR_PASSWORD")
        if again != password:
            raise ValidationError(_("The two passwords differ. Nothing was created."))
    profiles.create_operator(password=password)
    print(
        _("ShopDesk is ready in {path}. Next: shopdesk seller create").format(path=paths.data_dir())
    )
    return 0


def cmd_operator_password(args: argparse.Namespace) -> int:
    op = operator_session()
    new = ask_secret(_("New operator password: "), "SHOPDESK_NEW_PASSWORD")
    profiles.change_operator_password(
        op, old=ask_secret(_("Operator password: "), "SHOPDESK_OPERATOR_PASSWORD"), new=new
    )
    print(_("The operator password was changed."))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    open_db()
    if args.if_missing and profiles.operator_exists():
        print(_("The demo shop is already there."))
        return 0
    for line in demo.seed():
        print(line)
    return 0


def cmd_whoami(args: argparse.Namespace) -> int:
    session = seller_session(args)
    info = profiles.shop_info(session)
    print(_("Seller: {name} ({login})").format(name=session.display_name, login=session.login))
    print(_("Shop: {name}").format(name=info.name))
    rows = [
        (_("Owner"), info.owner_name),
        (_("Address"), info.address),
        (_("Village"), info.village),
        (_("District"), info.district),
        (_("WhatsApp"), info.whatsapp),
        (_("P-IRT"), info.pirt_number),
        (_("Halal certificate"), info.halal_cert_number),
        (_("Time zone"), info.timezone),
    ]
    for label, value in rows:
        print(f"  {label}: {value or '-'}")
    steps = first_steps.first_steps(session)
    if steps.shown and steps.next is not None:
        print(_("Next first step: {step}").format(step=first_steps.step_label(steps.next)))
    return 0


def cmd_shop_edit(args: argparse.Namespace) -> int:
    session = seller_session(args)
    fields = shop_fields(args)
    if fields:
        profiles.update_shop(session, **fields)
    if args.logo:
        profiles.set_shop_logo(session, image_path=args.logo)
    print(_("The shop details were saved."))
    return 0
