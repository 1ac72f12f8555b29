"""Categories of one seller's shop: names, product counts, create and rename."""

from __future__ import annotations

from dataclasses import dataclass

from shopdesk import audit, store
from shopdesk.catalog.outbox import mark_listing_changed
from shopdesk.errors import NotFoundError, ValidationError
from shopdesk.i18n import _
from shopdesk.profiles import Session, require_seller
from shopdesk.store.models import Category, Product
from shopdesk.validators import check_text


@dataclass(frozen=True)
class CategoryInfo:
    id: int
    name: str
    product_count: int


def category_names(shop_id: int) -> dict[int | None, str]:
    """Names by id; keyed ``int | None`` so that a product's ``category_id``
    (None: no category) looks its name up directly."""
    query = Category.select(Category.id, Category.name).where(Category.shop == shop_id)
    return {c.id: c.name for c in query}


class CategoryCache:
    """Category ids by name for one shop, creating missing ones (in a transaction)."""

    def __init__(self, shop_id: int) -> None:
        self.shop_id = shop_id
        self.ids = {name.casefold(): cid for cid, name in category_names(shop_id).items()}

    def id_for(self, name: str) -> int | None:
        name = (name or "").strip()
        if not name:
            return None
        key = name.casefold()
        if key not in self.ids:
            self.ids[key] = Category.insert(shop=self.shop_id, name=name).execute()
        return self.ids[key]


@store.follows_session
def list_categories(session: Session) -> list[CategoryInfo]:
    """Categories A-Z with how many products (not archived) each holds."""
    session = require_seller(session)
    rows = store.database.execute_sql(
        "SELECT c.id, c.name, COUNT(p.id) FROM category c "
        "LEFT JOIN product p ON p.category_id = c.id AND p.archived = 0 "
        "WHERE c.shop_id = ? GROUP BY c.id ORDER BY c.name COLLATE NOCASE, c.id",
        (session.shop_id,),
    )
    return [CategoryInfo(cid, name, count) for cid, name, count in rows]


@store.follows_session
def create_category(session: Session, *, name: str) -> CategoryInfo:
    session = require_seller(session)
    text = check_text(name, field=_("Category"), required=True, max_length=60)
    with store.transaction():
        cid = CategoryCache(session.shop_id).id_for(text)
        audit.record("category.create", actor=session.actor, shop_id=session.shop_id, name=text)
    return next(c for c in list_categories(session) if c.id == cid)


@store.follows_session
def rename_category(session: Session, *, old_name: str, new_name: str) -> CategoryInfo:
    session = require_seller(session)
    text = check_text(new_name, field=_("Category"), required=True, max_length=60)
    with store.transaction():
        row = Category.get_or_none(
            (Category.shop == session.shop_id) & (Category.name == (old_name or "").strip())
        )
        if row is None:
            raise NotFoundError(_("There is no category “{name}”.").format(name=old_name))
        clash = Category.get_or_none(
            (Category.shop == session.shop_id) & (Category.name == text) & (Category.id != row.id)
        )
        if clash is not None:
            raise ValidationError(_("The category “{name}” already exists.").format(name=text))
        Category.update(name=text).where(Category.id == row.id).execute()
        ids = [p.id for p in Product.select(Product.id).where(Product.category == row.id)]
        mark_listing_changed(session, ids)
        audit.record(
            "category.rename",
            actor=session.actor,
            shop_id=session.shop_id,
            old=row.name,
            new=text,
        )
    return next(c for c in list_categories(session) if c.id == row.id)


__all__ = ["CategoryCache", "CategoryInfo", "create_category", "list_categories", "rename_category"]
