"""product add|list|show|edit|archive|unarchive|photo-add|photo-remove|photo-order,
variant add|edit|list, and search."""

from __future__ import annotations

import argparse
from collections.abc import Iterable

from shopdesk import catalog
from shopdesk.catalog import search
from shopdesk.cli.common import (
    add_seller_command,
    add_seller_option,
    print_table,
    seller_session,
    yes_no,
)
from shopdesk.i18n import N_, _
from shopdesk.money import format_rupiah
from shopdesk.profiles import Session

# CLI option -> product field (None: not given)
PRODUCT_OPTIONS = (
    ("--category", "category", N_("category, like Kopi")),
    ("--unit", "unit", N_("unit: pcs, bungkus, botol, toples, kg ...")),
    ("--description", "description", N_("description for listings")),
    ("--weight", "weight_g", N_("shipping weight in grams")),
    ("--length", "length_cm", N_("length in cm")),
    ("--width", "width_cm", N_("width in cm")),
    ("--height", "height_cm", N_("height in cm")),
    ("--food", "is_food", N_("food product: ya or tidak")),
    ("--netto", "netto", N_("net content as printed, like 250 g")),
    ("--composition", "composition", N_("ingredients")),
    ("--storage", "storage", N_("storage instructions")),
    ("--shelf-life", "shelf_life_days", N_("shelf life in days")),
    ("--pirt", "pirt_number", N_("P-IRT number when it differs from the shop's")),
    ("--halal", "halal", N_("halal: ya or tidak")),
    ("--option1", "option1_name", N_("first option name, like Rasa")),
    ("--option2", "option2_name", N_("second option name, like Ukuran")),
    ("--url", "listing_url", N_("link to the product's page online")),
)


def _product_options(parser: argparse.ArgumentParser) -> None:
    for flag, dest, help_text in PRODUCT_OPTIONS:
        parser.add_argument(flag, dest=dest, help=_(help_text))


def _variant_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--price", help=_("selling price, like 15.000 or 15rb"))
    parser.add_argument("--cost", help=_("cost price"))
    parser.add_argument("--barcode", help=_("EAN-13 or an in-house code"))
    parser.add_argument("--low-stock", dest="low_stock", help=_("warn at or below this stock"))


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    product = commands.add_parser("product", help=_("products of the catalog"))
    cmds = product.add_subparsers(dest="action", required=True, metavar=_("ACTION"))

    add = add_seller_command(cmds, "add", _("add a product"), cmd_add)
    add.add_argument("name", metavar=_("NAME"))
    add.add_argument("--price", required=True, help=_("selling price, like 15.000 or 15rb"))
    add.add_argument("--cost", default="0", help=_("cost price"))
    add.add_argument("--sku", help=_("SKU (made from the category when left out)"))
    add.add_argument("--barcode", default="", help=_("EAN-13 or an in-house code"))
    add.add_argument("--low-stock", dest="low_stock", default="0", help=_("low-stock level"))
    add.add_argument(
        "--variant",
        action="append",
        default=[],
        metavar=_("VALUE[/VALUE2][=PRICE]"),
        help=_("a variant, like Balado=16000 or 250 g/Pedas (repeat); needs --option1"),
    )
    _product_options(add)

    listing = add_seller_command(cmds, "list", _("list products"), cmd_list)
    listing.add_argument("--archived", action="store_true", help=_("include archived products"))
    listing.add_argument("--category", help=_("only this category"))

    show = add_seller_command(
        cmds, "show", _("show a product with its variants and photos"), cmd_show
    )
    show.add_argument("product", metavar=_("PRODUCT"), help=_("product number or SKU"))

    edit = add_seller_command(cmds, "edit", _("change a product"), cmd_edit)
    edit.add_argument("product", metavar=_("PRODUCT"), help=_("product number or SKU"))
    edit.add_argument("--name", help=_("new name"))
    edit.add_argument("--price", help=_("new price (products without variants)"))
    _product_options(edit)

    for name, archived in (("archive", True), ("unarchive", False)):
        cmd = add_seller_command(
            cmds,
            name,
            _("hide a product; its history stays") if archived else _("show a product again"),
            cmd_archive,
        )
        cmd.add_argument("product", metavar=_("PRODUCT"), help=_("product number or SKU"))
        cmd.set_defaults(archived=archived)

    photo = add_seller_command(cmds, "photo-add", _("add photos to a product"), cmd_photo_add)
    photo.add_argument("product", metavar=_("PRODUCT"), help=_("product number or SKU"))
    photo.add_argument("images", nargs="+", metavar=_("IMAGE"))

    rm = add_seller_command(
        cmds, "photo-remove", _("remove a photo from its product"), cmd_photo_remove
    )
    rm.add_argument("photo", metavar=_("PHOTO"), type=int, help=_("photo number (product show)"))

    order = add_seller_command(
        cmds, "photo-order", _("put a product's photos in order"), cmd_photo_order
    )
    order.add_argument("product", metavar=_("PRODUCT"), help=_("product number or SKU"))
    order.add_argument("photos", nargs="+", type=int, metavar=_("PHOTO"))

    variant = commands.add_parser("variant", help=_("variants: flavours, sizes"))
    vcmds = variant.add_subparsers(dest="action", required=True, metavar=_("ACTION"))
    vadd = add_seller_command(
        vcmds, "add", _("add a variant to a product with options"), cmd_variant_add
    )
    vadd.add_argument("product", metavar=_("PRODUCT"), help=_("product number or SKU"))
    vadd.add_argument("value", metavar=_("VALUE"), help=_("value of the first option"))
    vadd.add_argument("value2", nargs="?", default="", metavar=_("VALUE2"))
    vadd.add_argument("--sku", help=_("SKU (made from the product's when left out)"))
    _variant_options(vadd)

    vedit = add_seller_command(vcmds, "edit", _("change a variant"), cmd_variant_edit)
    vedit.add_argument("sku", metavar="SKU")
    vedit.add_argument("--new-sku", dest="new_sku", help=_("a new SKU"))
    vedit.add_argument("--value", dest="option1_value", help=_("value of the first option"))
    vedit.add_argument("--value2", dest="option2_value", help=_("value of the second option"))
    vedit.add_argument("--archive", dest="archived", action="store_const", const=True)
    vedit.add_argument("--unarchive", dest="archived", action="store_const", const=False)
    _variant_options(vedit)

    vlist = add_seller_command(vcmds, "list", _("list variants with stock"), cmd_variant_list)
    vlist.add_argument("--product", metavar=_("PRODUCT"), help=_("product number or SKU"))
    vlist.add_argument("--archived", action="store_true", help=_("include archived variants"))

    find = commands.add_parser("search", help=_("find products by name, SKU or barcode"))
    add_seller_option(find)
    find.add_argument("text", nargs="?", default="", metavar=_("TEXT"))
    find.add_argument("--category", help=_("only this category"))
    find.add_argument("--stock", dest="stock_state", choices=search.STOCK_STATES)
    find.add_argument("--limit", type=int, default=50)
    find.set_defaults(func=cmd_search)


