"""labels papers|designs|print|calibrate|import-glabels|add-paper|assign-ean."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from shopdesk.cli.common import add_seller_option, print_table, seller_session
from shopdesk.errors import ValidationError
from shopdesk.i18n import _
from shopdesk.labels import messages as M
from shopdesk.labels.designs import list_designs
from shopdesk.labels.papers import (
    ROLL,
    SHEET,
    custom_paper,
    get_paper,
    labels_dir,
    list_papers,
    save_user_paper,
    user_papers_dir,
)
from shopdesk.labels.payloads import KINDS

# The commands that render or read the database import what they need when they run
# (reportlab, the catalog, the store): listing papers or designs loads none of them.


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = commands.add_parser("labels", help=_(M.GROUP_HELP))
    cmds = group.add_subparsers(dest="action", required=True, metavar=_("ACTION"))

    papers = cmds.add_parser("papers", help=_(M.PAPERS_HELP))
    papers.set_defaults(func=cmd_papers)

    designs = cmds.add_parser("designs", help=_(M.DESIGNS_HELP))
    designs.set_defaults(func=cmd_designs)

    printing = cmds.add_parser("print", help=_(M.PRINT_HELP))
    add_seller_option(printing)
    printing.add_argument("--paper", help=_(M.PAPER_ARG))
    printing.add_argument("--design", default="packaging", help=_(M.DESIGN_ARG))
    printing.add_argument("--sku", action="append", required=True, help=_(M.SKU_ARG))
    printing.add_argument("--batch", help=_(M.BATCH_ARG))
    printing.add_argument("--copies", type=int, help=_(M.COPIES_ARG))
    printing.add_argument("--skip", type=int, default=0, help=_(M.SKIP_ARG))
    printing.add_argument("--qr", choices=KINDS, help=_(M.QR_ARG))
    printing.add_argument("--printer", help=_(M.PRINTER_ARG))
    printing.add_argument("--tspl", action="store_true", help=_(M.TSPL_ARG))
    printing.add_argument("--dpi", type=int, help=_(M.DPI_ARG))
    printing.add_argument("--no-price", action="store_true", help=_(M.NO_PRICE_ARG))
    printing.add_argument("--no-qr", action="store_true", help=_(M.NO_QR_ARG))
    printing.add_argument("--no-barcode", action="store_true", help=_(M.NO_BARCODE_ARG))
    printing.add_argument("--outlines", action="store_true", help=_(M.OUTLINES_ARG))
    printing.add_argument("--strict", action="store_true", help=_(M.STRICT_ARG))
    printing.add_argument("-o", "--output", type=Path, required=True, help=_(M.OUTPUT_ARG))
    printing.set_defaults(func=cmd_print)

    calibrate = cmds.add_parser("calibrate", help=_(M.CALIBRATE_HELP))
    calibrate.add_argument("--paper", required=True, help=_(M.PAPER_ARG))
    calibrate.add_argument("--printer", default="default", help=_(M.PRINTER_ARG))
    calibrate.add_argument("--x", type=float, help=_(M.X_ARG))
    calibrate.add_argument("--y", type=float, help=_(M.Y_ARG))
    calibrate.add_argument("-o", "--output", type=Path, help=_(M.OUTPUT_ARG))
    calibrate.set_defaults(func=cmd_calibrate)

    importing = cmds.add_parser("import-glabels", help=_(M.IMPORT_HELP))
    importing.add_argument("file", type=Path, metavar=_("FILE"))
    importing.add_argument("--part", action="append", help=_(M.PART_ARG))
    importing.set_defaults(func=cmd_import)

    add = cmds.add_parser("add-paper", help=_(M.ADD_PAPER_HELP))
    add.add_argument("id", help=_(M.ADD_ID_ARG))
    add.add_argument("--name", help=_(M.ADD_NAME_ARG))
    add.add_argument("--page", required=True, help=_(M.ADD_PAGE_ARG))
    add.add_argument("--label", required=True, help=_(M.ADD_LABEL_ARG))
    add.add_argument("--grid", default="1x1", help=_(M.ADD_GRID_ARG))
    add.add_argument("--first", default="0,0", help=_(M.ADD_FIRST_ARG))
    add.add_argument("--gap", default="0,0", help=_(M.ADD_GAP_ARG))
    add.add_argument("--corner", type=float, default=0.0, help=_(M.ADD_CORNER_ARG))
    add.add_argument("--margin", type=float, default=1.0, help=_(M.ADD_MARGIN_ARG))
    add.add_argument("--roll", action="store_true", help=_(M.ADD_ROLL_ARG))
    add.add_argument("--dpi", type=int, default=0, help=_(M.DPI_ARG))
    add.set_defaults(func=cmd_add_paper)

    assign = cmds.add_parser("assign-ean", help=_(M.ASSIGN_HELP))
    add_seller_option(assign)
    assign.add_argument("--sku", action="append", help=_(M.ASSIGN_SKU_ARG))
    assign.add_argument("--dry-run", action="store_true", help=_(M.DRY_RUN_ARG))
    assign.set_defaults(func=cmd_assign)


def cmd_papers(args: argparse.Namespace) -> int:
    rows = []
    for paper in list_papers(user_papers_dir()):
        note = _(M.CHECK_PACK) if paper.check_against_pack else ""
        rows.append(
            (
                paper.id,
                paper.name,
                f"{paper.page_width_mm:g} × {paper.page_height_mm:g}",
                f"{paper.label_width_mm:g} × {paper.label_height_mm:g}",
                paper.labels_per_page,
                note,
            )
        )
    print_table(
        [_(M.COL_ID), _(M.COL_NAME), _(M.COL_PAGE), _(M.COL_LABEL), _(M.COL_COUNT), _(M.COL_NOTE)],
        rows,
    )
    return 0


def cmd_designs(args: argparse.Namespace) -> int:
    print_table(
        [_(M.COL_ID), _(M.COL_NAME), _(M.COL_DESCRIPTION)],
        [
            (
                d.id,
                _(M.DESIGN_NAMES[d.id]) if d.id in M.DESIGN_NAMES else d.name,
                _(M.DESIGN_DESCRIPTIONS[d.id]) if d.id in M.DESIGN_DESCRIPTIONS else d.description,
            )
            for d in list_designs()
        ],
    )
    return 0


def cmd_print(args: argparse.Namespace) -> int:
    from shopdesk.labels.service import PrintRequest, prepare_print, write_print

    session = seller_session(args)
    request = PrintRequest(
        skus=tuple(args.sku),
        design_id=args.design,
        paper_id=args.paper,
        batch_code=args.batch,
        copies=args.copies,
        skip=args.skip,
        qr_kind=args.qr,
        price=not args.no_price,
        qr=not args.no_qr,
        barcode=not args.no_barcode,
    )
    job = prepare_print(session, request)
    if job.warnings:
        print(_(M.WARNINGS_TITLE), file=sys.stderr)
        for warning in job.warnings:
            print(f"  - {warning}", file=sys.stderr)
        if args.strict:
            print(_(M.STRICT_STOP), file=sys.stderr)
            return 2
    result = write_print(
        session,
        job,
        args.output,
        printer=args.printer,
        tspl=args.tspl,
        dpi=args.dpi,
        outlines=args.outlines,
    )
    if args.tspl:
        print(_(M.WROTE_TSPL).format(labels=result.labels, path=result.path))
    else:
        print(_(M.WROTE_PDF).format(labels=result.labels, pages=result.pages, path=result.path))
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    from shopdesk.labels.calibration import (
        CalibrationStore,
        Offset,
        instructions,
        render_calibration,
    )

    paper = get_paper(args.paper, user_papers_dir())
    store = CalibrationStore(labels_dir())
    if args.x is not None or args.y is not None:
        current = store.get(paper.id, args.printer)
        offset = Offset(
            current.x_mm if args.x is None else args.x, current.y_mm if args.y is None else args.y
        )
        store.set(paper.id, args.printer, offset)
        print(
            _(M.OFFSET_SAVED).format(
                paper=paper.id, printer=args.printer, x=offset.x_mm, y=offset.y_mm
            )
        )
    if args.output:
        offset = store.get(paper.id, args.printer)
        render_calibration(paper, args.output, offset)
        print(_(M.CALIBRATION_WRITTEN).format(paper=paper.id, path=args.output))
        for line in instructions(paper, offset)[1:]:
            print(f"  {line}")
    if args.output is None and args.x is None and args.y is None:
        raise ValidationError(_(M.NEED_OUTPUT))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from shopdesk.labels.glabels import import_file

    folder = user_papers_dir()
    result = import_file(args.file, folder, parts=args.part or ())
    for name, reason in result.skipped:
        print(_(M.SKIPPED).format(part=name, reason=reason), file=sys.stderr)
    print(_(M.IMPORTED).format(count=len(result.papers), folder=folder))
    return 0


def _pair(text: str, example: str) -> tuple[float, float]:
    parts = re.split(r"\s*[x×,;]\s*", text.strip().lower())
    try:
        first, second = (float(p.replace(",", ".")) for p in parts)
    except ValueError as exc:
        raise ValidationError(_(M.BAD_PAIR).format(text=text, example=example)) from exc
    return first, second


def cmd_add_paper(args: argparse.Namespace) -> int:
    page_w, page_h = _pair(args.page, "165x215")
    label_w, label_h = _pair(args.label, "64x32")
    cols, rows = _pair(args.grid, "2x6")
    left, top = _pair(args.first, "17,6.5")
    gap_x, gap_y = _pair(args.gap, "3,2")
    paper = custom_paper(
        paper_id=args.id,
        name=args.name or args.id,
        page_width_mm=page_w,
        page_height_mm=page_h,
        label_width_mm=label_w,
        label_height_mm=label_h,
        columns=int(cols),
        rows=int(rows),
        left_mm=left,
        top_mm=top,
        gap_x_mm=gap_x,
        gap_y_mm=gap_y,
        corner_mm=args.corner,
        margin_mm=args.margin,
        kind=ROLL if args.roll else SHEET,
        dpi=args.dpi or (203 if args.roll else 0),
    )
    path = save_user_paper(paper, user_papers_dir())
    print(_(M.PAPER_SAVED).format(id=paper.id, path=path))
    return 0


def cmd_assign(args: argparse.Namespace) -> int:
    from shopdesk.labels.service import assign_in_store_ean13

    session = seller_session(args)
    assignments = assign_in_store_ean13(session, skus=args.sku, dry_run=args.dry_run)
    if not assignments:
        print(_(M.NONE_TO_ASSIGN))
        return 0
    print_table([_(M.COL_SKU), _(M.COL_BARCODE)], [(a.sku, a.barcode) for a in assignments])
    message = M.WOULD_ASSIGN if args.dry_run else M.ASSIGNED
    print(_(message).format(count=len(assignments)))
    return 0
