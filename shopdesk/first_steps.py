"""A new shop's first steps: add a product, receive stock, print a label, make a sale.

The app's home page shows them (ticked as they are done) until the first sale or
until the seller hides them; ``shopdesk whoami`` names the next one. Each step is
read from what the shop holds, so a step done through the CLI or an import counts
too; only a printed label leaves no row of its own, so the label service marks it.
(The shop's first steps are seller work, so the operator has no view of them.)
"""

from __future__ import annotations

from dataclasses import dataclass

from shopdesk import settings, store
from shopdesk.i18n import N_, _
from shopdesk.profiles import Session, require_seller
from shopdesk.stock import RECEIVED, RETURNED
from shopdesk.store.models import Movement, Product, Sale

PRODUCT = "product"
STOCK = "stock"
LABEL = "label"
SALE = "sale"
STEPS = (PRODUCT, STOCK, LABEL, SALE)
STEP_LABELS = {
    PRODUCT: N_("Add a product"),
    STOCK: N_("Receive stock"),
    LABEL: N_("Print a label"),
    SALE: N_("Make a sale"),
}
LABEL_PRINTED = "first_label_printed"  # per-shop setting, written once
HIDDEN = "first_steps_hidden"


@dataclass(frozen=True)
class FirstSteps:
    done: frozenset[str]
    hidden: bool

    @property
    def next(self) -> str | None:
        return next((step for step in STEPS if step not in self.done), None)

    @property
    def shown(self) -> bool:
        """Shown until the first sale (the shop is on its way) or until hidden."""
        return not self.hidden and SALE not in self.done


def step_label(step: str) -> str:
    return _(STEP_LABELS[step])


@store.follows_session
def first_steps(session: Session) -> FirstSteps:
    """Which steps this shop has done: four small existence queries."""
    shop = require_seller(session).shop_id
    done = {
        PRODUCT: Product.select().where(Product.shop == shop).exists(),
        STOCK: Movement.select()
        .where((Movement.shop == shop) & Movement.reason.in_((RECEIVED, RETURNED)))
        .exists(),
        LABEL: bool(settings.get(session, LABEL_PRINTED)),
        SALE: Sale.select().where(Sale.shop == shop).exists(),
    }
    return FirstSteps(
        done=frozenset(step for step, yes in done.items() if yes),
        hidden=bool(settings.get(session, HIDDEN)),
    )


@store.follows_session
def mark_label_printed(session: Session) -> None:
    """The first label file written (later ones change nothing, and log nothing)."""
    require_seller(session)  # the operator's settings are the PC's, not a shop's
    if not settings.get(session, LABEL_PRINTED):
        settings.put(session, LABEL_PRINTED, True)


@store.follows_session
def hide(session: Session) -> None:
    require_seller(session)
    settings.put(session, HIDDEN, True)
