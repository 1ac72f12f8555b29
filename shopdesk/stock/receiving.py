"""Which batch a delivery or production run goes into.

A named batch is reused (its dates must agree); otherwise a new one gets the
default dates (made today, expiring after the product's shelf life) and the
default code ``P`` + YYMMDD, unless that same run was already delivered today.
"""

from __future__ import annotations

from datetime import date, timedelta

from shopdesk import store
from shopdesk.clock import local_today, utcnow
from shopdesk.dates import Month, format_day
from shopdesk.errors import ValidationError
from shopdesk.i18n import _
from shopdesk.profiles import Session
from shopdesk.stock.checks import RECEIVED, check_batch_code, parse_date
from shopdesk.store.models import Batch, Variant


def batch_code_for(day: date) -> str:
    """The production code a run made on ``day`` gets by default: ``P250331``."""
    return "P" + day.strftime("%y%m%d")


def default_expiry(produced: date, shelf_life_days: int) -> date | None:
    """Expiry of a run: its production date plus the product's shelf life, if any."""
    return produced + timedelta(days=shelf_life_days) if shelf_life_days > 0 else None


def _generated_code(
    variant: Variant, day: date, produced: date | None, expires: date | None
) -> tuple[str, Batch | None]:
    """``P250331``, or ``P250331-2`` ... when that code is taken by another run.

    Returns (code, batch to reuse or None): a second delivery on the same day
    with the same dates goes into the same batch.
    """
    base = batch_code_for(day)
    suffix = 1
    while True:
        code = base if suffix == 1 else f"{base}-{suffix}"
        row = Batch.get_or_none((Batch.variant == variant.id) & (Batch.code == code))
        if row is None:
            return code, None
        if row.produced_on == produced and row.expires_on == expires:
            return code, row
        suffix += 1


@store.follows_session
def receiving_batch(
    session: Session,
    variant: Variant,
    *,
    batch_code: str | None,
    produced_on: object,
    expires_on: object,
    quantity: int,
    reason: str,
) -> Batch:
    """The batch that takes ``quantity`` in (found or created), inside the
    caller's transaction; a ``received`` run also counts it as made."""
    # A month alone: made from its first day, best before its end (as packaging means it).
    produced = parse_date(produced_on, field=_("production date"), month=Month.FIRST_DAY)
    expires = parse_date(expires_on, field=_("expiry date"), month=Month.LAST_DAY)
    code = check_batch_code(batch_code) if batch_code else None
    existing = (
        Batch.get_or_none((Batch.variant == variant.id) & (Batch.code == code)) if code else None
    )
    if existing is not None:
        if (produced and produced != existing.produced_on) or (
            expires and expires != existing.expires_on
        ):
            raise ValidationError(
                _(
                    "Batch {code} of {sku} already exists with other dates. "
                    "Give the new run its own production code."
                ).format(code=code, sku=variant.sku)
            )
    else:
        today = local_today(session.timezone)
        if produced is None and expires is None:
            produced = today  # a production run made today; a bought-in lot may know only expiry
        if expires is None and produced is not None:
            expires = default_expiry(produced, variant.product.shelf_life_days)
        if expires is not None and produced is not None and expires < produced:
            raise ValidationError(
                _("The expiry date {expires} is before the production date {produced}.").format(
                    expires=format_day(expires), produced=format_day(produced)
                )
            )
        if code is None:
            code, existing = _generated_code(variant, produced or today, produced, expires)
    if existing is not None:  # named, or the same run delivered again today
        if reason == RECEIVED:
            Batch.update(quantity=Batch.quantity + quantity).where(
                Batch.id == existing.id
            ).execute()
        return existing
    return Batch.create(
        shop=session.shop_id,
        variant=variant.id,
        code=code,
        produced_on=produced,
        expires_on=expires,
        quantity=quantity if reason == RECEIVED else 0,
        created_at=utcnow(),
    )
