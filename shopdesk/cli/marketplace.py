"""The marketplace command: templates chosen once, couriers, per-product details,
the photo address and buffer, product lists imported, mass-update files written.

Speaks the export catalog (``resources/i18n/id/export.po``), as ``shopdesk export``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from shopdesk import catalog
from shopdesk.cli.common import add_seller_option, print_table, seller_session
from shopdesk.errors import ValidationError
from shopdesk.export import marketplace, mass_update
from shopdesk.export.marketplace import TemplateInfo
from shopdesk.i18n import _
from shopdesk.profiles import Session

TARGET_CHOICES = ("shopee", "tokopedia", "tiktok")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    top = commands.add_parser(
        "marketplace", help=_("marketplace templates, couriers, listing ids and stock updates")
    )
    cmds = top.add_subparsers(dest="action", required=True, metavar=_("ACTION"))
    _seller_cmd(
        cmds, "template", _("choose or show the Shopee or Tokopedia template"), cmd_template
    )
    _seller_cmd(cmds, "couriers", _("the Shopee couriers written Aktif"), cmd_couriers)
    _seller_cmd(cmds, "categories", _("search the category list of a template"), cmd_categories)
    _seller_cmd(cmds, "product", _("dangerous goods, pre-order, category codes"), cmd_product)
    _seller_cmd(cmds, "base-url", _("the public address of the bundle's photos"), cmd_base_url)
    _seller_cmd(cmds, "buffer", _("units kept back for the counter"), cmd_buffer)
    _seller_cmd(cmds, "import-list", _("read a marketplace's product list"), cmd_import_list)
    _seller_cmd(cmds, "links", _("variants with their marketplace ids"), cmd_links)
    _seller_cmd(cmds, "update", _("write the price and stock mass-update file"), cmd_update)


def _seller_cmd(
    cmds: argparse._SubParsersAction[argparse.ArgumentParser], name: str, text: str, func: object
) -> None:
    parser = cmds.add_parser(name, help=text)
    add_seller_option(parser)
    ARGUMENTS[name](parser)
    parser.set_defaults(func=func)


def _target_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "target",
        choices=TARGET_CHOICES,
        metavar=_("MARKETPLACE"),
        help=_("shopee or tokopedia (tiktok: the same)"),
    )


def _template_args(parser: argparse.ArgumentParser) -> None:
    _target_arg(parser)
    parser.add_argument(
        "file",
        nargs="?",
        type=Path,
        metavar=_("FILE"),
        help=_("the template downloaded from the seller centre"),
    )
    parser.add_argument("--forget", action="store_true", help=_("stop using the saved template"))


def _couriers_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "names",
        nargs="*",
        metavar=_("COURIER"),
        help=_("names as the template heads them, e.g. 'Reguler (Cashless)'"),
    )


def _categories_args(parser: argparse.ArgumentParser) -> None:
    _target_arg(parser)
    parser.add_argument("words", nargs="*", metavar=_("WORD"), help=_("words to look for"))


def _product_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sku", metavar="SKU", help=_("any SKU of the product"))
    parser.add_argument("--dangerous", choices=("yes", "no"), help=_("Shopee's Produk Berbahaya"))
    parser.add_argument(
        "--preorder", metavar=_("DAYS"), help=_("pre-order days, 0 for ready stock")
    )
    parser.add_argument("--shopee-category", metavar=_("CODE"))
    parser.add_argument("--tokopedia-category", metavar=_("CODE"))


def _base_url_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("url", nargs="?", metavar="URL")
    parser.add_argument("--clear", action="store_true", help=_("remove the address"))


def _buffer_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("units", nargs="?", metavar=_("UNITS"))


def _import_args(parser: argparse.ArgumentParser) -> None:
    _target_arg(parser)
    parser.add_argument("file", type=Path, metavar=_("FILE"))
    parser.add_argument(
        "--apply", action="store_true", help=_("keep the ids (without it: only show what matches)")
    )


def _links_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", nargs="?", choices=TARGET_CHOICES, metavar=_("MARKETPLACE"))


def _update_args(parser: argparse.ArgumentParser) -> None:
    _target_arg(parser)
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar=_("FOLDER"),
        help=_("the folder that receives the file"),
    )


ARGUMENTS = {
    "template": _template_args,
    "couriers": _couriers_args,
    "categories": _categories_args,
    "product": _product_args,
    "base-url": _base_url_args,
    "buffer": _buffer_args,
    "import-list": _import_args,
    "links": _links_args,
    "update": _update_args,
}


def _target(name: str) -> str:
    return "tokopedia" if name == "tiktok" else name


def _print_template(info: TemplateInfo) -> None:
    print(
        _("Template: {file} (sheet {sheet}, data from row {row}, weight in {unit})").format(
            file=info.filename, sheet=info.sheet, row=info.first_row, unit=info.weight_unit
        )
    )
    if info.couriers:
        rows = [(c.name, _("Aktif") if c.active else _("Nonaktif")) for c in info.couriers]
        print_table([_("Courier"), _("State")], rows)
        if not any(c.active for c in info.couriers):
            print(_("Choose at least one courier: shopdesk marketplace couriers NAME ..."))
    if info.categories:
        print(_("{count} categories in the template's list.").format(count=len(info.categories)))


def cmd_template(args: argparse.Namespace) -> int:
    session = seller_session(args)
    target = _target(args.target)
    if args.forget:
        gone = marketplace.forget_file(session, target)
        print(_("The saved template was removed.") if gone else _("No template was saved."))
        return 0
    if args.file is not None:
        info = marketplace.set_template(session, target=target, path=args.file)
        print(_("Saved: every bundle now fills this template."))
    else:
        found = marketplace.template_info(session, target)
        if found is None:
            print(_("No template saved yet; bundles hold a plain sheet to paste into it."))
            return 0
        info = found
    _print_template(info)
    return 0


def cmd_couriers(args: argparse.Namespace) -> int:
    session = seller_session(args)
    if args.names:
        marketplace.set_couriers(session, chosen=args.names)
    info = marketplace.template_info(session, "shopee")
    if info is None:
        print(_("Choose your Shopee template first: the couriers are its columns."))
        return 1
    _print_template(info)
    return 0


def cmd_categories(args: argparse.Namespace) -> int:
    session = seller_session(args)
    info = marketplace.template_info(session, _target(args.target))
    if info is None or not info.categories:
        print(_("The saved template carries no category list; type the code itself."))
        return 1
    found = marketplace.search_categories(info, " ".join(args.words))
    print_table([_("Code"), _("Category")], [(c.code, c.name) for c in found])
    return 0


def _product_id(session: Session, sku: str) -> int:
    return catalog.get_variant(session, sku).product_id


def cmd_product(args: argparse.Namespace) -> int:
    session = seller_session(args)
    product_id = _product_id(session, args.sku)
    detail = marketplace.set_detail(
        session,
        product_id=product_id,
        dangerous=None if args.dangerous is None else args.dangerous == "yes",
        preorder_days=args.preorder,
        shopee_category=args.shopee_category,
        tokopedia_category=args.tokopedia_category,
    )
    rows = [
        (_("Dangerous goods"), _("Yes") if detail.dangerous else _("No")),
        (_("Pre-order days"), detail.preorder_days or _("ready stock")),
        (_("Shopee category"), detail.shopee_category or "-"),
        (_("Tokopedia category"), detail.tokopedia_category or "-"),
    ]
    print_table([_("Field"), _("Value")], rows)
    return 0


def cmd_base_url(args: argparse.Namespace) -> int:
    session = seller_session(args)
    if args.clear or args.url:
        marketplace.set_base_url(session, "" if args.clear else args.url)
    url = marketplace.base_url(session)
    print(_("Photo address: {url}").format(url=url or _("(not set)")))
    return 0


def cmd_buffer(args: argparse.Namespace) -> int:
    session = seller_session(args)
    if args.units is not None:
        marketplace.set_buffer(session, args.units)
    print(
        _("Kept back for the counter: {units} units of each variant.").format(
            units=marketplace.buffer(session)
        )
    )
    return 0


def cmd_import_list(args: argparse.Namespace) -> int:
    session = seller_session(args)
    target = _target(args.target)
    if args.apply:
        result = mass_update.import_list(session, target=target, path=args.file)
    else:
        data = marketplace.read_file(args.file)
        result = mass_update.preview_list(
            session, target=target, data=data, filename=args.file.name
        )
    labels = {
        mass_update.MATCHED: _("matched"),
        mass_update.UNKNOWN: _("SKU not in your shop"),
        mass_update.NO_SKU: _("no SKU"),
    }
    rows = [
        (m.line.row, m.line.sku, m.line.item_id, m.line.model_id or "-", labels[m.status])
        for m in result.matches
    ]
    print_table([_("Row"), "SKU", _("Product id"), _("Variation id"), _("Result")], rows)
    for problem in result.problems:
        print("  " + problem.text())
    counts = _("{matched} matched, {unknown} unknown SKUs, {none} without SKU.").format(
        matched=result.count(mass_update.MATCHED),
        unknown=result.count(mass_update.UNKNOWN),
        none=result.count(mass_update.NO_SKU),
    )
    print(counts)
    if result.problems:
        mass_update.refuse_problems(result.problems, args.file.name)
    if args.apply:
        print(_("Marketplace ids kept. Write the stock update with: shopdesk marketplace update"))
    else:
        print(_("Nothing was written. Add --apply to keep these ids."))
    return 0


def cmd_links(args: argparse.Namespace) -> int:
    session = seller_session(args)
    found = mass_update.links(session, target=_target(args.target) if args.target else None)
    rows = [
        (marketplace.TARGET_NAMES[x.target], x.sku, x.item_id, x.model_id or "-") for x in found
    ]
    print_table([_("Marketplace"), "SKU", _("Product id"), _("Variation id")], rows)
    return 0


def cmd_update(args: argparse.Namespace) -> int:
    session = seller_session(args)
    if not args.output.is_dir():
        raise ValidationError(_("{path} is not a folder.").format(path=args.output))
    result = mass_update.write_update(session, target=_target(args.target), out_dir=args.output)
    rows = [(x.sku, x.name, x.on_hand, x.expired, x.stock, x.price) for x in result.lines]
    headers = ["SKU", _("Product"), _("On hand"), _("Expired"), _("In the file"), _("Price")]
    print_table(headers, rows)
    if result.skipped:
        print(
            _("Left as they were (not in your shop): {skus}").format(skus=", ".join(result.skipped))
        )
    print(
        _("Written: {path} (buffer {units}). Upload it in the seller centre's mass update.").format(
            path=result.path, units=result.buffer
        )
    )
    return 0
