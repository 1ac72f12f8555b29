"""The append-only audit log: who did what, when; and the viewer that reads it.

``record`` joins the caller's transaction, so an action and its audit row
commit or vanish together; ``record_alone`` is for actions that change no row
(a file written, a backup made). Never pass secrets in ``detail``. Values under
keys ending in ``_label`` are English message ids (marked ``N_`` where they are
defined), translated when shown.

``entries`` reads the log back: a seller sees their own shop's entries, the
operator every entry. ``profiles`` stands on this floor and writes through this
module, so the two sessions are told apart by their shape (``SellerViewer``,
``OperatorViewer``) instead of by importing their classes.
"""

from __future__ import annotations

import json
import string
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any, Protocol, runtime_checkable

from peewee import JOIN

from shopdesk import store
from shopdesk.clock import ZONES, utcnow
from shopdesk.errors import AuthError, StorageError, ValidationError
from shopdesk.i18n import N_, _
from shopdesk.money import format_rupiah
from shopdesk.store.models import AuditLog, Shop

# action -> (what happened, what the detail says); "" when the label says it all.
ACTIONS: dict[str, tuple[str, str]] = {
    "login": (N_("Logged in"), ""),
    "login.failed": (
        N_("Wrong PIN or password"),
        N_("Failed attempt {attempts}; the next one waits {wait} seconds"),
    ),
    "operator.create": (N_("Operator created"), ""),
    "operator.password": (N_("Operator password changed"), ""),
    "seller.create": (N_("Seller added"), N_("Login name {login}")),
    "seller.disable": (N_("Seller disabled"), N_("Login name {login}")),
    "seller.enable": (N_("Seller enabled"), N_("Login name {login}")),
    "seller.reset_pin": (N_("PIN reset with the recovery code"), ""),
    "seller.change_pin": (N_("PIN changed"), ""),
    "shop.update": (N_("Shop details changed"), N_("Changed: {fields}")),
    "shop.logo": (N_("Shop logo changed"), ""),
    "setting": (N_("Setting changed"), "{key}"),
    "category.create": (N_("Category added"), "{name}"),
    "category.rename": (N_("Category renamed"), "{old} → {new}"),
    "photo.add": (N_("Photo added"), N_("Product number {product_id}")),
    "photo.remove": (N_("Photo removed"), N_("Product number {product_id}")),
    "photo.reorder": (N_("Photos reordered"), N_("Product number {product_id}")),
    "product.create": (N_("Product added"), N_("SKU {skus}")),
    "product.update": (N_("Product changed"), N_("Product number {product_id}: {changes}")),
    "product.archive": (N_("Product archived"), N_("Product number {product_id}")),
    "product.unarchive": (N_("Product back from the archive"), N_("Product number {product_id}")),
    "product.delete": (N_("Product deleted"), "{name} ({skus})"),
    "variant.create": (N_("Variant added"), N_("{sku} at {price}")),
    "variant.update": (N_("Variant changed"), "{sku}: {changes}"),
    "variant.price": (N_("Price changed"), "{sku}: {old} → {new}"),
    "variant.cost": (N_("Cost changed"), "{sku}: {old} → {new}"),
    "import": (
        N_("Table imported"),
        N_(
            "{file}: {products_created} products and {variants_created} variants created, "
            "{variants_updated} variants changed, {stock_units} units of opening stock"
        ),
    ),
    "import.orders": (
        N_("Orders imported"),
        N_("{file}: {recorded} orders recorded, {returned} units returned, {voided} voided"),
    ),
    "export.products": (N_("Products exported"), N_("{file}: {rows} rows")),
    "export.stock": (N_("Stock exported"), N_("{file}: {rows} rows")),
    "export.movements": (N_("Stock movements exported"), N_("{file}: {rows} rows")),
    "export.sales": (N_("Sales exported"), N_("{file}: {rows} rows")),
    "export.bundle": (N_("Listings exported"), N_("{products} products for {targets}")),
    "sale.record": (
        N_("Sale recorded"),
        N_("Sale {number}: {lines} lines, {total}, {payment_label}"),
    ),
    "sale.void": (N_("Sale voided"), N_("Sale {number}, {total}")),
    "stock.in": (N_("Stock in"), N_("{sku} +{quantity} into batch {batch} ({reason_label})")),
    "stock.out": (N_("Stock out"), N_("{sku} -{quantity} ({reason_label})")),
    "stock.expired": (
        N_("Expired stock written off"),
        N_("{units} units from {batches} batches"),
    ),
    "stock.adjust": (N_("Stock corrected"), "{sku} {quantity}"),
    "stock.void": (N_("Stock movement undone"), N_("Movement {movement} undone by {void}")),
    "stock.rebuild": (N_("Stock figures rebuilt"), N_("{fixed} figures corrected")),
    "stocktake.start": (N_("Stock count started"), N_("Count {count}: {lines} products")),
    "stocktake.post": (
        N_("Stock count posted"),
        N_("Count {count}: {lines} products, {added} units added, {removed} taken out"),
    ),
    "stocktake.cancel": (N_("Stock count cancelled"), N_("Count {count}")),
    "customer.add": (N_("Customer added"), "{name}"),
    "customer.edit": (N_("Customer changed"), "{name}"),
    "debt.payment": (
        N_("Kasbon payment"),
        N_("Payment {number} from {customer}: {amount}, still owed {balance}"),
    ),
    "debt.payment_void": (N_("Kasbon payment voided"), N_("Payment {number}: {amount}")),
    "debt.rebuild": (N_("Kasbon balances rebuilt"), N_("{fixed} balances corrected")),
    "export.customers": (N_("Customers exported"), N_("{file}: {rows} rows")),
    "export.debts": (N_("Kasbon list exported"), N_("{file}: {rows} rows")),
    "export.payments": (N_("Kasbon payments exported"), N_("{file}: {rows} rows")),
    "export.entries": (N_("Kasbon entries exported"), N_("{file}: {rows} rows")),
    "backup.create": (N_("Backup made"), "{file}"),
    "backup.restore": (N_("Backup restored"), "{file}"),
    "backup.move_in": (N_("Data moved onto the server"), N_("From {folder}: {rows} rows")),
    "backup.move_out": (N_("Server data copied to a folder"), N_("To {folder}: {rows} rows")),
}
# The filter's groups: an action's group is the part before its dot.
GROUPS: dict[str, str] = {
    "login": N_("Logins"),
    "sale": N_("Sales"),
    "stock": N_("Stock"),
    "stocktake": N_("Stock counts"),
    "import": N_("Imports"),
    "export": N_("Exports"),
    "product": N_("Products"),
    "variant": N_("Variants and prices"),
    "category": N_("Categories"),
    "photo": N_("Photos"),
    "shop": N_("Shop details"),
    "setting": N_("Settings"),
    "seller": N_("Sellers and PINs"),
    "operator": N_("Operator account"),
    "backup": N_("Backups and restores"),
    "customer": N_("Customers"),
    "debt": N_("Customer debts (kasbon)"),
}
# Free text typed by a person: shown after the detail, in quotes, when there is some.
_NOTES = ("note", "reason")
_MONEY = {"total", "price", "amount", "balance"}
_MONEY_CHANGES = {"variant.price", "variant.cost"}  # their old and new are rupiah
_LIST_SHOWN = 5
# Names the shop of an entry a whole-PC restore carried over as the PC's
# (``backup.history``): the restored backup does not hold that shop.
FORMER_SHOP = "former_shop"
# Names the expired batches a sale or stock out took with the seller's override
# (``stock.expired_detail``).
EXPIRED_BATCHES = "expired_batches"
MAX_LIMIT = 10_000


