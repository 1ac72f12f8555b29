"""What the catalog services return (``ProductInfo``, ``VariantInfo``) and the
limits of a product's fields.

A product always has at least one variant: a product without options has one
*default* variant (empty option values) that carries its SKU, price, cost,
barcode and stock. Up to two option names (``Rasa``, ``Ukuran``), as
marketplaces allow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shopdesk.catalog.photos import PhotoInfo

UNITS = (
    "pcs", "bungkus", "botol", "toples", "kotak", "karung", "kaleng", "pak", "lembar",
    "butir", "sachet", "ikat", "kg", "gram", "liter", "ml",
)  # fmt: skip
MAX_WEIGHT_G = 1_000_000
MAX_DIMENSION_CM = 1_000
MAX_SHELF_LIFE_DAYS = 3_650
MAX_LOW_STOCK = 1_000_000


@dataclass(frozen=True)
class VariantInfo:
    id: int
    product_id: int
    sku: str
    product_name: str
    option1_value: str
    option2_value: str
    name: str  # display name: "Keripik Singkong - Balado"
    price: int
    cost: int
    barcode: str
    on_hand: int
    low_stock: int
    unit: str
    shelf_life_days: int
    archived: bool
    position: int = 0
    category: str = ""

    @property
    def options(self) -> tuple[str, ...]:
        return tuple(v for v in (self.option1_value, self.option2_value) if v)

    @property
    def is_low(self) -> bool:
        return self.on_hand <= 0 or (self.low_stock > 0 and self.on_hand <= self.low_stock)


@dataclass(frozen=True)
class ProductInfo:
    id: int
    name: str
    category: str
    unit: str
    description: str
    weight_g: int
    length_cm: int
    width_cm: int
    height_cm: int
    is_food: bool
    netto: str
    composition: str
    storage: str
    shelf_life_days: int
    pirt_number: str
    halal: bool
    option1_name: str
    option2_name: str
    listing_url: str
    archived: bool
    created_at: datetime
    updated_at: datetime
    variants: tuple[VariantInfo, ...] = ()
    photos: tuple[PhotoInfo, ...] = ()

    @property
    def option_names(self) -> tuple[str, ...]:
        return tuple(n for n in (self.option1_name, self.option2_name) if n)

    @property
    def active_variants(self) -> tuple[VariantInfo, ...]:
        return tuple(v for v in self.variants if not v.archived)

    @property
    def sku(self) -> str:
        """The parent SKU: the common stem of the variants' SKUs (KRPK-0001)."""
        return parent_sku([v.sku for v in self.variants])

    @property
    def price(self) -> int:
        prices = [v.price for v in self.active_variants or self.variants]
        return min(prices) if prices else 0

    @property
    def on_hand(self) -> int:
        return sum(v.on_hand for v in self.variants)


def parent_sku(skus: list[str]) -> str:
    if not skus:
        return ""
    if len(skus) == 1:
        return skus[0]
    stem = skus[0]
    for sku in skus[1:]:
        while not sku.startswith(stem):
            stem = stem[:-1]
    stem = stem.rstrip("-._/")
    return stem if len(stem) >= 3 else skus[0]


def display_name(product_name: str, *options: str) -> str:
    values = [o for o in options if o]
    return f"{product_name} - {' / '.join(values)}" if values else product_name
