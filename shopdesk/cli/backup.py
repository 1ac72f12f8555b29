"""backup now|list|verify|restore, and doctor.

The operator (SHOPDESK_OPERATOR_PASSWORD) backs up and restores the whole PC;
a seller (--seller, SHOPDESK_PIN) backs up and restores only their own shop.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from shopdesk import backup, doctor, drives
from shopdesk.cli.common import ask_secret, operator_session, print_table, seller_session
from shopdesk.errors import ShopDeskError, ValidationError
from shopdesk.i18n import _
from shopdesk.profiles import OperatorSession, Session


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = commands.add_parser("backup", help=_("backups: make, list, verify, restore"))
    cmds = group.add_subparsers(dest="action", required=True, metavar=_("ACTION"))

    now = cmds.add_parser("now", help=_("make a backup now and check it"))
    _who(now)
    now.add_argument(
        "--to", metavar=_("FOLDER"), help=_("write it to this folder or USB stick instead")
    )
    now.set_defaults(func=cmd_now)

    listing = cmds.add_parser("list", help=_("list backups"))
    _who(listing)
    _folder(listing)
    listing.set_defaults(func=cmd_list)

    check = cmds.add_parser("verify", help=_("check backup files and name any damaged one"))
    check.add_argument("files", nargs="*", metavar=_("FILE"), help=_("backup files to check"))
    _folder(check)
    check.set_defaults(func=cmd_verify)

    back = cmds.add_parser("restore", help=_("restore a backup (checked first)"))
    back.add_argument("file", metavar=_("FILE"), help=_("the backup file"))
    _who(back)
    back.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))
    back.set_defaults(func=cmd_restore)

    doc = commands.add_parser("doctor", help=_("health check of the database, stock and backups"))
    doc.set_defaults(func=cmd_doctor)


def _who(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--seller",
        metavar=_("NAME"),
        help=_(
            "act as this seller (their shop only; PIN from SHOPDESK_PIN) instead of the operator"
        ),
    )


def _folder(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--folder",
        "--to",
        dest="folder",
        metavar=_("FOLDER"),
        help=_("look in this folder instead of the backups folder"),
    )


def _owner(args: argparse.Namespace) -> Session | OperatorSession:
    return seller_session(args) if args.seller else operator_session()


def cmd_now(args: argparse.Namespace) -> int:
    owner = _owner(args)
    info = backup.backup_now(owner, folder=Path(args.to) if args.to else None)
    print(_("Backup written and checked: {path}").format(path=info.path))
    if args.to and drives.is_removable(Path(args.to)):
        print(_("It is safe to remove the stick now."))
    return 0


def _describe(info: backup.BackupInfo) -> tuple[str, str, str]:
    kind = (
        _("whole PC") if info.kind == backup.FULL else _("shop {name}").format(name=info.shop_name)
    )
    when = info.created_at.strftime("%Y-%m-%d %H:%M") + " UTC"
    return when, kind, backup.reason_label(info.reason)


def cmd_list(args: argparse.Namespace) -> int:
    owner = _owner(args)
    rows = []
    for path, info in backup.list_backups(owner, folder=Path(args.folder) if args.folder else None):
        if isinstance(info, backup.BackupInfo):
            when, kind, reason = _describe(info)
            rows.append((path.name, when, kind, reason, f"{info.db_size // 1024} KB"))
        else:
            rows.append((path.name, "-", _("DAMAGED"), "-", "-"))
    if not rows:
        print(_("No backups found."))
        return 0
    print_table((_("File"), _("Made"), _("Holds"), _("Why"), _("Size")), rows)
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    if args.files:
        targets = [Path(f) for f in args.files]
    else:
        targets = backup.backup_files(Path(args.folder) if args.folder else None)
    if not targets:
        print(_("No backups found."))
        return 0
    damaged = 0
    for path in targets:
        try:
            backup.verify(path)
        except ShopDeskError as exc:
            damaged += 1
            print(f"{_('DAMAGED')}: {exc.message}")
        else:
            print(_("OK: {path}").format(path=path))
    if damaged:
        print(
            _("{count} of {total} backups are damaged.").format(count=damaged, total=len(targets))
        )
        return 8
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not args.seller and backup.live_database_is_damaged():
        return _restore_over_damaged(args, path)
    owner = _owner(args)
    info = backup.verify(path)
    if not args.yes:
        _confirm(info)
    result = backup.restore(owner, path=path)
    print(_("Restored {name}.").format(name=result.restored.name))
    print(
        _("The state before the restore was saved as {name}.").format(
            name=result.safety_backup.path
        )
    )
    return 0


def _restore_over_damaged(args: argparse.Namespace, path: Path) -> int:
    """The database cannot be opened: the operator's password is checked
    against the backup itself, and the damaged file is kept aside."""
    print(_("The database is damaged; it will be replaced by the backup and kept aside."))
    info = backup.verify(path)
    if not args.yes:
        _confirm(info)
    password = ask_secret(_("Operator password: "), "SHOPDESK_OPERATOR_PASSWORD")
    restored = backup.restore_over_damaged(path=path, password=password)
    print(_("Restored {name}.").format(name=restored.name))
    return 0


def _confirm(info: backup.BackupInfo) -> None:
    when, kind, _reason = _describe(info)
    print(
        _(
            "Restore {kind} as it was on {when}? Everything changed since then is replaced "
            "(a backup of the current state is made first)."
        ).format(kind=kind, when=when)
    )
    if not sys.stdin or not sys.stdin.isatty():
        raise ValidationError(_("Add --yes to restore without a question."))
    if input(_("Type yes to go on: ")).strip().lower() not in ("yes", "ya", "y"):
        raise ValidationError(_("Nothing was restored."))


def cmd_doctor(args: argparse.Namespace) -> int:
    if backup.live_database_is_damaged():
        findings = doctor.run_on_damaged_database()
    else:
        findings = doctor.run(operator_session())
    marks = {doctor.OK: "OK  ", doctor.WARN: _("WARN"), doctor.FAIL: _("FAIL")}
    for finding in findings:
        print(f"[{marks[finding.status]}] {finding.what}")
        if finding.todo:
            print(f"       -> {finding.todo}")
    worst = {f.status for f in findings}
    if doctor.FAIL in worst:
        return 1
    return 0
