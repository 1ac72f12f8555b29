"""The catalog of one seller's shop: products, variants, categories, photos.

Every service takes the seller's ``Session`` first and reads or writes only
rows of ``session.shop_id``; a product or SKU of another shop is "not found".
Each write is one ``store.transaction()`` (BEGIN IMMEDIATE) with its audit row,
and marks the product's listing as waiting for every export target
(``mark_listing_changed``) in the same transaction. The search index follows
the product and variant tables through triggers (``migrations`` step 3).

Inside: ``types`` (what the services return, field limits), ``checks`` (field
checks), ``skus`` (SKU allocation), ``reads``, ``product_writes``,
``variant_writes``, ``rows`` (the shop-scoped row lookups).
Public submodules, imported on use: ``search`` (the product search),
``table_io`` (CSV/XLSX import and export of the catalog), ``photos``,
``categories`` and ``outbox`` (listings waiting per export target).
"""

from shopdesk.catalog.categories import (
    CategoryCache,
    CategoryInfo,
    create_category,
    list_categories,
    rename_category,
)
from shopdesk.catalog.outbox import LISTING_TARGETS, mark_listing_changed, waiting_products
from shopdesk.catalog.photos import (
    MAX_PHOTOS,
    THUMB_SIZES,
    PhotoInfo,
    add_photo,
    remove_photo,
    reorder_photos,
    thumbnail,
)
from shopdesk.catalog.product_writes import (
    archive_product,
    create_product,
    delete_product,
    update_product,
)
from shopdesk.catalog.reads import (
    count_products,
    find_by_code,
    get_product,
    get_variant,
    has_history,
    list_products,
    list_variants,
)
from shopdesk.catalog.types import (
    MAX_DIMENSION_CM,
    MAX_SHELF_LIFE_DAYS,
    MAX_WEIGHT_G,
    UNITS,
    ProductInfo,
    VariantInfo,
)
from shopdesk.catalog.variant_writes import add_variant, update_variant

__all__ = [
    "LISTING_TARGETS",
    "MAX_DIMENSION_CM",
    "MAX_PHOTOS",
    "MAX_SHELF_LIFE_DAYS",
    "MAX_WEIGHT_G",
    "THUMB_SIZES",
    "UNITS",
    "CategoryCache",
    "CategoryInfo",
    "PhotoInfo",
    "ProductInfo",
    "VariantInfo",
    "add_photo",
    "add_variant",
    "archive_product",
    "categories",
    "count_products",
    "create_category",
    "create_product",
    "delete_product",
    "find_by_code",
    "get_product",
    "get_variant",
    "has_history",
    "list_categories",
    "list_products",
    "list_variants",
    "mark_listing_changed",
    "outbox",
    "photos",
    "remove_photo",
    "rename_category",
    "reorder_photos",
    "search",
    "table_io",
    "thumbnail",
    "update_product",
    "update_variant",
    "waiting_products",
]
