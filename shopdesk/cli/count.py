"""count start|enter|scan|review|post|cancel|list|sheet: the stocktake (stock opname)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator

from shopdesk.cli.common import add_seller_command, local_time, print_table, seller_session
from shopdesk.cli.parser import error_line
from shopdesk.errors import NotFoundError
from shopdesk.i18n import _
from shopdesk.stock import stocktake


def _sub(
    cmds: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    help_text: str,
    func: Callable[[argparse.Namespace], int],
    *,
    count_option: bool = True,
) -> argparse.ArgumentParser:
    parser = add_seller_command(cmds, name, help_text, func)
    if count_option:
        parser.add_argument(
            "--count",
            type=int,
            metavar=_("NUMBER"),
            help=_("the stocktake (default: the open one)"),
        )
    return parser


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    count = commands.add_parser("count", help=_("stocktake (stock opname)"))
    cmds = count.add_subparsers(dest="action", required=True, metavar=_("ACTION"))

    start = _sub(
        cmds, "start", _("start a count of all or some products"), cmd_start, count_option=False
    )
    start.add_argument("skus", nargs="*", metavar="SKU", help=_("only these (default: all)"))
    start.add_argument("--category", metavar=_("CATEGORY"), help=_("only this category"))
    start.add_argument("--note", default="")

    enter = _sub(cmds, "enter", _("type the counted quantity of a SKU"), cmd_enter)
    enter.add_argument("sku", metavar="SKU")
    enter.add_argument("counted", metavar=_("COUNTED"))

    scan = _sub(
        cmds, "scan", _("each scanned code adds one; “-” reads codes line by line"), cmd_scan
    )
    scan.add_argument("codes", nargs="+", metavar=_("CODE"))

    review = _sub(cmds, "review", _("show the differences before posting"), cmd_review)
    review.add_argument("--all", action="store_true", help=_("list every line, also equal ones"))

    post = _sub(cmds, "post", _("book all differences in one go"), cmd_post)
    post.add_argument("--note", default="")

    _sub(cmds, "cancel", _("drop the open count without changing stock"), cmd_cancel)
    _sub(cmds, "list", _("stocktakes, newest first"), cmd_list, count_option=False)

    sheet = _sub(cmds, "sheet", _("print a count sheet (PDF)"), cmd_sheet)
    sheet.add_argument("path", metavar=_("FILE"))


def cmd_start(args: argparse.Namespace) -> int:
    session = seller_session(args)
    info = stocktake.start_count(
        session, skus=args.skus or None, category=args.category, note=args.note
    )
    print(
        _("Stocktake {id} started with {lines} products. Count, then “count post”.").format(
            id=info.id, lines=len(info.lines)
        )
    )
    return 0


def _line(line: stocktake.CountLineInfo) -> str:
    return _("{sku}: counted {counted}, expected {expected}, difference {difference}").format(
        sku=line.sku,
        counted=line.counted,
        expected=line.expected,
        difference=f"{line.difference or 0:+d}",
    )


def cmd_enter(args: argparse.Namespace) -> int:
    session = seller_session(args)
    print(
        _line(
            stocktake.enter_count(session, sku=args.sku, counted=args.counted, count_id=args.count)
        )
    )
    return 0


def _codes(items: list[str]) -> Iterator[str]:
    for item in items:
        if item == "-":
            for raw in sys.stdin:
                if raw.strip():
                    yield raw.strip()
        else:
            yield item


def cmd_scan(args: argparse.Namespace) -> int:
    session = seller_session(args)
    missing = 0
    for code in _codes(args.codes):
        try:
            print(_line(stocktake.scan(session, code=code, count_id=args.count)))
        except NotFoundError as exc:  # one bad scan must not stop a scanning session
            missing += 1
            print(error_line(exc.message), file=sys.stderr)
    return 3 if missing else 0


def cmd_review(args: argparse.Namespace) -> int:
    session = seller_session(args)
    info = stocktake.review(session, count_id=args.count)
    rows = info.lines if args.all else info.differences
    print_table(
        ("SKU", _("Product"), _("Counted"), _("Expected"), _("Difference"), _("On hand now")),
        (
            (
                line.sku,
                line.product_name[:40],
                "-" if line.counted is None else line.counted,
                "-" if line.expected is None else line.expected,
                "-" if line.difference is None else f"{line.difference:+d}",
                line.on_hand,
            )
            for line in rows
        ),
    )
    print(
        _(
            "Stocktake {id} ({status}): {counted} of {lines} products counted, "
            "{differences} with a difference."
        ).format(
            id=info.id,
            status=stocktake.status_label(info.status),
            counted=info.counted_lines,
            lines=len(info.lines),
            differences=len(info.differences),
        )
    )
    return 0


def cmd_post(args: argparse.Namespace) -> int:
    session = seller_session(args)
    result = stocktake.post_count(session, count_id=args.count, note=args.note)
    print(
        _("Stocktake {id} posted: {lines} products changed, +{added} / -{removed} units.").format(
            id=result.count_id,
            lines=result.lines_posted,
            added=result.units_added,
            removed=result.units_removed,
        )
    )
    return 0


def cmd_cancel(args: argparse.Namespace) -> int:
    session = seller_session(args)
    stocktake.cancel_count(session, count_id=args.count)
    print(_("The stocktake was cancelled; stock was not changed."))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    session = seller_session(args)
    print_table(
        (_("No"), _("Status"), _("Started"), _("Posted"), _("Note")),
        (
            (
                c.id,
                stocktake.status_label(c.status),
                local_time(session, c.started_at),
                local_time(session, c.posted_at) if c.posted_at else "-",
                c.note,
            )
            for c in stocktake.list_counts(session)
        ),
    )
    return 0


def cmd_sheet(args: argparse.Namespace) -> int:
    session = seller_session(args)
    path = stocktake.count_sheet(session, path=args.path, count_id=args.count)
    print(_("Count sheet written: {path}").format(path=path))
    return 0