def record(action: str, *, actor: str, shop_id: int | None = None, **detail: object) -> None:
    """One row in the caller's transaction (plain SQL: the sale path runs it)."""
    store.database.execute_sql(
        "INSERT INTO audit_log (at, shop_id, actor, action, detail) VALUES (?, ?, ?, ?, ?)",
        (
            str(utcnow()),
            shop_id,
            actor,
            action,
            json.dumps(detail, ensure_ascii=False, default=str, sort_keys=True),
        ),
    )


def record_alone(action: str, *, actor: str, shop_id: int | None = None, **detail: object) -> None:
    """One row in a transaction of its own, for an action that changed no row.

    On a full disk the row cannot be written, and the action (a file exported to
    another drive, a backup on a stick) stands all the same: read-only work goes
    on while the data disk is full, as a login with the right PIN does."""
    try:
        with store.transaction():
            record(action, actor=actor, shop_id=shop_id, **detail)
    except StorageError:
        pass  # the disk is full (the one StorageError a transaction raises)


# --- reading it back ------------------------------------------------------------


@runtime_checkable
class SellerViewer(Protocol):
    """A seller's session (``profiles.Session``): their own shop's entries."""

    @property
    def shop_id(self) -> int: ...

    @property
    def timezone(self) -> str: ...