def _product_id(session: Session, text: str) -> int:
    """A product number, or the SKU of one of its variants."""
    value = (text or "").strip()
    if value.isdigit():
        return int(value)
    return catalog.get_variant(session, value).product_id


def _given(args: argparse.Namespace) -> dict[str, str]:
    return {dest: getattr(args, dest) for _f, dest, _h in PRODUCT_OPTIONS if getattr(args, dest)}


def _parse_variant(text: str) -> dict[str, object]:
    values, _sep, price = text.partition("=")
    first, _sep2, second = values.partition("/")
    spec: dict[str, object] = {"option1_value": first.strip(), "option2_value": second.strip()}
    if price.strip():
        spec["price"] = price.strip()
    return spec


def cmd_add(args: argparse.Namespace) -> int:
    session = seller_session(args)
    fields = _given(args)
    info = catalog.create_product(
        session,
        name=args.name,
        price=args.price,
        cost=args.cost,
        sku=args.sku,
        barcode=args.barcode,
        low_stock=args.low_stock,
        variants=[_parse_variant(v) for v in args.variant] or None,
        **fields,
    )
    print(_("Product {id} added: {name}").format(id=info.id, name=info.name))
    _print_variants(info.variants)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    session = seller_session(args)
    rows = catalog.list_products(session, include_archived=args.archived, category=args.category)
    print_table(
        (_("No."), "SKU", _("Name"), _("Category"), _("Variants"), _("Price"), _("Stock")),
        (
            (
                p.id,
                p.sku,
                p.name + (" " + _("(archived)") if p.archived else ""),
                p.category,
                len(p.variants),
                format_rupiah(p.price),
                p.on_hand,
            )
            for p in rows
        ),
    )
    return 0


def _print_variants(variants: Iterable[catalog.VariantInfo]) -> None:
    print_table(
        ("SKU", _("Variant"), _("Price"), _("Cost"), _("Barcode"), _("Stock"), _("Low")),
        (
            (
                v.sku,
                " / ".join(v.options) or "-",
                format_rupiah(v.price),
                format_rupiah(v.cost),
                v.barcode,
                v.on_hand,
                v.low_stock,
            )
            for v in variants
        ),
    )


