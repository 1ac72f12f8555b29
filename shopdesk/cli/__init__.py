"""The ``shopdesk`` command: every core service reachable from the shell.

One module per command group registers its sub-commands (see ``GROUPS``).
Errors print one translated line and exit non-zero; ``--debug`` shows the
traceback instead.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from shopdesk import APP_NAME, __version__, i18n
from shopdesk.errors import ShopDeskError, StorageError
from shopdesk.i18n import N_, _

# Command groups, in the order --help lists them.
GROUPS = [
    "shopdesk.cli.setup",
    "shopdesk.cli.seller",
    "shopdesk.cli.product",
    "shopdesk.cli.tables",
    "shopdesk.cli.stock",
    "shopdesk.cli.count",
    "shopdesk.cli.sale",
    "shopdesk.cli.labels",
    "shopdesk.cli.backup",
    "shopdesk.cli.export",
    "shopdesk.cli.audit",
]

# argparse's own messages, so that --help and usage errors speak Indonesian too.
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
    N_("argument %(argument_name)s: %(message)s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"),
)


def _language_from_argv(argv: list[str]) -> str | None:
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="shopdesk",
        description=_("{app}: stock, labels and listings for village shops.").format(app=APP_NAME),
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument(
        "--lang", choices=i18n.LANGUAGES, help=_("language of messages: id (default) or en")
    )
    parser.add_argument("--debug", action="store_true", help=_("show tracebacks of errors"))
    commands = parser.add_subparsers(dest="command", metavar=_("COMMAND"))
    for name in GROUPS:
        importlib.import_module(name).register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv == ["--version"]:  # answered before loading every command group
        print(f"{APP_NAME} {__version__}")
        return 0
    i18n.set_language(_language_from_argv(argv))
    argparse._ = i18n.gettext  # type: ignore[attr-defined]
    argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except ShopDeskError as exc:
        if args.debug:
            raise
        print(f"{_('Error')}: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(_("Stopped."), file=sys.stderr)
        return 130
    except Exception as exc:
        if args.debug:
            raise
        return _crashed(exc)
    finally:
        from shopdesk.store import close_database

        close_database()


def _crashed(exc: Exception) -> int:
    """An error no command expected: a full disk still gets its plain message;
    anything else goes to the log (or stderr, when no log can be written)."""
    from shopdesk.logging_setup import log_exception
    from shopdesk.store import translate_error

    known = translate_error(exc)
    if isinstance(known, StorageError):  # the disk is full
        print(f"{_('Error')}: {known.message}", file=sys.stderr)
        return known.exit_code
    where = log_exception("cli")
    if where is None:
        message = _("Unexpected error. Nothing more was changed. The details are above.")
    else:
        message = _("Unexpected error. Nothing more was changed. Details are in {path}.").format(
            path=where
        )
    print(message, file=sys.stderr)
    return 70