@runtime_checkable
class OperatorViewer(Protocol):
    """The operator's session (``profiles.OperatorSession``): every entry."""

    @property
    def operator_id(self) -> int: ...


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime  # UTC, as stored
    local_at: datetime  # in the viewer's zone: the shop's, or the PC's for the operator
    shop_id: int | None  # None: the whole PC
    shop_name: str
    actor: str  # "seller:kopi", "operator:admin", "system"
    action: str
    label: str  # what happened, in the user's language
    detail: str  # the particulars, readable, in the user's language
    data: dict[str, Any]  # the particulars as recorded

    @property
    def by(self) -> str:
        """Who did it, as a person reads it: the seller's login name or "operator"."""
        kind, _sep, name = self.actor.partition(":")
        if kind == "seller":
            return name
        if kind == "operator":
            return _("operator")
        return _("system")


def group_of(action: str) -> str:
    return action.split(".", 1)[0]


def action_label(action: str) -> str:
    known = ACTIONS.get(action)
    return _(known[0]) if known else action


def group_label(group: str) -> str:
    known = GROUPS.get(group)
    return _(known) if known else group


@store.follows_session
def entries(
    who: SellerViewer | OperatorViewer,
    *,
    since: date | None = None,
    until: date | None = None,
    action: str | None = None,
    limit: int = 200,
    offset: int = 0,
) -> list[AuditEntry]:
    """Entries newest first. ``since``/``until`` are days (both included) on the
    viewer's calendar; ``action`` is an action (``sale.void``) or a group (``sale``)."""
    zone = _viewer_zone(who)
    query = (
        AuditLog.select(AuditLog, Shop.name)
        .join(Shop, join_type=JOIN.LEFT_OUTER, on=(AuditLog.shop == Shop.id))
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
        .limit(_check_limit(limit))
        .offset(max(int(offset), 0))
    )
    if isinstance(who, SellerViewer):
        query = query.where(AuditLog.shop == who.shop_id)
    if since is not None:
        query = query.where(AuditLog.at >= _utc_start(since, zone))
    if until is not None:
        if since is not None and until < since:
            raise ValidationError(_("The last day is before the first day."))
        query = query.where(AuditLog.at < _utc_start(until, zone, days=1))
    if action:
        code = _check_action(action)
        query = query.where((AuditLog.action == code) | AuditLog.action.startswith(f"{code}."))
    return [_entry(row, zone) for row in query.objects()]


def _viewer_zone(who: object) -> tzinfo:
    """The seller's shop zone; the PC's own clock zone for the operator."""
    if isinstance(who, SellerViewer):
        return ZONES.get(who.timezone, ZONES["WIB"])
    if isinstance(who, OperatorViewer):
        return datetime.now().astimezone().tzinfo or UTC
    raise AuthError(_("Log in as a seller or as the operator to read the activity log."))