def cmd_show(args: argparse.Namespace) -> int:
    session = seller_session(args)
    p = catalog.get_product(session, _product_id(session, args.product))
    lines = (
        (_("Product"), f"{p.id}: {p.name}"),
        (_("Category"), p.category),
        (_("Unit"), p.unit),
        (_("Weight (g)"), p.weight_g),
        (_("Size (cm)"), f"{p.length_cm} x {p.width_cm} x {p.height_cm}"),
        (_("Food"), yes_no(p.is_food)),
        (_("Net content"), p.netto),
        (_("Composition"), p.composition),
        (_("Storage"), p.storage),
        (_("Shelf life (days)"), p.shelf_life_days),
        (_("P-IRT"), p.pirt_number),
        (_("Halal"), yes_no(p.halal)),
        (_("Options"), " / ".join(p.option_names)),
        (_("Archived"), yes_no(p.archived)),
        (_("Description"), p.description),
    )
    for label, value in lines:
        print(f"{label}: {value}")
    print()
    _print_variants(p.variants)
    if p.photos:
        print()
        print_table(
            (_("Photo"), _("Order"), _("File"), _("Size")),
            ((ph.id, ph.position + 1, ph.filename, f"{ph.width}x{ph.height}") for ph in p.photos),
        )
    return 0


def cmd_edit(args: argparse.Namespace) -> int:
    session = seller_session(args)
    product_id = _product_id(session, args.product)
    fields = _given(args)
    if args.name:
        fields["name"] = args.name
    info = catalog.update_product(session, product_id, **fields) if fields else None
    if args.price:
        product = catalog.get_product(session, product_id)
        if len(product.active_variants) != 1:
            print(_("This product has variants: change prices with “variant edit SKU --price”."))
            return 2
        catalog.update_variant(session, product.active_variants[0].sku, price=args.price)
    info = catalog.get_product(session, product_id)
    print(_("Product {id} saved: {name}").format(id=info.id, name=info.name))
    return 0


def cmd_archive(args: argparse.Namespace) -> int:
    session = seller_session(args)
    info = catalog.archive_product(
        session, _product_id(session, args.product), archived=args.archived
    )
    message = _("Product {id} archived.") if args.archived else _("Product {id} is shown again.")
    print(message.format(id=info.id))
    return 0


def cmd_photo_add(args: argparse.Namespace) -> int:
    session = seller_session(args)
    product_id = _product_id(session, args.product)
    for image in args.images:
        photo = catalog.add_photo(session, product_id=product_id, image_path=image)
        print(_("Photo {id} added ({w}x{h}).").format(id=photo.id, w=photo.width, h=photo.height))
    return 0


def cmd_photo_remove(args: argparse.Namespace) -> int:
    session = seller_session(args)
    catalog.remove_photo(session, photo_id=args.photo)
    print(_("Photo {id} removed.").format(id=args.photo))
    return 0


def cmd_photo_order(args: argparse.Namespace) -> int:
    session = seller_session(args)
    catalog.reorder_photos(
        session, product_id=_product_id(session, args.product), photo_ids=args.photos
    )
    print(_("The photos are in the new order."))
    return 0


def cmd_variant_add(args: argparse.Namespace) -> int:
    session = seller_session(args)
    info = catalog.add_variant(
        session,
        product_id=_product_id(session, args.product),
        option1_value=args.value,
        option2_value=args.value2,
        sku=args.sku,
        price=args.price,
        cost=args.cost,
        barcode=args.barcode or "",
        low_stock=args.low_stock or 0,
    )
    print(_("Variant {sku} added: {name}").format(sku=info.sku, name=info.name))
    return 0


def cmd_variant_edit(args: argparse.Namespace) -> int:
    session = seller_session(args)
    fields = {
        key: getattr(args, attr)
        for key, attr in (
            ("sku", "new_sku"),
            ("option1_value", "option1_value"),
            ("option2_value", "option2_value"),
            ("price", "price"),
            ("cost", "cost"),
            ("barcode", "barcode"),
            ("low_stock", "low_stock"),
            ("archived", "archived"),
        )
        if getattr(args, attr) is not None
    }
    info = catalog.update_variant(session, args.sku, **fields)
    print(_("Variant {sku} saved: {name}").format(sku=info.sku, name=info.name))
    return 0


def cmd_variant_list(args: argparse.Namespace) -> int:
    session = seller_session(args)
    product_id = _product_id(session, args.product) if args.product else None
    rows = catalog.list_variants(session, product_id=product_id, include_archived=args.archived)
    print_table(
        ("SKU", _("Name"), _("Price"), _("Barcode"), _("Stock"), _("Low")),
        ((v.sku, v.name, format_rupiah(v.price), v.barcode, v.on_hand, v.low_stock) for v in rows),
    )
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    session = seller_session(args)
    rows = search.search(
        session,
        args.text,
        limit=args.limit,
        category=args.category,
        stock_state=args.stock_state,
    )
    total = search.count(session, args.text, category=args.category, stock_state=args.stock_state)
    print_table(
        ("SKU", _("Name"), _("Category"), _("Price"), _("Stock")),
        ((r.sku, r.name, r.category, format_rupiah(r.price), r.on_hand) for r in rows),
    )
    print(_("{shown} of {total} shown.").format(shown=len(rows), total=total))
    return 0
