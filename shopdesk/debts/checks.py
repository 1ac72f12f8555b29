"""What a seller types about customers and debts: names, notes, amounts, methods."""

from __future__ import annotations

from shopdesk.errors import ValidationError
from shopdesk.i18n import N_, _
from shopdesk.money import parse_rupiah

MAX_NAME = 80
MAX_NOTE = 300
# The kinds of ledger entries: a sale's unpaid rest, a payment's share of one
# sale, and a void that reverses one earlier entry.
SALE = "sale"
PAYMENT = "payment"
VOID = "void"
KINDS = {SALE: N_("kasbon"), PAYMENT: N_("payment"), VOID: N_("void")}
# How a debt was paid back (a sale has its own payment methods).
METHODS = {"cash": N_("cash"), "transfer": N_("bank transfer"), "qris": N_("QRIS")}


def kind_label(kind: str) -> str:
    return _(KINDS.get(kind, kind))


def method_label(method: str) -> str:
    return _(METHODS.get(method, method))


def clean_name(text: str) -> str:
    name = " ".join((text or "").split())
    if not name:
        raise ValidationError(_("Enter the customer's name."))
    if len(name) > MAX_NAME:
        raise ValidationError(
            _("A customer's name has at most {limit} characters.").format(limit=MAX_NAME)
        )
    return name


def clean_note(text: str) -> str:
    note = " ".join((text or "").split())
    if len(note) > MAX_NOTE:
        raise ValidationError(_("A note has at most {limit} characters.").format(limit=MAX_NOTE))
    return note


def check_method(method: str) -> str:
    code = (method or "").strip().lower()
    if code not in METHODS:
        raise ValidationError(
            _("“{value}” is not a way to pay. Choose one of: {choices}.").format(
                value=method, choices=", ".join(METHODS)
            )
        )
    return code


def check_amount(value: int | str, *, what: str) -> int:
    """A positive amount of rupiah (``15rb`` and the like)."""
    try:
        amount = parse_rupiah(value)
    except ValidationError as exc:
        raise ValidationError(f"{what}: {exc.message}") from exc
    if amount <= 0:
        raise ValidationError(_("{what}: enter an amount above zero.").format(what=what))
    return amount