def _utc_start(day: date, zone: tzinfo, *, days: int = 0) -> datetime:
    """The stored (naive UTC) moment at which ``day`` (+ ``days``) starts in ``zone``."""
    start = datetime.combine(day + timedelta(days=days), time(), tzinfo=zone)
    return start.astimezone(UTC).replace(tzinfo=None)


def _check_limit(limit: int) -> int:
    if not 0 < int(limit) <= MAX_LIMIT:
        raise ValidationError(
            _("Show between 1 and {limit} entries at a time.").format(limit=MAX_LIMIT)
        )
    return int(limit)


def _check_action(action: str) -> str:
    code = action.strip().lower()
    if code not in ACTIONS and code not in GROUPS:
        raise ValidationError(
            _("“{action}” is not an action. Choose one of: {choices}.").format(
                action=action, choices=", ".join(GROUPS)
            )
        )
    return code


def _entry(row: Any, zone: tzinfo) -> AuditEntry:
    try:
        data = json.loads(row.detail or "{}")
    except ValueError:
        data = {}
    data = data if isinstance(data, dict) else {}
    at = row.at if isinstance(row.at, datetime) else datetime.fromisoformat(str(row.at))
    return AuditEntry(
        id=row.id,
        at=at,
        local_at=at.replace(tzinfo=UTC).astimezone(zone),
        shop_id=row.shop_id,
        shop_name=row.name or "",
        actor=row.actor,
        action=row.action,
        label=action_label(row.action),
        detail=describe(row.action, data),
        data=data,
    )


# --- the detail as a person reads it ----------------------------------------------


def describe(action: str, data: dict[str, Any]) -> str:
    """The particulars of one entry in the user's language (never raw JSON)."""
    values = {key: _value(action, key, value) for key, value in data.items()}
    template = ACTIONS.get(action, ("", ""))[1]
    text = _fill(_(template), values) if template else ""
    if text is None:  # an older entry without some of the fields: each one named
        text = "; ".join(
            f"{key}: {value}"
            for key, value in values.items()
            if key not in _NOTES and key != FORMER_SHOP
        )
    notes = [f"“{data[key]}”" for key in _NOTES if isinstance(data.get(key), str) and data[key]]
    notes += _expired_sold(data.get(EXPIRED_BATCHES))
    if data.get(FORMER_SHOP):
        notes.append(
            _("(shop {name}, which the restored backup does not hold)").format(
                name=data[FORMER_SHOP]
            )
        )
    return " · ".join(part for part in (text, *notes) if part)


def _expired_sold(batches: object) -> list[str]:
    """Expired batches a sale took with the seller's override, named in the log."""
    if not isinstance(batches, list) or not batches:
        return []
    named = ", ".join(
        f"{b.get('batch')} ({b.get('sku')}, {b.get('expires_on')}, {b.get('units')})"
        for b in batches
        if isinstance(b, dict)
    )
    return [_("EXPIRED stock sold: {batches}").format(batches=named)]


def _fill(template: str, values: dict[str, str]) -> str | None:
    names = {name for _lit, name, _spec, _conv in string.Formatter().parse(template) if name}
    if not names <= values.keys():
        return None
    return template.format_map(values)


def _value(action: str, key: str, value: object) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int) and (
        key in _MONEY or (action in _MONEY_CHANGES and key in ("old", "new"))
    ):
        return format_rupiah(value)
    if key.endswith("_label") and isinstance(value, str):
        return _(value)
    if isinstance(value, dict):
        return _listed(list(value))
    if isinstance(value, list | tuple):
        return _listed(list(value))
    return "–" if value is None or value == "" else str(value)


def _listed(items: list[object]) -> str:
    shown = ", ".join(str(item) for item in items[:_LIST_SHOWN])
    return f"{shown}, …" if len(items) > _LIST_SHOWN else shown
