"""The export and bundle commands (registered by ``shopdesk.cli.export``).

``shopdesk export`` writes listing bundles; ``shopdesk bundle verify|set-url|show|waiting``
checks and re-addresses them. Kept in the export package so that its messages live in
the export catalog (``resources/i18n/id/export.po``).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable
from pathlib import Path

from shopdesk import drives
from shopdesk.cli.common import add_seller_option, print_table, seller_session
from shopdesk.errors import StorageError
from shopdesk.export import marketplace, service
from shopdesk.export.bundle import ExportOptions, parse_targets, set_url, show
from shopdesk.export.manifest import verify
from shopdesk.export.validate import ERROR, TARGET_LABELS, TARGETS, Issue
from shopdesk.i18n import _
from shopdesk.profiles import Session


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    exp = commands.add_parser(
        "export", help=_("write listing bundles for marketplaces to a folder or USB stick")
    )
    add_seller_option(exp)
    exp.add_argument(
        "--targets",
        default=",".join(TARGETS),
        help=_("comma separated: {choices} (default: all)").format(choices=",".join(TARGETS)),
    )
    exp.add_argument(
        "--shopee-template",
        type=Path,
        metavar=_("FILE"),
        help=_(
            "the mass-upload template downloaded from Shopee Seller Centre (kept for the shop: "
            "later exports fill it without this option)"
        ),
    )
    exp.add_argument(
        "--tokopedia-template",
        type=Path,
        metavar=_("FILE"),
        help=_(
            "the product upload template downloaded from Tokopedia or TikTok Shop (kept for "
            "the shop)"
        ),
    )
    exp.add_argument(
        "--changed-only",
        action="store_true",
        help=_("only products changed since the last verified bundle per target"),
    )
    exp.add_argument("--zip", action="store_true", help=_("write one .zip file"))
    exp.add_argument(
        "--base-url",
        metavar="URL",
        help=_("public address where the bundle's site and photos will be online"),
    )
    exp.add_argument(
        "--bom",
        default="",
        metavar=_("TARGETS"),
        help=_("targets whose CSV starts with a UTF-8 BOM (default none)"),
    )
    exp.add_argument(
        "--check", action="store_true", help=_("only list the problems; write nothing")
    )
    exp.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar=_("FOLDER"),
        help=_("the folder (or stick) that receives the bundle"),
    )
    exp.set_defaults(func=cmd_export)

    bundle = commands.add_parser("bundle", help=_("check, show or re-address a listing bundle"))
    cmds = bundle.add_subparsers(dest="action", required=True, metavar=_("ACTION"))
    ver = cmds.add_parser("verify", help=_("check every file of a bundle against its manifest"))
    ver.add_argument("path", type=Path, metavar=_("BUNDLE"))
    ver.set_defaults(func=cmd_verify)
    url = cmds.add_parser("set-url", help=_("fill the image and product links of a bundle"))
    url.add_argument("path", type=Path, metavar=_("BUNDLE"))
    url.add_argument("--base-url", required=True, metavar="URL")
    url.set_defaults(func=cmd_set_url)
    sh = cmds.add_parser("show", help=_("what a bundle holds"))
    sh.add_argument("path", type=Path, metavar=_("BUNDLE"))
    sh.add_argument("--json", action="store_true", help=_("print JSON"))
    sh.set_defaults(func=cmd_show)
    code = cmds.add_parser(
        "category-code", help=_("set the Shopee or Tokopedia category code of a category")
    )
    add_seller_option(code)
    code.add_argument("--target", required=True, choices=service.CODE_TARGETS)
    code.add_argument("--category", required=True, help=_("your category, e.g. Kopi"))
    code.add_argument("--code", required=True, help=_("the marketplace's number; empty to clear"))
    code.set_defaults(func=cmd_category_code)
    recent = cmds.add_parser("list", help=_("the seller's verified bundles, newest first"))
    add_seller_option(recent)
    recent.set_defaults(func=cmd_list)
    wait = cmds.add_parser("waiting", help=_("how many listings wait for each target"))
    add_seller_option(wait)
    wait.set_defaults(func=cmd_waiting)


def _options(args: argparse.Namespace) -> ExportOptions:
    bom = frozenset(parse_targets(args.bom)) if args.bom else frozenset()
    return ExportOptions(
        targets=parse_targets(args.targets),
        base_url=args.base_url or "",
        as_zip=args.zip,
        bom_targets=bom,
    )


def print_issues(issues: Iterable[Issue], targets: Iterable[str]) -> None:
    """One line per problem; a message shared by several targets is shown once,
    with the targets it concerns (none listed when it concerns all of them)."""
    chosen = len(set(targets))
    grouped: dict[tuple[int, str, str, str, str], list[str]] = {}
    for issue in issues:
        key = (issue.product_id or 0, issue.sku, issue.name, issue.level, issue.message)
        grouped.setdefault(key, []).append(TARGET_LABELS.get(issue.target, issue.target))
    for (_pid, sku, name, level, message), labels in sorted(
        grouped.items(), key=lambda kv: (kv[0][0], kv[0][3] != ERROR)
    ):
        mark = _("ERROR") if level == ERROR else _("note")
        who = f"{sku} {name}".strip() or _("all products")
        line = f"  [{mark}] {who}: {message}"
        if len(labels) < chosen or chosen == 1:
            line += " (" + ", ".join(labels) + ")"
        print(line)


def _print_targets(included: dict[str, int], total: int) -> None:
    rows = [(TARGET_LABELS[t], count, total - count) for t, count in included.items()]
    print_table([_("Target"), _("Products"), _("Left out")], rows)


def _keep_templates(session: Session, args: argparse.Namespace) -> None:
    """A template given once is kept for the shop (as on the Export page)."""
    for target, path in (("shopee", args.shopee_template), ("tokopedia", args.tokopedia_template)):
        if path is not None:
            info = marketplace.set_template(session, target=target, path=path)
            print(
                _("{file} is kept for this shop: every bundle fills it.").format(file=info.filename)
            )
            if info.couriers and not any(c.active for c in info.couriers):
                print(_("Choose at least one courier: shopdesk marketplace couriers NAME ..."))


def cmd_export(args: argparse.Namespace) -> int:
    session = seller_session(args)
    _keep_templates(session, args)
    options = _options(args)
    if args.check:
        prepared = service.check_export(session, options=options, changed_only=args.changed_only)
        print_issues(prepared.issues, options.targets)
        _print_targets({t: len(v) for t, v in prepared.included.items()}, len(prepared.items))
        return 1 if prepared.errors else 0
    if args.output is None:
        print(_("Give the folder for the bundle with -o FOLDER (or use --check)."))
        return 2
    result = service.export_for_seller(
        session, out_dir=args.output, options=options, changed_only=args.changed_only
    )
    print_issues(result.issues, options.targets)
    _print_targets(result.included, result.manifest.get("product_count", 0))
    print(
        _("Photos: {new} processed, {cached} from the cache.").format(
            new=result.photos_processed, cached=result.photos_cached
        )
    )
    print(_("Bundle written and verified: {path}").format(path=result.path))
    if drives.is_removable(result.path.parent):
        print(_("It is safe to remove the stick."))
    _print_waiting(session)
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    report = verify(args.path)
    if report.ok:
        print(_("The bundle is intact: {count} files checked.").format(count=report.checked))
        for problem in report.problems:
            print(f"  {problem.message}")
        return 0
    for problem in report.problems:
        print(f"  {problem.path}: {problem.message}")
    raise StorageError(
        _("The bundle {path} is damaged: {count} files are missing or wrong. Export again.").format(
            path=args.path, count=sum(1 for p in report.problems if p.kind != "unexpected")
        )
    )


def cmd_set_url(args: argparse.Namespace) -> int:
    result = set_url(args.path, args.base_url)
    print(
        _("Links now point at {url}; the manifest was signed again: {path}").format(
            url=result.manifest["base_url"], path=result.path
        )
    )
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    info = show(args.path)
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=1, default=str))
        return 0 if info["ok"] else StorageError.exit_code
    print(_("Bundle: {path}").format(path=info["path"]))
    print(_("Shop: {shop}").format(shop=info["shop"]))
    print(_("Made: {time}").format(time=info["created_at"]))
    print(_("Products: {count}").format(count=info["product_count"]))
    print(_("Base URL: {url}").format(url=info["base_url"] or _("(not set)")))
    rows = [
        (TARGET_LABELS.get(t, t), i["file"], i["products"], i["rows"])
        for t, i in info["targets"].items()
    ]
    print_table([_("Target"), _("File"), _("Products"), _("Rows")], rows)
    state = _("intact") if info["ok"] else _("DAMAGED")
    print(
        _("Files: {count}, {mb} MB, {state}").format(
            count=info["files"], mb=round(info["bytes"] / 1_000_000, 1), state=state
        )
    )
    for problem in info["problems"]:
        print(f"  {problem}")
    return 0 if info["ok"] else StorageError.exit_code


def cmd_category_code(args: argparse.Namespace) -> int:
    session = seller_session(args)
    service.set_category_code(session, target=args.target, category=args.category, code=args.code)
    rows = [
        (TARGET_LABELS[t], name, code)
        for t, by_name in service.category_codes(session).items()
        for name, code in sorted(by_name.items())
    ]
    print_table([_("Target"), _("Category"), _("Code")], rows)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    session = seller_session(args)
    rows = [
        (b.created_at.strftime("%Y-%m-%d %H:%M"), b.product_count, b.targets, b.path)
        for b in service.recent_bundles(session)
    ]
    print_table([_("Made (UTC)"), _("Products"), _("Targets"), _("Path")], rows)
    return 0


def _print_waiting(session: Session) -> None:
    rows = [(TARGET_LABELS[c.target], c.waiting, c.total) for c in service.waiting_counts(session)]
    print_table([_("Target"), _("Waiting"), _("Products")], rows)


def cmd_waiting(args: argparse.Namespace) -> int:
    _print_waiting(seller_session(args))
    return 0
