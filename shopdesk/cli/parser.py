"""The ``shopdesk`` parser, built with only the command group it needs.

Loading every group's module costs most of a second (they bring peewee, reportlab,
openpyxl and Pillow). ``shopdesk --help`` needs only the names and help lines of the
commands, kept in ``COMMANDS``; a command needs only its own group's module. The table
must name what each group's ``register`` adds, in the same order and with the same help
(``tests/test_cli_startup.py`` holds them together).
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Sequence
from typing import Any

from shopdesk import APP_NAME, __version__, i18n
from shopdesk.i18n import N_, _
from shopdesk.labels.messages import GROUP_HELP as LABELS_HELP

# argparse's own messages (its gettext domain 'argparse', which has no Indonesian
# catalog), so that --help and usage errors speak Indonesian too: every message of
# Python 3.11's argparse, answered from our catalog (cli/__init__.py points argparse's
# ``_`` and ``ngettext`` at shopdesk.i18n; tests/test_cli_language.py checks the list).
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("expected one argument"),
    N_("expected at least one argument"),
    N_("expected at most one argument"),
    N_("expected %s argument"),
    N_("expected %s arguments"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("one of the arguments %s is required"),
    N_("can't open '%(filename)s': %(error)s"),
    N_('argument "-" with mode %r'),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("unexpected option string: %s"),
    # mistakes in a parser's own code, never a user's: translated all the same
    N_("%r is not callable"),
    N_("'required' is an invalid argument for positionals"),
    N_(".__call__() not defined"),
    N_("cannot have multiple subparser arguments"),
    N_("cannot merge actions - two groups are named %r"),
    N_("conflicting option string: %s"),
    N_("conflicting option strings: %s"),
    N_("conflicting subparser alias: %s"),
    N_("conflicting subparser: %s"),
    N_("dest= is required for options like %r"),
    N_("invalid conflict_resolution value: %r"),
    N_("invalid option string %(option)r: must start with a character %(prefix_chars)r"),
    N_("mutually exclusive arguments must be optional"),
)
ERROR_LINE = N_("Error: {message}")

# What --help shows for an option's value where the option names none: argparse would
# print the English name of its destination in capitals (--note NOTE, --limit LIMIT).
_NAME, _TEXT, _NUMBER, _MM = N_("NAME"), N_("TEXT"), N_("NUMBER"), N_("MM")
METAVARS = {
    **dict.fromkeys(("name", "display_name", "owner_name", "shop", "design", "printer"), _NAME),
    **dict.fromkeys(
        (
            "note", "reason", "address", "village", "district", "description", "composition",
            "storage", "netto", "option1_name", "option2_name", "option1_value", "option2_value",
        ),
        _TEXT,
    ),
    **dict.fromkeys(
        (
            "whatsapp", "pirt_number", "halal_cert_number", "low_stock", "limit", "copies",
            "skip", "dpi", "weight_g", "length_cm", "width_cm", "height_cm", "shelf_life_days",
        ),
        _NUMBER,
    ),
    **dict.fromkeys(("x", "y", "gap", "corner", "margin", "first"), _MM),
    **dict.fromkeys(("price", "cost"), N_("AMOUNT")),
    **dict.fromkeys(("sku", "new_sku"), N_("SKU")),
    **dict.fromkeys(("barcode", "batch", "code", "part"), N_("CODE")),
    **dict.fromkeys(("is_food", "halal"), N_("YES/NO")),
    **dict.fromkeys(("page", "label"), N_("WIDTHxHEIGHT")),
    "grid": N_("COLUMNSxROWS"),
    "category": N_("CATEGORY"),
    "unit": N_("UNIT"),
    "days": N_("DAYS"),
    "paper": N_("PAPER"),
    "output": N_("FILE"),
    "targets": N_("TARGETS"),
    "listing_url": N_("URL"),
}  # fmt: skip


def error_line(message: str) -> str:
    """The one line a failed command prints on stderr."""
    return _(ERROR_LINE).format(message=message)


class Parser(argparse.ArgumentParser):
    """argparse's parser with a placeholder in the user's language for every option value
    that names none (METAVARS); sub-commands are parsers of this class too."""

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        action = super().add_argument(*args, **kwargs)
        unnamed = action.metavar is None and action.choices is None and action.nargs != 0
        if action.option_strings and unnamed and action.dest in METAVARS:
            action.metavar = _(METAVARS[action.dest])
        return action


# Every command in the order --help lists it: its name, the group module that
# registers it (shopdesk.cli.<group>) and its help line.
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("init", "setup", N_("create the database and the operator")),
    ("operator", "setup", N_("the village admin's password")),
    ("demo", "setup", N_("create a demo shop to try ShopDesk")),
    ("whoami", "setup", N_("check a seller's PIN and show their shop")),
    ("shop", "setup", N_("a seller's shop details")),
    ("seller", "seller", N_("seller profiles (operator)")),
    ("product", "product", N_("products of the catalog")),
    ("variant", "product", N_("variants: flavours, sizes")),
    ("search", "product", N_("find products by name, SKU or barcode")),
    ("import", "tables", N_("import products, variants and opening stock from CSV or XLSX")),
    ("table-export", "tables", N_("export products, stock, movements or sales to CSV or XLSX")),
    ("stock", "stock", N_("stock in and out, history, ledger check")),
    ("batch", "stock", N_("production batches and expiry")),
    ("count", "count", N_("stocktake (stock opname)")),
    ("sale", "sale", N_("record and void sales, daily summaries")),
    ("report", "sale", N_("stock value, low stock, sales per day")),
    ("orders", "orders", N_("marketplace order exports and WhatsApp orders back into stock")),
    ("customer", "debts", N_("customers: name and WhatsApp number")),
    ("debt", "debts", N_("customer debts (kasbon): list, payments, reminders")),
    ("labels", "labels", LABELS_HELP),
    ("backup", "backup", N_("backups: make, list, verify, restore")),
    ("doctor", "backup", N_("health check of the database, stock and backups")),
    ("export", "export", N_("write listing bundles for marketplaces to a folder or USB stick")),
    ("bundle", "export", N_("check, show or re-address a listing bundle")),
    (
        "marketplace",
        "marketplace",
        N_("marketplace templates, couriers, listing ids and stock updates"),
    ),
    ("audit", "audit", N_("the activity log: who did what, and when")),
    ("server", "server", N_("where the data lives: this PC or a cooperative's server")),
)
GROUP_OF = {name: group for name, group, _help in COMMANDS}


def language_from_argv(argv: Sequence[str]) -> str | None:
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def group_named_in(argv: Sequence[str]) -> str | None:
    """The group of the command in argv: its first word that names one.

    Only --lang's value (id or en) can stand before the command, and no command is
    called that, so the first command name is the command.
    """
    return next((GROUP_OF[arg] for arg in argv if arg in GROUP_OF), None)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser for argv, with only its command's group loaded; for None, every group.

    The commands of the other groups are listed by name and help line, in their places.
    """
    parser = Parser(
        prog="shopdesk",
        description=_("{app}: stock, labels and listings for village shops.").format(app=APP_NAME),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"{APP_NAME} {__version__}",
        help=_("show program's version number and exit"),  # argparse 3.11 leaves it English
    )
    parser.add_argument(
        "--lang", choices=i18n.LANGUAGES, help=_("language of messages: id (default) or en")
    )
    parser.add_argument("--debug", action="store_true", help=_("show tracebacks of errors"))
    commands = parser.add_subparsers(dest="command", metavar=_("COMMAND"))
    wanted = None if argv is None else group_named_in(argv)
    registered: set[str] = set()
    for name, group, help_text in COMMANDS:
        if argv is not None and group != wanted:
            commands.add_parser(name, help=_(help_text))
        elif group not in registered:  # the group adds all its commands here
            importlib.import_module(f"shopdesk.cli.{group}").register(commands)
            registered.add(group)
    return parser
