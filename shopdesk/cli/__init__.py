"""The ``shopdesk`` command: every core service reachable from the shell.

One module per command group registers its sub-commands (see ``GROUPS``); only the
group of the command given is loaded, and ``--help`` and ``--version`` load none
(``cli/parser.py``). Errors print one translated line and exit non-zero; ``--debug``
shows the traceback instead. A reader that stops early (``shopdesk … | head``) ends the
command quietly with 141, the status a shell shows for a program stopped by
SIGPIPE. Everything a command creates in the data folder is private
(``paths.private_files``).
"""

from __future__ import annotations

import os
import sys

from shopdesk import APP_NAME, __version__

# The rest is imported inside the functions, so that ``--version`` answers with nothing
# more loaded than ``import shopdesk`` (not even typing, hence this TYPE_CHECKING).
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse

# Command groups, in the order --help lists them (cli/parser.py's COMMANDS names the
# commands each one adds; build.spec reads this list).
GROUPS = [
    "shopdesk.cli.setup",
    "shopdesk.cli.seller",
    "shopdesk.cli.product",
    "shopdesk.cli.tables",
    "shopdesk.cli.stock",
    "shopdesk.cli.count",
    "shopdesk.cli.sale",
    "shopdesk.cli.orders",
    "shopdesk.cli.debts",
    "shopdesk.cli.labels",
    "shopdesk.cli.backup",
    "shopdesk.cli.export",
    "shopdesk.cli.marketplace",
    "shopdesk.cli.audit",
    "shopdesk.cli.server",
]


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser with only argv's command group loaded; without argv, every group."""
    from shopdesk.cli import parser  # argparse and the table: not needed for --version

    return parser.build_parser(argv)


# 128 + SIGPIPE: what `seq 1 100000 | head -1` leaves in ${PIPESTATUS[0]}.
EXIT_READER_GONE = 141


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        try:
            return _answer(argv)
        finally:
            # Here, not at interpreter exit: a reader gone is then ours to handle.
            if sys.stdout is not None:
                sys.stdout.flush()
    except BrokenPipeError:
        _drop_stdout()
        return EXIT_READER_GONE


def _answer(argv: list[str]) -> int:
    if argv == ["--version"]:  # answered before loading anything
        print(f"{APP_NAME} {__version__}")
        return 0
    from shopdesk import paths

    with paths.private_files():
        return _run(argv)


def _drop_stdout() -> None:
    """Point stdout at the null device, so that the interpreter's last flush of
    what is still buffered finds nowhere to fail."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):  # stdout without a file descriptor: nothing to flush later
        pass


def _run(argv: list[str]) -> int:
    import argparse

    from shopdesk import i18n
    from shopdesk.cli.parser import error_line, language_from_argv
    from shopdesk.errors import ShopDeskError
    from shopdesk.i18n import _

    i18n.set_language(language_from_argv(argv))
    argparse._ = i18n.gettext  # type: ignore[attr-defined]
    argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except ShopDeskError as exc:
        if args.debug:
            raise
        print(error_line(exc.message), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(_("Stopped."), file=sys.stderr)
        return 130
    except BrokenPipeError:
        raise  # the reader of stdout is gone: main ends quietly
    except Exception as exc:
        if args.debug:
            raise
        return _crashed(exc)
    finally:
        store = sys.modules.get("shopdesk.store")
        if store is not None:  # a command that never opened the database need not load it
            store.close_database()
            store.set_shop_scope(None)  # the command's seller is done: no shop's rows


def _crashed(exc: Exception) -> int:
    """An error no command expected: a full disk still gets its plain message;
    anything else goes to the log (or stderr, when no log can be written)."""
    from shopdesk.cli.parser import error_line
    from shopdesk.errors import StorageError
    from shopdesk.i18n import _
    from shopdesk.logging_setup import log_exception
    from shopdesk.store import translate_error

    known = translate_error(exc)
    if isinstance(known, StorageError):  # the disk is full
        print(error_line(known.message), file=sys.stderr)
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
