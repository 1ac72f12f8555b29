"""What an export knows about a shop and its products.

Plain frozen dataclasses, independent of the database: the catalog builds them
for one seller (see ``shopdesk.export.source``), tests and benchmarks build
them directly. Money is integer rupiah, weights grams, dimensions centimetres.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

MAX_TIERS = 2


@dataclass(frozen=True)
class ShopInfo:
    name: str
    whatsapp: str = ""  # as typed; normalised with phonenumbers when a link is made
    address: str = ""
    shop_id: int | None = None


@dataclass(frozen=True)
class ListingVariant:
    sku: str
    price: int
    stock: int
    options: tuple[str, ...] = ()  # one value per tier of the product, () for no variants
    barcode: str = ""


@dataclass(frozen=True)
class ListingProduct:
    product_id: int
    sku: str  # parent SKU: names photos, handles and pages
    name: str
    variants: tuple[ListingVariant, ...]
    category: str = ""
    description: str = ""
    unit: str = ""
    weight_g: int = 0
    length_cm: int = 0
    width_cm: int = 0
    height_cm: int = 0
    photos: tuple[Path, ...] = ()
    option_names: tuple[str, ...] = ()  # tier names, e.g. ("Rasa",) or ("Warna", "Ukuran")
    category_codes: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    updated_at: datetime | None = None
    dangerous: bool = False  # Shopee's "Produk Berbahaya"
    preorder_days: int = 0  # 0: ready stock

    @property
    def has_variants(self) -> bool:
        return bool(self.option_names)

    @property
    def min_price(self) -> int:
        return min(v.price for v in self.variants) if self.variants else 0

    @property
    def total_stock(self) -> int:
        return sum(v.stock for v in self.variants)
