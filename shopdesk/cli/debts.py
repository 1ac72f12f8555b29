"""customer add|list|find|show|edit and debt list|pay|void|payments|remind|check|
rebuild|cash-in|export: customers and their kasbon."""

from __future__ import annotations

import argparse
from pathlib import Path

from shopdesk import debt_reports, debts
from shopdesk.cli.common import add_seller_command, local_time, print_table, seller_session
from shopdesk.i18n import _
from shopdesk.money import format_rupiah
from shopdesk.profiles import Session


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    _register_customer(commands)
    _register_debt(commands)


def _register_customer(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    customer = commands.add_parser("customer", help=_("customers: name and WhatsApp number"))
    cmds = customer.add_subparsers(dest="action", required=True, metavar=_("ACTION"))
    add = add_seller_command(cmds, "add", _("add a customer"), cmd_customer_add)
    add.add_argument("name", metavar=_("NAME"))
    add.add_argument("--whatsapp", default="", metavar=_("NUMBER"))
    add.add_argument("--note", default="")
    listing = add_seller_command(cmds, "list", _("customers with what they owe"), cmd_customer_list)
    listing.add_argument("--all", action="store_true", help=_("archived customers too"))
    find = add_seller_command(cmds, "find", _("customers by name or number"), cmd_customer_find)
    find.add_argument("text", metavar=_("TEXT"))
    show = add_seller_command(
        cmds, "show", _("one customer with every kasbon entry"), cmd_customer_show
    )
    show.add_argument("customer", metavar=_("CUSTOMER"))
    edit = add_seller_command(cmds, "edit", _("change a customer"), cmd_customer_edit)
    edit.add_argument("customer", metavar=_("CUSTOMER"))
    edit.add_argument("--name")
    edit.add_argument("--whatsapp", metavar=_("NUMBER"))
    edit.add_argument("--note")
    state = edit.add_mutually_exclusive_group()
    state.add_argument("--archive", action="store_true", help=_("hide from lists and searches"))
    state.add_argument("--unarchive", action="store_true", help=_("show again"))


def _register_debt(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    debt = commands.add_parser("debt", help=_("customer debts (kasbon): list, payments, reminders"))
    cmds = debt.add_subparsers(dest="action", required=True, metavar=_("ACTION"))
    listing = add_seller_command(
        cmds, "list", _("who owes what, with the age of the debt"), cmd_debt_list
    )
    listing.add_argument("--sort", choices=debts.SORTS, default="age")
    pay = add_seller_command(cmds, "pay", _("record a payment of a customer's debt"), cmd_pay)
    pay.add_argument("customer", metavar=_("CUSTOMER"))
    pay.add_argument("amount", metavar=_("AMOUNT"))
    pay.add_argument(
        "--sale",
        type=int,
        metavar=_("NUMBER"),
        help=_("pay this sale only (default: oldest first)"),
    )
    pay.add_argument("--method", choices=tuple(debts.METHODS), default="cash")
    pay.add_argument("--note", default="")
    void = add_seller_command(
        cmds, "void", _("void a payment with reversing entries (once)"), cmd_void
    )
    void.add_argument("payment", metavar=_("PAYMENT"))
    void.add_argument("--reason", default="")
    pays = add_seller_command(cmds, "payments", _("payments, newest first"), cmd_payments)
    pays.add_argument("--customer", metavar=_("CUSTOMER"))
    remind = add_seller_command(
        cmds, "remind", _("a polite WhatsApp reminder link for a customer"), cmd_remind
    )
    remind.add_argument("customer", metavar=_("CUSTOMER"))
    add_seller_command(cmds, "check", _("check every balance against the ledger"), cmd_check)
    add_seller_command(cmds, "rebuild", _("rebuild the balances from the ledger"), cmd_rebuild)
    cash = add_seller_command(
        cmds, "cash-in", _("money received against sales made, per day"), cmd_cash_in
    )
    cash.add_argument("--days", type=int, default=7)
    exp = add_seller_command(
        cmds, "export", _("export customers, debts, payments or entries to CSV or XLSX"), cmd_export
    )
    exp.add_argument("table", choices=debt_reports.DEBT_TABLES)
    exp.add_argument("--format", dest="fmt", choices=("csv", "xlsx"))
    exp.add_argument("-o", "--output", required=True, metavar=_("FILE"))


def _print_customers(rows: list[debts.CustomerInfo]) -> None:
    print_table(
        ("#", _("Name"), _("WhatsApp"), _("Owes"), _("Note")),
        ((c.id, c.name, c.whatsapp, format_rupiah(c.balance), c.note[:40]) for c in rows),
    )


def cmd_customer_add(args: argparse.Namespace) -> int:
    session = seller_session(args)
    who = debts.add_customer(session, name=args.name, whatsapp=args.whatsapp, note=args.note)
    print(_("Customer #{id} added: {name}").format(id=who.id, name=who.label))
    return 0


def cmd_customer_list(args: argparse.Namespace) -> int:
    _print_customers(debts.list_customers(seller_session(args), include_archived=args.all))
    return 0


def cmd_customer_find(args: argparse.Namespace) -> int:
    _print_customers(debts.find_customers(seller_session(args), args.text))
    return 0


def _print_statement(session: Session, customer_id: int) -> None:
    print_table(
        (_("Time"), _("Entry"), _("Sale"), _("Payment"), _("Amount"), _("Note")),
        (
            (
                local_time(session, e.at),
                debts.kind_label(e.kind) + (" ✗" if e.voided else ""),
                e.sale_number or "",
                e.payment_number or "",
                format_rupiah(e.amount),
                e.note[:40],
            )
            for e in debts.statement(session, customer_id)
        ),
    )


def cmd_customer_show(args: argparse.Namespace) -> int:
    session = seller_session(args)
    who = debts.resolve_customer(session, args.customer)
    print(_("Customer #{id}: {name}").format(id=who.id, name=who.label))
    if who.note:
        print(who.note)
    print(_("Owes: {amount}").format(amount=format_rupiah(who.balance)))
    _print_statement(session, who.id)
    return 0


def cmd_customer_edit(args: argparse.Namespace) -> int:
    session = seller_session(args)
    who = debts.resolve_customer(session, args.customer)
    archived = True if args.archive else False if args.unarchive else None
    who = debts.update_customer(
        session, who.id, name=args.name, whatsapp=args.whatsapp, note=args.note, archived=archived
    )
    print(_("Customer #{id} saved: {name}").format(id=who.id, name=who.label))
    return 0


def cmd_debt_list(args: argparse.Namespace) -> int:
    session = seller_session(args)
    rows = debts.debts(session, sort=args.sort)
    print_table(
        (
            "#",
            _("Name"),
            _("Owes"),
            _("Oldest unpaid"),
            _("Days"),
            _("≤ 7 days"),
            _("8-30 days"),
            _("> 30 days"),
        ),
        (
            (
                r.customer_id,
                r.name,
                format_rupiah(r.balance),
                r.oldest.isoformat(),
                r.age_days,
                format_rupiah(r.week),
                format_rupiah(r.month),
                format_rupiah(r.older),
            )
            for r in rows
        ),
    )
    total = debts.totals(rows)
    print(
        _("{customers} customers owe {amount} in all.").format(
            customers=total.customers, amount=format_rupiah(total.balance)
        )
    )
    return 0


def cmd_pay(args: argparse.Namespace) -> int:
    session = seller_session(args)
    paid = debts.record_payment(
        session,
        customer=args.customer,
        amount=args.amount,
        sale_number=args.sale,
        method=args.method,
        note=args.note,
    )
    shares = ", ".join(
        _("sale {number}: {amount}").format(number=n, amount=format_rupiah(a))
        for n, a in paid.shares
    )
    print(
        _("Payment {number}: {amount} from {name} ({shares}).").format(
            number=paid.number,
            amount=format_rupiah(paid.amount),
            name=paid.customer.name,
            shares=shares,
        )
    )
    print(
        _("{name} still owes {amount}.").format(
            name=paid.customer.name, amount=format_rupiah(paid.balance)
        )
    )
    return 0


def cmd_void(args: argparse.Namespace) -> int:
    session = seller_session(args)
    balance = debts.void_payment(session, number=args.payment, reason=args.reason)
    print(
        _("Payment {number} was voided; the customer owes {amount} again.").format(
            number=args.payment, amount=format_rupiah(balance)
        )
    )
    return 0


def cmd_payments(args: argparse.Namespace) -> int:
    session = seller_session(args)
    customer_id = None
    if args.customer:
        customer_id = debts.resolve_customer(session, args.customer).id
    print_table(
        (_("No"), _("Time"), _("Customer"), _("Amount"), _("Method"), _("Void")),
        (
            (
                p.number,
                local_time(session, p.at),
                p.customer,
                format_rupiah(p.amount),
                debts.method_label(p.method),
                "✗" if p.voided else "",
            )
            for p in debts.payments(session, customer_id=customer_id)
        ),
    )
    return 0


def cmd_remind(args: argparse.Namespace) -> int:
    session = seller_session(args)
    who = debts.resolve_customer(session, args.customer)
    note = debts.reminder(session, who.id)
    print(note.text)
    print()
    print(note.link)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    report = debts.check(seller_session(args))
    print(
        _(
            "{customers} customers, {entries} entries: the ledger sums to {owed}, "
            "the balances to {cached}."
        ).format(
            customers=report.customers_checked,
            entries=report.entries_checked,
            owed=format_rupiah(report.owed),
            cached=format_rupiah(report.cached),
        )
    )
    for row in report.mismatches:
        print(
            _("{name}: balance {cached}, ledger {ledger}").format(
                name=row.name, cached=format_rupiah(row.cached), ledger=format_rupiah(row.ledger)
            )
        )
    for row in report.negative:
        print(
            _("{name} paid back more than owed: {ledger}").format(
                name=row.name, ledger=format_rupiah(row.ledger)
            )
        )
    if report.ok:
        print(_("Every balance matches its entries."))
        return 0
    print(_("Run “shopdesk debt rebuild” to repair the balances from the ledger."))
    return 1


def cmd_rebuild(args: argparse.Namespace) -> int:
    fixed = debts.rebuild(seller_session(args))
    print(_("{count} balances were wrong and are now rebuilt.").format(count=fixed))
    return 0


def cmd_cash_in(args: argparse.Namespace) -> int:
    session = seller_session(args)
    rows = debt_reports.cash_in(session, days=args.days)
    print_table(
        [_(c) for c in debt_reports.CASH_IN_COLUMNS],
        (
            (
                r.day.isoformat(),
                format_rupiah(r.sales),
                format_rupiah(r.on_credit),
                format_rupiah(r.paid_at_till),
                format_rupiah(r.repaid),
                format_rupiah(r.cash_in),
            )
            for r in rows
        ),
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    session = seller_session(args)
    count = debt_reports.export_table(session, args.table, Path(args.output), args.fmt)
    print(_("{count} rows written to {path}").format(count=count, path=args.output))
    return 0
