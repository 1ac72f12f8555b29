"""import FILE --preview|--apply, and table-export products|stock|movements|sales."""

from __future__ import annotations

import argparse
from pathlib import Path

from shopdesk.catalog import table_io
from shopdesk.cli.common import add_seller_option, print_table, seller_session
from shopdesk.i18n import N_, _

ACTIONS = {
    table_io.CREATE: N_("create"),
    table_io.UPDATE: N_("change"),
    table_io.UNCHANGED: N_("unchanged"),
    table_io.REJECT: N_("REJECTED"),
}
TABLES = ("products", "stock", "movements", "sales")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    imp = commands.add_parser(
        "import", help=_("import products, variants and opening stock from CSV or XLSX")
    )
    add_seller_option(imp)
    imp.add_argument("file", metavar=_("FILE"))
    mode = imp.add_mutually_exclusive_group(required=True)
    mode.add_argument("--preview", action="store_true", help=_("show what would change"))
    mode.add_argument("--apply", action="store_true", help=_("import, all or nothing"))
    imp.add_argument(
        "--skip-rejected",
        action="store_true",
        help=_("import the good rows even when some rows are rejected"),
    )
    imp.add_argument("--all-rows", action="store_true", help=_("list unchanged rows too"))
    imp.set_defaults(func=cmd_import)

    exp = commands.add_parser(
        "table-export", help=_("export products, stock, movements or sales to CSV or XLSX")
    )
    add_seller_option(exp)
    exp.add_argument("table", choices=TABLES)
    exp.add_argument("--format", dest="fmt", choices=("csv", "xlsx"))
    exp.add_argument("-o", "--output", required=True, metavar=_("FILE"))
    exp.add_argument(
        "--semicolon", action="store_true", help=_("separate CSV columns with ; for Excel")
    )
    exp.add_argument("--archived", action="store_true", help=_("include archived products"))
    exp.set_defaults(func=cmd_export)


def _print_preview(preview: table_io.ImportPreview, all_rows: bool) -> None:
    for note in preview.notes:
        print(_("Note: {note}").format(note=note))
    shown = [r for r in preview.rows if all_rows or r.action != table_io.UNCHANGED]
    print_table(
        (_("Row"), "SKU", _("Name"), _("Action"), _("Details")),
        ((r.line, r.sku, r.name[:40], _(ACTIONS[r.action]), "; ".join(r.messages)) for r in shown),
    )
    print(
        _("{create} to create, {update} to change, {same} unchanged, {reject} rejected.").format(
            create=preview.count(table_io.CREATE),
            update=preview.count(table_io.UPDATE),
            same=preview.count(table_io.UNCHANGED),
            reject=preview.count(table_io.REJECT),
        )
    )


def cmd_import(args: argparse.Namespace) -> int:
    session = seller_session(args)
    if args.preview:
        preview = table_io.preview_import(session, args.file)
        _print_preview(preview, args.all_rows)
        return 0 if preview.ok else 2
    result = table_io.apply_import(session, args.file, skip_rejected=args.skip_rejected)
    _print_preview(result.preview, args.all_rows)
    print(
        _(
            "Imported: {products} products and {variants} variants created, {updated} "
            "variants changed, {units} units of opening stock."
        ).format(
            products=result.products_created,
            variants=result.variants_created,
            updated=result.variants_updated,
            units=result.stock_units,
        )
    )
    if result.rows_skipped:
        print(_("{n} rejected rows were skipped.").format(n=result.rows_skipped))
    if result.backup:
        print(_("A backup was made first: {path}").format(path=result.backup))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    session = seller_session(args)
    path = Path(args.output)
    delimiter = ";" if args.semicolon else ","
    if args.table == "products":
        count = table_io.export_products(
            session, path, fmt=args.fmt, include_archived=args.archived, delimiter=delimiter
        )
    elif args.table == "stock":
        count = table_io.export_stock(session, path, fmt=args.fmt, delimiter=delimiter)
    else:
        # Movements and sales are the stock engineer's exports (shopdesk.reports).
        from shopdesk import reports

        fmt = table_io.export_format(path, args.fmt)
        writer = reports.export_movements if args.table == "movements" else reports.export_sales
        count = writer(session, path, fmt)
    print(_("{n} rows written to {path}.").format(n=count, path=path))
    return 0
